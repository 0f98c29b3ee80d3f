//! The README is part of the product: its rule table is generated from the rule declarations and
//! its JSON schema is the report's contract. Both must match the code.

use std::collections::BTreeSet;

use smic_rules::facts::{CommandForm, PathWrite, WriteVia};
use smic_rules::testkit::*;
use smic_tests::repo;

fn readme() -> String {
    std::fs::read_to_string(repo().join("README.md")).expect("README.md")
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let a = text.find(start).unwrap_or_else(|| panic!("README lacks {start}")) + start.len();
    let b = text[a..].find(end).unwrap_or_else(|| panic!("README lacks {end}")) + a;
    text[a..b].trim()
}

/// The README block between `<!-- NAME:start -->` and `<!-- NAME:end -->` is what `command` prints.
fn assert_generated_block(name: &str, generated: &str, command: &str) {
    let text = readme();
    let block = between(&text, &format!("<!-- {name}:start -->"), &format!("<!-- {name}:end -->"));
    assert!(
        block == generated.trim(),
        "README {name} table is stale: regenerate it with `cargo run -q -p sm-image-check -- {command}` and paste it between the {name} markers"
    );
}

#[test]
fn readme_rule_table_is_generated_from_the_rule_declarations() {
    assert_generated_block("rules", &smic_rules::render::markdown::rule_catalog(), "rules --format markdown");
}

/// Every JSON path (`findings[].locations[].pointer`) present in a value.
fn paths(value: &serde_json::Value, prefix: &str, out: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let p = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                out.insert(p.clone());
                paths(v, &p, out);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                paths(item, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

/// A report that exercises every part of the contract: all three inputs and every kind of location.
fn rich_report() -> serde_json::Value {
    let image = ImageBuilder::good()
        .architecture("arm64")
        .file("/opt/ml/code/train.py", 100)
        .next_layer("RUN pip install")
        .file("/root/.cache/pip/x", 20_000_000)
        .layer_size(26_000_000_000)
        .build();
    let dockerfile = DockerfileBuilder::from("python:3.11")
        .with("COPY train.py /opt/ml/code/", |s, span| {
            s.writes.push(PathWrite { path: "/opt/ml/code/train.py".into(), via: WriteVia::Copy, span })
        })
        .with("CMD [\"python3\"]", |s, span| s.cmd = Some((CommandForm::Exec(vec!["python3".into()]), span)))
        .build();
    let config = app_image_config_with_kernel("Python3");
    let input_error = smic_rules::InputError {
        input: smic_rules::InputKind::Image,
        file: "image.tar".into(),
        at: Some("entry x".into()),
        message: "example".into(),
        fatal: false,
    };
    let mut dockerfile = dockerfile;
    // A final stage pinned to arm64: RUN005's finding carries a patch (and the report the combined one).
    if let Some(stage) = dockerfile.final_stage.as_mut() {
        stage.from.platform = Some("linux/arm64".into());
    }
    dockerfile.suppressions.push(smic_rules::facts::Suppression {
        rule: "RUN001".into(),
        reason: "documented".into(),
        comment_line: 3,
        applies_to: None,
    });
    let report = smic_rules::check(&facts(Some(image), Some(dockerfile), Some(config)), vec![input_error], &Default::default());
    serde_json::from_str(&report.to_json()).unwrap()
}

#[test]
fn readme_json_schema_documents_every_field_of_the_report() {
    let text = readme();
    let schema = between(&text, "<!-- schema:start -->", "<!-- schema:end -->");
    let documented: BTreeSet<String> =
        schema.lines().filter_map(|l| l.strip_prefix("| `")).filter_map(|l| l.split('`').next()).map(String::from).collect();
    // `name?` marks a field that is absent when it has no value.
    let known: BTreeSet<String> = documented.iter().map(|d| d.trim_end_matches('?').to_string()).collect();
    let mut actual = BTreeSet::new();
    paths(&rich_report(), "", &mut actual);
    let undocumented: Vec<&String> = actual.difference(&known).collect();
    assert!(undocumented.is_empty(), "report fields missing from the README schema: {undocumented:?}");
    let phantom: Vec<&String> = documented.iter().filter(|d| !d.ends_with('?') && !actual.contains(*d)).collect();
    assert!(phantom.is_empty(), "README schema documents fields the report never has: {phantom:?}");
}

/// The README is one document: each section and each generated block appears once (a pasted
/// second copy once went unnoticed because the other tests read only the first).
#[test]
fn readme_has_each_section_and_generated_block_once() {
    let text = readme();
    let mut seen = BTreeSet::new();
    for heading in text.lines().filter(|l| l.starts_with("## ")) {
        assert!(seen.insert(heading), "README repeats the section {heading:?}");
    }
    for marker in ["<!-- rules:start -->", "<!-- rules:end -->", "<!-- schema:start -->", "<!-- schema:end -->"] {
        assert_eq!(text.matches(marker).count(), 1, "README must hold {marker} exactly once");
    }
}

/// Every repository path the README names in backticks exists, so a moved file cannot leave
/// the README pointing at nothing.
#[test]
fn readme_paths_exist() {
    let text = readme();
    let roots =
        ["crates/", "web/", "tests/", ".ci/", "docs/", "integrations/", "release/", "action.yml", "index.html", "Trunk.toml", "Cargo.toml"];
    let mut checked = 0;
    for span in text.split('`').skip(1).step_by(2) {
        for word in span.split_whitespace() {
            let path = word.trim_end_matches([',', '.', ':', ')']);
            if !roots.iter().any(|r| path.starts_with(r)) || path.contains(['*', '<', '>', '{', '$']) {
                continue;
            }
            let path = path.split(['#', '?']).next().unwrap_or(path);
            assert!(repo().join(path).exists(), "README names `{path}`, which does not exist");
            checked += 1;
        }
    }
    assert!(checked > 10, "only {checked} paths found: the README scan is broken");
}

/// Every flag the README's usage block shows is one the CLI accepts.
#[test]
fn readme_usage_flags_are_accepted_by_the_cli() {
    let text = readme();
    let usage = between(&text, "```\nsm-image-check check", "```");
    let help = |sub: &str| smic_tests::stdout(&smic_tests::run_cli(&repo(), &[sub, "--help"]));
    let mut command = String::from("check");
    let mut flags = 0;
    for line in usage.lines() {
        if let Some(sub) = line.strip_prefix("sm-image-check ").and_then(|rest| rest.split_whitespace().next()) {
            command = sub.to_string();
        }
        let accepted = help(&command);
        for word in line.split(|c: char| c.is_whitespace() || "[]|".contains(c)) {
            let Some(flag) = word.strip_prefix("--").map(|f| f.split('=').next().unwrap_or(f)) else { continue };
            let flag = format!("--{flag}");
            assert!(accepted.contains(&flag), "README shows {flag} for `{command}`, which the CLI does not accept:\n{accepted}");
            flags += 1;
        }
    }
    assert!(flags >= 12, "only {flags} flags found in the README's usage block");
}

#[test]
fn readme_field_table_is_generated_from_the_json_schema() {
    assert_generated_block("schema", &smic_rules::render::schema::markdown_table(), "schema --format markdown");
}
