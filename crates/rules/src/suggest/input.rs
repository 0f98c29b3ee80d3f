//! The CreateAppImageConfig input (SageMaker API 2017-07-24) as the suggestion writes it: the
//! API's field names, absent optional fields left out, map keys in order.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AppImageConfigInput {
    pub app_image_config_name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kernel_gateway_image_config: Option<KernelGatewayImageConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jupyter_lab_app_image_config: Option<NewAppImageConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_editor_app_image_config: Option<NewAppImageConfig>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct KernelGatewayImageConfig {
    pub kernel_specs: Vec<KernelSpec>,
    pub file_system_config: FileSystemConfig,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct KernelSpec {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FileSystemConfig {
    pub mount_path: String,
    pub default_uid: u64,
    pub default_gid: u64,
}

/// `JupyterLabAppImageConfig` / `CodeEditorAppImageConfig` (`{}` when the image starts itself).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NewAppImageConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_config: Option<ContainerConfig>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerConfig {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub container_entrypoint: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub container_arguments: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub container_environment_variables: BTreeMap<String, String>,
}
