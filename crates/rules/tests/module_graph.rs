//! The crate's modules form layers without import cycles. The test reads the source: for every
//! file under `src/` it collects the `crate::<module>` paths its non-test code names (in `use`
//! lines and inline paths; an item re-exported by `lib.rs` counts as its module), maps both ends
//! to top-level modules (`src/rules/**` is the one node `rules`), and fails on
//!
//! - a cycle between top-level modules (printed as `a -> b -> a`);
//! - a model module (the vocabulary, the facts and what is derived from them, the report)
//!   depending on what sits above it (`rule`, `rules`, `catalog`, `capture`, `check`, `render`,
//!   `testkit`, `image_description`), or the vocabulary depending on anything;
//! - a rule file using another rule file's items (shared logic belongs to the model modules or
//!   the family's `mod.rs`).
//!
//! `#[cfg(test)]` modules are left out: a unit test may use any module (the test kit runs the
//! whole catalog).

mod source;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use source::{rust_files, src};

/// The code of a file without comments and without its test module.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// Top-level module of a file: `src/rules/kernels/x.rs` → `rules`, `src/facts/mod.rs` → `facts`.
fn module_of(path: &Path) -> String {
    let relative = path.strip_prefix(src()).expect("under src");
    let first = relative.components().next().expect("a component").as_os_str().to_string_lossy().to_string();
    first.trim_end_matches(".rs").to_string()
}

/// Every identifier following `crate::`, including each name of a `crate::{a, b::c}` group.
fn crate_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or("");
            out.extend(inner.split(',').map(|p| p.trim().split("::").next().unwrap_or("").to_string()).filter(|p| !p.is_empty()));
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            out.push(name);
        }
    }
    out
}

/// What `lib.rs` re-exports at the root (`Location` → `report`).
fn root_reexports(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in lib.lines().filter(|l| l.starts_with("pub use ")) {
        let body = line.trim_start_matches("pub use ").trim_end_matches(';');
        let Some((module, items)) = body.split_once("::") else { continue };
        for item in items.trim_matches(|c| c == '{' || c == '}').split(',') {
            out.insert(item.trim().to_string(), module.to_string());
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let lib = fs::read_to_string(src().join("lib.rs")).expect("lib.rs");
    let reexports = root_reexports(&lib);
    let files = rust_files(&src());
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(f)).filter(|m| m != "lib").collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = modules.iter().map(|m| (m.clone(), BTreeSet::new())).collect();
    for file in &files {
        let from = module_of(file);
        if from == "lib" {
            continue;
        }
        let text = fs::read_to_string(file).expect("readable source");
        for name in crate_paths(&code(&text)) {
            let to = if modules.contains(&name) { Some(name.clone()) } else { reexports.get(&name).cloned() };
            if let Some(to) = to.filter(|to| *to != from) {
                graph.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    graph
}

fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_import_cycle_between_modules() {
    let graph = graph();
    assert!(graph["rules"].contains("rule") && graph["catalog"].contains("rules"), "the scan found no edges: {graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import cycle: {}", cycle.join(" -> "));
    }
}

#[test]
fn model_modules_do_not_depend_on_rules_or_the_catalog() {
    const ABOVE: &[&str] = &["rule", "rules", "catalog", "capture", "check", "render", "testkit", "image_description"];
    const MODEL: &[&str] = &[
        "vocabulary",
        "facts",
        "text",
        "parse",
        "json_error",
        "kernel_json",
        "user",
        "path_lookup",
        "kernel_discovery",
        "context",
        "base_image",
        "report",
        "launch",
        "patch",
        "distribution",
        "app_image_config",
    ];
    let graph = graph();
    for module in MODEL {
        let deps = graph.get(*module).unwrap_or_else(|| panic!("no module {module}"));
        let wrong: Vec<&String> = deps.iter().filter(|d| ABOVE.contains(&d.as_str())).collect();
        assert!(wrong.is_empty(), "{module} depends on {wrong:?}, which depend on it");
    }
    assert!(graph["vocabulary"].is_empty(), "the vocabulary must be a leaf: {:?}", graph["vocabulary"]);
}

#[test]
fn rule_files_do_not_use_each_other() {
    let files = rust_files(&src().join("rules"));
    for file in &files {
        let Some(dir) = file.parent() else { continue };
        let siblings: Vec<String> = fs::read_dir(dir)
            .expect("readable family")
            .flatten()
            .filter_map(|e| e.path().file_stem().map(|s| s.to_string_lossy().to_string()))
            .filter(|s| s != "mod")
            .collect();
        let text = code(&fs::read_to_string(file).expect("readable rule"));
        for sibling in &siblings {
            assert!(!text.contains(&format!("super::{sibling}::")), "{} uses the rule file {sibling}", file.display());
        }
        for (at, _) in text.match_indices("crate::rules::") {
            let mut parts = text[at + "crate::rules::".len()..].split("::");
            let (Some(family), Some(item)) = (parts.next(), parts.next()) else { continue };
            let item: String = item.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            assert!(
                !src().join("rules").join(family).join(format!("{item}.rs")).exists(),
                "{} uses the rule file rules/{family}/{item}.rs",
                file.display()
            );
        }
    }
}
