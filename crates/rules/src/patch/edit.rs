//! Building [`Edit`]s from a Dockerfile's lines: its words with their positions (so a rule can
//! swap one option of one command and keep the rest of the line as written), a path replaced
//! wherever the stage names it, lines inserted beside an instruction, the final `FROM`'s
//! platform and an emptied `ENTRYPOINT`.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use super::Edit;
use crate::facts::{DockerfileFacts, FromFacts, Span, StageFacts};

/// A whitespace-separated word of a Dockerfile line: line (1-based), byte range, text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub line: u32,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

fn line_text(df: &DockerfileFacts, line: u32) -> Option<&str> {
    df.lines.get((line as usize).checked_sub(1)?)
}

/// The words of lines `span`, in order (continuation backslashes included as words).
pub fn words(df: &DockerfileFacts, span: Span) -> Vec<Word> {
    let mut out = Vec::new();
    for line in span.start..=span.end {
        let Some(text) = line_text(df, line) else { continue };
        let mut start = None;
        for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
            match (c.is_whitespace(), start) {
                (false, None) => start = Some(i),
                (true, Some(s)) => {
                    out.push(Word { line, start: s, end: i, text: text[s..i].to_string() });
                    start = None;
                }
                _ => {}
            }
        }
    }
    out
}

/// Whether a word ends a shell command (`&&`, `||`, `|`, `;`, or a word ending in `;`).
pub fn ends_command(word: &str) -> bool {
    matches!(word, "&&" | "||" | "|" | ";") || word.ends_with(';')
}

/// The words of each command in lines `span` that starts with the word sequence `program`
/// (`["ipykernel", "install"]`), from after `program` to the end of that command (line
/// continuations left out).
pub fn command_arguments(df: &DockerfileFacts, span: Span, program: &[&str]) -> Vec<Vec<Word>> {
    let all = words(df, span);
    let mut out = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let matches =
            !program.is_empty() && all.get(i..i + program.len()).is_some_and(|w| w.iter().zip(program).all(|(w, p)| w.text == *p));
        if !matches {
            i += 1;
            continue;
        }
        i += program.len();
        let mut arguments = Vec::new();
        while let Some(word) = all.get(i) {
            if ends_command(&word.text) {
                break;
            }
            if word.text != "\\" {
                arguments.push(word.clone());
            }
            i += 1;
        }
        out.push(arguments);
    }
    out
}

/// Edits replacing each word by its new text (an empty text removes the word and the space
/// before it); one edit per changed line.
pub fn rewrite_words(df: &DockerfileFacts, changes: &[(Word, String)]) -> Vec<Edit> {
    let mut lines: Vec<u32> = changes.iter().map(|(w, _)| w.line).collect();
    lines.sort_unstable();
    lines.dedup();
    let mut edits = Vec::new();
    for line in lines {
        let Some(text) = line_text(df, line) else { continue };
        let mut on_line: Vec<&(Word, String)> = changes.iter().filter(|(w, _)| w.line == line).collect();
        on_line.sort_by_key(|(w, _)| w.start);
        let mut new = String::new();
        let mut at = 0;
        for (word, replacement) in on_line {
            let (Some(before), true) = (text.get(at..word.start), word.start >= at && word.end <= text.len()) else { continue };
            if replacement.is_empty() && text.get(..word.start).is_some_and(|b| b.trim().is_empty()) {
                // First on its line: keep the indentation, drop the space after it.
                new.push_str(before);
                at = text.get(word.end..).map_or(word.end, |rest| word.end + (rest.len() - rest.trim_start_matches(' ').len()));
                continue;
            } else if replacement.is_empty() {
                new.push_str(before.trim_end_matches(' '));
            } else {
                new.push_str(before);
                new.push_str(replacement);
            }
            at = word.end;
        }
        new.push_str(text.get(at..).unwrap_or(""));
        edits.push(Edit { line_start: line, line_end: line, replacement: vec![new] });
    }
    edits
}

/// Edits removing `remove` (words of the instruction at `span`); when only the instruction's
/// keyword would be left, the instruction goes whole.
pub fn remove_words(df: &DockerfileFacts, span: Span, remove: &[Word]) -> Vec<Edit> {
    let all = words(df, span);
    let left = all.iter().skip(1).filter(|w| w.text != "\\" && !remove.contains(w)).count();
    if remove.is_empty() {
        Vec::new()
    } else if left == 0 {
        vec![replace_lines(span, Vec::new())]
    } else {
        let changes: Vec<(Word, String)> = remove.iter().map(|w| (w.clone(), String::new())).collect();
        rewrite_words(df, &changes)
    }
}

