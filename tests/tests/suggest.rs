//! The suggested AppImageConfig (`sm-image-check suggest-config`): from each sample Dockerfile of
//! the corpus that comes with an AppImageConfig, from each real archive (the kernels and the
//! user the image panel reports), and the command's exit statuses.

use std::path::Path;

use serde_json::Value;
use smic_engine::{ImageRead, NamedBytes, Request, SeekableSource};
use smic_rules::suggest::{Suggestion, MAX_KERNEL_SPECS};
use smic_rules::{Profile, ProfileChoice, Report};
use smic_tests::*;

fn classic() -> smic_rules::Options {
    smic_rules::Options { profile: ProfileChoice::Fixed(Profile::StudioClassic), ..Default::default() }
}

/// The suggestion for one sample's Dockerfile (named `<sample>/Dockerfile`), with or without
/// its AppImageConfig.
fn from_sample(sample: &str, with_config: bool) -> (Report, Suggestion) {
    let dir = corpus().join(sample);
    let dockerfile = std::fs::read(dir.join("Dockerfile")).unwrap();
    let config = std::fs::read(dir.join("app-image-config-input.json")).unwrap();
    let (dockerfile_name, config_name) = (format!("{sample}/Dockerfile"), format!("{sample}/app-image-config-input.json"));
    let request = Request {
        dockerfile: Some(NamedBytes { name: &dockerfile_name, bytes: &dockerfile }),
        app_image_config: with_config.then_some(NamedBytes { name: &config_name, bytes: &config }),
        options: classic(),
        ..Default::default()
    };
    smic_engine::suggest(&request, None)
}

fn kernel_names(s: &Suggestion) -> Vec<String> {
    s.config.kernel_gateway_image_config.as_ref().unwrap().kernel_specs.iter().map(|k| k.name.clone()).collect()
}

fn ids(s: &Suggestion) -> (u64, u64) {
    let fs = &s.config.kernel_gateway_image_config.as_ref().unwrap().file_system_config;
    (fs.default_uid, fs.default_gid)
}

/// Samples with an AppImageConfig: the kernels and user their Dockerfile alone gives.
const SAMPLES: &[(&str, &[&str], (u64, u64))] = &[
    ("awsdocs-classic-al2-sample", &["python3"], (1000, 100)),
    ("beakerx-image--unmerged-pr", &["groovy", "java", "scala", "sql", "clojure"], (1000, 100)),
    ("conda-efs-image--unmerged-pr", &["python3"], (1000, 100)),
    // `conda env create -f environment.yml`: the name is in the file; Studio's default is listed.
    ("conda-env-kernel-image--2021-08-original", &["python3"], (1000, 100)),
    ("conda-env-kernel-image", &["python3"], (1000, 100)),
    ("echo-kernel-image", &["python3", "echo"], (1000, 100)),
    ("flowty-sagemaker-studio", &["python3"], (1000, 100)),
    ("javascript-tf-image--unmerged-pr", &["python3", "tslab", "jslab"], (1000, 100)),
    // The kernels come from the base image jupyter/datascience-notebook: only the archive knows.
    ("jupyter-docker-stacks-julia-image", &["python3"], (1000, 100)),
    ("python-poetry-image", &["python3"], (1000, 100)),
    ("r-image", &["ir"], (1000, 100)),
    ("rapids-image", &["python3"], (1000, 100)),
    ("scala-image", &["python3"], (1000, 100)),
    ("tf23-image", &["python3"], (1000, 100)),
];

#[test]
fn every_sample_with_an_app_image_config_is_covered() {
    let mut with_config: Vec<String> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("app-image-config-input.json").is_file())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    with_config.sort();
    let mut listed: Vec<String> = SAMPLES.iter().map(|(s, _, _)| s.to_string()).collect();
    listed.sort();
    assert_eq!(with_config, listed);
}

#[test]
fn each_sample_dockerfile_gives_the_kernels_it_installs_and_its_user() {
    let mut shown = String::new();
    for (sample, kernels, pair) in SAMPLES {
        let (_, s) = from_sample(sample, false);
        assert_eq!(kernel_names(&s), *kernels, "{sample}: {:#?}", s.notes);
        assert_eq!(ids(&s), *pair, "{sample}");
        shown.push_str(&format!("=== {sample}\n{}{}\n", s.to_json(), s.notes_text()));
    }
    insta::assert_snapshot!(shown);
}

