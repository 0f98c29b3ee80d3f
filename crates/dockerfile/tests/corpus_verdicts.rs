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
    let text = fs::read_to_string(corpus().join(example).join("Dockerfile")).unwrap();
    report_of(example, &text, profile)
}

/// The example checked with `text` as its Dockerfile (a mutation of the real one).
fn report_of(example: &str, text: &str, profile: ProfileChoice) -> Report {
    let dir = corpus().join(example);
    let reading = read("Dockerfile", text.as_bytes(), &ReadOptions::default()).unwrap();
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

#[test]
fn sagemaker_distributions_template_has_no_error_in_either_new_app() {
    // Its Dockerfile declares no ENTRYPOINT/CMD (they come from the release images), so whether
    // the server starts is unknown without the archive: a warning, not an error.
    for profile in [Profile::JupyterLab, Profile::CodeEditor] {
        let r = report_as("smd-template-v1", ProfileChoice::Fixed(profile));
        assert!(errors(&r).is_empty(), "{profile:?}:\n{}", describe(&r));
        let start = r.findings.iter().find(|f| f.rule == "RUN015").unwrap_or_else(|| panic!("{}", describe(&r)));
        assert_eq!(start.severity, Severity::Warning);
        assert!(start.message.contains("base image `mambaorg/micromamba:$TAG_FOR_BASE_MICROMAMBA_IMAGE`"), "{}", start.message);
    }
}

/// The real Dockerfile with `from` replaced by `to`, checked for `profile`: (rule, severity,
/// message) of its RUN015-RUN017 findings.
fn mutated(example: &str, from: &str, to: &str, profile: Profile) -> Vec<(String, Severity, String)> {
    let text = fs::read_to_string(corpus().join(example).join("Dockerfile")).unwrap();
    assert!(text.contains(from), "{example} has no {from:?}");
    let r = report_of(example, &text.replacen(from, to, 1), ProfileChoice::Fixed(profile));
    r.findings
        .iter()
        .filter(|f| ["RUN015", "RUN016", "RUN017"].contains(&f.rule.as_ref()))
        .map(|f| (f.rule.to_string(), f.severity, f.message.clone()))
        .collect()
}

fn assert_one(found: &[(String, Severity, String)], rule: &str, severity: Severity, says: &str) {
    assert_eq!(found.len(), 1, "{found:?}");
    let (id, level, message) = &found[0];
    assert_eq!((id.as_str(), *level), (rule, severity), "{message}");
    assert!(message.contains(says), "expected {says:?} in: {message}");
}

#[test]
fn the_jupyterlab_sample_broken_one_setting_at_a_time_is_caught() {
    let name = "awsdocs-jupyterlab-al2023-sample";
    let jl = Profile::JupyterLab;
    assert_one(
        &mutated(name, "--ServerApp.token='' ", "", jl),
        "RUN016",
        Severity::Error,
        "ServerApp.token is not set (Jupyter generates a token)",
    );
    assert_one(
        &mutated(name, "/jupyterlab/default", "/lab", jl),
        "RUN016",
        Severity::Error,
        "ServerApp.base_url is \"/lab\" (`--ServerApp.base_url=/lab`, Dockerfile line 28)",
    );
    assert_one(&mutated(name, "--port 8888", "--port 8889", jl), "RUN016", Severity::Error, "ServerApp.port is \"8889\"");
    assert_one(&mutated(name, "--ip 0.0.0.0", "--ip 127.0.0.1", jl), "RUN016", Severity::Error, "ServerApp.ip is \"127.0.0.1\"");
    assert_one(&mutated(name, "--ServerApp.allow_origin='*'", "", jl), "RUN016", Severity::Error, "ServerApp.allow_origin is not set");
    // Without its CMD the container runs the base image's command, which only the archive shows.
    assert_one(&mutated(name, "CMD jupyter lab", "RUN jupyter lab", jl), "RUN015", Severity::Warning, "declares no ENTRYPOINT or CMD");
    assert_one(
        &mutated(name, "CMD jupyter lab", "CMD [\"/bin/bash\"]\nRUN jupyter lab", jl),
        "RUN015",
        Severity::Error,
        "Nothing in the start command `/bin/bash` launches Jupyter Server",
    );
}

#[test]
fn the_code_editor_samples_broken_one_setting_at_a_time_are_caught() {
    let name = "awsdocs-codeeditor-micromamba-sample";
    let ce = Profile::CodeEditor;
    assert_one(&mutated(name, "--without-connection-token", "", ce), "RUN017", Severity::Error, "no `--without-connection-token`");
    assert_one(&mutated(name, "\"/CodeEditor/default\"", "/code", ce), "RUN017", Severity::Error, "`--base-path /code`");
    assert_one(&mutated(name, "--port 8888", "--port 8889", ce), "RUN017", Severity::Error, "`--port 8889` (Studio needs 8888)");
    assert_one(&mutated(name, "--host 0.0.0.0", "--host 127.0.0.1", ce), "RUN017", Severity::Error, "`--host 127.0.0.1`");
    // Without its CMD the container runs micromamba's `_entrypoint.sh /bin/bash` (the table knows them).
    assert_one(
        &mutated(name, "CMD eval", "RUN eval", ce),
        "RUN015",
        Severity::Error,
        "the base image's ENTRYPOINT and CMD, assumed from the base image mambaorg/micromamba:latest (table row `mambaorg/micromamba:latest`)",
    );
    // The SageMaker Distribution sample's entrypoint is trusted; replacing it is not.
    let smd = "awsdocs-codeeditor-smd-sample";
    assert!(mutated(smd, "", "", ce).is_empty());
    assert_one(
        &mutated(smd, "ENTRYPOINT [\"entrypoint-code-editor\"]", "ENTRYPOINT [\"entrypoint-jupyter-server\"]", ce),
        "RUN015",
        Severity::Error,
        "launches Jupyter Server, not sagemaker-code-editor",
    );
}

/// An image holding SageMaker Distribution's real start files (`smd-template-v1/dirs/`) at
/// their paths, started by one of its entrypoints.
fn distribution_image(entrypoint: &str) -> smic_rules::facts::ImageFacts {
    let dirs = corpus().join("smd-template-v1/dirs");
    let mut image = smic_rules::testkit::ImageBuilder::good();
    for file in [
        "usr/local/bin/entrypoint-jupyter-server",
        "usr/local/bin/entrypoint-code-editor",
        "usr/local/bin/start-jupyter-server",
        "usr/local/bin/start-code-editor",
        "etc/supervisor/conf.d/supervisord.conf",
        "etc/supervisor/conf.d/supervisord-common.conf",
        "etc/supervisor/conf.d/supervisord-code-editor.conf",
        "etc/jupyter/jupyter_server_config.py",
    ] {
        image = image.text(&format!("/{file}"), &fs::read_to_string(dirs.join(file)).unwrap());
    }
    image.entrypoint(&[entrypoint]).build()
}

#[test]
fn sagemaker_distributions_own_start_files_start_each_app_correctly() {
    for (entrypoint, profile, line) in
        [("entrypoint-jupyter-server", Profile::JupyterLab, 16), ("entrypoint-code-editor", Profile::CodeEditor, 13)]
    {
        let facts = Facts { image: Some(std::borrow::Cow::Owned(distribution_image(entrypoint))), ..Facts::default() };
        let r = check(&facts, Vec::new(), &Options { profile: ProfileChoice::Auto, ..Options::default() });
        // entrypoint → supervisord → [program:x] command=start-… → the server, with
        // `/$SAGEMAKER_APP_TYPE_LOWERCASE/default` as its base URL.
        assert_eq!(r.profile.id, profile, "{}", r.profile.reason);
        assert!(r.profile.reason.contains(&format!("line {line})")), "{}", r.profile.reason);
        let start: Vec<&str> = r.findings.iter().map(|f| f.rule.as_ref()).filter(|id| id.starts_with("RUN01")).collect();
        assert!(start.iter().all(|id| *id == "RUN018"), "{entrypoint}:\n{}", describe(&r));
    }
}

#[test]
fn a_classic_sample_without_cmd_checked_as_jupyterlab_runs_its_base_images_command() {
    // `FROM python:3.6` and no ENTRYPOINT/CMD: the container runs python's `CMD ["python3"]`,
    // which the table of base images knows, so the missing server is an error naming the base.
    let r = report_as("echo-kernel-image", ProfileChoice::Fixed(Profile::JupyterLab));
    let start = r.findings.iter().find(|f| f.rule == "RUN015").unwrap_or_else(|| panic!("{}", describe(&r)));
    assert_eq!(start.severity, Severity::Error, "{}", start.message);
    assert!(start.message.contains("Nothing in the start command `python3` launches Jupyter Server"), "{}", start.message);
    assert!(
        start.message.contains("it is the base image's CMD, assumed from the base image python:3.6 (table row `python:*`)"),
        "{}",
        start.message
    );
    // Classic overrides the command: the base's default is no RUN001 there.
    assert!(!rule_ids(&report("echo-kernel-image")).contains(&"RUN001"));
}
