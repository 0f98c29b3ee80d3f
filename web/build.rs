//! Writes the rule catalog (`smic_rules::render::catalog::json`) for the page's rule pages, so the
//! app carries the declarations' text without linking the rules' code.

fn main() {
    let out = std::env::var_os("OUT_DIR").map(std::path::PathBuf::from).unwrap_or_default();
    if let Err(e) = std::fs::write(out.join("catalog.json"), smic_rules::render::catalog::json()) {
        println!("cargo::error=cannot write the rule catalog: {e}");
    }
    println!("cargo::rerun-if-changed=build.rs");
}
