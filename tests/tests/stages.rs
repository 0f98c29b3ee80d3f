//! "Will it start?" by launch stage through the CLI: the JSON `stages`, the headline naming the
//! first failing stage, the later stages "not reached", every output showing them, and the
//! stages depending on the profile.

use smic_tests::*;

const NO_KERNEL_OF_THAT_NAME: &str = "FROM --platform=linux/amd64 python:3.11\nRUN pip install ipykernel && python -m ipykernel install --name mykernel\nRUN useradd -u 1000 -g 100 -m sagemaker-user\nUSER 1000:100\n";
const CONFIG: &str = r#"{"AppImageConfigName": "custom", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "myenv"}], "FileSystemConfig": {"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100}}}"#;

fn inputs(name: &str, dockerfile: &str, config: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("smic-stages-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("Dockerfile"), dockerfile).unwrap();
    std::fs::write(dir.join("config.json"), config).unwrap();
    dir
}

fn stages(report: &serde_json::Value) -> Vec<(String, String)> {
    report["stages"].as_array().unwrap().iter().map(|s| (s["id"].as_str().unwrap().into(), s["verdict"].as_str().unwrap().into())).collect()
}

#[test]
fn a_kernel_name_studio_cannot_find_fails_at_kernel_discovery_and_kernel_start_is_not_reached() {
    let dir = inputs("kern", NO_KERNEL_OF_THAT_NAME, CONFIG);
    let out = run_cli(&dir, &["check", "--dockerfile", "Dockerfile", "--app-image-config", "config.json", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let headline = report["headline"].as_str().unwrap();
    assert!(
        headline.starts_with("Studio Classic will not start an image built from this Dockerfile: it fails at kernel discovery (KERN004"),
        "{headline}"
    );
    let found = stages(&report);
    let ids: Vec<&str> = found.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["register", "image-pull", "container-start", "server-start", "kernel-discovery", "kernel-start"]);
    assert_eq!(found[4].1, "fail");
    assert_eq!(found[5].1, "not-reached");
    assert!(found[..4].iter().all(|(_, v)| v != "fail" && v != "not-reached"), "{found:?}");
    let discovery = &report["stages"][4];
    assert_eq!(discovery["label"], "kernel discovery");
    assert!(discovery["rules"].as_array().unwrap().iter().any(|r| r == "KERN004"), "{discovery}");

    let human = stdout(&run_cli(&dir, &["check", "--dockerfile", "Dockerfile", "--app-image-config", "config.json", "--color", "never"]));
    assert!(human.contains("✗ kernel discovery"), "{human}");
    assert!(human.lines().any(|l| l.trim_start().starts_with("· kernel start") && l.ends_with("not reached")), "{human}");
    let markdown =
        stdout(&run_cli(&dir, &["check", "--dockerfile", "Dockerfile", "--app-image-config", "config.json", "--format", "markdown"]));
    assert!(markdown.contains("❌ kernel discovery → ⏹️ not reached: kernel start"), "{markdown}");
    let sarif: serde_json::Value = serde_json::from_slice(
        &run_cli(&dir, &["check", "--dockerfile", "Dockerfile", "--app-image-config", "config.json", "--format", "sarif"]).stdout,
    )
    .unwrap();
    assert_eq!(sarif["runs"][0]["properties"]["stages"], report["stages"]);
}

#[test]
fn code_editor_goes_through_no_kernel_stages_and_names_its_server() {
    let dir = inputs("ce", NO_KERNEL_OF_THAT_NAME, CONFIG);
    let out = run_cli(&dir, &["check", "--dockerfile", "Dockerfile", "--profile", "code-editor", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<String> = stages(&report).into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids, ["register", "image-pull", "container-start", "server-start"]);
    assert_eq!(report["stages"][3]["label"], "Code Editor server start");
    let classic = run_cli(&dir, &["check", "--dockerfile", "Dockerfile", "--profile", "studio-classic", "--format", "json"]);
    let classic: serde_json::Value = serde_json::from_slice(&classic.stdout).unwrap();
    assert_eq!(classic["stages"][3]["label"], "KernelGateway start");
}

#[test]
fn a_stage_without_its_inputs_is_not_checked() {
    let dir = inputs("nc", NO_KERNEL_OF_THAT_NAME, CONFIG);
    let out = run_cli(&dir, &["check", "--app-image-config", "config.json", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = stages(&report);
    assert_eq!(found[0], ("register".into(), "pass".into()));
    assert_eq!(found[5], ("kernel-start".into(), "not-checked".into()), "{found:?}");
}

#[test]
fn the_rule_catalog_states_each_rules_stage() {
    let rules: serde_json::Value = serde_json::from_slice(&run_cli(&repo(), &["rules", "--format", "json"]).stdout).unwrap();
    let kern004 = rules.as_array().unwrap().iter().find(|r| r["id"] == "KERN004").unwrap();
    assert_eq!(kern004["stage"], "kernel-discovery");
    let log001 = rules.as_array().unwrap().iter().find(|r| r["id"] == "LOG001").unwrap();
    assert_eq!(log001["stage"], "none");
    let page = stdout(&run_cli(&repo(), &["rules", "RUN005"]));
    assert!(page.contains("Launch stage: image pull (the platform"), "{page}");
    assert!(page.contains("exec {path}: exec format error (seen in CloudWatch)"), "{page}");
    let table = stdout(&run_cli(&repo(), &["rules", "--format", "markdown"]));
    assert!(table.contains("| `RUN005` | architecture-not-amd64 | Running the image | error | image-pull |"), "{table}");
}
