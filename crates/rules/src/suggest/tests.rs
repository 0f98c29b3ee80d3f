//! The suggested AppImageConfig, situation by situation.

use alloc::string::String;
use alloc::vec::Vec;

use super::*;
use crate::facts::{CommandForm, FileKind, KernelInstall};
use crate::testkit::*;

fn suggestion(facts: &Facts<'_>, profile: Profile) -> Suggestion {
    suggest(facts, &run_as(facts, profile))
}

fn kernel_gateway(s: &Suggestion) -> &KernelGatewayImageConfig {
    s.config.kernel_gateway_image_config.as_ref().expect("a KernelGateway block")
}

fn names(s: &Suggestion) -> Vec<&str> {
    kernel_gateway(s).kernel_specs.iter().map(|k| k.name.as_str()).collect()
}

fn note<'a>(s: &'a Suggestion, field: &str) -> &'a Note {
    s.notes.iter().find(|n| n.field == field).unwrap_or_else(|| panic!("no note on {field}: {:#?}", s.notes))
}

fn conda_kernel(image: ImageBuilder, env: &str) -> ImageBuilder {
    image
        .dir(&alloc::format!("/opt/conda/envs/{env}/conda-meta"))
        .text(&alloc::format!("/opt/conda/envs/{env}/share/jupyter/kernels/python3/kernel.json"), PYTHON3_KERNEL)
}

fn base_conda(image: ImageBuilder) -> ImageBuilder {
    image.dir("/opt/conda/conda-meta").dir("/opt/conda/condabin")
}

#[test]
fn a_good_image_gets_its_kernel_with_the_kernel_json_display_name_and_its_user() {
    let s = suggestion(&facts(Some(ImageBuilder::good().build()), None, None), Profile::StudioClassic);
    let kg = kernel_gateway(&s);
    assert_eq!(kg.kernel_specs, [KernelSpec { name: "python3".into(), display_name: Some("Python 3 (ipykernel)".into()) }]);
    assert_eq!(kg.file_system_config, FileSystemConfig { mount_path: "/home/sagemaker-user".into(), default_uid: 1000, default_gid: 100 });
    assert_eq!(s.config.app_image_config_name, "custom-image-config");
    assert!(note(&s, "/KernelGatewayImageConfig/KernelSpecs/0/Name").text.contains("comes first in the order Studio discovers kernels"));
    let user = note(&s, "/KernelGatewayImageConfig/FileSystemConfig/DefaultUid");
    assert!(user.text.contains("runs as 1000/100, a pair Studio supports"), "{}", user.text);
}

#[test]
fn conda_environments_are_named_as_studio_looks_them_up() {
    let image = conda_kernel(base_conda(ImageBuilder::good()), "rapids").build();
    let s = suggestion(&facts(Some(image), None, None), Profile::StudioClassic);
    assert_eq!(names(&s), ["python3", "conda-env-rapids-py"]);
}

#[test]
fn more_than_five_kernels_keep_five_and_name_the_rest() {
    let mut image = base_conda(ImageBuilder::good());
    for env in ["a", "b", "c", "d", "e", "f"] {
        image = conda_kernel(image, env);
    }
    let s = suggestion(&facts(Some(image.build()), None, None), Profile::StudioClassic);
    assert_eq!(names(&s), ["python3", "conda-env-a-py", "conda-env-b-py", "conda-env-c-py", "conda-env-d-py"]);
    let left_out = s.notes.iter().find(|n| n.text.starts_with("left out")).expect("a left-out note");
    assert!(left_out.text.contains("conda-env-e-py and conda-env-f-py"), "{}", left_out.text);
}

