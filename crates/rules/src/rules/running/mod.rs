//! Spec section "Running the image": in Studio Classic ENTRYPOINT/CMD are overridden and port
//! 8888 is reserved; in the new Studio's apps the start command must launch the app's server on
//! 0.0.0.0:8888 with its base URL and without authentication; the image must run on Studio's
//! x86_64 instances with a usable AppImageConfig.

pub mod app_server_not_started;
pub mod architecture_not_amd64;
pub mod build_platform_not_pinned;
pub mod code_editor_settings;
pub mod config_malformed;
pub mod config_name_invalid;
pub mod config_not_kernel_gateway;
pub mod config_several_app_types;
pub mod config_tags_invalid;
pub mod container_config_limits;
pub mod entrypoint_cmd_ignored;
pub mod entrypoint_does_setup;
pub mod file_system_config_in_new_app;
pub mod inherited_entrypoint;
pub mod jupyter_server_settings;
pub mod jupyterlab_version;
pub mod kernel_gateway_config_for_new_app;
pub mod port_8888_exposed;
pub mod server_on_port_8888;

/// Spec: "ENTRYPOINT and CMD instructions are overridden to enable the image to run as a
/// KernelGateway app."
pub(crate) const SPEC_ENTRYPOINT: &str =
    "ENTRYPOINT and CMD instructions are overridden to enable the image to run as a KernelGateway app.";
/// Spec: the AppImageConfig is what the CreateAppImageConfig API accepts.
pub(crate) const SPEC_APP_IMAGE_CONFIG_API: &str = "You can specify these values using the CreateAppImageConfig API.";
/// The spec's preamble, with the fact it implies for the platform.
pub(crate) const SPEC_PLATFORM: &str =
    "The following specifications apply to the container image that is represented by a SageMaker image version. \
(Every Studio Classic KernelGateway instance type is x86_64.)";
/// Spec: "Port 8888 in the image is reserved for running the KernelGateway web server."
pub(crate) const SPEC_PORT: &str = "Port 8888 in the image is reserved for running the KernelGateway web server.";
/// Spec (new Studio): the image's ENTRYPOINT/CMD or the AppImageConfig's ContainerConfig start the app.
pub(crate) const SPEC_NEW_APP_ENTRYPOINT: &str = "You can configure `ContainerEntrypoint` and `ContainerArguments` that are passed \
to the container at runtime. We recommend configuring your entry point using `ContainerConfig`.";
/// Spec (new Studio, JupyterLab): what the Jupyter server must look like.
pub(crate) const SPEC_JUPYTERLAB_SERVER: &str = "The base URL for the BYOI application must be `jupyterlab/default`. \
SageMaker AI uses the health check endpoint at port `8888` to check the health of the JupyterLab application. \
Authentication – … turn off the Jupyter notebooks token or password based authentication and allow all origins.";
/// Spec (new Studio, Code Editor): what the Code Editor server must look like.
pub(crate) const SPEC_CODE_EDITOR_SERVER: &str = "The base URL for the BYOI application must be `CodeEditor/default`. \
You must host your Code Editor server at 0.0.0.0 port 8888. You must pass `--without-connection-token` when opening \
`sagemaker-code-editor`.";
