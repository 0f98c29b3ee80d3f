//! SARIF output validated by Microsoft's SARIF Multitool, with the SARIF schema rules and the
//! GitHub code-scanning rules (`--rule-kind "Sarif;Gh"`): what code scanning would reject, this
//! test rejects.

use std::process::Command;

use smic_tests::*;

fn validate(sarif_path: &std::path::Path) -> Vec<String> {
    let Some(tool) = external::oracle("SMIC_SARIF_MULTITOOL", "the SARIF Multitool (npm @microsoft/sarif-multitool)") else {
        return vec![];
    };
    let out = sarif_path.with_extension("validation.sarif");
    let _ = std::fs::remove_file(&out);
    let status = Command::new(tool)
        .arg("validate")
        .arg(sarif_path)
        .args(["--rule-kind", "Sarif;Gh", "--output"])
        .arg(&out)
        .status()
        .expect("run the SARIF Multitool");
    assert!(status.success(), "SARIF Multitool failed to run");
    let log: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).expect("validation output")).unwrap();
    log["runs"][0]["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["level"] == "error")
        .map(|r| format!("{}: {}", r["ruleId"], r["message"]))
        .collect()
}

#[test]
fn sarif_for_config_findings_passes_schema_and_github_rules() {
    let dir = std::env::temp_dir().join(format!("smic-sarif-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = corpus().join("flowty-sagemaker-studio/app-image-config-input.json");
    std::fs::copy(&config, dir.join("app-image-config-input.json")).unwrap();
    let sarif = dir.join("report.sarif");
    let out = run_cli(&dir, &["check", "--app-image-config", "app-image-config-input.json", "--format", "sarif", "-o", "report.sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let errors = validate(&sarif);
    assert!(errors.is_empty(), "SARIF Multitool errors: {errors:#?}");
}

/// Findings with patches carry SARIF `fixes` (whole-line `replacements`); code scanning and the
/// schema accept them.
#[test]
fn sarif_with_fixes_passes_schema_and_github_rules() {
    let dir = std::env::temp_dir().join(format!("smic-sarif-fixes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("Dockerfile"),
        "FROM python:3.11\nEXPOSE 8888\nRUN useradd -m -u 1000 sagemaker-user\nRUN pip install ipykernel && python -m ipykernel install --user\nUSER sagemaker-user\n",
    )
    .unwrap();
    let out = run_cli(&dir, &["check", "--dockerfile", "Dockerfile", "--format", "sarif", "-o", "report.sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let sarif: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("report.sarif")).unwrap()).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let uid = results.iter().find(|r| r["ruleId"] == "UID001").expect("UID001");
    let change = &uid["fixes"][0]["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "Dockerfile");
    assert_eq!(change["replacements"][0]["deletedRegion"], serde_json::json!({"startLine": 5, "endLine": 5}));
    assert_eq!(change["replacements"][0]["insertedContent"]["text"], "RUN usermod -u 1000 -g 100 sagemaker-user\nUSER sagemaker-user");
    assert!(results.iter().filter(|r| r["fixes"].is_array()).count() >= 3);
    let errors = validate(&dir.join("report.sarif"));
    assert!(errors.is_empty(), "SARIF Multitool errors: {errors:#?}");
}
