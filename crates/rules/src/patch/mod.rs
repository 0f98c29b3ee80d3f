//! Dockerfile patches: the line edits a rule proposes for its finding, the unified diff a user
//! reads and applies, and applying edits to the text. A rule builds its edits with the helpers of
//! [`edit`] and wraps them in a [`Patch`] (which renders its diff once, here); [`combine`] merges
//! the patches of every finding into the report's one patch, which `patch -p0` and
//! `git apply -p0` accept.

pub mod diff;
pub mod edit;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::context::Context;
use crate::facts::{DockerfileFacts, SourceLines, StageFacts};

/// Lines `line_start..=line_end` (1-based) replaced by `replacement` (empty: deleted). An
/// insertion replaces its anchor line by the anchor plus the new lines, so every edit names lines
/// that exist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub line_start: u32,
    pub line_end: u32,
    pub replacement: Vec<String>,
}

/// A concrete change of the Dockerfile that removes a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Patch {
    /// What the change does, in one sentence.
    pub description: String,
    /// The Dockerfile, as named in the finding's locations.
    pub file: String,
    /// Sorted by line, non-overlapping.
    pub edits: Vec<Edit>,
    /// The edits as a unified diff of `file` (three lines of context).
    pub diff: String,
}

impl Patch {
    /// The patch of `dockerfile` made of `edits`; `None` when no edit changes anything. Edits
    /// outside the file, or overlapping an earlier one, are left out.
    pub fn new(dockerfile: &DockerfileFacts, description: String, edits: Vec<Edit>) -> Option<Patch> {
        let edits = usable(&dockerfile.lines, edits);
        if edits.is_empty() {
            return None;
        }
        let diff = diff::unified(&dockerfile.file_name, &dockerfile.lines, dockerfile.lines.ends_with_line_break(), &edits);
        Some(Patch { description, file: dockerfile.file_name.clone(), edits, diff })
    }
}

/// A rule's patch of the Dockerfile's final stage: `edits` gets the Dockerfile and the stage
/// (`None` without a Dockerfile). E.g. `finding.patch(patch::of_final_stage(ctx,
/// message::patch_clear_entrypoint(), |d, s| edit::clear_entrypoint(d, s).into_iter().collect()))`.
pub fn of_final_stage(
    ctx: &Context<'_>,
    description: String,
    edits: impl FnOnce(&DockerfileFacts, &StageFacts) -> Vec<Edit>,
) -> Option<Patch> {
    let dockerfile = ctx.dockerfile()?;
    let stage = dockerfile.final_stage.as_ref()?;
    Patch::new(dockerfile, description, edits(dockerfile, stage))
}

/// The edits that change something, sorted, without any that leaves the file or overlaps an
/// earlier one.
fn usable(lines: &SourceLines, mut edits: Vec<Edit>) -> Vec<Edit> {
    edits.sort_by_key(|e| (e.line_start, e.line_end));
    let mut out: Vec<Edit> = Vec::new();
    for edit in edits {
        let inside = edit.line_start >= 1 && edit.line_start <= edit.line_end && edit.line_end as usize <= lines.len();
        let after_previous = out.last().is_none_or(|p| p.line_end < edit.line_start);
        if inside && after_previous && !unchanged(lines, &edit) {
            out.push(edit);
        }
    }
    out
}

fn unchanged(lines: &SourceLines, edit: &Edit) -> bool {
    let original = (edit.line_start..=edit.line_end).map(|n| lines.get(n as usize - 1).unwrap_or(""));
    original.eq(edit.replacement.iter().map(String::as_str))
}

/// `text` with `edits` applied (edits as [`Patch::edits`]: sorted, non-overlapping, inside the
/// text). A final line break is kept as it was.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let lines = SourceLines::new(text);
    let mut out: Vec<&str> = Vec::new();
    let mut next = 1u32;
    for edit in edits {
        while next < edit.line_start {
            out.extend(lines.get(next as usize - 1));
            next += 1;
        }
        out.extend(edit.replacement.iter().map(String::as_str));
        next = next.max(edit.line_end + 1);
    }
    while (next as usize) <= lines.len() {
        out.extend(lines.get(next as usize - 1));
        next += 1;
    }
    let mut text_out = out.join("\n");
    if lines.ends_with_line_break() && !text_out.is_empty() {
        text_out.push('\n');
    }
    text_out
}

/// One patch of `dockerfile` with the edits of all `patches` (in order). A patch whose edits
/// overlap one already taken is left out whole, so no finding is half fixed; the description
/// says which.
pub fn combine<'a>(dockerfile: &DockerfileFacts, patches: impl IntoIterator<Item = &'a Patch>) -> Option<Patch> {
    let mut taken: Vec<Edit> = Vec::new();
    let mut descriptions: Vec<String> = Vec::new();
    let mut left_out: Vec<String> = Vec::new();
    for patch in patches {
        let new: Vec<&Edit> = patch.edits.iter().filter(|e| !taken.contains(e)).collect();
        let overlaps = new.iter().any(|e| taken.iter().any(|t| t.line_start <= e.line_end && e.line_start <= t.line_end));
        let list = if overlaps { &mut left_out } else { &mut descriptions };
        if !list.contains(&patch.description) {
            list.push(patch.description.clone());
        }
        if !overlaps {
            taken.extend(new.into_iter().cloned());
        }
    }
    let mut description = descriptions.join(" ");
    if !left_out.is_empty() {
        description.push_str(&format!(" Left out, as it changes the same lines: {}", left_out.join(" ")));
    }
    Patch::new(dockerfile, description, taken)
}

#[cfg(test)]
mod tests;
