//! Reads an AppImageConfig JSON document — a CreateAppImageConfig/UpdateAppImageConfig input, a
//! DescribeAppImageConfig output, or a ListAppImageConfigs output — into facts. Text that is not
//! JSON, or JSON that is not an object, is an input error; everything else (wrong types, unknown
//! keys, missing required fields) becomes a fact with its JSON pointer, for the rules to report.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{Map, Value};

use crate::facts::app_image_config::{
    AppImageConfigFacts, ConfigField, ConfigForm, ConfigWords, ContainerConfigFacts, FileSystemConfigFacts, KernelGatewayFacts,
    KernelSpecFacts, NewAppBlockFacts, ShapeProblem, TagFacts,
};
use crate::json_error::json_error_text;
use crate::report::InputError;
use crate::vocabulary::InputKind;

const TOP_KEYS: &[&str] =
    &["AppImageConfigName", "Tags", "KernelGatewayImageConfig", "JupyterLabAppImageConfig", "CodeEditorAppImageConfig"];
/// Keys of DescribeAppImageConfig output (and of a CLI response) that carry no configuration.
pub(crate) const DESCRIBE_KEYS: &[&str] = &["AppImageConfigArn", "CreationTime", "LastModifiedTime", "ResponseMetadata"];

/// Parses the document. `Err` only when nothing can be checked (not JSON, not an object).
pub fn parse(file_name: &str, bytes: &[u8]) -> Result<AppImageConfigFacts, InputError> {
    let fail = |at: Option<String>, message: String| InputError {
        input: InputKind::AppImageConfig,
        file: file_name.into(),
        at,
        message,
        fatal: true,
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(fail(
            None,
            String::from("the file is empty; expected AppImageConfig JSON (a CreateAppImageConfig input or DescribeAppImageConfig output)"),
        ));
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        let what =
            if looks_binary(bytes) { String::from("a binary file, not JSON") } else { format!("not valid JSON: {}", json_error_text(&e)) };
        fail(Some(format!("line {}, column {}", e.line(), e.column())), format!("{what}; expected AppImageConfig JSON"))
    })?;
    let mut facts = AppImageConfigFacts { file_name: file_name.into(), ..Default::default() };
    let mut object = match value {
        Value::Object(map) => map,
        other => {
            return Err(fail(
                Some(String::from("/")),
                format!("the document is a JSON {}, expected an object with AppImageConfigName", kind(&other)),
            ))
        }
    };
    let mut base = String::new();
    // ListAppImageConfigs output: check the first config and say so.
    if let Some(Value::Array(list)) = object.get("AppImageConfigs") {
        match list.first() {
            Some(Value::Object(first)) => {
                if list.len() > 1 {
                    facts.shape_problems.push(ShapeProblem {
                        pointer: String::from("/AppImageConfigs"),
                        message: format!("the document lists {} AppImageConfigs; only the first is checked", list.len()),
                    });
                }
                object = first.clone();
                base = String::from("/AppImageConfigs/0");
                facts.form = ConfigForm::Describe;
            }
            _ => return Err(fail(Some(String::from("/AppImageConfigs")), String::from("AppImageConfigs holds no config object"))),
        }
    }
    if DESCRIBE_KEYS.iter().any(|k| object.contains_key(*k)) {
        facts.form = ConfigForm::Describe;
    }
    let mut reader = Reader { facts: &mut facts };
    reader.top(&object, &base);
    Ok(facts)
}

fn looks_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(4096).any(|b| *b == 0)
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// RFC 6901 escaping of one reference token.
fn token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", token(key))
}

struct Reader<'f> {
    facts: &'f mut AppImageConfigFacts,
}

