//! The report as Markdown (for pull-request comments and CI summaries), and the rule catalog as
//! the README's rule table with every rule's Bad and Good examples.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use crate::catalog::RULES;
use crate::launch::StageVerdict;
use crate::report::{Report, RuleStatus, Verdict};
use crate::rule::Example;
use crate::text::bytes;
use crate::vocabulary::InputKind;

/// Escapes text for a Markdown table cell or paragraph.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let icon = match report.verdict {
        Verdict::Pass => "✅",
        Verdict::Fail => "❌",
    };
    let _ = writeln!(out, "## {icon} {}\n", esc(&report.headline));
    let _ = writeln!(out, "Profile: **{}** — {}\n", report.profile.id.id(), esc(&report.profile.reason));
    let stages: Vec<String> = report.stages.iter().map(|st| format!("{} {}", stage_icon(st.verdict), esc(&st.label))).collect();
    let _ = writeln!(out, "Launch: {}\n", stages.join(" → "));
    if !report.other_profiles.is_empty() {
        let _ = writeln!(out, "Other profiles:");
        for other in &report.other_profiles {
            let _ = writeln!(out, "- {}", esc(&other.describe()));
        }
        out.push('\n');
    }
    let s = &report.summary;
    let _ = writeln!(
        out,
        "**{} errors, {} warnings, {} infos** · {} rules passed · {} not checked · {} suppressed\n",
        s.errors, s.warnings, s.infos, s.rules_passed, s.rules_not_checked, s.suppressed
    );
    if let Some(image) = &report.image {
        let _ = writeln!(out, "| Image | |\n|---|---|");
        if let Some(i) = &report.inputs.image {
            let _ = writeln!(out, "| Archive | `{}` ({}) |", esc(&i.file_name), esc(&i.layout));
            if let Some(r) = &i.reference {
                let _ = writeln!(out, "| Reference | `{}` |", esc(r));
            }
        }
        let _ = writeln!(out, "| Platform | {}/{} |", esc(&image.os), esc(&image.architecture));
        let uid = image.uid.map(|u| format!("{u}")).unwrap_or_else(|| String::from("?"));
        let gid = image.gid.map(|g| format!("{g}")).unwrap_or_else(|| String::from("?"));
        let _ = writeln!(
            out,
            "| User | `{}` → {uid}:{gid}{} |",
            esc(&image.user),
            image.user_name.as_deref().map(|n| format!(" ({})", esc(n))).unwrap_or_default()
        );
        let _ = writeln!(out, "| Size | {} of {} |", bytes(image.size_bytes), bytes(image.size_limit_bytes));
        let kernels: Vec<String> = image.kernels.iter().map(|k| format!("`{}`", esc(&k.name))).collect();
        let _ = writeln!(out, "| Kernels | {} |", if kernels.is_empty() { String::from("none") } else { kernels.join(", ") });
        let _ = writeln!(out, "| Layers | {} |\n", image.layers.len());
    }
    for (section, findings) in report.findings_by_section() {
        let _ = writeln!(out, "### {}\n", section.heading());
        for f in findings {
            let _ = writeln!(out, "- **{}** `{}` {}: {}", f.severity.label(), f.rule, f.name, esc(&f.message));
            for l in &f.locations {
                let _ = writeln!(out, "  - at {}", esc(&l.describe()));
            }
            let _ = writeln!(out, "  - fix: {}", esc(&f.fix));
            if let Some(patch) = &f.patch {
                let _ = writeln!(out, "  - patch: {}\n", esc(&patch.description));
                out.push_str(&diff_block(&patch.diff, "    "));
            }
        }
        out.push('\n');
    }
    if let Some(patch) = &report.patch {
        let _ = writeln!(out, "### Patch\n\nAll patches in one (`sm-image-check check --format patch` prints it; apply with `patch -p0` or `git apply -p0`): {}\n", esc(&patch.description));
        out.push_str(&diff_block(&patch.diff, ""));
        out.push('\n');
    }
    if !report.suppressed.is_empty() {
        let _ = writeln!(out, "### Suppressed\n");
        for s in &report.suppressed {
            let _ = writeln!(out, "- `{}` {} (line {}): {}", s.rule, s.name, s.comment_line, esc(&s.reason));
        }
        out.push('\n');
    }
    if !report.input_errors.is_empty() {
        let _ = writeln!(out, "### Input problems\n");
        for e in &report.input_errors {
            let at = e.at.as_deref().map(|a| format!(" ({})", esc(a))).unwrap_or_default();
            let _ = writeln!(out, "- {} `{}`{at}: {}", if e.fatal { "unusable" } else { "note" }, esc(&e.file), esc(&e.message));
        }
        out.push('\n');
    }
    let not_checked: Vec<String> =
        report.rules.iter().filter(|r| r.status == RuleStatus::NotChecked).map(|r| format!("`{}`", r.id)).collect();
    if !not_checked.is_empty() {
        let _ = writeln!(out, "<sub>Not checked for lack of input: {}</sub>", not_checked.join(", "));
    }
    if report.summary.rules_not_applicable > 0 {
        let _ = writeln!(
            out,
            "<sub>{} rules are not part of the {} profile.</sub>",
            report.summary.rules_not_applicable,
            report.profile.id.id()
        );
    }
    out
}