#[test]
fn with_its_app_image_config_each_sample_keeps_its_kernel_first_name_and_pair() {
    for (sample, _, _) in SAMPLES {
        let config: Value =
            serde_json::from_slice(&std::fs::read(corpus().join(sample).join("app-image-config-input.json")).unwrap()).unwrap();
        let (_, s) = from_sample(sample, true);
        let given = &config["KernelGatewayImageConfig"];
        let first = given["KernelSpecs"][0]["Name"].as_str().unwrap();
        assert_eq!(kernel_names(&s)[0], first, "{sample}: {:#?}", s.notes);
        // A kernel the Dockerfile may make keeps the display name the user gave it.
        let display = s.config.kernel_gateway_image_config.as_ref().unwrap().kernel_specs[0].display_name.as_deref();
        assert_eq!(display, given["KernelSpecs"][0]["DisplayName"].as_str().or(display), "{sample}: {:#?}", s.notes);
        let pair = (given["FileSystemConfig"]["DefaultUid"].as_u64().unwrap(), given["FileSystemConfig"]["DefaultGid"].as_u64().unwrap());
        assert_eq!(ids(&s), pair, "{sample}");
        let name = config["AppImageConfigName"].as_str().unwrap();
        let expected = if name == "<AppImageConfig-Name>" { "AppImageConfig-Name" } else { name };
        assert_eq!(s.config.app_image_config_name, expected, "{sample}");
    }
}

fn read_archive(path: &Path) -> ImageRead {
    let mut source = SeekableSource::new(std::fs::File::open(path).unwrap()).unwrap();
    smic_engine::read_image(&path.display().to_string(), &mut source, None, &mut |_| smic_engine::Control::Continue)
}

#[test]
fn each_real_archive_gets_exactly_the_kernels_and_user_its_image_panel_reports() {
    let mut checked = 0;
    for (name, path) in real_archive_files() {
        let image = read_archive(&path);
        let (report, s) = smic_engine::suggest(&Request { image: Some(&image), options: classic(), ..Default::default() }, None);
        let Some(panel) = &report.image else {
            continue; // an archive the reader refuses: nothing to suggest from
        };
        checked += 1;
        let found: Vec<String> =
            panel.kernels.iter().filter(|k| !k.hidden_by_mount).map(|k| k.name.clone()).take(MAX_KERNEL_SPECS).collect();
        let expected = if found.is_empty() { vec![String::from("python3")] } else { found };
        assert_eq!(kernel_names(&s), expected, "{name}");
        for (spec, kernel) in s.config.kernel_gateway_image_config.as_ref().unwrap().kernel_specs.iter().zip(&panel.kernels) {
            assert_eq!(spec.display_name, kernel.display_name, "{name}");
        }
        let supported = matches!((panel.uid, panel.gid), (Some(1000), Some(100)) | (Some(0), Some(0)));
        if supported {
            assert_eq!(Some(ids(&s)), panel.uid.zip(panel.gid), "{name}");
        }
        let user_note = s.notes.iter().find(|n| n.field.ends_with("/DefaultUid")).unwrap();
        assert_eq!(user_note.text.contains("a pair Studio supports"), supported, "{name}: {}", user_note.text);
    }
    assert!(checked >= 10, "only {checked} archives were read");
}

#[test]
fn the_tiny_sagemaker_image_gets_its_python3_kernel_and_sagemaker_user() {
    let (_, path) = real_archive_files().into_iter().find(|(n, _)| n == "sagemaker-real-tiny.docker.tar").unwrap();
    let out = run_cli(&repo(), &["suggest-config", &path.display().to_string(), "--profile", "studio-classic"]);
    assert_eq!(out.status.code(), Some(0));
    let config: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        config,
        serde_json::json!({
            "AppImageConfigName": "sagemaker-real-tiny-config",
            "KernelGatewayImageConfig": {
                "KernelSpecs": [{"Name": "python3", "DisplayName": "Python 3"}],
                "FileSystemConfig": {"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100}
            }
        })
    );
    let notes = String::from_utf8_lossy(&out.stderr);
    assert!(notes.contains("The image's user \"1000:100\" (sagemaker-user) runs as 1000/100"), "{notes}");
    // `--format text` puts the same JSON and the notes on standard output.
    let text =
        run_cli(&repo(), &["suggest-config", "--image", &path.display().to_string(), "--profile", "studio-classic", "--format", "text"]);
    assert!(stdout(&text).starts_with(&stdout(&out)), "{}", stdout(&text));
    assert!(stdout(&text).contains("/KernelGatewayImageConfig/KernelSpecs/0/Name: listed first"));
}

