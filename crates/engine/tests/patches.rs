//! Every kind of Dockerfile patch, applied and checked again through the real Dockerfile reader:
//! the finding it belongs to is gone and no new error appears. Also the report's combined patch,
//! which fixes every patched finding at once.

use smic_engine::{check, NamedBytes, Request};
use smic_rules::patch::apply;
use smic_rules::{Options, Profile, ProfileChoice, Report, Severity};

fn report(dockerfile: &str, profile: Profile) -> Report {
    let request = Request {
        dockerfile: Some(NamedBytes { name: "Dockerfile", bytes: dockerfile.as_bytes() }),
        options: Options { profile: ProfileChoice::Fixed(profile), ..Default::default() },
        ..Default::default()
    };
    check(&request)
}

fn errors(report: &Report) -> Vec<String> {
    let mut ids: Vec<String> = report.findings.iter().filter(|f| f.severity == Severity::Error).map(|f| f.rule.to_string()).collect();
    ids.dedup();
    ids
}

/// Applies the patch of `rule`'s finding, checks again and returns the patched Dockerfile.
fn patched(dockerfile: &str, rule: &str, profile: Profile) -> String {
    let before = report(dockerfile, profile);
    let finding = before.findings.iter().find(|f| f.rule == rule).unwrap_or_else(|| panic!("{rule} does not fire on:\n{dockerfile}"));
    let patch = finding.patch.as_ref().unwrap_or_else(|| panic!("{rule} has no patch for:\n{dockerfile}"));
    let fixed = apply(dockerfile, &patch.edits);
    let after = report(&fixed, profile);
    let still: Vec<&str> = after.findings.iter().filter(|f| f.rule == rule).map(|f| f.message.as_str()).collect();
    assert!(still.is_empty(), "{rule} still fires after its patch:\n{fixed}\n{still:?}\n{}", patch.diff);
    let new: Vec<String> = errors(&after).into_iter().filter(|e| !errors(&before).contains(e)).collect();
    assert!(new.is_empty(), "the patch of {rule} brings new errors {new:?}:\n{fixed}");
    fixed
}

const CLASSIC: Profile = Profile::StudioClassic;

#[test]
fn debian_user_in_its_own_group_gets_group_100_with_usermod() {
    let fixed = patched("FROM python:3.11\nRUN useradd -m -u 1000 sagemaker-user\nUSER sagemaker-user\n", "UID001", CLASSIC);
    assert_eq!(
        fixed,
        "FROM python:3.11\nRUN useradd -m -u 1000 sagemaker-user\nRUN usermod -u 1000 -g 100 sagemaker-user\nUSER sagemaker-user\n"
    );
}

#[test]
fn amazon_linux_user_gets_group_100_with_usermod_as_root() {
    let fixed = patched(
        "FROM amazonlinux:2023\nRUN yum install -y shadow-utils && useradd -m -u 1001 studio\nUSER studio\nRUN echo hi\nUSER studio\n",
        "UID001",
        CLASSIC,
    );
    assert!(fixed.ends_with("RUN echo hi\nUSER root\nRUN usermod -u 1000 -g 100 studio\nUSER studio\n"), "{fixed}");
}

#[test]
fn an_unknown_uid_gets_a_new_sagemaker_user() {
    let fixed = patched("FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y python3\nUSER 1001\n", "UID001", CLASSIC);
    assert!(fixed.ends_with("RUN useradd -m -u 1000 -g 100 sagemaker-user\nUSER sagemaker-user\n"), "{fixed}");
}

#[test]
fn alpine_user_is_made_again_with_busybox_adduser_in_group_users() {
    let fixed = patched("FROM python:3.11-alpine\nRUN adduser -D -u 1000 studio\nUSER studio\n", "UID001", CLASSIC);
    assert!(fixed.ends_with("RUN deluser studio && adduser -D -u 1000 -G users studio\nUSER studio\n"), "{fixed}");
}

#[test]
fn micromamba_user_is_renamed_like_sagemaker_distribution_does() {
    let fixed =
        patched("FROM mambaorg/micromamba:1.5\nRUN micromamba install -y -n base python=3.11 ipykernel\nUSER 57439\n", "UID001", CLASSIC);
    assert!(
        fixed.contains("RUN usermod --login=sagemaker-user --home=/home/sagemaker-user --move-home -u 1000 mambauser && \\\n"),
        "{fixed}"
    );
    assert!(fixed.ends_with("ENV MAMBA_USER=sagemaker-user\nUSER sagemaker-user\n"), "{fixed}");
}

#[test]
fn root_in_jupyterlab_gets_a_sagemaker_user() {
    patched("FROM python:3.11\nRUN pip install jupyterlab\nUSER root\n", "UID001", Profile::JupyterLab);
}

#[test]
fn an_unpinned_final_stage_gets_the_amd64_platform() {
    let fixed = patched("FROM python:3.11 AS base\nFROM base\nRUN pip install ipykernel\n", "RUN006", CLASSIC);
    assert_eq!(fixed, "FROM python:3.11 AS base\nFROM --platform=linux/amd64 base\nRUN pip install ipykernel\n");
}

