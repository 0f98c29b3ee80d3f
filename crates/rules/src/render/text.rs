//! The report for a terminal: verdict first, then the image, then findings grouped by the spec's
//! sections, then input problems and the summary. Coloured with ANSI codes when asked.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use crate::launch::StageVerdict;
use crate::report::{Report, RuleStatus, Verdict};
use crate::text::bytes;
use crate::vocabulary::Severity;

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            String::from(text)
        }
    }
    fn severity(&self, s: Severity) -> String {
        match s {
            Severity::Error => self.paint("1;31", "error  "),
            Severity::Warning => self.paint("1;33", "warning"),
            Severity::Info => self.paint("1;36", "info   "),
        }
    }
    fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }
    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
}

pub fn render(report: &Report, color: bool) -> String {
    let st = Style { color };
    let mut out = String::new();
    let _ = writeln!(out, "{} {} — SageMaker Studio custom-image check", report.tool.name, report.tool.version);
    let _ = writeln!(out, "{}", st.dim(&format!("Profile: {}", report.profile.describe())));
    let mut checked: Vec<String> = Vec::new();
    if let Some(i) = &report.inputs.image {
        let reference = i.reference.as_deref().map(|r| format!(", {r}")).unwrap_or_default();
        checked.push(format!("image {} ({}{reference})", i.file_name, i.layout));
    }
    if let Some(d) = &report.inputs.dockerfile {
        checked.push(format!("Dockerfile {}", d.name));
    }
    if let Some(c) = &report.inputs.app_image_config {
        checked.push(format!("AppImageConfig {}", c.name));
    }
    if !checked.is_empty() {
        let _ = writeln!(out, "{}", st.dim(&format!("Checked: {}", checked.join(" · "))));
    }
    if let Some(i) = &report.inputs.image {
        if i.images_in_archive.len() > 1 {
            let _ = writeln!(
                out,
                "{}",
                st.dim(&format!("The archive holds {} images: {}", i.images_in_archive.len(), i.images_in_archive.join(", ")))
            );
        }
    }
    out.push('\n');
    let verdict = match report.verdict {
        Verdict::Pass => st.paint("1;32", &format!("✓ {}", report.headline)),
        Verdict::Fail => st.paint("1;31", &format!("✗ {}", report.headline)),
    };
    let _ = writeln!(out, "{verdict}");
    for stage in &report.stages {
        let mark = match stage.verdict {
            StageVerdict::Pass => st.paint("32", "✓"),
            StageVerdict::Warn => st.paint("33", "!"),
            StageVerdict::Fail => st.paint("1;31", "✗"),
            StageVerdict::NotReached | StageVerdict::NotChecked => st.dim("·"),
        };
        let rules = if stage.rules.is_empty() { String::new() } else { format!(" ({})", stage.rules.join(", ")) };
        let _ = writeln!(out, "  {mark} {:<28} {}", stage.label, st.dim(&format!("{}{rules}", stage.verdict.label())));
    }
    if !report.other_profiles.is_empty() {
        let _ = writeln!(out, "{}", st.dim("Other profiles (check for one with --profile):"));
        for other in &report.other_profiles {
            let _ = writeln!(out, "{}", st.dim(&format!("  {}", other.describe())));
        }
    }
    out.push('\n');

    if let Some(image) = &report.image {
        let user = match (&image.user_name, image.uid, image.gid) {
            (name, Some(uid), Some(gid)) => format!("{uid}:{gid}{}", name.as_deref().map(|n| format!(" ({n})")).unwrap_or_default()),
            _ => format!("{:?} (unresolved)", image.user),
        };
        let percent = image.size_bytes.saturating_mul(100) / image.size_limit_bytes.max(1);
        let _ = writeln!(
            out,
            "{}  {}/{} · user {user} · {} of {} ({percent}%) · {} files · {} layers",
            st.bold("Image"),
            image.os,
            image.architecture,
            bytes(image.size_bytes),
            bytes(image.size_limit_bytes),
            image.file_count,
            image.layers.len()
        );
        let kernels: Vec<String> = image
            .kernels
            .iter()
            .map(|k| format!("{}{}", k.name, if k.hidden_by_mount { " (hidden by the home mount)" } else { "" }))
            .collect();
        let _ =
            writeln!(out, "{}  {}", st.bold("Kernels"), if kernels.is_empty() { String::from("none found") } else { kernels.join(", ") });
        for layer in &image.layers {
            let created = layer.created_by.as_deref().map(|c| crate::text::shorten(c.trim(), 90)).unwrap_or_default();
            let _ = writeln!(
                out,
                "{}",
                st.dim(&format!(
                    "  layer {:>2}  {:>9}  {:>13}  {created}",
                    layer.index,
                    bytes(layer.size_bytes),
                    crate::text::plural(layer.entry_count as usize, "entry", "entries")
                ))
            );
        }
        out.push('\n');
    }

    for (section, findings) in report.findings_by_section() {
        let _ = writeln!(out, "{}", st.bold(section.heading()));
        for f in findings {
            let _ = writeln!(out, "  {} {} {}", st.severity(f.severity), st.bold(&f.rule), st.dim(&f.name));
            let _ = writeln!(out, "          {}", f.message);
            for l in &f.locations {
                let _ = writeln!(out, "          {}", st.dim(&format!("at {}", l.describe())));
            }
            let _ = writeln!(out, "          {}", st.paint("32", &format!("fix: {}", f.fix)));
            if let Some(patch) = &f.patch {
                let _ = writeln!(out, "          {}", st.paint("32", &format!("patch available: {}", patch.description)));
            }
        }
        out.push('\n');
    }

    if !report.suppressed.is_empty() {
        let _ = writeln!(out, "{}", st.bold("Suppressed"));
        for s in &report.suppressed {
            let _ = writeln!(out, "  {} {} (line {}): {} — {}", s.rule, s.name, s.comment_line, s.reason, st.dim(&s.message));
        }
        out.push('\n');
    }
    if !report.input_errors.is_empty() {
        let _ = writeln!(out, "{}", st.bold("Input problems"));
        for e in &report.input_errors {
            let at = e.at.as_deref().map(|a| format!(" ({a})")).unwrap_or_default();
            let label = if e.fatal { st.paint("1;31", "unusable") } else { st.paint("1;33", "note    ") };
            let _ = writeln!(out, "  {label} {}{at}: {}", e.file, e.message);
        }
        out.push('\n');
    }
    if let Some(patch) = &report.patch {
        let _ = writeln!(
            out,
            "{}\n",
            st.paint(
                "32",
                &format!("A patch of {} fixes the findings marked \"patch available\": `--format patch` prints it.", patch.file)
            )
        );
    }
    let not_checked: Vec<&str> = report.rules.iter().filter(|r| r.status == RuleStatus::NotChecked).map(|r| r.id.as_ref()).collect();
    let s = &report.summary;
    let _ = writeln!(
        out,
        "Summary: {} error{}, {} warning{}, {} info{} · {} rules passed{}{}{}",
        s.errors,
        if s.errors == 1 { "" } else { "s" },
        s.warnings,
        if s.warnings == 1 { "" } else { "s" },
        s.infos,
        if s.infos == 1 { "" } else { "s" },
        s.rules_passed,
        if not_checked.is_empty() { String::new() } else { format!(" · {} not checked (missing input)", not_checked.len()) },
        if s.rules_not_applicable > 0 {
            format!(" · {} not part of the {} profile", s.rules_not_applicable, report.profile.id.id())
        } else {
            String::new()
        },
        if s.suppressed > 0 { format!(" · {} suppressed", s.suppressed) } else { String::new() }
    );
    out
}
