//! What the Dockerfiles of `tests/data/corpus/sagemaker-samples/` say, as their README table
//! describes them, and the sample Dockerfile at the bottom of the spec.

use std::fs;
use std::path::PathBuf;

use smic_dockerfile::{read, ReadOptions};
use smic_rules::facts::{CommandForm, DockerfileFacts, StageFacts};

fn data() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data"))
}

fn facts_of_text(name: &str, text: &str) -> DockerfileFacts {
    let reading = read(name, text.as_bytes(), &ReadOptions::default()).expect("readable");
    reading.facts
}

fn example(name: &str) -> DockerfileFacts {
    let path = data().join("corpus/sagemaker-samples").join(name).join("Dockerfile");
    facts_of_text(name, &fs::read_to_string(path).unwrap())
}

fn stage(facts: &DockerfileFacts) -> &StageFacts {
    facts.final_stage.as_ref().expect("a final stage")
}

fn user(facts: &DockerfileFacts) -> (Option<String>, Option<u64>, Option<u64>) {
    let u = stage(facts).user.as_ref().expect("a USER");
    (u.name.clone(), u.uid, u.gid)
}

fn kernels(facts: &DockerfileFacts) -> Vec<String> {
    stage(facts).kernel_installs.iter().map(|k| k.name.clone()).collect()
}

fn writes_under(facts: &DockerfileFacts, dir: &str) -> Vec<String> {
    stage(facts).writes.iter().filter(|w| w.path.starts_with(dir)).map(|w| w.path.clone()).collect()
}

fn sample_from_spec() -> String {
    let spec = fs::read_to_string(data().join("spec/custom-image-spec.md")).unwrap();
    let after = spec.split("## Sample Dockerfile").nth(1).expect("the spec has a sample section");
    let block = after.split("```").nth(1).expect("a code block");
    block.trim_start_matches('\n').to_string()
}

#[test]
fn spec_sample_runs_as_uid_1000_gid_100_and_installs_python3() {
    let facts = facts_of_text("spec-sample", &sample_from_spec());
    let u = stage(&facts).user.as_ref().unwrap();
    assert_eq!(u.value, "1000");
    assert_eq!((u.name.as_deref(), u.uid, u.gid), (Some("sagemaker-user"), Some(1000), Some(100)));
    assert!(u.gid_reason.as_deref().unwrap().contains("100"));
    assert_eq!(u.created_at.map(|s| (s.start, s.end)), Some((7, 12)));
    assert_eq!(kernels(&facts), vec!["python3"]);
    assert!(facts.unresolved_args.is_empty());
}

#[test]
fn awsdocs_classic_al2_sample() {
    let facts = example("awsdocs-classic-al2-sample");
    assert_eq!(user(&facts), (Some("sagemaker-user".into()), Some(1000), Some(100)));
    assert_eq!(kernels(&facts), vec!["python3"]);
    // `ipykernel install` without a prefix writes the system-wide kernel directory.
    assert_eq!(writes_under(&facts, "/usr/local/share/jupyter"), vec!["/usr/local/share/jupyter/kernels/python3"]);
    assert!(writes_under(&facts, "/home/sagemaker-user").is_empty());
    assert!(stage(&facts).packages.iter().any(|p| p.manager == "pip" && p.package == "ipykernel"));
}

#[test]
fn echo_kernel_user_made_with_no_user_group_gets_gid_100() {
    let facts = example("echo-kernel-image");
    assert_eq!(user(&facts), (Some("sagemaker-user".into()), Some(1000), Some(100)));
    let reason = stage(&facts).user.as_ref().unwrap().gid_reason.clone().unwrap();
    assert!(reason.contains("-N"), "{reason}");
    assert!(stage(&facts).runs.iter().any(|(t, _)| t.contains("echo_kernel.install --sys-prefix")));
    assert!(stage(&facts).entrypoint.is_none() && stage(&facts).cmd.is_none());
}

#[test]
fn poetry_and_flowty_install_python3_into_sys_prefix() {
    for name in ["python-poetry-image", "flowty-sagemaker-studio"] {
        let facts = example(name);
        assert_eq!(user(&facts), (Some("sagemaker-user".into()), Some(1000), Some(100)), "{name}");
        let k = &stage(&facts).kernel_installs;
        assert_eq!(k.len(), 1, "{name}");
        assert!(k[0].name == "python3" && k[0].sys_prefix && !k[0].user, "{name}");
    }
}

