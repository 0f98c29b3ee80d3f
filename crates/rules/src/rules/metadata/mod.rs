//! Spec section "Metadata": Studio provides `/opt/ml/metadata/resource-metadata.json` and adds no
//! environment variables.

pub mod metadata_file_shipped;
pub mod studio_overrides_environment_variable;
pub mod undefined_environment_variable;

/// Spec: "A metadata file is located at /opt/ml/metadata/resource-metadata.json."
pub const METADATA_FILE: &str = "/opt/ml/metadata/resource-metadata.json";