#[test]
fn the_given_kernel_comes_first_and_a_missing_one_is_left_out() {
    let image = conda_kernel(base_conda(ImageBuilder::good()), "rapids").build();
    let config = app_image_config(
        r#"{"AppImageConfigName": "rapids", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "nope"}, {"Name": "conda-env-rapids-py", "DisplayName": "RAPIDS"}]}}"#,
    );
    let s = suggestion(&facts(Some(image), None, Some(config)), Profile::StudioClassic);
    assert_eq!(names(&s), ["conda-env-rapids-py", "python3"]);
    assert_eq!(kernel_gateway(&s).kernel_specs[0].display_name.as_deref(), Some("RAPIDS"));
    assert!(note(&s, "/KernelGatewayImageConfig/KernelSpecs/0/Name")
        .text
        .starts_with("listed first because the given AppImageConfig names it"));
    let missing = note(&s, "/KernelGatewayImageConfig/KernelSpecs");
    assert_eq!(missing.text, "\"nope\" is left out: Studio finds no kernel of that name in the image (KERN004)");
    assert_eq!(s.config.app_image_config_name, "rapids");
}

#[test]
fn a_kernel_under_the_home_mount_is_left_out() {
    let image = ImageBuilder::good().text("/home/sagemaker-user/.local/share/jupyter/kernels/mine/kernel.json", PYTHON3_KERNEL).build();
    let s = suggestion(&facts(Some(image), None, None), Profile::StudioClassic);
    assert_eq!(names(&s), ["python3"]);
    assert!(s.notes.iter().any(|n| n.text.starts_with("\"mine\" is left out") && n.text.contains("hides it at runtime")), "{:#?}", s.notes);
}

#[test]
fn an_unsupported_user_gets_the_supported_pair_and_the_dockerfile_change() {
    let image = ImageBuilder::good()
        .text("/etc/passwd", "root:x:0:0::/root:/bin/sh\njovyan:x:1001:100::/home/jovyan:/bin/bash\n")
        .user("jovyan")
        .build();
    let s = suggestion(&facts(Some(image), None, None), Profile::StudioClassic);
    let fs = &kernel_gateway(&s).file_system_config;
    assert_eq!((fs.default_uid, fs.default_gid), (1000, 100));
    let user = note(&s, "/KernelGatewayImageConfig/FileSystemConfig/DefaultUid");
    assert!(user.text.contains("runs as 1001/100, which the app does not support"), "{}", user.text);
    assert!(user.text.contains("`RUN usermod --uid 1000 --gid 100 jovyan`"), "{}", user.text);
}

#[test]
fn root_stays_root() {
    let s = suggestion(&facts(Some(ImageBuilder::good().user("").build()), None, None), Profile::StudioClassic);
    let fs = &kernel_gateway(&s).file_system_config;
    assert_eq!((fs.default_uid, fs.default_gid), (0, 0));
}

#[test]
fn an_unusable_mount_path_and_name_are_replaced_and_tags_kept() {
    let config = app_image_config(
        r#"{"AppImageConfigName": "<AppImageConfig-Name>", "Tags": [{"Key": "team", "Value": "ml"}],
            "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"MountPath": "/usr"}}}"#,
    );
    let s = suggestion(&facts(Some(ImageBuilder::good().build()), None, Some(config)), Profile::StudioClassic);
    assert_eq!(s.config.app_image_config_name, "AppImageConfig-Name");
    assert_eq!(kernel_gateway(&s).file_system_config.mount_path, "/home/sagemaker-user");
    assert!(note(&s, "/KernelGatewayImageConfig/FileSystemConfig/MountPath").text.contains("\"/usr\" is unusable (HOME003)"));
    assert_eq!(s.config.tags, [Tag { key: "team".into(), value: "ml".into() }]);
}

#[test]
fn from_a_dockerfile_the_installed_kernels_and_the_user_line() {
    let dockerfile = DockerfileBuilder::from("python:3.11")
        .with("RUN python -m ipykernel install --name myenv --display-name 'My env'", |s, span| {
            s.kernel_installs.push(KernelInstall { name: "MyEnv".into(), display_name: Some("My env".into()), span, ..Default::default() })
        })
        .user("1000:100", Some(1000), Some(100))
        .build();
    let s = suggestion(&facts(None, Some(dockerfile), None), Profile::StudioClassic);
    assert_eq!(kernel_gateway(&s).kernel_specs, [KernelSpec { name: "myenv".into(), display_name: Some("My env".into()) }]);
    assert_eq!(note(&s, "/KernelGatewayImageConfig/KernelSpecs/0/Name").evidence.len(), 1);
    let user = note(&s, "/KernelGatewayImageConfig/FileSystemConfig/DefaultUid");
    assert!(user.text.starts_with("The Dockerfile's `USER 1000:100`") && user.text.contains("runs as 1000/100"), "{}", user.text);
}

