//! Unified diff of a text and its edited version, as `diff -u` writes it: `---`/`+++` headers
//! naming the file (so `patch -p0` and `git apply -p0` find it), hunks with three lines of
//! context, nearby edits in one hunk, and the "No newline at end of file" marker.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::Edit;
use crate::facts::SourceLines;

const CONTEXT: usize = 3;
const NO_NEWLINE: &str = "\\ No newline at end of file\n";

/// The diff of `lines` with `edits` applied (sorted, non-overlapping, inside `lines`); empty
/// when there are no edits. `final_break`: whether the text's last line ends with a line break.
pub fn unified(file: &str, lines: &SourceLines, final_break: bool, edits: &[Edit]) -> String {
    let total = lines.len();
    let line = |i: usize| lines.get(i).unwrap_or("");
    // Zero-based [start, end) of each edit's old lines.
    let ranges: Vec<(usize, usize, &Edit)> =
        edits.iter().map(|e| ((e.line_start as usize).saturating_sub(1), (e.line_end as usize).min(total), e)).collect();
    let mut out = String::new();
    if ranges.is_empty() {
        return out;
    }
    let _ = write!(out, "--- {file}\n+++ {file}\n");
    // Lines added minus lines removed by the hunks written so far.
    let mut shift: isize = 0;
    let mut i = 0;
    while i < ranges.len() {
        // The edits whose context touches: one hunk.
        let mut j = i;
        while j + 1 < ranges.len() && ranges[j + 1].0 <= ranges[j].1 + 2 * CONTEXT {
            j += 1;
        }
        let hunk_start = ranges[i].0.saturating_sub(CONTEXT);
        let hunk_end = (ranges[j].1 + CONTEXT).min(total);
        let mut body = String::new();
        let (mut old_count, mut new_count) = (0usize, 0usize);
        let mut at = hunk_start;
        // An old line with its mark (` ` context, `-` removed), and the marker after the last line
        // of a text without a final line break.
        let old_line = |body: &mut String, mark: char, n: usize| {
            let _ = writeln!(body, "{mark}{}", line(n));
            if !final_break && n + 1 == total {
                body.push_str(NO_NEWLINE);
            }
        };
        for (start, end, edit) in &ranges[i..=j] {
            // Lines the edit keeps at its start and end (an insertion's anchor) are context.
            let old: Vec<&str> = (*start..*end).map(line).collect();
            let new = &edit.replacement;
            let kept_before = old.iter().zip(new).take_while(|(a, b)| **a == b.as_str()).count();
            let most_after = old.len().min(new.len()) - kept_before;
            let kept_after = old.iter().rev().zip(new.iter().rev()).take(most_after).take_while(|(a, b)| **a == b.as_str()).count();
            for n in at..*start + kept_before {
                old_line(&mut body, ' ', n);
            }
            for n in *start + kept_before..*end - kept_after {
                old_line(&mut body, '-', n);
            }
            let added = &new[kept_before..new.len() - kept_after];
            for (k, text) in added.iter().enumerate() {
                let _ = writeln!(body, "+{text}");
                if !final_break && *end - kept_after == total && k + 1 == added.len() {
                    body.push_str(NO_NEWLINE);
                }
            }
            for n in *end - kept_after..*end {
                old_line(&mut body, ' ', n);
            }
            let context_before = *start - at;
            old_count += context_before + old.len();
            new_count += context_before + new.len();
            at = *end;
        }
        for n in at..hunk_end {
            old_line(&mut body, ' ', n);
        }
        old_count += hunk_end.saturating_sub(at);
        new_count += hunk_end.saturating_sub(at);
        let new_start = hunk_start as isize + shift;
        let _ = writeln!(out, "@@ -{} +{} @@", range(hunk_start, old_count), range(new_start.max(0) as usize, new_count));
        out.push_str(&body);
        shift += new_count as isize - old_count as isize;
        i = j + 1;
    }
    out
}

/// `start,count` of a hunk side; an empty side names the line before it, as `diff -u` does.
fn range(zero_based_start: usize, count: usize) -> String {
    match count {
        0 => format!("{zero_based_start},0"),
        1 => format!("{}", zero_based_start + 1),
        _ => format!("{},{count}", zero_based_start + 1),
    }
}
