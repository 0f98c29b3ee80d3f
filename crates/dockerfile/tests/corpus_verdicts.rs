//! Every example of `tests/data/corpus/sagemaker-samples/` checked from its Dockerfile (and its
//! AppImageConfig when it has one) through the rule core, against the verdict of its README
//! table: known-good examples get no error.

use std::fs;
use std::path::PathBuf;

use smic_dockerfile::{read, ReadOptions};
use smic_rules::facts::Facts;
use smic_rules::{check, Location, Options, Profile, ProfileChoice, Report, Severity};

fn corpus() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/corpus/sagemaker-samples"))
}

fn report(example: &str) -> Report {
    report_as(example, ProfileChoice::Auto)
}

fn report_as(example: &str, profile: ProfileChoice) -> Report {
    let dir = corpus().join(example);
    let bytes = fs::read(dir.join("Dockerfile")).unwrap();
    let reading = read("Dockerfile", &bytes, &ReadOptions::default()).unwrap();
    let mut errors = reading.errors;
    let mut facts = Facts { dockerfile: Some(reading.facts), ..Facts::default() };
    let config = dir.join("app-image-config-input.json");
    if config.is_file() {
        match smic_rules::app_image_config::parse("app-image-config-input.json", &fs::read(config).unwrap()) {
            Ok(c) => facts.app_image_config = Some(c),
            Err(e) => errors.push(e),
        }
    }
    check(&facts, errors, &Options { profile, ..Options::default() })
}

fn describe(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let lines: Vec<u32> =
            f.locations.iter().filter_map(|l| if let Location::Dockerfile { line, .. } = l { Some(*line) } else { None }).collect();
        out.push_str(&format!("  {:?} {} {} lines {:?}: {}\n", f.severity, f.rule, f.name, lines, f.message));
    }
    out
}

fn errors(report: &Report) -> Vec<(&str, Vec<u32>)> {
    report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| {
            (
                f.rule.as_ref(),
                f.locations.iter().filter_map(|l| if let Location::Dockerfile { line, .. } = l { Some(*line) } else { None }).collect(),
            )
        })
        .collect()
}

/// Known-good Studio Classic (KernelGateway) examples of the README table: no error.
const KNOWN_GOOD: &[&str] = &[
    "awsdocs-classic-al2-sample",
    "conda-efs-image--unmerged-pr",
    "conda-env-kernel-image",
    "conda-env-kernel-image--2021-08-original",
    "echo-kernel-image",
    "javascript-tf-image--unmerged-pr",
    "jupyter-docker-stacks-julia-image",
    "python-poetry-image",
    "r-image",
    "rapids-image",
    "scala-image",
    "tf23-image",
    "smd-template-v1",
    "awsdocs-codeeditor-smd-sample",
];

#[test]
fn known_good_examples_get_no_error() {
    let mut wrong = Vec::new();
    for name in KNOWN_GOOD {
        let r = report(name);
        if !errors(&r).is_empty() {
            wrong.push(format!("{name}:\n{}", describe(&r)));
        }
        assert!(r.input_errors.is_empty(), "{name}: {:?}", r.input_errors);
    }
    assert!(wrong.is_empty(), "errors on known-good examples:\n{}", wrong.join("\n"));
}

#[test]
fn flowty_placeholder_config_name_is_the_only_error() {
    // README: "AppImageConfigName is a placeholder `<AppImageConfig-Name>` … a checker should report it".
    let r = report("flowty-sagemaker-studio");
    assert_eq!(errors(&r), vec![("RUN008", vec![])], "{}", describe(&r));
}

#[test]
fn new_studio_samples_pass_their_own_profile_under_auto_and_when_named() {
    // README: "Should pass the JL profile" / "Should pass the CE profile"; the micromamba Code
    // Editor sample is "warn, not fail". `auto` finds the app in each start command.
    for (name, profile) in [
        ("awsdocs-jupyterlab-al2023-sample", Profile::JupyterLab),
        ("awsdocs-codeeditor-micromamba-sample", Profile::CodeEditor),
        ("awsdocs-codeeditor-smd-sample", Profile::CodeEditor),
    ] {
        for choice in [ProfileChoice::Auto, ProfileChoice::Fixed(profile)] {
            let r = report_as(name, choice);
            assert_eq!(r.profile.id, profile, "{name} {choice:?}: {}", r.profile.reason);
            assert!(errors(&r).is_empty(), "{name} {choice:?}:\n{}", describe(&r));
        }
    }
    assert_eq!(report("awsdocs-jupyterlab-al2023-sample").profile.reason, "from the start command `jupyter lab …` (Dockerfile line 28)");
}

