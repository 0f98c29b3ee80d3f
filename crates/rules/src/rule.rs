//! What a rule is: one declaration with everything the tool says about it (ID, name, the spec
//! sentence it enforces, severity, the Studio apps it holds for, inputs, explanation, fix) beside the check itself. The CLI's
//! rule list, the page's rule pages, SARIF `rules[]` and the README table are generated from it.

use alloc::string::String;
use alloc::vec::Vec;

use crate::context::Context;
use crate::facts::Facts;
use crate::report::Findings;
use crate::vocabulary::{FilePattern, InputKind, Profile, Section, Severity, Stage};

/// Whether an example shows the problem (the rule fires) or its fix (it does not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExampleKind {
    Bad,
    Good,
}

impl ExampleKind {
    pub const fn label(self) -> &'static str {
        match self {
            ExampleKind::Bad => "Bad",
            ExampleKind::Good => "Good",
        }
    }
}

/// An input that fires the rule ([`ExampleKind::Bad`]) or one that does not ([`ExampleKind::Good`]): any
/// of Dockerfile lines, AppImageConfig JSON and an image description (the line format of
/// [`crate::image_description`]). The rule pages show them; one test runs them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Example {
    pub kind: ExampleKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dockerfile: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_image_config: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<&'static str>,
}

impl Example {
    pub const fn bad() -> Example {
        Example { kind: ExampleKind::Bad, dockerfile: None, app_image_config: None, image: None }
    }
    pub const fn good() -> Example {
        Example { kind: ExampleKind::Good, dockerfile: None, app_image_config: None, image: None }
    }
    pub const fn dockerfile(self, text: &'static str) -> Example {
        Example { dockerfile: Some(text), ..self }
    }
    pub const fn app_image_config(self, json: &'static str) -> Example {
        Example { app_image_config: Some(json), ..self }
    }
    pub const fn image(self, description: &'static str) -> Example {
        Example { image: Some(description), ..self }
    }

    /// What the pages call an input of an example: an image is described, not an archive.
    pub const fn input_label(kind: InputKind) -> &'static str {
        match kind {
            InputKind::Image => "image description",
            other => other.label(),
        }
    }

    /// Each input of the example with its kind, in the order the pages show them.
    pub fn inputs(&self) -> impl Iterator<Item = (InputKind, &'static str)> {
        [(InputKind::Image, self.image), (InputKind::Dockerfile, self.dockerfile), (InputKind::AppImageConfig, self.app_image_config)]
            .into_iter()
            .filter_map(|(kind, text)| Some((kind, text?)))
    }
}

/// Where a user meets an error message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SeenIn {
    /// Studio's UI: the app's or space's status and failure reason (also DescribeApp's `FailureReason`).
    Studio,
    /// The app's CloudWatch log stream.
    CloudWatch,
    /// A notebook, terminal or kernel in the running app.
    Notebook,
}

impl SeenIn {
    pub const fn label(self) -> &'static str {
        match self {
            SeenIn::Studio => "Studio",
            SeenIn::CloudWatch => "CloudWatch",
            SeenIn::Notebook => "a notebook or terminal",
        }
    }
}

/// An error message a rule's problem causes, as the user sees it: `{name}` stands for a variable
/// part (a kernel name, an ARN, a path), matched by any text. `sm-image-check explain` and the
/// page's look-up box rank rules by these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ErrorMessage {
    pub text: &'static str,
    pub seen_in: SeenIn,
}

impl ErrorMessage {
    pub const fn studio(text: &'static str) -> ErrorMessage {
        ErrorMessage { text, seen_in: SeenIn::Studio }
    }
    pub const fn cloudwatch(text: &'static str) -> ErrorMessage {
        ErrorMessage { text, seen_in: SeenIn::CloudWatch }
    }
    pub const fn notebook(text: &'static str) -> ErrorMessage {
        ErrorMessage { text, seen_in: SeenIn::Notebook }
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
    /// The launch stage at which this problem makes Studio fail (image pull, container start,
    /// server start, kernel discovery, kernel start…), or [`Stage::Never`] when it never stops a
    /// launch. The report's `stages` and the "fails at …" headline are built from it.
    pub stage: Stage,
    /// The Studio and CloudWatch error messages this problem causes (`&[]` when none is known);
    /// the error look-up (`sm-image-check explain`) ranks rules by them.
    pub explains: &'static [ErrorMessage],
    /// The Studio apps the rule holds for (most rules: [`Profile::EVERY`]).
    pub profiles: &'static [Profile],
    /// The inputs the rule needs: every inner list must have at least one input present.
    pub requires: &'static [&'static [InputKind]],
    /// Files whose content the rule reads from the image.
    pub needs_files: &'static [FilePattern],
    /// One line: what goes wrong.
    pub summary: &'static str,
    /// Why it matters, for the rule page.
    pub explanation: &'static str,
    /// The general fix, imperative.
    pub fix: &'static str,
    /// At least one input that fires the rule and one that does not.
    pub examples: &'static [Example],
    pub check: fn(&Context<'_>, &mut Findings),
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
        let missing: Vec<&[InputKind]> = self.requires.iter().copied().filter(|any| !any.iter().any(|i| facts.has(*i))).collect();
        if missing.is_empty() {
            return None;
        }
        let parts: Vec<String> = missing.iter().map(|any| any.iter().map(|i| i.label()).collect::<Vec<_>>().join(" or ")).collect();
        Some(parts.join(" and "))
    }

    pub fn belongs_to(&self, profile: Profile) -> bool {
        self.profiles.contains(&profile)
    }

    /// The profiles' ids joined with ", " (what the rule pages and the rule list show).
    pub fn profile_ids(&self) -> String {
        self.profiles.iter().map(|p| p.id()).collect::<Vec<_>>().join(", ")
    }

    /// Where the rule holds, in words for the rule lists: "every profile" or the ids.
    pub fn profile_scope(&self) -> String {
        if Profile::ALL.iter().all(|p| self.belongs_to(*p)) {
            String::from("every profile")
        } else {
            self.profile_ids()
        }
    }

    pub fn matches_key(&self, key: &str) -> bool {
        self.id.eq_ignore_ascii_case(key) || self.name.eq_ignore_ascii_case(key)
    }

    /// An empty collection for this rule's findings.
    pub fn findings(&self) -> Findings {
        Findings::new(self.id, self.name, self.section, self.severity, self.fix)
    }
}
