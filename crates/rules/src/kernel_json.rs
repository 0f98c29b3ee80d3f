//! The content of a Jupyter kernel spec (`kernel.json`): what it runs, what it is called, and
//! what is wrong with it in words.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::json_error::json_error_text;

/// The parsed content of a `kernel.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KernelJson {
    pub argv: Vec<String>,
    pub display_name: Option<String>,
    pub language: Option<String>,
    pub env: Vec<(String, String)>,
    /// What is wrong with it, in words (empty = valid).
    pub problems: Vec<String>,
}

/// Parses and validates a kernel.json (Jupyter's kernel spec format).
pub fn parse_kernel_json(bytes: &[u8]) -> KernelJson {
    let mut out = KernelJson::default();
    let value: serde_json::Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            out.problems.push(format!("is not valid JSON (line {}, column {}: {})", e.line(), e.column(), json_error_text(&e)));
            return out;
        }
    };
    let Some(obj) = value.as_object() else {
        out.problems.push(String::from("is not a JSON object"));
        return out;
    };
    match obj.get("argv") {
        Some(serde_json::Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                match item.as_str() {
                    Some(s) => out.argv.push(String::from(s)),
                    None => out.problems.push(format!("argv[{i}] is not a string")),
                }
            }
            if items.is_empty() {
                out.problems.push(String::from("argv is empty"));
            } else if !out.argv.iter().any(|a| a.contains("{connection_file}")) {
                out.problems.push(String::from("argv does not contain {connection_file}, so the kernel cannot find its ports"));
            }
        }
        Some(_) => out.problems.push(String::from("argv is not a list of strings")),
        None => out.problems.push(String::from("argv is missing")),
    }
    match obj.get("display_name") {
        Some(serde_json::Value::String(s)) => out.display_name = Some(s.clone()),
        Some(_) => out.problems.push(String::from("display_name is not a string")),
        None => out.problems.push(String::from("display_name is missing")),
    }
    match obj.get("language") {
        Some(serde_json::Value::String(s)) => out.language = Some(s.clone()),
        Some(_) => out.problems.push(String::from("language is not a string")),
        None => out.problems.push(String::from("language is missing")),
    }
    if let Some(env) = obj.get("env") {
        match env.as_object() {
            Some(map) => {
                for (k, v) in map {
                    out.env.push((k.clone(), v.as_str().map(String::from).unwrap_or_else(|| v.to_string())));
                }
            }
            None => out.problems.push(String::from("env is not an object")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernel_json_without_connection_file_is_reported() {
        let k = parse_kernel_json(br#"{"argv": ["python", "-m", "ipykernel_launcher"], "display_name": "P", "language": "python"}"#);
        assert_eq!(k.problems.len(), 1);
        assert!(k.problems[0].contains("{connection_file}"));
    }
}
