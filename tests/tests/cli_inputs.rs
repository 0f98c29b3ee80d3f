//! The CLI on the three kinds of input together: real image archives in every layout, real
//! Dockerfiles and AppImageConfigs from the corpus, build arguments, stdin, several images in one
//! archive, the BuildKit dump, and unusable input.

use std::process::{Command, Stdio};

use serde_json::Value;
use smic_tests::*;

fn fixture(name: &str) -> String {
    data().join("archives/real").join(name).display().to_string()
}

fn example(name: &str, file: &str) -> String {
    corpus().join(name).join(file).display().to_string()
}

fn json(args: &[&str]) -> (Option<i32>, Value, String) {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--format", "json"]);
    let out = run_cli(&repo(), &all);
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), report, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// `(rule, severity)` of every finding, in report order.
fn findings(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_string(), f["severity"].as_str().unwrap().to_string()))
        .collect()
}

fn rules_at(report: &Value, severity: &str) -> Vec<String> {
    findings(report).into_iter().filter(|(_, s)| s == severity).map(|(r, _)| r).collect()
}

#[test]
fn the_tiny_real_image_gets_the_same_findings_from_every_layout() {
    let (code, reference, _) = json(&["check", &fixture("sagemaker-real-tiny.docker.tar")]);
    assert_eq!(code, Some(1));
    // Its ENTRYPOINT `jupyter-lab` makes it a JupyterLab image, started with Jupyter's defaults
    // (localhost, base URL /, a token); /opt/ml shipped, kernel.json runs `python`, which the image
    // lacks; no `jupyter` on PATH to read JupyterLab's version from; a link under the home mount.
    assert_eq!(rules_at(&reference, "error"), ["RUN016", "KERN003", "FS001"]);
    assert_eq!(rules_at(&reference, "warning"), ["RUN018", "HOME002"]);
    assert_eq!(reference["image"]["uid"], 1000);
    assert_eq!(reference["image"]["gid"], 100);
    assert_eq!(reference["image"]["user_name"], "sagemaker-user");
    assert_eq!(reference["image"]["layers"].as_array().unwrap().len(), 2);
    assert_eq!(reference["image"]["kernels"][0]["name"], "python3");
    for layout in [
        "sagemaker-real-tiny.docker.tar.gz",
        "sagemaker-real-tiny.oci.tar",
        "sagemaker-real-tiny.oci-zstd.tar",
        "sagemaker-real-tiny.containerd.tar",
        "sagemaker-real-tiny.containerd-multi.tar",
    ] {
        let (code, report, _) = json(&["check", &fixture(layout)]);
        assert_eq!(code, Some(1), "{layout}");
        assert_eq!(report["findings"], reference["findings"], "{layout}");
        for field in ["uid", "gid", "size_bytes", "file_count", "kernels"] {
            assert_eq!(report["image"][field], reference["image"][field], "{layout}: image.{field}");
        }
    }
}

