//! What a rule is: one declaration with everything the tool says about it (ID, name, the spec
//! sentence it enforces, severity, inputs, explanation, fix) beside the check itself. The CLI's
//! rule list, the page's rule pages, SARIF `rules[]` and the README table are generated from it.

use alloc::string::String;
use alloc::vec::Vec;

use crate::capture::FilePattern;
use crate::context::Context;
use crate::facts::{Facts, Input};
use crate::report::{Finding, Location};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const fn label(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// The sections of the specification, in its order; `heading()` is the spec's own heading text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    RunningTheImage,
    StoppingTheImage,
    KernelDiscovery,
    FileSystem,
    UserData,
    GidUidLimits,
    Metadata,
    Gpu,
    MetricsAndLogging,
    ImageSize,
}

impl Section {
    pub const ALL: [Section; 10] = [
        Section::RunningTheImage,
        Section::StoppingTheImage,
        Section::KernelDiscovery,
        Section::FileSystem,
        Section::UserData,
        Section::GidUidLimits,
        Section::Metadata,
        Section::Gpu,
        Section::MetricsAndLogging,
        Section::ImageSize,
    ];

    pub const fn heading(self) -> &'static str {
        match self {
            Section::RunningTheImage => "Running the image",
            Section::StoppingTheImage => "Stopping the image",
            Section::KernelDiscovery => "Kernel discovery",
            Section::FileSystem => "File system",
            Section::UserData => "User data",
            Section::GidUidLimits => "GID/UID limits",
            Section::Metadata => "Metadata",
            Section::Gpu => "GPU",
            Section::MetricsAndLogging => "Metrics and logging",
            Section::ImageSize => "Image size",
        }
    }
}

impl serde::Serialize for Section {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.heading())
    }
}

/// One rule, declared once.
pub struct Rule {
    /// Stable identifier, never reused (`UID001`).
    pub id: &'static str,
    /// Kebab-case name (`uid-gid-not-supported`).
    pub name: &'static str,
    pub section: Section,
    /// The sentence of the specification this rule enforces, quoted.
    pub spec: &'static str,
    pub severity: Severity,
    /// The inputs the rule needs: every inner list must have at least one input present.
    pub requires: &'static [&'static [Input]],
    /// Files whose content the rule reads from the image.
    pub needs_files: &'static [FilePattern],
    /// One line: what goes wrong.
    pub summary: &'static str,
    /// Why it matters, for the rule page.
    pub explanation: &'static str,
    /// The general fix, imperative.
    pub fix: &'static str,
    pub check: fn(&Context<'_>, &mut Findings<'_>),
}

impl core::fmt::Debug for Rule {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Rule").field("id", &self.id).field("name", &self.name).finish()
    }
}

impl Rule {
    /// Whether the given facts have what this rule needs.
    pub fn applies_to(&self, facts: &Facts<'_>) -> bool {
        self.requires.iter().all(|any| any.iter().any(|input| facts.has(*input)))
    }

    /// The inputs missing for this rule, in words ("an image archive or a Dockerfile").
    pub fn missing_inputs(&self, facts: &Facts<'_>) -> Option<String> {
        let missing: Vec<&[Input]> = self.requires.iter().copied().filter(|any| !any.iter().any(|i| facts.has(*i))).collect();
        if missing.is_empty() {
            return None;
        }
        let parts: Vec<String> = missing.iter().map(|any| any.iter().map(|i| i.label()).collect::<Vec<_>>().join(" or ")).collect();
        Some(parts.join(" and "))
    }

    pub fn matches_key(&self, key: &str) -> bool {
        self.id.eq_ignore_ascii_case(key) || self.name.eq_ignore_ascii_case(key)
    }
}

/// Collects the findings of one rule.
pub struct Findings<'r> {
    rule: &'r Rule,
    found: Vec<Finding>,
}

impl<'r> Findings<'r> {
    pub fn new(rule: &'r Rule) -> Findings<'r> {
        Findings { rule, found: Vec::new() }
    }

    /// Records a finding with the rule's default severity and fix; returns it to add evidence.
    pub fn report(&mut self, message: String) -> &mut Finding {
        self.found.push(Finding {
            rule: self.rule.id,
            name: self.rule.name,
            severity: self.rule.severity,
            section: self.rule.section,
            message,
            locations: Vec::new(),
            fix: String::from(self.rule.fix),
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
    /// Weaker evidence (a Dockerfile heuristic where the image could say otherwise).
    pub fn severity(&mut self, severity: Severity) -> &mut Finding {
        self.severity = severity;
        self
    }
}