#[test]
fn an_arm64_final_stage_is_pinned_to_amd64_instead() {
    let fixed = patched("FROM --platform=linux/arm64 python:3.11\nRUN pip install ipykernel\n", "RUN005", CLASSIC);
    assert!(fixed.starts_with("FROM --platform=linux/amd64 python:3.11\n"), "{fixed}");
}

#[test]
fn a_user_kernel_install_becomes_sys_prefix() {
    let fixed = patched(
        "FROM python:3.11\nRUN pip install --user ipykernel && \\\n    python -m ipykernel install --user --name myenv\n",
        "HOME001",
        CLASSIC,
    );
    assert!(fixed.ends_with("pip install --user ipykernel && \\\n    python -m ipykernel install --sys-prefix --name myenv\n"), "{fixed}");
}

#[test]
fn a_kernel_install_prefix_under_home_becomes_sys_prefix() {
    let fixed =
        patched("FROM python:3.11\nRUN python -m ipykernel install --prefix /home/sagemaker-user/.local --name k\n", "HOME001", CLASSIC);
    assert!(fixed.ends_with("RUN python -m ipykernel install --sys-prefix --name k\n"), "{fixed}");
}

#[test]
fn a_virtualenv_in_home_moves_to_opt_with_its_path() {
    let fixed = patched(
        "FROM python:3.11\nRUN python -m venv /home/sagemaker-user/venv\nENV PATH=/home/sagemaker-user/venv/bin:$PATH\n",
        "HOME002",
        CLASSIC,
    );
    assert_eq!(fixed, "FROM python:3.11\nRUN python -m venv /opt/sagemaker-user/venv\nENV PATH=/opt/sagemaker-user/venv/bin:$PATH\n");
}

#[test]
fn a_conda_environment_in_home_moves_to_opt() {
    let fixed = patched(
        "FROM continuumio/miniconda3\nRUN conda create -y -p /home/sagemaker-user/envs/ml python=3.11 ipykernel\n",
        "HOME001",
        CLASSIC,
    );
    assert!(fixed.ends_with("RUN conda create -y -p /opt/sagemaker-user/envs/ml python=3.11 ipykernel\n"), "{fixed}");
}

#[test]
fn notebooks_copied_into_home_move_to_opt() {
    let fixed = patched("FROM python:3.11\nCOPY notebooks/ /home/sagemaker-user/notebooks/\n", "HOME002", CLASSIC);
    assert_eq!(fixed, "FROM python:3.11\nCOPY notebooks/ /opt/sagemaker-user/notebooks/\n");
}

#[test]
fn expose_8888_goes_and_other_ports_stay() {
    assert_eq!(patched("FROM python:3.11\nEXPOSE 8888\nRUN true\n", "RUN003", CLASSIC), "FROM python:3.11\nRUN true\n");
    assert_eq!(patched("FROM python:3.11\nEXPOSE 8888/tcp 8080\n", "RUN003", CLASSIC), "FROM python:3.11\nEXPOSE 8080\n");
}

#[test]
fn the_combined_patch_fixes_every_patched_finding_at_once() {
    let dockerfile = "FROM python:3.11\nEXPOSE 8888\nRUN useradd -m -u 1000 sagemaker-user\nCOPY nb/ /home/sagemaker-user/nb/\n\
RUN pip install ipykernel && python -m ipykernel install --user\nUSER sagemaker-user\n";
    let before = report(dockerfile, CLASSIC);
    let patched_rules: Vec<&str> = before.findings.iter().filter(|f| f.patch.is_some()).map(|f| f.rule.as_ref()).collect();
    assert_eq!(patched_rules, ["RUN003", "RUN006", "HOME001", "HOME002", "UID001"]);
    let combined = before.patch.as_ref().expect("a combined patch");
    let after = report(&apply(dockerfile, &combined.edits), CLASSIC);
    let left: Vec<&str> = after.findings.iter().filter(|f| patched_rules.contains(&f.rule.as_ref())).map(|f| f.rule.as_ref()).collect();
    assert!(left.is_empty(), "{left:?} after\n{}", combined.diff);
    assert!(after.patch.is_none());
}

#[test]
fn a_studio_variable_set_by_env_is_dropped_and_the_others_stay() {
    let fixed = patched("FROM python:3.11\nENV AWS_REGION=us-east-1 MYAPP=1\n", "META003", Profile::JupyterLab);
    assert_eq!(fixed, "FROM python:3.11\nENV MYAPP=1\n");
    let fixed = patched("FROM python:3.11\nENV SAGEMAKER_APP_TYPE jupyter lab\nRUN true\n", "META003", Profile::JupyterLab);
    assert_eq!(fixed, "FROM python:3.11\nRUN true\n");
}