#[test]
fn r_image_resolves_from_through_args_and_useradd_non_unique() {
    let facts = example("r-image");
    assert_eq!(stage(&facts).from.image, "jupyter/minimal-notebook");
    assert_eq!(user(&facts), (Some("sagemaker-user".into()), Some(1000), Some(100)));
    assert_eq!(stage(&facts).workdir.as_deref(), Some("/home/sagemaker-user"));
    assert_eq!(stage(&facts).env_var("HOME"), Some("/home/sagemaker-user"));
    assert!(stage(&facts).packages.iter().any(|p| p.manager == "mamba" && p.package == "r-irkernel"));
    assert!(facts.unresolved_args.is_empty());
}

#[test]
fn julia_user_comes_from_the_base_image() {
    let facts = example("jupyter-docker-stacks-julia-image");
    let u = stage(&facts).user.as_ref().unwrap();
    // NB_UID is the base image's ENV: unknown here, not guessed.
    assert_eq!((u.value.as_str(), u.uid, u.gid), ("$NB_UID", None, None));
    assert!(kernels(&facts).is_empty());
    assert!(stage(&facts).packages.iter().any(|p| p.package == "sagemaker"));
}

#[test]
fn root_images_have_no_user_instruction() {
    for name in ["conda-env-kernel-image", "conda-env-kernel-image--2021-08-original", "rapids-image", "scala-image", "tf23-image"] {
        let facts = example(name);
        assert!(stage(&facts).user.is_none(), "{name}");
    }
}

#[test]
fn conda_env_from_environment_yml_has_an_unknown_name() {
    let facts = example("conda-env-kernel-image--2021-08-original");
    let envs = &stage(&facts).conda_envs;
    assert_eq!(envs.len(), 1);
    assert_eq!(envs[0].name, "", "the name is in environment.yml, which the Dockerfile does not show");
    // `COPY environment.yml .` is relative to the base image's WORKDIR, which is unknown.
    assert!(stage(&facts).writes.is_empty());
}

#[test]
fn rapids_and_tf23_install_python3() {
    let rapids = example("rapids-image");
    assert_eq!(kernels(&rapids), vec!["python3"]);
    let tf = example("tf23-image");
    assert_eq!(writes_under(&tf, "/root"), vec!["/root/my-file.txt"]);
}

#[test]
fn beakerx_sets_home_and_workdir_and_user() {
    let facts = example("beakerx-image--unmerged-pr");
    assert_eq!(user(&facts), (Some("sagemaker-user".into()), Some(1000), Some(100)));
    assert_eq!(stage(&facts).workdir.as_deref(), Some("/home/sagemaker-user"));
    assert!(writes_under(&facts, "/opt/conda").contains(&"/opt/conda".to_string()));
    assert!(stage(&facts).packages.iter().any(|p| p.manager == "conda" && p.package == "beakerx"));
}

#[test]
fn conda_efs_replaces_the_python3_kernel_spec_by_copy() {
    let facts = example("conda-efs-image--unmerged-pr");
    assert_eq!(user(&facts), (Some("sagemaker-user".into()), Some(1000), Some(100)));
    assert!(stage(&facts).writes.iter().any(|w| w.path == "/miniconda/share/jupyter/kernels/python3" && w.span.start == 37));
    assert_eq!(stage(&facts).env_var("CONDA_ENVS_PATH"), Some("/home/sagemaker-user/.conda/envs"));
}

#[test]
fn javascript_tf_declares_cmd_and_cuda_packages_without_driver() {
    let facts = example("javascript-tf-image--unmerged-pr");
    let s = stage(&facts);
    assert_eq!(s.cmd.as_ref().map(|(c, span)| (c.clone(), span.start)), Some((CommandForm::Exec(vec!["/bin/bash".into()]), 195)));
    assert!(s.packages.iter().any(|p| p.manager == "apt" && p.package == "libcudnn8"));
    assert!(s.driver_installers.is_empty());
    assert_eq!(kernels(&facts), vec!["python3"]);
    assert_eq!(user(&facts), (Some("sagemaker-user".into()), Some(1000), Some(100)));
    assert!(s.runs.iter().any(|(t, _)| t.contains("tslab install")));
}

