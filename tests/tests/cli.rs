//! The CLI end to end: formats, exit statuses, and messages for unusable input.

use smic_tests::*;

fn corpus_config(example: &str) -> String {
    corpus().join(example).join("app-image-config-input.json").display().to_string()
}

#[test]
fn a_valid_app_image_config_exits_zero() {
    let out = run_cli(&repo(), &["check", "--app-image-config", &corpus_config("awsdocs-classic-al2-sample")]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("No errors in what was checked"));
}

#[test]
fn a_placeholder_config_name_exits_one_with_the_rule() {
    let out = run_cli(&repo(), &["check", "--app-image-config", &corpus_config("flowty-sagemaker-studio"), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["verdict"], "fail");
    assert_eq!(report["findings"][0]["rule"], "RUN008");
    assert_eq!(report["findings"][0]["locations"][0]["pointer"], "/AppImageConfigName");
}

#[test]
fn fail_on_info_turns_the_log_note_into_a_failure() {
    let out = run_cli(&repo(), &["check", "--app-image-config", &corpus_config("awsdocs-classic-al2-sample"), "--fail-on", "info"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn invalid_json_exits_two_naming_file_and_position() {
    let dir = std::env::temp_dir().join(format!("smic-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("broken.json"), "{\n  \"AppImageConfigName\": \"x\",\n}\n").unwrap();
    let out = run_cli(&dir, &["check", "--app-image-config", "broken.json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken.json (line 3, column 1)"), "{err}");
    assert!(err.contains("not valid JSON"), "{err}");
}

#[test]
fn a_missing_file_exits_two() {
    let out = run_cli(&repo(), &["check", "--app-image-config", "does-not-exist.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does-not-exist.json: cannot read"));
}

#[test]
fn sarif_output_is_sarif_2_1_0_with_every_rule() {
    let out = run_cli(&repo(), &["check", "--app-image-config", &corpus_config("flowty-sagemaker-studio"), "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), smic_rules::catalog::RULES.len());
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "RUN008");
    assert_eq!(result["level"], "error");
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(run["tool"]["driver"]["rules"][index]["id"], "RUN008");
    assert!(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
        .ends_with("app-image-config-input.json"));
}

#[test]
fn the_rule_catalog_lists_every_rule_in_text_and_json() {
    let text = stdout(&run_cli(&repo(), &["rules"]));
    let json: serde_json::Value = serde_json::from_slice(&run_cli(&repo(), &["rules", "--format", "json"]).stdout).unwrap();
    for rule in smic_rules::catalog::RULES {
        assert!(text.contains(rule.id) && text.contains(rule.name), "{} missing from text", rule.id);
    }
    assert_eq!(json.as_array().unwrap().len(), smic_rules::catalog::RULES.len());
    assert!(json[0]["spec"].as_str().unwrap().len() > 20);
    for rule in json.as_array().unwrap() {
        let kinds: Vec<&str> = rule["examples"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert!(kinds.contains(&"bad") && kinds.contains(&"good"), "{}: examples {kinds:?}", rule["id"]);
    }
}

#[test]
fn a_rule_page_shows_its_bad_and_good_examples() {
    let page = stdout(&run_cli(&repo(), &["rules", "kernel-spec-name-not-found"]));
    assert!(page.starts_with("KERN004 kernel-spec-name-not-found"), "{page}");
    assert!(page.contains("\nBad:\n") && page.contains("\nGood:\n"), "{page}");
    assert!(page.contains("\"Name\": \"myenv\"") && page.contains("conda-env-myenv-py"), "{page}");
    assert_eq!(run_cli(&repo(), &["rules", "NOPE001"]).status.code(), Some(2));
}

#[test]
fn nothing_to_check_is_a_usage_error() {
    assert_eq!(run_cli(&repo(), &["check"]).status.code(), Some(2));
}

/// `--jobs` changes how many threads read the layers, never the report.
#[test]
fn the_report_is_the_same_with_one_job_or_four_on_every_real_archive() {
    let mut checked = 0;
    for (name, path) in real_archive_files() {
        let file = path.display().to_string();
        let one = run_cli(&repo(), &["check", &file, "--format", "json", "--jobs", "1"]);
        let four = run_cli(&repo(), &["check", &file, "--format", "json", "--jobs", "4"]);
        assert_eq!(stdout(&four), stdout(&one), "{name}");
        assert_eq!(four.status.code(), one.status.code(), "{name}");
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} archives found");
}

#[test]
fn zero_jobs_is_refused() {
    let out = run_cli(&repo(), &["check", "--app-image-config", &corpus_config("awsdocs-classic-al2-sample"), "--jobs", "0"]);
    assert_eq!(out.status.code(), Some(2));
}

/// `--format patch` prints one diff of the Dockerfile that `git apply -p0` and `patch -p0`
/// accept; after applying it, the patched findings are gone and there is nothing left to print.
#[test]
fn the_patch_format_prints_a_diff_that_git_apply_and_patch_accept() {
    let dockerfile = "FROM python:3.11\nEXPOSE 8888\nRUN useradd -m -u 1000 sagemaker-user\nCOPY nb/ /home/sagemaker-user/nb/\n\
RUN pip install ipykernel && python -m ipykernel install --user\nUSER sagemaker-user\n";
    for tool in [&["git", "apply", "-p0", "fix.diff"][..], &["patch", "-p0", "-i", "fix.diff"][..]] {
        let dir = std::env::temp_dir().join(format!("smic-patch-{}-{}", tool[0], std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("Dockerfile"), dockerfile).unwrap();
        let out = run_cli(&dir, &["check", "--dockerfile", "Dockerfile", "--format", "patch"]);
        assert_eq!(out.status.code(), Some(1), "UID001 is an error");
        let diff = stdout(&out);
        assert!(diff.starts_with("--- Dockerfile\n+++ Dockerfile\n@@ "), "{diff}");
        std::fs::write(dir.join("fix.diff"), &diff).unwrap();
        let applied = std::process::Command::new(tool[0]).args(&tool[1..]).current_dir(&dir).output().expect("run the patch tool");
        assert!(applied.status.success(), "{} failed: {}", tool[0], String::from_utf8_lossy(&applied.stderr));
        let fixed = std::fs::read_to_string(dir.join("Dockerfile")).unwrap();
        assert!(fixed.contains("RUN usermod -u 1000 -g 100 sagemaker-user\nUSER sagemaker-user\n"), "{fixed}");
        let again = run_cli(&dir, &["check", "--dockerfile", "Dockerfile", "--format", "patch"]);
        assert_eq!((again.status.code(), stdout(&again)), (Some(0), String::new()), "{fixed}");
    }
}