/// The sample Dockerfiles of the corpus, each under every profile: the report's combined patch
/// removes every patched finding and brings no new error.
#[test]
fn the_combined_patch_of_every_corpus_dockerfile_fixes_what_it_patches() {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/corpus/sagemaker-samples");
    let mut patched_samples = Vec::new();
    for sample in std::fs::read_dir(&corpus).unwrap() {
        let path = sample.unwrap().path().join("Dockerfile");
        let Ok(dockerfile) = std::fs::read_to_string(&path) else { continue };
        for profile in Profile::ALL {
            let before = report(&dockerfile, profile);
            let Some(combined) = &before.patch else { continue };
            let patched: Vec<&str> = before.findings.iter().filter(|f| f.patch.is_some()).map(|f| f.rule.as_ref()).collect();
            let fixed = apply(&dockerfile, &combined.edits);
            let after = report(&fixed, profile);
            let left: Vec<&str> = after.findings.iter().filter(|f| patched.contains(&f.rule.as_ref())).map(|f| f.rule.as_ref()).collect();
            assert!(left.is_empty(), "{} ({profile:?}): {left:?} still fire after\n{}", path.display(), combined.diff);
            let new: Vec<String> = errors(&after).into_iter().filter(|e| !errors(&before).contains(e)).collect();
            assert!(new.is_empty(), "{} ({profile:?}): the patch brings new errors {new:?}:\n{}", path.display(), combined.diff);
            patched_samples.push(format!("{} {profile:?}: {patched:?}", path.parent().unwrap().file_name().unwrap().to_string_lossy()));
        }
    }
    assert!(patched_samples.len() >= 10, "only {} samples get a patch: {patched_samples:#?}", patched_samples.len());
}

#[test]
fn a_conda_environment_without_ipykernel_gets_it_installed_by_the_tool_that_made_it() {
    let fixed = patched("FROM continuumio/miniconda3\nRUN conda create -y -n data python=3.11 pandas\nRUN echo done\n", "KERN009", CLASSIC);
    assert_eq!(
        fixed,
        "FROM continuumio/miniconda3\nRUN conda create -y -n data python=3.11 pandas\nRUN conda install -y -n data ipykernel\nRUN echo done\n"
    );
    let fixed = patched("FROM mambaorg/micromamba:1.5\nRUN micromamba create -y -n data python=3.11\n", "KERN009", CLASSIC);
    assert!(fixed.ends_with("RUN micromamba install -y -n data ipykernel\n"), "{fixed}");
}

/// A Dockerfile checked with the image archive built from it (described in the image
/// description format), for the rules that need the base image's ENTRYPOINT.
fn report_with_image(dockerfile: &str, image: &str, profile: Profile) -> Report {
    let reading = smic_dockerfile::read("Dockerfile", dockerfile.as_bytes(), &Default::default()).unwrap();
    let facts = smic_rules::facts::Facts {
        image: Some(std::borrow::Cow::Owned(smic_rules::image_description::parse(image).unwrap())),
        dockerfile: Some(reading.facts),
        ..Default::default()
    };
    smic_rules::check(&facts, reading.errors, &Options { profile: ProfileChoice::Fixed(profile), ..Default::default() })
}

#[test]
fn an_inherited_entrypoint_is_cleared_and_the_cmd_still_starts_jupyter() {
    let cmd = ["jupyter", "lab", "--ip", "0.0.0.0", "--port", "8888", "--ServerApp.base_url=/jupyterlab/default", "--ServerApp.token="]
        .map(|w| format!("{w:?}"))
        .join(", ");
    let dockerfile = format!("FROM nvcr.io/nvidia/pytorch:24.01-py3\nCMD [{cmd}, \"--ServerApp.allow_origin=*\"]\n");
    let cmd_words =
        "jupyter lab --ip 0.0.0.0 --port 8888 --ServerApp.base_url=/jupyterlab/default --ServerApp.token= --ServerApp.allow_origin=*";
    let jl = Profile::JupyterLab;
    let before = report_with_image(&dockerfile, &format!("studio-image\nentrypoint /opt/nvidia/nvidia_entrypoint.sh\ncmd {cmd_words}"), jl);
    let finding = before.findings.iter().find(|f| f.rule == "RUN019").unwrap_or_else(|| panic!("{:?}", before.findings));
    let patch = finding.patch.as_ref().expect("RUN019 carries a patch");
    let fixed = apply(&dockerfile, &patch.edits);
    assert!(fixed.starts_with("FROM nvcr.io/nvidia/pytorch:24.01-py3\nENTRYPOINT []\nCMD ["), "{fixed}");
    // The image built from the patched Dockerfile has no ENTRYPOINT; its CMD starts the server.
    let after = report_with_image(&fixed, &format!("studio-image\ncmd {cmd_words}"), jl);
    let left: Vec<&str> =
        after.findings.iter().filter(|f| ["RUN015", "RUN016", "RUN019"].contains(&f.rule.as_ref())).map(|f| f.message.as_str()).collect();
    assert!(left.is_empty(), "{left:?}\n{}", patch.diff);
    let new: Vec<String> = errors(&after).into_iter().filter(|e| !errors(&before).contains(e)).collect();
    assert!(new.is_empty(), "the patch of RUN019 brings new errors {new:?}:\n{fixed}");
}
