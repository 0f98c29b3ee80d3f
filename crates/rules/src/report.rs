//! The report: the one result of a check, serialised as the JSON contract documented in the
//! README and rendered as text, Markdown and SARIF from the same value. It reads back from that
//! JSON too (the page shows the report its worker sent). A [`Finding`] is built here as well:
//! [`Findings`] collects a rule's findings and the builder methods add evidence.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

mod profile;

pub use profile::{ChosenProfile, OtherProfile};

use crate::facts::{DockerfileFacts, FileEntry, FileKind, ImageSource, LayerFacts, Span};
use crate::launch::StageOutcome;
use crate::patch::Patch;
use crate::vocabulary::{InputKind, Section, Severity};

/// Text that is usually a rule's declared `&'static str` but reads back from JSON as an owned
/// string.
pub type Text = Cow<'static, str>;

pub const TOOL_NAME: &str = "sm-image-check";
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");
/// Version of the JSON report contract; bumped on incompatible changes.
pub const SCHEMA_VERSION: u32 = 3;

/// Where a finding was observed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

    pub fn app_image_config(file: &str, pointer: &str, value: Option<String>) -> Location {
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: Text,
    pub name: Text,
    pub severity: Severity,
    pub section: Section,
    pub message: String,
    pub locations: Vec<Location>,
    pub fix: String,
    /// The change of the Dockerfile that removes the finding, when the rule can make one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patch: Option<Patch>,
}

/// Input that could not be read (in part or at all). Not a finding: nothing about the image is
/// claimed, only that this input was not (fully) usable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputError {
    pub input: InputKind,
    pub file: String,
    /// Entry, line or JSON position where it went wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    pub message: String,
    /// True when the input could not be used at all (its rules were not run).
    pub fatal: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    pub name: Text,
    pub version: Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedInput {
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inputs {
    pub image: Option<ImageSource>,
    pub dockerfile: Option<NamedInput>,
    pub app_image_config: Option<NamedInput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    pub found_via: Text,
    /// True when the home-directory mount hides it at runtime.
    pub hidden_by_mount: bool,
    pub argv: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleStatus {
    Failed,
    Passed,
    NotChecked,
    /// The rule is not part of the profile the image is checked for.
    NotApplicable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleOutcome {
    pub id: Text,
    pub name: Text,
    pub section: Section,
    pub status: RuleStatus,
    /// For `not-checked`: which input was missing; for `not-applicable`: which profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppressed {
    pub rule: Text,
    pub name: Text,
    pub reason: String,
    /// Line of the `# sm-image-check ignore=` comment.
    pub comment_line: u32,
    pub message: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub errors: u32,
    pub warnings: u32,
    pub infos: u32,
    pub suppressed: u32,
    pub rules_passed: u32,
    pub rules_failed: u32,
    pub rules_not_checked: u32,
    pub rules_not_applicable: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// No error-severity finding in what was checked.
    Pass,
    /// At least one error: Studio will not (reliably) start the image.
    Fail,
}

impl Verdict {
    /// As the JSON spells it: `pass` or `fail`.
    pub const fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub profile: ChosenProfile,
    pub inputs: Inputs,
    pub verdict: Verdict,
    /// The verdict in one sentence, as shown first in every output.
    pub headline: String,
    /// The two profiles not chosen, in `Profile::ALL` order: their verdicts on the same inputs.
    pub other_profiles: Vec<OtherProfile>,
    /// The launch, stage by stage: where Studio fails first, and the stages it never reaches.
    pub stages: Vec<StageOutcome>,
    pub image: Option<ImageSummary>,
    pub findings: Vec<Finding>,
    pub rules: Vec<RuleOutcome>,
    pub suppressed: Vec<Suppressed>,
    pub input_errors: Vec<InputError>,
    pub summary: Summary,
    /// Every finding's patch in one (`check --format patch` prints its diff); overlapping
    /// patches are left out and named in its description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patch: Option<Patch>,
}

impl Report {
    /// Findings at or above `level`.
    pub fn count_at_least(&self, level: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity >= level).count()
    }

    pub fn has_fatal_input_error(&self) -> bool {
        self.input_errors.iter().any(|e| e.fatal)
    }

    /// The findings of each section of the specification, in its order; sections without
    /// findings are left out. Every renderer (text, Markdown, the page) shows them so.
    pub fn findings_by_section(&self) -> Vec<(Section, Vec<&Finding>)> {
        Section::ALL
            .into_iter()
            .map(|section| (section, self.findings.iter().filter(|f| f.section == section).collect::<Vec<_>>()))
            .filter(|(_, found)| !found.is_empty())
            .collect()
    }

    /// The report as the documented JSON contract (pretty-printed, trailing newline).
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        text.push('\n');
        text
    }
}

/// Dockerfile location helper used by rules.
pub fn dockerfile_location(facts: &DockerfileFacts, span: Span) -> Location {
    Location::Dockerfile { file: facts.file_name.clone(), line: span.start, end_line: span.end, text: facts.line_text(span) }
}

/// Collects the findings of one rule, each starting with the rule's identity, default severity
/// and general fix.
pub struct Findings {
    rule: &'static str,
    name: &'static str,
    section: Section,
    severity: Severity,
    fix: &'static str,
    found: Vec<Finding>,
}

impl Findings {
    pub fn new(rule: &'static str, name: &'static str, section: Section, severity: Severity, fix: &'static str) -> Findings {
        Findings { rule, name, section, severity, fix, found: Vec::new() }
    }

    /// Records a finding with the rule's default severity and fix; returns it to add evidence.
    pub fn report(&mut self, message: String) -> &mut Finding {
        self.found.push(Finding {
            rule: Cow::Borrowed(self.rule),
            name: Cow::Borrowed(self.name),
            severity: self.severity,
            section: self.section,
            message,
            locations: Vec::new(),
            fix: String::from(self.fix),
            patch: None,
        });
        let last = self.found.len() - 1;
        &mut self.found[last]
    }

    pub fn into_vec(self) -> Vec<Finding> {
        self.found
    }
}

impl Finding {
    pub fn at(&mut self, location: Location) -> &mut Finding {
        self.locations.push(location);
        self
    }
    pub fn at_all(&mut self, locations: impl IntoIterator<Item = Location>) -> &mut Finding {
        self.locations.extend(locations);
        self
    }
    /// Replaces the rule's general fix with one specific to what was found.
    pub fn fix(&mut self, fix: String) -> &mut Finding {
        self.fix = fix;
        self
    }
    /// Attaches the Dockerfile change that removes the finding (nothing when `None`).
    pub fn patch(&mut self, patch: Option<Patch>) -> &mut Finding {
        if patch.is_some() {
            self.patch = patch;
        }
        self
    }
    /// Weaker evidence (a Dockerfile heuristic where the image could say otherwise).
    pub fn severity(&mut self, severity: Severity) -> &mut Finding {
        self.severity = severity;
        self
    }
}
