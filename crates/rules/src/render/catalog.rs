//! The rule catalog as text and JSON (`sm-image-check rules`), generated from the declarations.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use serde::Serialize;

use crate::catalog::RULES;
use crate::facts::Input;
use crate::rule::{Rule, Section, Severity};

#[derive(Serialize)]
struct RuleDoc<'a> {
    id: &'a str,
    name: &'a str,
    section: Section,
    severity: Severity,
    /// Every inner list needs one of its inputs.
    requires: &'a [&'a [Input]],
    spec: &'a str,
    summary: &'a str,
    explanation: &'a str,
    fix: &'a str,
    reads_files: Vec<&'a str>,
}

fn doc(rule: &Rule) -> RuleDoc<'_> {
    RuleDoc {
        id: rule.id,
        name: rule.name,
        section: rule.section,
        severity: rule.severity,
        requires: rule.requires,
        spec: rule.spec,
        summary: rule.summary,
        explanation: rule.explanation,
        fix: rule.fix,
        reads_files: rule.needs_files.iter().map(|p| p.glob).collect(),
    }
}

pub fn json() -> String {
    let docs: Vec<RuleDoc<'_>> = RULES.iter().map(|r| doc(r)).collect();
    let mut text = serde_json::to_string_pretty(&docs).unwrap_or_default();
    text.push('\n');
    text
}

pub fn text() -> String {
    let mut out = String::new();
    for section in Section::ALL {
        let _ = writeln!(out, "{}", section.heading());
        for rule in RULES.iter().filter(|r| r.section == section) {
            let _ = writeln!(out, "  {:<8} {:<7} {:<34} {}", rule.id, rule.severity.label(), rule.name, rule.summary);
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{} rules. `sm-image-check rules --format json` prints each with its spec sentence, explanation and fix.",
        RULES.len()
    );
    out
}
