//! The report: the one result of a check, serialised as the JSON contract documented in the
//! README and rendered as text, Markdown and SARIF from the same value.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::Serialize;

use crate::facts::{FileEntry, FileKind, ImageSource, Input, LayerFacts, Span};
use crate::rule::{Section, Severity};

pub const TOOL_NAME: &str = "sm-image-check";
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");
/// Version of the JSON report contract; bumped on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;
/// The profile this version checks against.
pub const PROFILE: &str = "studio-classic-kernel-gateway";

/// Where a finding was observed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Location {
    /// An instruction of the Dockerfile.
    Dockerfile { file: String, line: u32, end_line: u32, text: String },
    /// A path in the image's merged file system (or in one layer, for deleted entries).
    ImageFile {
        path: String,
        layer: u32,
        file_type: FileKind,
        size: u64,
        mode: String,
        uid: u64,
        gid: u64,
        #[serde(skip_serializing_if = "Option::is_none")]
        link_target: Option<String>,
    },
    /// A field of the image config (`config.User`, `architecture`…).
    ImageConfig { field: String, value: String },
    /// A directory tree: its total file bytes and file count.
    ImageTree { path: String, bytes: u64, files: u64 },
    /// A layer as a whole.
    ImageLayer {
        layer: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        digest: Option<String>,
        size_bytes: u64,
        #[serde(skip_serializing_if = "Option::is_none")]
        created_by: Option<String>,
    },
    /// A field of the AppImageConfig, by JSON pointer (RFC 6901).
    AppImageConfig {
        file: String,
        pointer: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        value: Option<String>,
    },
}

impl Location {
    pub fn image_file(entry: &FileEntry) -> Location {
        Location::ImageFile {
            path: entry.path.clone(),
            layer: entry.layer,
            file_type: entry.kind,
            size: entry.size,
            mode: format!("{:04o}", entry.mode & 0o7777),
            uid: entry.uid,
            gid: entry.gid,
            link_target: entry.link_target.clone(),
        }
    }

    pub fn image_config(field: &str, value: impl Into<String>) -> Location {
        Location::ImageConfig { field: field.into(), value: value.into() }
    }

    pub fn config(file: &str, pointer: &str, value: Option<String>) -> Location {
        Location::AppImageConfig { file: file.into(), pointer: pointer.into(), value }
    }

    /// One-line human description, shared by the text, Markdown and SARIF renderers.
    pub fn describe(&self) -> String {
        match self {
            Location::Dockerfile { file, line, end_line, text } => {
                let lines = if end_line > line { format!("{line}-{end_line}") } else { line.to_string() };
                format!("{file}:{lines}: {text}")
            }
            Location::ImageFile { path, layer, file_type, size, mode, uid, gid, link_target } => {
                let mut s = format!("{path} ({}, layer {layer}, {uid}:{gid}, mode {mode}", file_type.label());
                if *file_type == FileKind::Regular {
                    s.push_str(", ");
                    s.push_str(&crate::text::bytes(*size));
                }
                if let Some(target) = link_target {
                    s.push_str(" -> ");
                    s.push_str(target);
                }
                s.push(')');
                s
            }
            Location::ImageConfig { field, value } => format!("image config {field} = {value:?}"),
            Location::ImageTree { path, bytes, files } => {
                format!("{path}/ ({} in {})", crate::text::bytes(*bytes), crate::text::plural(*files as usize, "file", "files"))
            }
            Location::ImageLayer { layer, size_bytes, created_by, .. } => {
                let mut s = format!("layer {layer} ({})", crate::text::bytes(*size_bytes));
                if let Some(c) = created_by {
                    s.push_str(": ");
                    s.push_str(&crate::text::shorten(c, 100));
                }
                s
            }
            Location::AppImageConfig { file, pointer, value } => match value {
                Some(v) => format!("{file} {pointer} = {v}"),
                None => format!("{file} {pointer}"),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub section: Section,
    pub message: String,
    pub locations: Vec<Location>,
    pub fix: String,
}

/// Input that could not be read (in part or at all). Not a finding: nothing about the image is
/// claimed, only that this input was not (fully) usable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputError {
    pub input: Input,
    pub file: String,
    /// Entry, line or JSON position where it went wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    pub message: String,
    /// True when the input could not be used at all (its rules were not run).
    pub fatal: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamedInput {
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Inputs {
    pub image: Option<ImageSource>,
    pub dockerfile: Option<NamedInput>,
    pub app_image_config: Option<NamedInput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KernelSummary {
    /// The name Studio knows the kernel by (what `KernelSpecs[].Name` must equal).
    pub name: String,
    /// Other names the same spec may be listed under (older nb_conda_kernels).
    pub aliases: Vec<String>,
    pub display_name: Option<String>,
    pub language: Option<String>,
    /// Directory of the kernel spec.
    pub path: String,
    pub layer: u32,
    /// How Studio finds it: `jupyter-path` or `conda-env`.
    pub found_via: &'static str,
    /// True when the home-directory mount hides it at runtime.
    pub hidden_by_mount: bool,
    pub argv: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageSummary {
    pub os: String,
    pub architecture: String,
    /// `config.User` as written ("" = root).
    pub user: String,
    pub user_name: Option<String>,
    pub uid: Option<u64>,
    pub gid: Option<u64>,
    pub size_bytes: u64,
    pub size_limit_bytes: u64,
    pub file_count: u64,
    pub layers: Vec<LayerFacts>,
    pub kernels: Vec<KernelSummary>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleStatus {
    Failed,
    Passed,
    NotChecked,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleOutcome {
    pub id: &'static str,
    pub name: &'static str,
    pub section: Section,
    pub status: RuleStatus,
    /// For `not-checked`: which input was missing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppressed {
    pub rule: &'static str,
    pub name: &'static str,
    pub reason: String,
    /// Line of the `# sm-image-check ignore=` comment.
    pub comment_line: u32,
    pub message: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: u32,
    pub warnings: u32,
    pub infos: u32,
    pub suppressed: u32,
    pub rules_passed: u32,
    pub rules_failed: u32,
    pub rules_not_checked: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// No error-severity finding in what was checked.
    Pass,
    /// At least one error: Studio will not (reliably) start the image.
    Fail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub profile: &'static str,
    pub inputs: Inputs,
    pub verdict: Verdict,
    /// The verdict in one sentence, as shown first in every output.
    pub headline: String,
    pub image: Option<ImageSummary>,
    pub findings: Vec<Finding>,
    pub rules: Vec<RuleOutcome>,
    pub suppressed: Vec<Suppressed>,
    pub input_errors: Vec<InputError>,
    pub summary: Summary,
}

impl Report {
    /// Findings at or above `level`.
    pub fn count_at_least(&self, level: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity >= level).count()
    }

    pub fn has_fatal_input_error(&self) -> bool {
        self.input_errors.iter().any(|e| e.fatal)
    }

    /// The report as the documented JSON contract (pretty-printed, trailing newline).
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        text.push('\n');
        text
    }
}

/// Dockerfile location helper used by rules.
pub fn dockerfile_location(facts: &crate::facts::DockerfileFacts, span: Span) -> Location {
    Location::Dockerfile { file: facts.file_name.clone(), line: span.start, end_line: span.end, text: facts.line_text(span) }
}
