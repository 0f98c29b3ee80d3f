//! The catalog cannot miss a rule: every `RULE` declared in a file under `src/rules/` must be
//! registered in `catalog::RULES`, under the ID its file declares.

mod source;

use std::fs;

use smic_rules::catalog::{RETIRED_IDS, RULES};

/// The `id: "…"` of the `RULE` a file declares, if it declares one.
fn declared_id(text: &str) -> Option<String> {
    let start = text.find("pub const RULE: Rule").or_else(|| text.find("pub static RULE: Rule"))?;
    let rest = &text[start..];
    let id = rest.split("id: \"").nth(1)?.split('"').next()?;
    Some(id.to_string())
}

#[test]
fn every_declared_rule_is_in_the_catalog() {
    let files = source::rust_files(&source::src().join("rules"));
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
