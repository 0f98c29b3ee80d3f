//! The profile through the CLI: `--profile` and `auto`, and every output naming it (JSON, human,
//! Markdown, SARIF), the rule list and pages saying which profiles a rule belongs to.

use smic_tests::*;

fn sample_dockerfile(example: &str) -> String {
    corpus().join(example).join("Dockerfile").display().to_string()
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = run_cli(&repo(), args);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)))
}

fn rule_ids(report: &serde_json::Value) -> Vec<String> {
    report["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_string()).collect()
}

#[test]
fn auto_reads_the_jupyterlab_sample_and_drops_the_port_8888_warning() {
    let dockerfile = sample_dockerfile("awsdocs-jupyterlab-al2023-sample");
    let auto = json(&["check", "--dockerfile", &dockerfile, "--format", "json"]);
    assert_eq!(auto["schema_version"], 3);
    assert_eq!(auto["profile"]["id"], "jupyterlab");
    assert_eq!(auto["profile"]["reason"], "from the start command `jupyter lab …` (Dockerfile line 28)");
    assert!(auto["headline"].as_str().unwrap().contains("JupyterLab"), "{}", auto["headline"]);
    let ids = rule_ids(&auto);
    assert!(!ids.contains(&"RUN004".to_string()) && !ids.contains(&"RUN001".to_string()), "{ids:?}");
    let run004 = auto["rules"].as_array().unwrap().iter().find(|r| r["id"] == "RUN004").unwrap();
    assert_eq!(run004["status"], "not-applicable");
    assert_eq!(run004["reason"], "not part of the jupyterlab profile");

    let classic = json(&["check", "--dockerfile", &dockerfile, "--format", "json", "--profile", "studio-classic"]);
    assert_eq!(classic["profile"]["id"], "studio-classic");
    assert_eq!(classic["profile"]["reason"], "chosen with --profile");
    let ids = rule_ids(&classic);
    assert!(ids.contains(&"RUN004".to_string()) && ids.contains(&"RUN001".to_string()), "{ids:?}");
}

#[test]
fn a_jupyterlab_app_image_config_is_no_error_under_auto() {
    let dir = std::env::temp_dir().join(format!("smic-profiles-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("jl.json"), r#"{"AppImageConfigName": "jl", "JupyterLabAppImageConfig": {}}"#).unwrap();
    let out = run_cli(&dir, &["check", "--app-image-config", "jl.json", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["profile"]["reason"], "from the AppImageConfig's JupyterLabAppImageConfig");
    let classic = run_cli(&dir, &["check", "--app-image-config", "jl.json", "--profile", "studio-classic"]);
    assert_eq!(classic.status.code(), Some(1));
    assert!(stdout(&classic).contains("RUN009"), "{}", stdout(&classic));
}

#[test]
fn every_output_names_the_profile() {
    let dockerfile = sample_dockerfile("awsdocs-codeeditor-smd-sample");
    let human = stdout(&run_cli(&repo(), &["check", "--dockerfile", &dockerfile, "--color", "never"]));
    assert!(human.contains("Profile: code-editor — from the start command `entrypoint-code-editor` (Dockerfile line 25)"), "{human}");
    let markdown = stdout(&run_cli(&repo(), &["check", "--dockerfile", &dockerfile, "--format", "markdown"]));
    assert!(markdown.contains("Profile: **code-editor**"), "{markdown}");
    let sarif = json(&["check", "--dockerfile", &dockerfile, "--format", "sarif"]);
    let run = &sarif["runs"][0];
    assert_eq!(run["properties"]["profile"]["id"], "code-editor");
    let run001 = run["tool"]["driver"]["rules"].as_array().unwrap().iter().find(|r| r["id"] == "RUN001").unwrap();
    assert_eq!(run001["properties"]["profiles"], serde_json::json!(["studio-classic"]));
}

#[test]
fn an_unknown_profile_is_a_usage_error() {
    let out = run_cli(&repo(), &["check", "--dockerfile", &sample_dockerfile("r-image"), "--profile", "classic"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected studio-classic, jupyterlab, code-editor or auto"));
}

#[test]
fn the_rule_list_and_pages_name_each_rules_profiles() {
    let list = stdout(&run_cli(&repo(), &["rules"]));
    let run003 = list.lines().find(|l| l.contains("RUN003")).unwrap();
    assert!(run003.ends_with("(studio-classic only)"), "{run003}");
    let page = stdout(&run_cli(&repo(), &["rules", "KERN001"]));
    assert!(page.contains("Profiles: studio-classic, jupyterlab"), "{page}");
    let docs = json(&["rules", "--format", "json"]);
    let size = docs.as_array().unwrap().iter().find(|r| r["id"] == "SIZE001").unwrap();
    assert_eq!(size["profiles"], serde_json::json!(["studio-classic", "jupyterlab", "code-editor"]));
}
