//! `# sm-image-check ignore=RULE[,RULE…] reason` comments. One directly above an instruction
//! (blank lines break the link; other comments do not) applies to that instruction; one inside
//! an instruction's continuation applies to it too; `ignore-file=` applies to the whole file.
//! Everything is recorded as written: the rule core decides what it honours.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use smic_rules::facts::{SourceLines, Span, Suppression};

use crate::syntax::Dockerfile;

const MARKER: &str = "sm-image-check";

/// Suppressions, and notes about ignore comments that apply to nothing.
pub fn suppressions(file: &Dockerfile, lines: &SourceLines) -> (Vec<Suppression>, Vec<(u32, String)>) {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    for comment in &file.comments {
        let Some(rest) = comment.text.strip_prefix(MARKER) else {
            continue;
        };
        let rest = rest.trim_start();
        let (file_wide, rest) = if let Some(r) = rest.strip_prefix("ignore-file=") {
            (true, r)
        } else if let Some(r) = rest.strip_prefix("ignore=") {
            (false, r)
        } else {
            notes.push((
                comment.line,
                format!("`# {MARKER}` comment not understood: write `# {MARKER} ignore=RULE-ID reason` or `ignore-file=RULE-ID reason`"),
            ));
            continue;
        };
        let (ids, reason) = match rest.split_once(char::is_whitespace) {
            Some((ids, reason)) => (ids, reason.trim()),
            None => (rest, ""),
        };
        let applies_to = if file_wide {
            None
        } else {
            match target(file, lines, comment.line) {
                Some(span) => Some(span),
                None => {
                    notes.push((
                        comment.line,
                        format!("ignore comment for {ids} is not directly above an instruction, so it applies to nothing"),
                    ));
                    continue;
                }
            }
        };
        for id in ids.split(',').map(str::trim).filter(|id| !id.is_empty()) {
            out.push(Suppression { rule: id.to_string(), reason: reason.to_string(), comment_line: comment.line, applies_to });
        }
    }
    (out, notes)
}

/// The instruction a comment on `line` belongs to.
fn target(file: &Dockerfile, lines: &SourceLines, line: u32) -> Option<Span> {
    if let Some(i) = file.instructions.iter().find(|i| i.start_line < line && line <= i.end_line) {
        return Some(Span::new(i.start_line, i.end_line));
    }
    let next = file.instructions.iter().find(|i| i.start_line > line)?;
    // Only comment lines may stand between the comment and the instruction.
    let between = (line + 1)..next.start_line;
    let only_comments = between.clone().all(|l| lines.get(l as usize - 1).is_some_and(|t| t.trim_start().starts_with('#')));
    only_comments.then(|| Span::new(next.start_line, next.end_line))
}