#[test]
fn code_editor_micromamba_sample_runs_as_1000_without_a_passwd_entry() {
    let facts = example("awsdocs-codeeditor-micromamba-sample");
    let u = stage(&facts).user.as_ref().unwrap();
    assert_eq!((u.name.as_deref(), u.uid, u.gid), (None, Some(1000), None));
    let (cmd, span) = stage(&facts).cmd.clone().unwrap();
    assert!(matches!(cmd, CommandForm::Shell(ref t) if t.contains("--port 8888")));
    assert_eq!((span.start, span.end), (12, 16));
}

#[test]
fn code_editor_smd_sample_keeps_its_entrypoint() {
    let facts = example("awsdocs-codeeditor-smd-sample");
    let s = stage(&facts);
    assert_eq!(s.entrypoint.as_ref().map(|(c, _)| c.clone()), Some(CommandForm::Exec(vec!["entrypoint-code-editor".into()])));
    assert_eq!(s.user.as_ref().unwrap().value, "sagemaker-user");
}

#[test]
fn jupyterlab_al2023_sample_declares_a_shell_form_cmd_on_8888() {
    let facts = example("awsdocs-jupyterlab-al2023-sample");
    assert_eq!(user(&facts), (Some("sagemaker-user".into()), Some(1000), Some(100)));
    assert!(matches!(&stage(&facts).cmd, Some((CommandForm::Shell(t), _)) if t.starts_with("jupyter lab --ip 0.0.0.0 --port 8888")));
}

#[test]
fn smd_template_renames_mambauser_to_1000_100_and_tolerates_unset_args() {
    let facts = example("smd-template-v1");
    let u = stage(&facts).user.as_ref().unwrap();
    assert_eq!((u.name.as_deref(), u.uid, u.gid), (Some("sagemaker-user"), Some(1000), Some(100)));
    assert!(u.gid_reason.as_deref().unwrap().contains("groupmod"));
    assert_eq!(stage(&facts).from.image, "mambaorg/micromamba:$TAG_FOR_BASE_MICROMAMBA_IMAGE");
    assert!(facts.unresolved_args.iter().any(|(n, s)| n == "TAG_FOR_BASE_MICROMAMBA_IMAGE" && s.start == 2));
    // Kernels installed --user under the home directory, then moved to /opt/conda's kernels.
    assert_eq!(kernels(&facts), vec!["glue_pyspark", "glue_spark"]);
    for k in &stage(&facts).kernel_installs {
        assert!(!k.user && k.prefix.as_deref() == Some("/opt/conda"), "{k:?}");
    }
    let home = writes_under(&facts, "/home/sagemaker-user");
    assert!(!home.iter().any(|p| p.contains("/.local/")), "{home:?}");
    assert!(home.contains(&"/home/sagemaker-user/licenses".to_string()));
    // `rm -rf ${HOME_DIR}/oss_compliance*` took the downloaded archive out again.
    assert!(!home.iter().any(|p| p.contains("oss_compliance")), "{home:?}");
    assert_eq!(stage(&facts).workdir.as_deref(), Some("/home/sagemaker-user"));
    assert!(stage(&facts).entrypoint.is_none() && stage(&facts).cmd.is_none());
}

#[test]
fn build_args_resolve_what_the_dockerfile_leaves_open() {
    let text = fs::read_to_string(data().join("corpus/sagemaker-samples/smd-template-v1/Dockerfile")).unwrap();
    let options = ReadOptions { build_args: vec![("TAG_FOR_BASE_MICROMAMBA_IMAGE".into(), "1.5.8".into())], target: None };
    let facts = read("smd", text.as_bytes(), &options).unwrap().facts;
    assert_eq!(stage(&facts).from.image, "mambaorg/micromamba:1.5.8");
    assert!(!facts.unresolved_args.iter().any(|(n, _)| n == "TAG_FOR_BASE_MICROMAMBA_IMAGE"));
}

#[test]
fn every_example_reads_without_input_errors_and_keeps_its_lines() {
    for entry in fs::read_dir(data().join("corpus/sagemaker-samples")).unwrap() {
        let path = entry.unwrap().path().join("Dockerfile");
        if !path.is_file() {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let reading = read("Dockerfile", text.as_bytes(), &ReadOptions::default()).unwrap();
        assert!(reading.errors.is_empty(), "{}: {:?}", path.display(), reading.errors);
        assert_eq!(reading.facts.lines.len(), text.lines().count(), "{}", path.display());
        assert_eq!(reading.facts.stage_count, 1);
    }
}