impl Reader<'_> {
    fn problem(&mut self, pointer: String, message: String) {
        self.facts.shape_problems.push(ShapeProblem { pointer, message });
    }

    fn unknown_keys(&mut self, map: &Map<String, Value>, pointer: &str, known: &[&str], tolerated: &[&str]) {
        for key in map.keys() {
            if !known.contains(&key.as_str()) && !tolerated.contains(&key.as_str()) {
                self.facts.unknown_keys.push(child(pointer, key));
            }
        }
    }

    fn string(&mut self, map: &Map<String, Value>, pointer: &str, key: &str, required: bool) -> Option<ConfigField<String>> {
        let p = child(pointer, key);
        match map.get(key) {
            Some(Value::String(s)) => Some(ConfigField { value: s.clone(), pointer: p }),
            Some(other) => {
                self.problem(p, format!("{key} must be a string, found a {}", kind(other)));
                None
            }
            None => {
                if required {
                    self.problem(p, format!("{key} is required"));
                }
                None
            }
        }
    }

    fn integer(&mut self, map: &Map<String, Value>, pointer: &str, key: &str) -> Option<ConfigField<i64>> {
        let p = child(pointer, key);
        match map.get(key) {
            Some(Value::Number(n)) => match n.as_i64() {
                Some(i) => Some(ConfigField { value: i, pointer: p }),
                None => {
                    self.problem(p, format!("{key} must be a whole number, found {n}"));
                    None
                }
            },
            Some(other) => {
                self.problem(p, format!("{key} must be an integer, found a {}", kind(other)));
                None
            }
            None => None,
        }
    }

    fn object<'v>(&mut self, value: &'v Value, pointer: &str, what: &str) -> Option<&'v Map<String, Value>> {
        match value {
            Value::Object(m) => Some(m),
            other => {
                self.problem(pointer.to_string(), format!("{what} must be an object, found a {}", kind(other)));
                None
            }
        }
    }

    fn top(&mut self, map: &Map<String, Value>, base: &str) {
        self.unknown_keys(map, base, TOP_KEYS, DESCRIBE_KEYS);
        self.facts.name = self.string(map, base, "AppImageConfigName", true);
        if let Some(v) = map.get("KernelGatewayImageConfig") {
            let p = child(base, "KernelGatewayImageConfig");
            if let Some(kg) = self.object(v, &p, "KernelGatewayImageConfig") {
                let facts = self.kernel_gateway(kg, &p);
                self.facts.kernel_gateway = Some(facts);
            }
        }
        for (key, slot) in [("JupyterLabAppImageConfig", 0), ("CodeEditorAppImageConfig", 1)] {
            if let Some(v) = map.get(key) {
                let p = child(base, key);
                if let Some(block) = self.object(v, &p, key) {
                    let facts = self.new_app_block(block, &p);
                    self.facts.new_app_blocks.push(facts);
                }
                if slot == 0 {
                    self.facts.jupyter_lab = Some(p);
                } else {
                    self.facts.code_editor = Some(p);
                }
            }
        }
        if let Some(v) = map.get("Tags") {
            let p = child(base, "Tags");
            match v {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let ip = format!("{p}/{i}");
                        if let Some(tag) = self.object(item, &ip, "a tag") {
                            self.unknown_keys(tag, &ip, &["Key", "Value"], &[]);
                            let key = self.string(tag, &ip, "Key", true).map(|f| f.value);
                            let value = self.string(tag, &ip, "Value", true).map(|f| f.value);
                            self.facts.tags.push(TagFacts { key, value, pointer: ip });
                        }
                    }
                }
                other => self.problem(p, format!("Tags must be an array, found a {}", kind(other))),
            }
        }
    }

    fn new_app_block(&mut self, block: &Map<String, Value>, pointer: &str) -> NewAppBlockFacts {
        self.unknown_keys(block, pointer, &["FileSystemConfig", "ContainerConfig"], &[]);
        let file_system = block.contains_key("FileSystemConfig").then(|| child(pointer, "FileSystemConfig"));
        let container = block.get("ContainerConfig").and_then(|v| {
            let p = child(pointer, "ContainerConfig");
            let map = self.object(v, &p, "ContainerConfig")?;
            Some(self.container_config(map, &p))
        });
        NewAppBlockFacts { pointer: pointer.into(), file_system, container }
    }

    fn container_config(&mut self, map: &Map<String, Value>, pointer: &str) -> ContainerConfigFacts {
        self.unknown_keys(map, pointer, &["ContainerEntrypoint", "ContainerArguments", "ContainerEnvironmentVariables"], &[]);
        let entrypoint = self.string_list(map, pointer, "ContainerEntrypoint");
        let arguments = self.string_list(map, pointer, "ContainerArguments");
        let key = "ContainerEnvironmentVariables";
        let environment = map.get(key).and_then(|v| {
            let p = child(pointer, key);
            let entries = self.object(v, &p, key)?;
            let mut pairs = Vec::new();
            for (name, value) in entries {
                let ep = child(&p, name);
                match value {
                    Value::String(s) => pairs.push((name.clone(), ConfigField { value: s.clone(), pointer: ep })),
                    other => self.problem(ep, format!("the value of {name:?} must be a string, found a {}", kind(other))),
                }
            }
            Some(ConfigField { value: pairs, pointer: p })
        });
        ContainerConfigFacts { entrypoint, arguments, environment, pointer: pointer.into() }
    }

    /// A list of strings; items of another type are shape problems and left out.
    fn string_list(&mut self, map: &Map<String, Value>, pointer: &str, key: &str) -> Option<ConfigWords> {
        let p = child(pointer, key);
        match map.get(key)? {
            Value::Array(items) => {
                let mut words = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let ip = format!("{p}/{i}");
                    match item {
                        Value::String(s) => words.push(ConfigField { value: s.clone(), pointer: ip }),
                        other => self.problem(ip, format!("{key} items must be strings, found a {}", kind(other))),
                    }
                }
                Some(ConfigField { value: words, pointer: p })
            }
            other => {
                self.problem(p, format!("{key} must be an array, found a {}", kind(other)));
                None
            }
        }
    }

    fn kernel_gateway(&mut self, kg: &Map<String, Value>, pointer: &str) -> KernelGatewayFacts {
        self.unknown_keys(kg, pointer, &["KernelSpecs", "FileSystemConfig"], &[]);
        let mut facts = KernelGatewayFacts { pointer: pointer.into(), ..Default::default() };
        let specs_pointer = child(pointer, "KernelSpecs");
        match kg.get("KernelSpecs") {
            Some(Value::Array(items)) => {
                let mut specs = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let ip = format!("{specs_pointer}/{i}");
                    if let Some(spec) = self.object(item, &ip, "a KernelSpec") {
                        self.unknown_keys(spec, &ip, &["Name", "DisplayName"], &[]);
                        let name = self.string(spec, &ip, "Name", true);
                        let display_name = self.string(spec, &ip, "DisplayName", false);
                        specs.push(KernelSpecFacts { name, display_name, pointer: ip });
                    }
                }
                facts.kernel_specs = Some(ConfigField { value: specs, pointer: specs_pointer });
            }
            Some(other) => self.problem(specs_pointer, format!("KernelSpecs must be an array, found a {}", kind(other))),
            None => {} // reported by the kernel-specs rule
        }
        if let Some(v) = kg.get("FileSystemConfig") {
            let p = child(pointer, "FileSystemConfig");
            if let Some(fs) = self.object(v, &p, "FileSystemConfig") {
                self.unknown_keys(fs, &p, &["MountPath", "DefaultUid", "DefaultGid"], &[]);
                let mount_path = self.string(fs, &p, "MountPath", false);
                let default_uid = self.integer(fs, &p, "DefaultUid");
                let default_gid = self.integer(fs, &p, "DefaultGid");
                facts.file_system = Some(FileSystemConfigFacts { mount_path, default_uid, default_gid, pointer: p });
            }
        }
        facts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_aws_sample_reads_cleanly() {
        let f = parse(
            "c.json",
            br#"{"AppImageConfigName": "custom-image-config",
                 "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3", "DisplayName": "Python 3 (ipykernel)"}],
                 "FileSystemConfig": {"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100}}}"#,
        )
        .unwrap();
        assert!(f.shape_problems.is_empty() && f.unknown_keys.is_empty());
        assert_eq!(f.kernel_specs()[0].name.as_ref().unwrap().value, "python3");
        assert_eq!(f.uid_gid().0 .0, 1000);
        assert_eq!(f.form, ConfigForm::Request);
    }

    #[test]
    fn describe_output_keys_are_tolerated() {
        let f = parse("d.json", br#"{"AppImageConfigArn": "arn:aws:sagemaker:us-east-1:123456789012:app-image-config/x", "AppImageConfigName": "x", "CreationTime": "2024-01-01T00:00:00Z", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}]}}"#).unwrap();
        assert_eq!(f.form, ConfigForm::Describe);
        assert!(f.unknown_keys.is_empty());
    }

    #[test]
    fn wrong_types_are_facts_with_pointers() {
        let f = parse("c.json", br#"{"AppImageConfigName": 3, "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "a"}], "FileSystemConfig": {"DefaultUid": "1000"}}, "Bogus": 1}"#).unwrap();
        let pointers: Vec<&str> = f.shape_problems.iter().map(|p| p.pointer.as_str()).collect();
        assert_eq!(pointers, ["/AppImageConfigName", "/KernelGatewayImageConfig/FileSystemConfig/DefaultUid"]);
        assert_eq!(f.unknown_keys, ["/Bogus"]);
    }

    #[test]
    fn container_config_is_read_with_pointers() {
        let f = parse(
            "c.json",
            br#"{"AppImageConfigName": "x", "JupyterLabAppImageConfig": {"FileSystemConfig": {}, "ContainerConfig": {
                "ContainerEntrypoint": ["jupyter-lab"], "ContainerArguments": ["--ServerApp.ip=0.0.0.0", 3],
                "ContainerEnvironmentVariables": {"A/B": "1", "C": 2}}}}"#,
        )
        .unwrap();
        let block = &f.new_app_blocks[0];
        assert_eq!(block.file_system.as_deref(), Some("/JupyterLabAppImageConfig/FileSystemConfig"));
        let c = block.container.as_ref().unwrap();
        assert_eq!(c.entrypoint.as_ref().unwrap().value[0].value, "jupyter-lab");
        assert_eq!(c.arguments.as_ref().unwrap().value.len(), 1);
        let env = &c.environment.as_ref().unwrap().value;
        assert_eq!(env[0].1.pointer, "/JupyterLabAppImageConfig/ContainerConfig/ContainerEnvironmentVariables/A~1B");
        let pointers: Vec<&str> = f.shape_problems.iter().map(|p| p.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/JupyterLabAppImageConfig/ContainerConfig/ContainerArguments/1",
                "/JupyterLabAppImageConfig/ContainerConfig/ContainerEnvironmentVariables/C"
            ]
        );
    }

    #[test]
    fn invalid_json_names_line_and_column() {
        let e = parse("c.json", b"{\n  \"AppImageConfigName\": \"x\",\n}").unwrap_err();
        assert_eq!(e.at.as_deref(), Some("line 3, column 1"));
        assert!(e.message.contains("not valid JSON"), "{}", e.message);
    }

    #[test]
    fn binary_and_empty_files_are_refused_clearly() {
        assert!(parse("c.json", b"").unwrap_err().message.contains("empty"));
        assert!(parse("c.json", b"\x7fELF\x00\x01").unwrap_err().message.contains("binary"));
        assert!(parse("c.json", b"[1]").unwrap_err().message.contains("JSON array"));
    }
}
