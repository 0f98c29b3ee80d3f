//! The report's JSON Schema is the contract for machines: `sm-image-check schema` prints it, it is
//! a valid draft 2020-12 schema, every kind of report follows it, and it rejects reports that
//! break the contract (so the validation can fail).

use std::path::Path;

use serde_json::{json, Value};
use smic_rules::render::schema::REPORT_SCHEMA;
use smic_tests::schema::{assert_valid_report, check_if_report};
use smic_tests::{corpus, real_archive_files, repo, run_cli, stdout};

fn report(dir: &Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = run_cli(dir, &all);
    let text = stdout(&out);
    assert!(check_if_report(&text), "`{}` printed no JSON report: {}", all.join(" "), String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(&text).unwrap_or_default()
}

#[test]
fn the_schema_command_prints_the_schema() {
    let out = run_cli(&repo(), &["schema"]);
    assert_eq!(stdout(&out), REPORT_SCHEMA);
    let parsed: Value = serde_json::from_str(REPORT_SCHEMA).expect("JSON");
    assert_eq!(parsed["$schema"], "https://json-schema.org/draft/2020-12/schema");
}

#[test]
fn the_demo_report_follows_the_schema() {
    let dir = tempdir("demo");
    std::fs::write(dir.join("demo.tar"), smic_engine::demo::archive()).unwrap();
    std::fs::write(dir.join("Dockerfile"), smic_engine::demo::DOCKERFILE).unwrap();
    std::fs::write(dir.join("config.json"), smic_engine::demo::CONFIG).unwrap();
    let r = report(&dir, &["check", "demo.tar", "--dockerfile", "Dockerfile", "--app-image-config", "config.json"]);
    assert_eq!(r["verdict"], "fail");
    assert!(r["findings"].as_array().is_some_and(|f| f.len() > 3));
}

#[test]
fn reports_on_every_real_archive_follow_the_schema() {
    let mut checked = 0;
    for (name, path) in real_archive_files() {
        let r = report(&repo(), &["check", &path.display().to_string()]);
        assert!(r["image"].is_object() || !r["input_errors"].as_array().unwrap().is_empty(), "{name}");
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} archives found");
}

#[test]
fn reports_on_every_corpus_example_follow_the_schema() {
    let mut checked = 0;
    for entry in std::fs::read_dir(corpus()).expect("the corpus") {
        let dir = entry.unwrap().path();
        let dockerfile = dir.join("Dockerfile");
        if !dockerfile.exists() {
            continue;
        }
        let mut args = vec!["check".to_string(), "--dockerfile".into(), dockerfile.display().to_string()];
        let config = dir.join("app-image-config-input.json");
        if config.exists() {
            args.extend(["--app-image-config".into(), config.display().to_string()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        report(&repo(), &args);
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} examples found");
}

#[test]
fn reports_on_unreadable_inputs_follow_the_schema() {
    let dir = tempdir("bad");
    std::fs::write(dir.join("broken.json"), "{ \"AppImageConfigName\": ").unwrap();
    std::fs::write(dir.join("binary"), [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    std::fs::write(dir.join("cut.tar"), &smic_engine::demo::archive()[..3000]).unwrap();
    let r = report(&dir, &["check", "cut.tar", "--dockerfile", "binary", "--app-image-config", "broken.json"]);
    let errors = r["input_errors"].as_array().cloned().unwrap_or_default();
    assert_eq!(errors.len(), 3, "{errors:#?}");
}

#[test]
fn the_schema_rejects_reports_that_break_the_contract() {
    let dir = tempdir("reject");
    std::fs::write(dir.join("config.json"), smic_engine::demo::CONFIG).unwrap();
    let good = report(&dir, &["check", "--app-image-config", "config.json"]);
    type Breakage = fn(&mut Value);
    let breakages: [(&str, Breakage); 5] = [
        ("a required field missing", |r| {
            r.as_object_mut().unwrap().remove("summary");
        }),
        ("an unknown verdict", |r| r["verdict"] = json!("maybe")),
        ("an unknown section", |r| r["findings"][0]["section"] = json!("Networking")),
        ("a location of no known kind", |r| {
            r["findings"][0]["locations"].as_array_mut().unwrap().push(json!({"kind": "url", "href": "x"}));
        }),
        ("a field the contract does not have", |r| r["summary"]["score"] = json!(3)),
    ];
    assert!(!good["findings"].as_array().unwrap().is_empty());
    for (what, breakage) in breakages {
        let mut bad = good.clone();
        breakage(&mut bad);
        let rejected = std::panic::catch_unwind(|| assert_valid_report(&bad)).is_err();
        assert!(rejected, "the schema accepted a report with {what}");
    }
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("smic-schema-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The page's JSON exports, kept by the browser suite in `tests/e2e/out/reports/`. Run by
/// `tests/run-all.sh` after that suite (`--ignored`), since the files exist only then.
#[test]
#[ignore = "needs the browser suite's exports: run after tests/e2e/run.sh"]
fn the_page_json_exports_follow_the_schema() {
    let dir = repo().join("tests/e2e/out/reports");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(check_if_report(&text), "{} is not a report", path.display());
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} page exports in {}", dir.display());
}