#[test]
fn micromamba_code_editor_sample_warns_about_user_1000_without_a_passwd_entry() {
    // README: "Declares NB_USER/NB_UID/NB_GID but never creates the user … no passwd entry for 1000
    // exists … A strict checker would warn; … treat as 'warn, not fail'". The base image's accounts
    // come from the table of base images, and the findings say so.
    let name = "awsdocs-codeeditor-micromamba-sample";
    for choice in [ProfileChoice::Auto, ProfileChoice::Fixed(Profile::CodeEditor)] {
        let r = report_as(name, choice);
        let warnings: Vec<&str> = r.findings.iter().filter(|f| f.severity == Severity::Warning).map(|f| f.rule.as_ref()).collect();
        assert_eq!(warnings, ["UID001", "UID005"], "{choice:?}:\n{}", describe(&r));
        for f in r.findings.iter().filter(|f| f.rule.starts_with("UID")) {
            assert!(
                f.message.contains("assumed from the base image mambaorg/micromamba:latest (table row `mambaorg/micromamba:latest`)"),
                "{}",
                f.message
            );
            let lines: Vec<u32> =
                f.locations.iter().filter_map(|l| if let Location::Dockerfile { line, .. } = l { Some(*line) } else { None }).collect();
            assert_eq!(lines, [10, 1], "the USER line and the FROM line");
        }
        assert!(errors(&r).is_empty(), "{choice:?}:\n{}", describe(&r));
    }
}

#[test]
fn new_studio_samples_keep_their_verdict_as_kernel_gateway_images() {
    // The JupyterLab one installs jupyterlab, which depends on ipykernel and so ships the python3
    // kernel: no error.
    let classic = ProfileChoice::Fixed(Profile::StudioClassic);
    let r = report_as("awsdocs-jupyterlab-al2023-sample", classic);
    assert!(errors(&r).is_empty(), "{}", describe(&r));
    // The Code Editor one installs no kernel at all: as a KernelGateway image that is the only error.
    let r = report_as("awsdocs-codeeditor-micromamba-sample", classic);
    assert_eq!(errors(&r), vec![("KERN001", vec![1])], "{}", describe(&r));
}

fn rule_ids(report: &Report) -> Vec<&str> {
    report.findings.iter().map(|f| f.rule.as_ref()).collect()
}

#[test]
fn switching_the_profile_changes_exactly_the_findings_the_spec_says() {
    // Same inputs, two profiles. Studio Classic ignores the JupyterLab sample's CMD (RUN001) and
    // reserves port 8888 for its KernelGateway (RUN004); the JupyterLab app runs that CMD and
    // requires its server on 8888, so neither applies there. Everything else is the same.
    let name = "awsdocs-jupyterlab-al2023-sample";
    let classic = report_as(name, ProfileChoice::Fixed(Profile::StudioClassic));
    let jupyterlab = report_as(name, ProfileChoice::Fixed(Profile::JupyterLab));
    let only_classic: Vec<&str> = rule_ids(&classic).into_iter().filter(|id| !rule_ids(&jupyterlab).contains(id)).collect();
    let only_jupyterlab: Vec<&str> = rule_ids(&jupyterlab).into_iter().filter(|id| !rule_ids(&classic).contains(id)).collect();
    assert_eq!(only_classic, ["RUN001", "RUN004"], "classic:\n{}jupyterlab:\n{}", describe(&classic), describe(&jupyterlab));
    assert!(only_jupyterlab.is_empty(), "{only_jupyterlab:?}");
    // The Code Editor sample without a kernel: KERN001 is an error in Studio Classic only
    // (Code Editor lists no notebook kernels).
    let name = "awsdocs-codeeditor-micromamba-sample";
    let classic = report_as(name, ProfileChoice::Fixed(Profile::StudioClassic));
    let code_editor = report_as(name, ProfileChoice::Fixed(Profile::CodeEditor));
    let only_classic: Vec<&str> = rule_ids(&classic).into_iter().filter(|id| !rule_ids(&code_editor).contains(id)).collect();
    assert!(
        only_classic.contains(&"KERN001") && only_classic.iter().all(|id| id.starts_with("RUN") || *id == "KERN001"),
        "{only_classic:?}"
    );
    assert!(rule_ids(&code_editor).iter().all(|id| rule_ids(&classic).contains(id)));
}

#[test]
fn beakerx_gets_no_error() {
    let r = report("beakerx-image--unmerged-pr");
    assert!(errors(&r).is_empty(), "{}", describe(&r));
}

#[test]
fn every_example_is_judged() {
    let all: Vec<String> = fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("Dockerfile").is_file())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let judged = KNOWN_GOOD.len() + 1 + 2 + 1;
    assert_eq!(all.len(), judged, "a new example needs a verdict here");
}
