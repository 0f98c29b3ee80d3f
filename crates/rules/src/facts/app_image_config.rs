//! Facts read from an AppImageConfig JSON document. Every value keeps the JSON pointer it came
//! from so a finding can name the exact field. Shape problems (wrong types, unknown keys,
//! missing required fields) are facts too: rules report them.

use alloc::string::String;
use alloc::vec::Vec;

/// A value with the JSON pointer of the field it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigField<T> {
    pub value: T,
    pub pointer: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KernelSpecFacts {
    pub name: Option<ConfigField<String>>,
    pub display_name: Option<ConfigField<String>>,
    /// Pointer of the spec object itself (`/KernelGatewayImageConfig/KernelSpecs/0`).
    pub pointer: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSystemConfigFacts {
    pub mount_path: Option<ConfigField<String>>,
    pub default_uid: Option<ConfigField<i64>>,
    pub default_gid: Option<ConfigField<i64>>,
    pub pointer: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KernelGatewayFacts {
    /// `None` when the `KernelSpecs` key is absent (it is required).
    pub kernel_specs: Option<ConfigField<Vec<KernelSpecFacts>>>,
    pub file_system: Option<FileSystemConfigFacts>,
    pub pointer: String,
}

/// A list of strings, each with its own pointer.
pub type ConfigWords = ConfigField<Vec<ConfigField<String>>>;
/// A variable's name, and its value with the pointer of the entry.
pub type ConfigVariable = (String, ConfigField<String>);

/// `ContainerConfig` of a JupyterLab / Code Editor block: how Studio starts the app's container.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerConfigFacts {
    pub entrypoint: Option<ConfigWords>,
    pub arguments: Option<ConfigWords>,
    /// Entries in key order (the reader's map is sorted).
    pub environment: Option<ConfigField<Vec<ConfigVariable>>>,
    pub pointer: String,
}

/// A `JupyterLabAppImageConfig` or `CodeEditorAppImageConfig` block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewAppBlockFacts {
    pub pointer: String,
    /// Pointer of a `FileSystemConfig` in the block (the API says it "is not supported").
    pub file_system: Option<String>,
    pub container: Option<ContainerConfigFacts>,
}

/// A structural problem: a field of the wrong JSON type, a key the API does not know, a
/// required field missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeProblem {
    pub pointer: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConfigForm {
    /// CreateAppImageConfig / UpdateAppImageConfig input.
    #[default]
    Request,
    /// DescribeAppImageConfig output (has `AppImageConfigArn`, `CreationTime`…).
    Describe,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagFacts {
    pub key: Option<String>,
    pub value: Option<String>,
    pub pointer: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppImageConfigFacts {
    pub file_name: String,
    pub form: ConfigForm,
    pub name: Option<ConfigField<String>>,
    pub kernel_gateway: Option<KernelGatewayFacts>,
    /// Pointers of `JupyterLabAppImageConfig` / `CodeEditorAppImageConfig` blocks, when present.
    pub jupyter_lab: Option<String>,
    pub code_editor: Option<String>,
    /// What those blocks hold, JupyterLab's first.
    pub new_app_blocks: Vec<NewAppBlockFacts>,
    pub tags: Vec<TagFacts>,
    pub shape_problems: Vec<ShapeProblem>,
    pub unknown_keys: Vec<String>,
}

/// Studio's defaults when `FileSystemConfig` (or one of its fields) is absent.
pub const DEFAULT_MOUNT_PATH: &str = "/home/sagemaker-user";
pub const DEFAULT_UID: i64 = 1000;
pub const DEFAULT_GID: i64 = 100;

/// An id Studio expects and the config field that says so (`None`: Studio's default).
pub type Expected<'a> = (i64, Option<&'a str>);

impl AppImageConfigFacts {
    /// `ContainerConfig.ContainerEnvironmentVariables` of the new apps' blocks, in order.
    pub fn container_env(&self) -> impl Iterator<Item = &ConfigVariable> {
        self.new_app_blocks.iter().filter_map(|b| b.container.as_ref()?.environment.as_ref()).flat_map(|e| e.value.iter())
    }

    pub fn file_system(&self) -> Option<&FileSystemConfigFacts> {
        self.kernel_gateway.as_ref().and_then(|kg| kg.file_system.as_ref())
    }

    /// The MountPath Studio will use, and the pointer it came from (None = default).
    pub fn mount_path(&self) -> (&str, Option<&str>) {
        match self.file_system().and_then(|fs| fs.mount_path.as_ref()) {
            Some(f) => (f.value.as_str(), Some(f.pointer.as_str())),
            None => (DEFAULT_MOUNT_PATH, None),
        }
    }

    /// (uid, gid) Studio expects, with their pointers (None = default).
    pub fn uid_gid(&self) -> (Expected<'_>, Expected<'_>) {
        let fs = self.file_system();
        let uid = fs.and_then(|f| f.default_uid.as_ref());
        let gid = fs.and_then(|f| f.default_gid.as_ref());
        (
            uid.map_or((DEFAULT_UID, None), |f| (f.value, Some(f.pointer.as_str()))),
            gid.map_or((DEFAULT_GID, None), |f| (f.value, Some(f.pointer.as_str()))),
        )
    }

    pub fn kernel_specs(&self) -> &[KernelSpecFacts] {
        self.kernel_gateway.as_ref().and_then(|kg| kg.kernel_specs.as_ref()).map(|f| f.value.as_slice()).unwrap_or(&[])
    }
}
