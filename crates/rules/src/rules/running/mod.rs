//! Spec section "Running the image": ENTRYPOINT/CMD are overridden, port 8888 is reserved, and
//! the image must run as a KernelGateway app on Studio's x86_64 instances with a usable
//! AppImageConfig.

pub mod architecture_not_amd64;
pub mod build_platform_not_pinned;
pub mod config_malformed;
pub mod config_name_invalid;
pub mod config_not_kernel_gateway;
pub mod config_several_app_types;
pub mod config_tags_invalid;
pub mod container_config_limits;
pub mod entrypoint_cmd_ignored;
pub mod entrypoint_does_setup;
pub mod file_system_config_in_new_app;
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
