//! The catalog cannot miss a rule: every `RULE` declared in a file under `src/rules/` must be
//! registered in `catalog::RULES`, under the ID its file declares.

use std::fs;
use std::path::{Path, PathBuf};

use smic_rules::catalog::{RETIRED_IDS, RULES};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("readable src/rules").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The `id: "…"` of the `RULE` a file declares, if it declares one.
fn declared_id(text: &str) -> Option<String> {
    let start = text.find("pub const RULE: Rule").or_else(|| text.find("pub static RULE: Rule"))?;
    let rest = &text[start..];
    let id = rest.split("id: \"").nth(1)?.split('"').next()?;
    Some(id.to_string())
}

#[test]
fn every_declared_rule_is_in_the_catalog() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules"), &mut files);
    files.sort();
    let mut declared = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).expect("readable rule file");
        if let Some(id) = declared_id(&text) {
            assert!(RULES.iter().any(|r| r.id == id), "{} declares {id}, which catalog::RULES does not list", file.display());
            declared.push(id);
        }
    }
    assert_eq!(declared.len(), RULES.len(), "catalog lists a rule no file under src/rules declares");
}

#[test]
fn rule_ids_are_unique_and_never_retired_ones() {
    for (i, rule) in RULES.iter().enumerate() {
        assert!(RULES[..i].iter().all(|r| r.id != rule.id), "{} used twice", rule.id);
        assert!(!RETIRED_IDS.contains(&rule.id), "{} is retired", rule.id);
    }
}
