//! Dockerfile reader of sm-image-check.
//!
//! Contract: bytes of a Dockerfile in, [`smic_rules::facts::DockerfileFacts`] out (plus the
//! problems met on the way as [`smic_rules::InputError`]s). The parser agrees with BuildKit's
//! own (it passes BuildKit's parser and shell-lexer test data, and [`dump`] prints BuildKit's
//! AST format so anyone can diff the two); ARG/ENV expansion follows BuildKit's lexer; RUN
//! scripts are read well enough to see users, packages, kernels, conda environments, services
//! and the paths they write. Nothing is guessed: a value that depends on a build argument that
//! was not given, or on the base image, stays unknown and is reported as such. The crate is
//! `#![no_std]` + `alloc`, does no I/O and never panics on input (it runs in the browser).
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

mod read;
pub mod shell;
mod suppress;
pub mod syntax;

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use smic_rules::facts::{DockerfileFacts, SourceLines};
use smic_rules::InputError;
use smic_rules::InputKind;

pub use read::{build_arg, ReadOptions};
pub use syntax::{parse, Dockerfile, Instruction, ParseError};

/// The parse tree of `text` in the format of BuildKit's `parser/testfiles/*/result`
/// (`sm-image-check dockerfile --dump FILE`).
pub fn dump(text: &str) -> Result<String, ParseError> {
    parse(text).map(|file| file.dump())
}

/// [`dump`] for a file's bytes (the CLI's `dockerfile --dump FILE`): a binary, UTF-16 or empty
/// file, or a parse error BuildKit would also report, comes back as an [`InputError`] with the line.
pub fn dump_file(file_name: &str, bytes: &[u8]) -> Result<String, InputError> {
    let text = text_of(file_name, bytes)?;
    dump(text).map_err(|e| input_error(file_name, Some(e.location()), e.message, true))
}

/// The facts of one Dockerfile and what went wrong while reading it (never fatal here).
#[derive(Debug, Clone)]
pub struct Reading {
    pub facts: DockerfileFacts,
    pub errors: Vec<InputError>,
}

fn input_error(file: &str, at: Option<String>, message: String, fatal: bool) -> InputError {
    InputError { input: InputKind::Dockerfile, file: file.to_string(), at, message, fatal }
}

fn line_at(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())].iter().filter(|b| **b == b'\n').count() + 1
}

/// Checks that the bytes are a text file and returns the text.
fn text_of<'b>(file_name: &str, bytes: &'b [u8]) -> Result<&'b str, InputError> {
    let fatal = |at: Option<String>, message: String| input_error(file_name, at, message, true);
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(fatal(None, String::from("this file is UTF-16 text; BuildKit reads Dockerfiles as UTF-8: save it as UTF-8")));
    }
    if let Some(offset) = bytes.iter().position(|b| *b == 0) {
        return Err(fatal(
            Some(format!("line {}", line_at(bytes, offset))),
            format!("this is a binary file (a NUL byte at offset {offset}), not a Dockerfile"),
        ));
    }
    let text = core::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        fatal(
            Some(format!("line {}", line_at(bytes, offset))),
            format!("this is a binary file (not UTF-8 text at byte {offset}), not a Dockerfile"),
        )
    })?;
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(fatal(None, String::from("the file is empty: a Dockerfile needs at least a FROM instruction")));
    }
    Ok(text)
}

/// Reads a Dockerfile into facts. `Err` only when nothing at all can be checked (binary, empty,
/// no instruction); an instruction BuildKit would refuse is reported in `errors` and skipped.
pub fn read(file_name: &str, bytes: &[u8], options: &ReadOptions) -> Result<Reading, InputError> {
    let text = text_of(file_name, bytes)?;
    let (parsed, parse_errors) = syntax::parse_recovering(text);
    let file = parsed.map_err(|e| input_error(file_name, Some(e.location()), e.message, true))?;
    let mut errors: Vec<InputError> =
        parse_errors.into_iter().map(|e| input_error(file_name, Some(e.location()), e.message, false)).collect();
    let lines = SourceLines::new(text.trim_start_matches('\u{feff}'));

    let mut notes = Vec::new();
    let mut facts = read::facts_of(&file, file_name, options, &mut notes);
    for note in notes {
        let at = (note.span.start > 0).then(|| syntax_location(note.span.start, note.span.end));
        errors.push(input_error(file_name, at, note.message, false));
    }
    for problem in instruction_problems(&file) {
        errors.push(input_error(file_name, Some(syntax_location(problem.0, problem.0)), problem.1, false));
    }
    let (suppressions, notes) = suppress::suppressions(&file, &lines);
    for (line, message) in notes {
        errors.push(input_error(file_name, Some(format!("line {line}")), message, false));
    }
    facts.suppressions = suppressions;
    facts.lines = lines;
    Ok(Reading { facts, errors })
}

fn syntax_location(start: u32, end: u32) -> String {
    if end > start {
        format!("lines {start}-{end}")
    } else {
        format!("line {start}")
    }
}

/// Instructions BuildKit parses but refuses to build, and exec forms that are not JSON.
fn instruction_problems(file: &Dockerfile) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut after_spaced_heredoc = false;
    for instruction in &file.instructions {
        let kind = instruction.kind();
        if kind.is_empty() {
            let hint = if after_spaced_heredoc {
                " (the RUN above writes `<< NAME` with a space: BuildKit only opens a heredoc for `<<NAME`, so its body is read as instructions)"
            } else {
                ""
            };
            out.push((
                instruction.start_line,
                format!("unknown instruction {}: BuildKit refuses to build this file{hint}", instruction.keyword),
            ));
            continue;
        }
        after_spaced_heredoc = matches!(kind, "run" | "copy" | "add")
            && instruction.heredocs.is_empty()
            && instruction.args.iter().any(|a| a.contains("<<") && a.split_whitespace().any(|w| w == "<<" || w == "<<-"));
        let exec_capable = matches!(kind, "run" | "cmd" | "entrypoint" | "shell");
        if exec_capable && !instruction.json && instruction.args.first().is_some_and(|a| a.trim_start().starts_with('[')) {
            out.push((
                instruction.start_line,
                format!(
                    "{} looks like a JSON array but is not valid JSON (JSON needs double quotes and a closing bracket), so it runs as a shell command: {}",
                    instruction.keyword.to_uppercase(),
                    instruction.rest_text()
                ),
            ));
        }
    }
    out
}
