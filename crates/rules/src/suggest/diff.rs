//! The suggested AppImageConfig against the one the user gave, field by field: every JSON leaf
//! (by JSON pointer) whose value differs, is new, or is gone. Describe-only keys (ARN, times)
//! are not part of a CreateAppImageConfig input and are left out; of a ListAppImageConfigs
//! output the first config is compared, as the check reads it.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::AppImageConfigInput;
use crate::app_image_config::DESCRIBE_KEYS;

/// One field that differs: `given` is `None` for a field the suggestion adds, `suggested` is
/// `None` for one it leaves out. Values are compact JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub pointer: String,
    pub given: Option<String>,
    pub suggested: Option<String>,
}

/// The fields where `suggested` differs from the given AppImageConfig JSON; `None` when the given
/// text is not a JSON object (the check reports why).
pub fn changes(given_json: &[u8], suggested: &AppImageConfigInput) -> Option<Vec<FieldChange>> {
    let given: Value = serde_json::from_slice(given_json).ok()?;
    let given = match given.get("AppImageConfigs").and_then(|list| list.get(0)) {
        Some(first) => first.clone(),
        None => given,
    };
    let Value::Object(mut map) = given else {
        return None;
    };
    for key in DESCRIBE_KEYS {
        map.remove(*key);
    }
    let given = leaves(&Value::Object(map));
    let suggested = leaves(&serde_json::to_value(suggested).ok()?);
    let mut out: Vec<FieldChange> = Vec::new();
    for (pointer, value) in &suggested {
        let before = given.iter().find(|(p, _)| p == pointer).map(|(_, v)| v.clone());
        if before.as_ref() != Some(value) {
            out.push(FieldChange { pointer: pointer.clone(), given: before, suggested: Some(value.clone()) });
        }
    }
    for (pointer, value) in &given {
        if !suggested.iter().any(|(p, _)| p == pointer) {
            out.push(FieldChange { pointer: pointer.clone(), given: Some(value.clone()), suggested: None });
        }
    }
    Some(out)
}

/// Every leaf of a JSON value with its pointer, object keys in sorted order; empty objects and arrays are
/// leaves too (`"JupyterLabAppImageConfig": {}` says something).
fn leaves(value: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk(value, &mut String::new(), &mut out);
    out
}

fn walk(value: &Value, pointer: &mut String, out: &mut Vec<(String, String)>) {
    let at = pointer.len();
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, child) in map {
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                walk(child, pointer, out);
                pointer.truncate(at);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, child) in items.iter().enumerate() {
                pointer.push('/');
                pointer.push_str(&alloc::format!("{i}"));
                walk(child, pointer, out);
                pointer.truncate(at);
            }
        }
        leaf => out.push((pointer.clone(), serde_json::to_string(leaf).unwrap_or_default())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suggest::{KernelGatewayImageConfig, KernelSpec};

    fn suggested() -> AppImageConfigInput {
        AppImageConfigInput {
            app_image_config_name: "x".into(),
            kernel_gateway_image_config: Some(KernelGatewayImageConfig {
                kernel_specs: alloc::vec![KernelSpec { name: "python3".into(), display_name: None }],
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn changed_added_and_removed_fields_are_listed_by_pointer() {
        let given = br#"{"AppImageConfigName": "x", "AppImageConfigArn": "arn:aws:sagemaker:r:1:app-image-config/x",
            "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "Python3", "DisplayName": "P"}]}}"#;
        let found = changes(given, &suggested()).unwrap();
        let shown: Vec<(&str, Option<&str>, Option<&str>)> =
            found.iter().map(|c| (c.pointer.as_str(), c.given.as_deref(), c.suggested.as_deref())).collect();
        assert_eq!(
            shown,
            [
                ("/KernelGatewayImageConfig/FileSystemConfig/DefaultGid", None, Some("0")),
                ("/KernelGatewayImageConfig/FileSystemConfig/DefaultUid", None, Some("0")),
                ("/KernelGatewayImageConfig/FileSystemConfig/MountPath", None, Some("\"\"")),
                ("/KernelGatewayImageConfig/KernelSpecs/0/Name", Some("\"Python3\""), Some("\"python3\"")),
                ("/KernelGatewayImageConfig/KernelSpecs/0/DisplayName", Some("\"P\""), None),
            ]
        );
    }

    #[test]
    fn the_same_config_has_no_changes_and_a_list_output_compares_its_first() {
        let given = br#"{"AppImageConfigs": [{"AppImageConfigName": "x", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}],
            "FileSystemConfig": {"MountPath": "", "DefaultUid": 0, "DefaultGid": 0}}}]}"#;
        assert_eq!(changes(given, &suggested()), Some(Vec::new()));
        assert_eq!(changes(b"[1]", &suggested()), None);
        assert_eq!(changes(b"{", &suggested()), None);
    }
}
