//! The error look-up through the CLI: every error message quoted in the research notes maps to
//! a rule (`tests/data/pains-messages.txt`), the ranking, what the inputs say about each
//! candidate, and the exit statuses.

use smic_tests::*;

fn explain(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut all = vec!["explain"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = run_cli(dir, &all);
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code(), json)
}

fn rules(answer: &serde_json::Value) -> Vec<String> {
    answer["candidates"].as_array().unwrap().iter().map(|c| c["rule"].as_str().unwrap().to_string()).collect()
}

#[test]
fn every_error_message_quoted_in_the_research_maps_to_a_rule() {
    let text = std::fs::read_to_string(data().join("pains-messages.txt")).unwrap();
    let mut checked = 0;
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let (ids, message) = line.split_once(" | ").unwrap();
        let (status, answer) = explain(&repo(), &[message]);
        if ids == "-" {
            assert_eq!(status, Some(0), "{message:?} is account-side, yet: {answer}");
            assert!(rules(&answer).is_empty(), "{message:?}: no rule can see an account-side error: {answer}");
            assert!(answer["account"]["meaning"].as_str().is_some_and(|m| !m.is_empty()), "{message:?}: what it means: {answer}");
        } else {
            assert_eq!(status, Some(0), "{message:?} matched nothing");
            let found = rules(&answer);
            assert!(ids.split(',').any(|id| found.contains(&id.to_string())), "{message:?}: expected one of {ids}, got {found:?}");
        }
        checked += 1;
    }
    assert!(checked >= 19, "only {checked} messages");
}

#[test]
fn the_exact_message_ranks_its_rule_first_and_reads_the_kernel_name() {
    let (_, answer) = explain(
        &repo(),
        &["Kernel with name [conda-test] does not exist in image [arn:aws:sagemaker:us-west-2:1:image/x] on the KernelGateway App [y]"],
    );
    let first = &answer["candidates"][0];
    assert_eq!(first["rule"], "KERN004");
    assert_eq!(first["strength"], "exact");
    assert_eq!(first["captures"][0], serde_json::json!(["kernel", "conda-test"]));
    assert_eq!(first["stage"], "kernel-discovery");
    assert!(first.get("inputs").is_none(), "no inputs, no status");
}

#[test]
fn with_inputs_each_candidate_says_whether_the_rule_fired_passed_or_was_not_checked() {
    let dir = std::env::temp_dir().join(format!("smic-explain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.json"), r#"{"AppImageConfigName": "c", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "MyEnv"}], "FileSystemConfig": {"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100}}}"#).unwrap();
    std::fs::write(dir.join("Dockerfile"), "FROM --platform=linux/amd64 python:3.11\nRUN pip install ipykernel\n").unwrap();
    let (status, answer) =
        explain(&dir, &["Kernel with name [MyEnv] does not exist", "--app-image-config", "config.json", "--dockerfile", "Dockerfile"]);
    assert_eq!(status, Some(0));
    let candidate = |id: &str| answer["candidates"].as_array().unwrap().iter().find(|c| c["rule"] == id).cloned().unwrap();
    let kern005 = candidate("KERN005");
    assert_eq!(kern005["inputs"]["status"], "failed", "{kern005}");
    assert!(kern005["inputs"]["findings"][0].as_str().unwrap().contains("MyEnv"), "{kern005}");
    assert_eq!(candidate("KERN008")["inputs"]["status"], "not-checked");
    assert_eq!(candidate("KERN008")["inputs"]["reason"], "needs image archive");

    let text = stdout(&run_cli(&dir, &["explain", "Kernel with name [MyEnv] does not exist", "--app-image-config", "config.json"]));
    assert!(text.contains("KERN005 kernel-spec-name-never-matches") && text.contains("your inputs show it:"), "{text}");
}

#[test]
fn nothing_matched_exits_one_and_an_unreadable_input_two() {
    let out = run_cli(&repo(), &["explain", "The coffee machine is broken"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("No rule explains"), "{}", stdout(&out));
    let out = run_cli(&repo(), &["explain", "The ID or Name specified is already in use"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("an error of the account, not of the image"), "{}", stdout(&out));
    let out = run_cli(&repo(), &["explain", "exec format error", "--app-image-config", "does-not-exist.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does-not-exist.json: cannot read"));
}