#[test]
fn without_any_kernel_studio_s_default_is_listed_with_a_note() {
    let s = suggestion(&facts(None, Some(DockerfileBuilder::from("ubuntu:22.04").build()), None), Profile::StudioClassic);
    assert_eq!(names(&s), ["python3"]);
    assert!(note(&s, "/KernelGatewayImageConfig/KernelSpecs/0/Name").text.contains("Studio's default"));
}

fn jupyter(image: ImageBuilder) -> ImageBuilder {
    image.env("PATH", "/opt/conda/bin:/usr/bin:/bin").entry(entry("/opt/conda/bin/jupyter", FileKind::Regular, 100, 0o755, None, 0))
}

#[test]
fn an_image_without_a_start_command_gets_the_reference_jupyter_command_from_its_path() {
    let s = suggestion(&facts(Some(jupyter(ImageBuilder::good()).build()), None, None), Profile::JupyterLab);
    let container = s.config.jupyter_lab_app_image_config.as_ref().and_then(|b| b.container_config.as_ref()).expect("a ContainerConfig");
    assert_eq!(container.container_entrypoint, ["/opt/conda/bin/jupyter"]);
    assert_eq!(container.container_arguments[0], "lab");
    assert!(container.container_arguments.iter().all(|a| a.len() <= 64));
    assert!(container.container_arguments.contains(&String::from("--ServerApp.base_url=/jupyterlab/default")));
    let why = note(&s, "/JupyterLabAppImageConfig/ContainerConfig");
    assert!(why.text.contains("the image declares no start command"), "{}", why.text);
    assert!(why.text.contains("jupyter is /opt/conda/bin/jupyter on the image's PATH"), "{}", why.text);
}

#[test]
fn an_image_that_starts_its_server_needs_no_container_config() {
    let image = jupyter(ImageBuilder::good())
        .cmd(&[
            "jupyter",
            "lab",
            "--ip=0.0.0.0",
            "--ServerApp.base_url=/jupyterlab/default",
            "--ServerApp.token=",
            "--ServerApp.allow_origin=*",
        ])
        .build();
    let s = suggestion(&facts(Some(image), None, None), Profile::JupyterLab);
    assert_eq!(s.config.jupyter_lab_app_image_config, Some(NewAppImageConfig { container_config: None }));
    assert_eq!(s.to_json(), "{\n  \"AppImageConfigName\": \"custom-image-config\",\n  \"JupyterLabAppImageConfig\": {}\n}\n");
}

#[test]
fn a_start_rule_finding_brings_the_reference_command_back() {
    let long = "x".repeat(70);
    let config = app_image_config(&alloc::format!(
        r#"{{"AppImageConfigName": "ce", "CodeEditorAppImageConfig": {{"ContainerConfig": {{"ContainerEntrypoint": ["sagemaker-code-editor"], "ContainerArguments": ["{long}"], "ContainerEnvironmentVariables": {{"A": "1"}}}}}}}}"#
    ));
    let s = suggestion(&facts(Some(ImageBuilder::good().build()), None, Some(config)), Profile::CodeEditor);
    let container = s.config.code_editor_app_image_config.as_ref().and_then(|b| b.container_config.as_ref()).expect("a ContainerConfig");
    assert_eq!(container.container_entrypoint, ["sagemaker-code-editor"]);
    assert_eq!(container.container_arguments.last().map(String::as_str), Some("/CodeEditor/default"));
    assert_eq!(container.container_environment_variables.get("A").map(String::as_str), Some("1"));
    let why = note(&s, "/CodeEditorAppImageConfig/ContainerConfig");
    assert!(why.text.contains("the check reports RUN012"), "{}", why.text);
    assert!(why.text.contains("the image has no sagemaker-code-editor on its PATH"), "{}", why.text);
}