/// Edits replacing the path `old` by `new` on lines `first..=last` wherever it is a whole path
/// or a path's leading part (followed by `/`, a quote, `:`, whitespace or the end).
pub fn replace_path(df: &DockerfileFacts, first: u32, last: u32, old: &str, new: &str) -> Vec<Edit> {
    let mut edits = Vec::new();
    for line in first..=last.min(df.lines.len() as u32) {
        let Some(text) = line_text(df, line) else { continue };
        let mut out = String::new();
        let mut rest = text;
        while let Some(i) = rest.find(old) {
            let after = rest[i + old.len()..].chars().next();
            let before = rest[..i].chars().next_back();
            let whole = after.is_none_or(|c| matches!(c, '/' | '"' | '\'' | ':' | ',' | ']') || c.is_whitespace())
                && before.is_none_or(|c| !(c.is_alphanumeric() || matches!(c, '/' | '.' | '_' | '-')));
            out.push_str(&rest[..i]);
            out.push_str(if whole { new } else { old });
            rest = &rest[i + old.len()..];
        }
        out.push_str(rest);
        if out != text {
            edits.push(Edit { line_start: line, line_end: line, replacement: vec![out] });
        }
    }
    edits
}

/// Line `line` kept, `new` lines inserted before it.
pub fn insert_before(df: &DockerfileFacts, line: u32, new: Vec<String>) -> Option<Edit> {
    let anchor = line_text(df, line)?.to_string();
    let mut replacement = new;
    replacement.push(anchor);
    Some(Edit { line_start: line, line_end: line, replacement })
}

/// Line `line` kept, `new` lines inserted after it.
pub fn insert_after(df: &DockerfileFacts, line: u32, new: Vec<String>) -> Option<Edit> {
    let mut replacement = vec![line_text(df, line)?.to_string()];
    replacement.extend(new);
    Some(Edit { line_start: line, line_end: line, replacement })
}

/// The lines of `span` replaced by `new`.
pub fn replace_lines(span: Span, new: Vec<String>) -> Edit {
    Edit { line_start: span.start, line_end: span.end, replacement: new }
}

/// The `FROM` line of `from` with `--platform=<platform>` (any other platform flag replaced).
/// `None` for a `FROM` spread over several lines.
pub fn from_platform(df: &DockerfileFacts, from: &FromFacts, platform: &str) -> Option<Edit> {
    if from.span.start != from.span.end {
        return None;
    }
    let words = words(df, from.span);
    let keyword = words.first()?;
    let flag = format!("--platform={platform}");
    let mut changes: Vec<(Word, String)> = Vec::new();
    let mut i = 1;
    let mut replaced = false;
    while let Some(word) = words.get(i) {
        let lower = word.text.to_ascii_lowercase();
        if lower == "--platform" {
            changes.push((word.clone(), if replaced { String::new() } else { flag.clone() }));
            changes.extend(words.get(i + 1).map(|value| (value.clone(), String::new())));
            replaced = true;
            i += 2;
            continue;
        }
        if lower.starts_with("--platform=") {
            changes.push((word.clone(), if replaced { String::new() } else { flag.clone() }));
            replaced = true;
        } else if !word.text.starts_with("--") {
            break;
        }
        i += 1;
    }
    if !replaced {
        changes.push((keyword.clone(), format!("{} {flag}", keyword.text)));
    }
    rewrite_words(df, &changes).into_iter().next()
}

/// `ENTRYPOINT []` in the final stage: in place of its own `ENTRYPOINT`, else after its `FROM`
/// (the base image's entrypoint is inherited). Docker then also drops the CMD the base image
/// set, so the stage's own CMD (or the app's start command) is what runs.
pub fn clear_entrypoint(df: &DockerfileFacts, stage: &StageFacts) -> Option<Edit> {
    let line = String::from("ENTRYPOINT []");
    match &stage.entrypoint {
        Some((_, span)) => Some(replace_lines(*span, vec![line])),
        None => insert_after(df, stage.from.span.end, vec![line]),
    }
}
