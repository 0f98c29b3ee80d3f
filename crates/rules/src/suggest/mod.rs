//! A suggested AppImageConfig: the CreateAppImageConfig input that fits what the checker knows
//! about the image (the archive, else the Dockerfile) for the chosen profile, starting from the
//! AppImageConfig the user gave, if any. Every suggested value carries a [`Note`] saying why
//! (which fact, file or line). Computed from the facts and the check's [`Report`] (the chosen
//! profile, and the findings that say a given value is unusable), so the CLI and the page get the
//! same JSON from the same inputs.

mod diff;
mod input;
mod kernel_gateway;
mod name;
mod new_app;
mod user;

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::facts::Facts;
use crate::report::{Location, Report};
use crate::vocabulary::Profile;

pub use diff::{changes, FieldChange};
pub use input::{AppImageConfigInput, ContainerConfig, FileSystemConfig, KernelGatewayImageConfig, KernelSpec, NewAppImageConfig, Tag};
pub use kernel_gateway::MAX_KERNEL_SPECS;
pub use new_app::START_RULES;

/// Why one suggested value is what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// JSON pointer of the suggested field the note is about (`""`: the whole config).
    pub field: String,
    pub text: String,
    /// The facts it rests on: Dockerfile lines, image files and config fields, AppImageConfig fields.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Location>,
}

impl Note {
    pub(crate) fn new(field: &str, text: String, evidence: Vec<Location>) -> Note {
        Note { field: String::from(field), text, evidence }
    }
}

/// The suggested CreateAppImageConfig input and why each value is what it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    /// The app the config is for (the check's profile).
    pub profile: Profile,
    pub config: AppImageConfigInput,
    pub notes: Vec<Note>,
    /// The fields that differ from the given AppImageConfig (`None`: none given, or not a JSON
    /// object). Filled by the caller that holds the given text (see [`changes`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<Vec<FieldChange>>,
}

impl Suggestion {
    /// The CreateAppImageConfig input as pretty JSON (two-space indent, a final line break):
    /// what `sm-image-check suggest-config` prints and the page shows.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.config).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The notes as text, one paragraph per note: the field, why, and its evidence.
    pub fn notes_text(&self) -> String {
        let mut out = String::new();
        for note in &self.notes {
            let field = if note.field.is_empty() { "(whole config)" } else { note.field.as_str() };
            out.push_str(field);
            out.push_str(": ");
            out.push_str(&note.text);
            out.push('\n');
            for location in &note.evidence {
                out.push_str("    at ");
                out.push_str(&location.describe());
                out.push('\n');
            }
        }
        out
    }

    /// The changes as text, one line per field (empty when there are none to show).
    pub fn changes_text(&self) -> String {
        let Some(changes) = &self.changes else {
            return String::new();
        };
        if changes.is_empty() {
            return String::from("The given AppImageConfig already has these values.\n");
        }
        let mut out = String::from("Changes from the given AppImageConfig:\n");
        for c in changes {
            let given = c.given.as_deref().unwrap_or("(absent)");
            let suggested = c.suggested.as_deref().unwrap_or("(left out)");
            out.push_str(&alloc::format!("  {}: {given} -> {suggested}\n", c.pointer));
        }
        out
    }
}

/// The AppImageConfig to create for the report's profile, from the facts the report was made of.
pub fn suggest(facts: &Facts<'_>, report: &Report) -> Suggestion {
    let profile = report.profile.id;
    let mut notes = Vec::new();
    let given = facts.app_image_config.as_ref();
    let mut config = AppImageConfigInput {
        app_image_config_name: name::suggest(facts, &mut notes),
        tags: name::kept_tags(given, report, &mut notes),
        ..AppImageConfigInput::default()
    };
    match profile {
        Profile::StudioClassic => config.kernel_gateway_image_config = Some(kernel_gateway::suggest(facts, report, &mut notes)),
        Profile::JupyterLab => config.jupyter_lab_app_image_config = Some(new_app::suggest(facts, report, &mut notes)),
        Profile::CodeEditor => config.code_editor_app_image_config = Some(new_app::suggest(facts, report, &mut notes)),
    }
    Suggestion { profile, config, notes, changes: None }
}

/// Whether the report has a finding of rule `id` (its given value is unusable).
pub(crate) fn reported(report: &Report, id: &str) -> bool {
    report.findings.iter().any(|f| f.rule == id)
}

#[cfg(test)]
mod tests;