#[test]
fn several_images_are_listed_and_image_ref_picks_one() {
    let multi = fixture("sagemaker-real-tiny.containerd-multi.tar");
    let (_, first, _) = json(&["check", &multi]);
    let image = &first["inputs"]["image"];
    assert_eq!(image["images_in_archive"].as_array().unwrap().len(), 2);
    assert_eq!(image["reference"], image["images_in_archive"][0]);
    let (_, chosen, _) = json(&["check", &multi, "--image-ref", "sagemaker-real-tiny:zstd"]);
    assert_eq!(chosen["inputs"]["image"]["reference"], "sagemaker-real-tiny:zstd");
    assert!(chosen["image"]["layers"].as_array().unwrap().iter().all(|l| l["compression"] == "zstd"));
    let out = run_cli(&repo(), &["check", &multi, "--image-ref", "no-such:tag"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no-such:tag") && err.contains("sagemaker-real-tiny:zstd"), "{err}");
}

#[test]
fn an_archive_on_standard_input_gives_the_same_report_as_the_file() {
    let path = fixture("sagemaker-real-tiny.docker.tar");
    let (_, from_file, _) = json(&["check", &path]);
    let out = Command::new(cli_path())
        .args(["check", "-", "--format", "json"])
        .stdin(std::fs::File::open(&path).unwrap())
        .stdout(Stdio::piped())
        .output()
        .unwrap();
    let from_stdin: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(from_stdin["findings"], from_file["findings"]);
    assert_eq!(from_stdin["inputs"]["image"]["name"], "-");
}

#[test]
fn image_dockerfile_and_config_together_point_at_each_input() {
    let dir = std::env::temp_dir().join(format!("smic-cli-inputs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("Dockerfile"), "FROM python:3.11\nEXPOSE 8888\nRUN useradd -m -u 1000 sagemaker-user\nUSER sagemaker-user\n")
        .unwrap();
    std::fs::write(
        dir.join("config.json"),
        r#"{"AppImageConfigName":"c","KernelGatewayImageConfig":{"KernelSpecs":[{"Name":"Python3"}]}}"#,
    )
    .unwrap();
    let (code, report, _) = json(&[
        "check",
        &fixture("sagemaker-real-tiny.docker.tar"),
        "--dockerfile",
        &dir.join("Dockerfile").display().to_string(),
        "--app-image-config",
        &dir.join("config.json").display().to_string(),
    ]);
    assert_eq!(code, Some(1));
    let kinds: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["locations"].as_array().unwrap())
        .map(|l| l["kind"].as_str().unwrap())
        .collect();
    for kind in ["dockerfile", "image-file", "app-image-config"] {
        assert!(kinds.contains(&kind), "no {kind} evidence in {kinds:?}");
    }
    // EXPOSE 8888, on its line with its text.
    let expose = report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "RUN003").expect("RUN003");
    let line = expose["locations"].as_array().unwrap().iter().find(|l| l["kind"] == "dockerfile").unwrap();
    assert_eq!(line["line"], 2);
    assert_eq!(line["text"], "EXPOSE 8888");
    // Capitals can never match a kernel directory.
    assert!(rules_at(&report, "error").contains(&"KERN005".to_string()), "{:?}", findings(&report));
}

#[test]
fn build_args_resolve_the_user_of_the_spec_sample() {
    let dir = std::env::temp_dir().join(format!("smic-cli-args-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("Dockerfile");
    std::fs::write(
        &file,
        "FROM python:3.11\nARG NB_UID\nRUN useradd -m -u ${NB_UID} -g 100 sagemaker-user && pip install ipykernel\nUSER ${NB_UID}\n",
    )
    .unwrap();
    let file = file.display().to_string();
    let (_, unknown, _) = json(&["check", "--dockerfile", &file]);
    assert!(!rules_at(&unknown, "error").contains(&"UID001".to_string()));
    let (_, root_like, _) = json(&["check", "--dockerfile", &file, "--build-arg", "NB_UID=1001"]);
    assert!(rules_at(&root_like, "error").contains(&"UID001".to_string()), "{:?}", findings(&root_like));
    let (code, good, _) = json(&["check", "--dockerfile", &file, "--build-arg", "NB_UID=1000"]);
    assert_eq!(code, Some(0), "{:?}", findings(&good));
    let bad = run_cli(&repo(), &["check", "--dockerfile", &file, "--build-arg", "=x"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn corpus_examples_get_their_verdicts_through_the_cli() {
    for (name, verdict) in [
        ("awsdocs-classic-al2-sample", "pass"),
        ("echo-kernel-image", "pass"),
        ("python-poetry-image", "pass"),
        ("conda-env-kernel-image--2021-08-original", "pass"),
        ("beakerx-image--unmerged-pr", "pass"),
        ("flowty-sagemaker-studio", "fail"),
    ] {
        let (code, report, _) = json(&[
            "check",
            "--dockerfile",
            &example(name, "Dockerfile"),
            "--app-image-config",
            &example(name, "app-image-config-input.json"),
        ]);
        assert_eq!(report["verdict"], verdict, "{name}: {:?}", findings(&report));
        assert_eq!(code, Some(if verdict == "pass" { 0 } else { 1 }), "{name}");
    }
}

#[test]
fn the_dockerfile_dump_is_buildkits_result_format() {
    let cases = data().join("conformance/buildkit/parser/testfiles");
    let mut compared = 0;
    for entry in std::fs::read_dir(&cases).unwrap() {
        let dir = entry.unwrap().path();
        let (input, result) = (dir.join("Dockerfile"), dir.join("result"));
        if !input.is_file() || !result.is_file() {
            continue;
        }
        let out = run_cli(&repo(), &["dockerfile", "--dump", &input.display().to_string()]);
        assert_eq!(out.status.code(), Some(0), "{}", dir.display());
        assert_eq!(stdout(&out), std::fs::read_to_string(&result).unwrap(), "{}", dir.display());
        compared += 1;
    }
    assert!(compared >= 30, "only {compared} BuildKit cases found");
}

#[test]
fn unusable_inputs_exit_two_naming_the_file_and_what_was_expected() {
    let dir = std::env::temp_dir().join(format!("smic-cli-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // A Dockerfile that is a binary file.
    std::fs::write(dir.join("Dockerfile"), b"\x7fELF\x02\x01\x01\x00\x00").unwrap();
    let out = run_cli(&dir, &["check", "--dockerfile", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Dockerfile") && err.contains("binary file"), "{err}");
    // A pre-1.10 docker save: named, with the command that fixes it; the Dockerfile is still checked.
    let (code, report, err) =
        json(&["check", &fixture("moby-emptyLayer.tar"), "--dockerfile", &example("echo-kernel-image", "Dockerfile")]);
    assert_eq!(code, Some(2));
    assert!(err.contains("moby-emptyLayer.tar") && err.contains("docker save"), "{err}");
    assert!(report["rules"].as_array().unwrap().iter().any(|r| r["status"] == "passed"), "the Dockerfile was not checked");
    assert_eq!(report["verdict"], "fail", "an unreadable image is never a pass");
    assert!(report["headline"].as_str().unwrap().contains("moby-emptyLayer.tar could not be read"), "{}", report["headline"]);
    // A truncated archive.
    let bytes = std::fs::read(fixture("sagemaker-real-tiny.docker.tar")).unwrap();
    std::fs::write(dir.join("cut.tar"), &bytes[..bytes.len() / 2]).unwrap();
    let out = run_cli(&dir, &["check", "cut.tar"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cut.tar"));
    // The archive given as the Dockerfile.
    let out = run_cli(&repo(), &["check", "--dockerfile", &fixture("trivy-alpine-310.tar.gz")]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_build_context_lets_a_dockerfile_only_check_read_its_start_script() {
    let dir = std::env::temp_dir().join(format!("smic-cli-context-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("app/scripts")).unwrap();
    let dockerfile = dir.join("app/Dockerfile");
    std::fs::write(
        &dockerfile,
        "FROM python:3.11\nCOPY scripts/start.sh /usr/local/bin/\nCOPY ../outside.sh /opt/\nENTRYPOINT [\"start.sh\"]\n",
    )
    .unwrap();
    std::fs::write(dir.join("app/scripts/start.sh"), "#!/bin/bash\nset -e\nexec jupyter lab --ip 0.0.0.0 --ServerApp.token=abc\n").unwrap();
    std::fs::write(dir.join("outside.sh"), "#!/bin/sh\n").unwrap();
    let file = dockerfile.display().to_string();
    let rules = |report: &Value| -> Vec<(String, String, String)> {
        let found = report["findings"].as_array().unwrap().iter();
        found
            .filter(|f| f["rule"].as_str().unwrap().starts_with("RUN01"))
            .map(|f| (f["rule"].as_str().unwrap().into(), f["severity"].as_str().unwrap().into(), f["message"].as_str().unwrap().into()))
            .collect()
    };
    // Without the context the script is unknown: a warning, not a claim that nothing starts.
    let (_, without, _) = json(&["check", "--profile", "jupyterlab", "--dockerfile", &file]);
    let found = rules(&without);
    assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("RUN015", "warning"), "{found:?}");
    // With it, the launch in the script is judged, its line named.
    let context = dir.join("app").display().to_string();
    let (_, with, _) = json(&["check", "--profile", "jupyterlab", "--dockerfile", &file, "--context", &context]);
    let found = rules(&with);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("RUN016", "error"));
    assert!(
        found[0].2.contains("ServerApp.token is \"abc\" (`--ServerApp.token=abc`, scripts/start.sh line 3, COPYed on Dockerfile line 2)"),
        "{}",
        found[0].2
    );
    let out = run_cli(&repo(), &["check", "--dockerfile", &file, "--context", &dir.join("missing").display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot open the build context"), "{out:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}
