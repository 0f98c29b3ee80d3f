//! The report's profiles: the one the image was checked for (and why), and the verdicts the same
//! inputs get under the others, so a user sees at once whether another Studio app would take
//! the image.

use alloc::format;
use alloc::string::String;

use serde::{Deserialize, Serialize};

use super::Verdict;
use crate::vocabulary::Profile;

/// The profile the image was checked for, and why that one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChosenProfile {
    pub id: Profile,
    /// In words: "chosen with --profile (or the page's profile selector)", "from the
    /// AppImageConfig's JupyterLabAppImageConfig"…
    pub reason: String,
}

impl ChosenProfile {
    /// "jupyterlab — from the AppImageConfig's JupyterLabAppImageConfig": how every output names it.
    pub fn describe(&self) -> String {
        format!("{} — {}", self.id.id(), self.reason)
    }
}

/// The verdict the same inputs get under a profile that was not chosen: what switching to it
/// would say, without its findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherProfile {
    pub id: Profile,
    pub verdict: Verdict,
    pub errors: u32,
    pub warnings: u32,
    /// That profile's headline ("Studio's JupyterLab app will not start this image: 2 errors.").
    pub headline: String,
}

impl OtherProfile {
    /// "jupyterlab: fail — Studio's JupyterLab app will not start …": how the text, Markdown and
    /// SARIF outputs name it.
    pub fn describe(&self) -> String {
        format!("{}: {} — {}", self.id.id(), self.verdict.label(), self.headline)
    }
}
