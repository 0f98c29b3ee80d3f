//! The rule catalog as text and JSON (`sm-image-check rules`), and one rule's page as text
//! (`sm-image-check rules ID`), generated from the declarations.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use serde::Serialize;

use crate::catalog::RULES;
use crate::rule::{ErrorMessage, Example, Rule};
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

#[derive(Serialize)]
struct RuleDoc<'a> {
    id: &'a str,
    name: &'a str,
    section: Section,
    severity: Severity,
    /// The launch stage at which the problem makes Studio fail (`none`: it never stops a launch).
    stage: Stage,
    /// The Studio and CloudWatch error messages the problem causes.
    explains: &'a [ErrorMessage],
    /// The Studio apps the rule holds for.
    profiles: &'a [Profile],
    /// Every inner list needs one of its inputs.
    requires: &'a [&'a [InputKind]],
    spec: &'a str,
    summary: &'a str,
    explanation: &'a str,
    fix: &'a str,
    reads_files: Vec<&'a str>,
    /// Inputs that fire the rule (`bad`) and inputs that do not (`good`).
    examples: &'a [Example],
}

fn doc(rule: &Rule) -> RuleDoc<'_> {
    RuleDoc {
        id: rule.id,
        name: rule.name,
        section: rule.section,
        severity: rule.severity,
        stage: rule.stage,
        explains: rule.explains,
        profiles: rule.profiles,
        requires: rule.requires,
        spec: rule.spec,
        summary: rule.summary,
        explanation: rule.explanation,
        fix: rule.fix,
        reads_files: rule.needs_files.iter().map(|p| p.glob).collect(),
        examples: rule.examples,
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
            let only = if rule.profiles.len() < Profile::ALL.len() { format!(" ({} only)", rule.profile_ids()) } else { String::new() };
            let _ = writeln!(out, "  {:<8} {:<7} {:<34} {}{only}", rule.id, rule.severity.label(), rule.name, rule.summary);
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{} rules. `sm-image-check rules ID` prints a rule's page (spec sentence, explanation, fix, Bad and Good examples); `--format json` prints them all.",
        RULES.len()
    );
    out
}

/// What an example without inputs says (a rule that speaks about any input has no other Good).
pub const NO_INPUT: &str = "No input at all: nothing to check.";

/// One rule's page: what the spec says, why it matters, the fix, and its Bad and Good examples.
pub fn page(rule: &Rule) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} {} ({}, {})", rule.id, rule.name, rule.section.heading(), rule.severity.label());
    let _ = writeln!(out, "{}\n", rule.summary);
    let _ = writeln!(out, "The specification says:\n  {}\n", rule.spec);
    let _ = writeln!(out, "Why it matters:\n  {}\n", rule.explanation);
    let _ = writeln!(out, "How to fix:\n  {}\n", rule.fix);
    let needs: Vec<String> = rule.requires.iter().map(|any| any.iter().map(|i| i.label()).collect::<Vec<_>>().join(" or ")).collect();
    let _ = writeln!(out, "Checked from: {}", needs.join(" and "));
    let _ = writeln!(out, "Profiles: {}", rule.profile_ids());
    let _ = writeln!(out, "Launch stage: {}", rule.stage.describe());
    if !rule.explains.is_empty() {
        let _ = writeln!(out, "\nExplains these error messages:");
        for message in rule.explains {
            let _ = writeln!(out, "  {} (seen in {})", message.text, message.seen_in.label());
        }
    }
    for example in rule.examples {
        let _ = writeln!(out, "\n{}:", example.kind.label());
        if example.inputs().next().is_none() {
            let _ = writeln!(out, "  {NO_INPUT}");
        }
        for (kind, text) in example.inputs() {
            let _ = writeln!(out, "  {}:", Example::input_label(kind));
            for line in text.lines() {
                let _ = writeln!(out, "    {line}");
            }
        }
    }
    out
}