fn stage_icon(verdict: StageVerdict) -> &'static str {
    match verdict {
        StageVerdict::Pass => "✅",
        StageVerdict::Warn => "⚠️",
        StageVerdict::Fail => "❌",
        StageVerdict::NotReached => "⏹️ not reached:",
        StageVerdict::NotChecked => "➖ not checked:",
    }
}

/// A unified diff as a fenced `diff` block, every line indented by `indent` (to sit in a list
/// item); the fence is longer than any backtick run in the diff.
fn diff_block(diff: &str, indent: &str) -> String {
    let longest = diff.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let mut out = format!("{indent}{fence}diff\n");
    for line in diff.lines() {
        let _ = writeln!(out, "{indent}{line}");
    }
    let _ = writeln!(out, "{indent}{fence}");
    out
}

/// The rule catalog as a Markdown table (the README's rule table is this text).
pub fn rule_table() -> String {
    let mut out = String::from(
        "| ID | Name | Section | Severity | Launch stage | Profiles | Needs | What it catches |\n|---|---|---|---|---|---|---|---|\n",
    );
    for rule in RULES {
        let needs: Vec<String> = rule.requires.iter().map(|any| any.iter().map(|i| i.label()).collect::<Vec<_>>().join(" or ")).collect();
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} | {} | {} |",
            rule.id,
            rule.name,
            rule.section.heading(),
            rule.severity.label(),
            rule.stage.id(),
            rule.profile_scope(),
            needs.join(" and "),
            esc(rule.summary)
        );
    }
    out
}

/// Every rule's Bad and Good examples, one collapsed block per rule.
pub fn rule_examples() -> String {
    let mut out = String::from(
        "Each rule's examples: a Bad input fires it, a Good one does not. An image description lists one fact per line; \
`studio-image` is a working Studio image (sagemaker-user 1000:100, python3 with ipykernel and a python3 kernel), and the \
format is documented in `crates/rules/src/image_description.rs`.\n\n",
    );
    for rule in RULES {
        let _ = writeln!(out, "<details><summary><code>{}</code> {}: Bad / Good</summary>\n", rule.id, rule.name);
        for example in rule.examples {
            let inputs: Vec<&str> = example.inputs().map(|(kind, _)| Example::input_label(kind)).collect();
            if inputs.is_empty() {
                let _ = writeln!(out, "**{}**: {}\n", example.kind.label(), super::catalog::NO_INPUT);
                continue;
            }
            let _ = writeln!(out, "**{}** ({}):", example.kind.label(), inputs.join(" + "));
            for (kind, text) in example.inputs() {
                let language = match kind {
                    InputKind::Image => "text",
                    InputKind::Dockerfile => "dockerfile",
                    InputKind::AppImageConfig => "json",
                };
                let _ = writeln!(out, "```{language}\n{}\n```", text.trim_end());
            }
        }
        let _ = writeln!(out, "</details>\n");
    }
    out
}

/// The README's generated catalog: the rule table, then the examples.
pub fn rule_catalog() -> String {
    format!("{}\n{}", rule_table(), rule_examples())
}
