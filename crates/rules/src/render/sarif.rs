//! The report as SARIF 2.1.0, as GitHub code scanning accepts it: every rule of the catalog in
//! `tool.driver.rules`, one result per finding with its level and a physical location (the
//! Dockerfile line when there is one; otherwise the file the finding is about).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{json, Value};

use crate::catalog::RULES;
use crate::patch::Patch;
use crate::report::{Finding, Location, Report, TOOL_NAME, TOOL_VERSION};
use crate::vocabulary::Severity;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn physical(file: &str, start: u32, end: u32) -> Value {
    json!({"physicalLocation": {"artifactLocation": {"uri": uri(file)}, "region": {"startLine": start.max(1), "endLine": end.max(start).max(1)}}})
}

/// A file name as a SARIF URI reference: relative paths stay relative (code scanning resolves
/// them against the repository), absolute ones become `file://` URIs; reserved characters are
/// percent-encoded.
fn uri(file: &str) -> String {
    let path = file.replace('\\', "/");
    let mut out = String::new();
    if path.starts_with('/') {
        out.push_str("file://");
    } else if path.len() > 2 && path.as_bytes()[1] == b':' {
        out.push_str("file:///"); // C:/…
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn locations(report: &Report, finding: &Finding) -> Vec<Value> {
    let mut out: Vec<Value> = finding
        .locations
        .iter()
        .filter_map(|l| match l {
            Location::Dockerfile { file, line, end_line, .. } => Some(physical(file, *line, *end_line)),
            _ => None,
        })
        .collect();
    if out.is_empty() {
        // SARIF consumers need a file: the input the finding is about.
        let config = finding.locations.iter().find_map(|l| match l {
            Location::AppImageConfig { file, .. } => Some(file.clone()),
            _ => None,
        });
        let file = config
            .or_else(|| report.inputs.image.as_ref().map(|i| i.file_name.clone()))
            .or_else(|| report.inputs.dockerfile.as_ref().map(|d| d.name.clone()))
            .or_else(|| report.inputs.app_image_config.as_ref().map(|c| c.name.clone()));
        if let Some(file) = file {
            let mut loc = physical(&file, 1, 1);
            let logical: Vec<Value> = finding
                .locations
                .iter()
                .filter_map(|l| match l {
                    Location::ImageFile { path, .. } | Location::ImageTree { path, .. } => {
                        Some(json!({"fullyQualifiedName": path, "kind": "resource"}))
                    }
                    Location::AppImageConfig { pointer, .. } => Some(json!({"fullyQualifiedName": pointer, "kind": "member"})),
                    Location::ImageConfig { field, .. } => Some(json!({"fullyQualifiedName": format!("config.{field}"), "kind": "member"})),
                    _ => None,
                })
                .take(10)
                .collect();
            if !logical.is_empty() {
                loc["logicalLocations"] = Value::Array(logical);
            }
            out.push(loc);
        }
    }
    out
}

pub fn render(report: &Report) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.explanation},
                "help": {"text": format!("{}\n\nSpec ({}): \"{}\"\n\nFix: {}", r.explanation, r.section.heading(), r.spec, r.fix),
                         "markdown": format!("{}\n\n> {}\n\n**Fix:** {}", r.explanation, r.spec, r.fix)},
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": {
                    "tags": [r.section.heading(), "sagemaker-studio"],
                    "precision": "high",
                    "profiles": r.profiles.iter().map(|p| p.id()).collect::<Vec<_>>(),
                    "stage": r.stage.id()
                }
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let index = RULES.iter().position(|r| r.id == f.rule).unwrap_or(0);
            let detail: Vec<String> = f.locations.iter().map(|l| l.describe()).collect();
            let text = if detail.is_empty() {
                format!("{} Fix: {}", f.message, f.fix)
            } else {
                format!("{} ({}) Fix: {}", f.message, detail.join("; "), f.fix)
            };
            let mut result = json!({
                "ruleId": f.rule,
                "ruleIndex": index,
                "level": level(f.severity),
                "message": {"text": text},
                "locations": locations(report, f),
                "partialFingerprints": {"smImageCheck/v1": format!("{}:{}", f.rule, fingerprint(&f.message))}
            });
            if let Some(patch) = &f.patch {
                result["fixes"] = json!([fix(patch)]);
            }
            result
        })
        .collect();
    let notifications: Vec<Value> = report
        .input_errors
        .iter()
        .map(|e| {
            let at = e.at.as_deref().map(|a| format!(" ({a})")).unwrap_or_default();
            json!({"level": if e.fatal { "error" } else { "warning" }, "message": {"text": format!("{}{at}: {}", e.file, e.message)}})
        })
        .collect();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": TOOL_NAME, "version": TOOL_VERSION, "semanticVersion": TOOL_VERSION, "rules": rules}},
            "invocations": [{"executionSuccessful": !report.has_fatal_input_error(), "toolExecutionNotifications": notifications}],
            "results": results,
            "properties": {
                "profile": {"id": report.profile.id.id(), "reason": report.profile.reason},
                "other_profiles": report.other_profiles,
                "stages": report.stages
            }
        }]
    });
    let mut text = serde_json::to_string_pretty(&sarif).unwrap_or_default();
    text.push('\n');
    text
}

/// A patch as a SARIF fix: each edit replaces whole lines (a region without columns runs from
/// the start of `startLine` to the end of `endLine`, line break excluded) by its lines, so a
/// deletion leaves an empty line where the unified diff removes it.
fn fix(patch: &Patch) -> Value {
    let replacements: Vec<Value> = patch
        .edits
        .iter()
        .map(|e| {
            json!({
                "deletedRegion": {"startLine": e.line_start, "endLine": e.line_end},
                "insertedContent": {"text": e.replacement.join("\n")}
            })
        })
        .collect();
    json!({
        "description": {"text": patch.description},
        "artifactChanges": [{"artifactLocation": {"uri": uri(&patch.file)}, "replacements": replacements}]
    })
}

/// A stable short hash (FNV-1a) so code scanning can track a finding across runs.
fn fingerprint(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn file_names_become_uri_references() {
        assert_eq!(uri("docker/Dockerfile"), "docker/Dockerfile");
        assert_eq!(uri("/work/my image.tar"), "file:///work/my%20image.tar");
        assert_eq!(uri("C:\\img\\Dockerfile"), "file:///C:/img/Dockerfile");
    }
}