#[test]
fn a_root_image_in_the_new_apps_gets_a_note_with_the_useradd_line() {
    let image = jupyter(ImageBuilder::good()).user("").cmd(&["jupyter-lab"]).build();
    let s = suggestion(&facts(Some(image), None, None), Profile::JupyterLab);
    let user = note(&s, "");
    assert!(user.text.contains("runs as 0/0, which the app does not support (only 1000/100)"), "{}", user.text);
    assert!(user.text.contains("useradd --create-home --shell /bin/bash --uid 1000 --gid 100 sagemaker-user"), "{}", user.text);
}

#[test]
fn a_dockerfile_cmd_starting_code_editor_is_enough() {
    let cmd = "sagemaker-code-editor --host 0.0.0.0 --port 8888 --without-connection-token --base-path /CodeEditor/default";
    let dockerfile = DockerfileBuilder::from("mambaorg/micromamba")
        .with(&alloc::format!("CMD {cmd}"), |s, span| s.cmd = Some((CommandForm::Shell(cmd.into()), span)))
        .build();
    let s = suggestion(&facts(None, Some(dockerfile), None), Profile::CodeEditor);
    assert_eq!(s.config.code_editor_app_image_config, Some(NewAppImageConfig { container_config: None }));
    // The CMD line, and the FROM line whose base (micromamba) brings the ENTRYPOINT that runs it.
    assert_eq!(note(&s, "/CodeEditorAppImageConfig/ContainerConfig").evidence.len(), 2);
}

#[test]
fn a_given_container_config_that_starts_the_server_is_kept() {
    let config = app_image_config(
        r#"{"AppImageConfigName": "jl", "JupyterLabAppImageConfig": {"ContainerConfig": {"ContainerEntrypoint": ["jupyter-lab"],
            "ContainerArguments": ["--ip=0.0.0.0", "--ServerApp.base_url=/jupyterlab/default", "--ServerApp.token=", "--ServerApp.allow_origin=*"], "ContainerEnvironmentVariables": {"A": "1"}}}}"#,
    );
    let s = suggestion(&facts(Some(jupyter(ImageBuilder::good()).build()), None, Some(config)), Profile::JupyterLab);
    let container = s.config.jupyter_lab_app_image_config.as_ref().and_then(|b| b.container_config.as_ref()).expect("a ContainerConfig");
    assert_eq!(container.container_entrypoint, ["jupyter-lab"]);
    assert_eq!(container.container_arguments[1], "--ServerApp.base_url=/jupyterlab/default");
    assert_eq!(container.container_environment_variables.len(), 1);
    assert!(note(&s, "/JupyterLabAppImageConfig/ContainerConfig").text.starts_with("kept: the given ContainerConfig's command"));
}

#[test]
fn variables_beyond_the_api_limits_are_left_out_with_a_note() {
    let variables: Vec<String> = (0..27).map(|i| alloc::format!(r#""V{i:02}": "x""#)).collect();
    let config = app_image_config(&alloc::format!(
        r#"{{"AppImageConfigName": "jl", "JupyterLabAppImageConfig": {{"ContainerConfig": {{"ContainerEnvironmentVariables": {{{}}}}}}}}}"#,
        variables.join(", ")
    ));
    let image = jupyter(ImageBuilder::good()).cmd(&["jupyter", "lab"]).build();
    let s = suggestion(&facts(Some(image), None, Some(config)), Profile::JupyterLab);
    let container = s.config.jupyter_lab_app_image_config.as_ref().and_then(|b| b.container_config.as_ref()).expect("a ContainerConfig");
    assert_eq!(container.container_environment_variables.len(), 25);
    let note = note(&s, "/JupyterLabAppImageConfig/ContainerConfig/ContainerEnvironmentVariables");
    assert!(note.text.ends_with("\"V25\" and \"V26\""), "{}", note.text);
}