#[test]
fn suggest_config_exits_two_when_an_input_cannot_be_read() {
    let out = run_cli(&repo(), &["suggest-config", "--app-image-config", "does-not-exist.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does-not-exist.json: cannot read"));
    assert!(out.stdout.is_empty());
    let out = run_cli(&repo(), &["suggest-config"]);
    assert_eq!(out.status.code(), Some(2));
    let dir = std::env::temp_dir().join(format!("smic-suggest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("broken.json"), "{\n  \"AppImageConfigName\": \"x\",\n}\n").unwrap();
    let out = run_cli(&dir, &["suggest-config", "--app-image-config", "broken.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.json (line 3, column 1)"));
    std::fs::write(dir.join("cut.tar"), b"not an archive at all").unwrap();
    let out = run_cli(&dir, &["suggest-config", "cut.tar"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
}

#[test]
fn suggest_config_exits_zero_with_a_config_the_check_fails() {
    let config = corpus().join("flowty-sagemaker-studio/app-image-config-input.json");
    let out = run_cli(&repo(), &["suggest-config", "--app-image-config", &config.display().to_string()]);
    assert_eq!(out.status.code(), Some(0));
    let suggested: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(suggested["AppImageConfigName"], "AppImageConfig-Name");
}

#[test]
fn with_a_given_config_the_text_format_lists_the_fields_that_differ() {
    let dir = corpus().join("beakerx-image--unmerged-pr");
    let (config, dockerfile) = (dir.join("app-image-config-input.json"), dir.join("Dockerfile"));
    let args = ["suggest-config", "--app-image-config", config.to_str().unwrap(), "--dockerfile", dockerfile.to_str().unwrap()];
    let out = run_cli(&repo(), &[&args[..], &["--format", "text"]].concat());
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let changes = text.split("Changes from the given AppImageConfig:\n").nth(1).expect("a list of changes");
    assert_eq!(
        changes.lines().collect::<Vec<_>>(),
        [
            "  /KernelGatewayImageConfig/KernelSpecs/1/Name: (absent) -> \"groovy\"",
            "  /KernelGatewayImageConfig/KernelSpecs/2/Name: (absent) -> \"scala\"",
            "  /KernelGatewayImageConfig/KernelSpecs/3/Name: (absent) -> \"sql\"",
            "  /KernelGatewayImageConfig/KernelSpecs/4/Name: (absent) -> \"clojure\"",
        ]
    );
    // The JSON output carries no changes: they go with the notes to standard error.
    let out = run_cli(&repo(), &args);
    assert!(!stdout(&out).contains("Changes"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Changes from the given AppImageConfig:"));
}

#[test]
fn the_new_apps_samples_start_their_server_themselves_so_need_no_container_config() {
    for (sample, block) in [
        ("awsdocs-jupyterlab-al2023-sample", "JupyterLabAppImageConfig"),
        ("awsdocs-codeeditor-micromamba-sample", "CodeEditorAppImageConfig"),
        ("awsdocs-codeeditor-smd-sample", "CodeEditorAppImageConfig"),
    ] {
        let dockerfile = std::fs::read(corpus().join(sample).join("Dockerfile")).unwrap();
        let request = Request { dockerfile: Some(NamedBytes { name: "Dockerfile", bytes: &dockerfile }), ..Default::default() };
        let (_, s) = smic_engine::suggest(&request, None);
        let json: Value = serde_json::from_str(&s.to_json()).unwrap();
        assert_eq!(json, serde_json::json!({"AppImageConfigName": "custom-image-config", block: {}}), "{sample}");
        let why = s.notes.iter().find(|n| n.field.ends_with("/ContainerConfig")).unwrap();
        assert!(why.text.starts_with("none needed: the image's own start command"), "{sample}: {}", why.text);
    }
}
