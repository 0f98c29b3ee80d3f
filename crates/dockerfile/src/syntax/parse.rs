//! The line loop of BuildKit's parser. A physical line is stripped of its line ending and (for
//! the first line of an instruction) leading whitespace; comment lines are dropped, also in the
//! middle of a continuation; an escape character at the end of a line continues it unless it
//! is itself escaped; blank lines inside a continuation are skipped. RUN, COPY and ADD in shell
//! form may then read heredoc bodies up to their terminator lines.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::args::parse_line;
use super::{Comment, Directive, Dockerfile, Heredoc, Instruction};
use crate::shell::{Lexer, NoEnv};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    /// 1-based physical lines the problem spans (`start == end` for one line; 0 = whole file).
    pub start_line: u32,
    pub end_line: u32,
}

impl ParseError {
    fn new(message: impl Into<String>, start_line: u32, end_line: u32) -> ParseError {
        ParseError { message: message.into(), start_line, end_line }
    }

    /// "line 4" or "lines 4-9".
    pub fn location(&self) -> String {
        if self.end_line > self.start_line {
            format!("lines {}-{}", self.start_line, self.end_line)
        } else {
            format!("line {}", self.start_line)
        }
    }
}

impl core::fmt::Display for ParseError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}

/// Parses like BuildKit: the first error ends the parse.
pub fn parse(text: &str) -> Result<Dockerfile, ParseError> {
    let mut errors = Vec::new();
    let file = Parser::new(text, true).run(&mut errors);
    match errors.into_iter().next() {
        Some(e) => Err(e),
        None => file,
    }
}

/// Parses as far as possible: an instruction BuildKit would refuse is left out and its error
/// recorded, and the parse goes on. `Err` only when no instruction at all could be read.
pub fn parse_recovering(text: &str) -> (Result<Dockerfile, ParseError>, Vec<ParseError>) {
    let mut errors = Vec::new();
    let file = Parser::new(text, false).run(&mut errors);
    (file, errors)
}

struct Directives {
    done: bool,
    seen: Vec<String>,
}

/// BuildKit's directive pattern `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` (`\s` is ASCII
/// `[\t\n\f\r ]`).
fn match_directive(line: &str) -> Option<(&str, &str)> {
    let is_s = |c: char| matches!(c, '\t' | '\n' | '\u{c}' | '\r' | ' ');
    let rest = line.strip_prefix('#')?.trim_start_matches(is_s);
    let name_len = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
    let name = &rest[..name_len];
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let after = rest[name_len..].trim_start_matches(is_s).strip_prefix('=')?;
    let value_and_space = after.trim_start_matches(is_s);
    let value = value_and_space.trim_end_matches(is_s);
    if !value.is_empty() {
        return Some((name, value));
    }
    // Only spaces after `=`: the lazy `(.+?)` still takes the last of them.
    let last = after.chars().last()?;
    Some((name, &after[after.len() - last.len_utf8()..]))
}

struct Parser<'t> {
    lines: core::iter::Peekable<core::str::SplitInclusive<'t, char>>,
    strict: bool,
    escape: char,
    directives: Directives,
    found: Vec<Directive>,
    comments: Vec<Comment>,
    current_line: u32,
}

fn trim_newline(line: &str) -> &str {
    line.trim_end_matches(['\r', '\n'])
}

fn is_comment(raw: &str) -> bool {
    trim_newline(raw).trim_start_matches(char::is_whitespace).starts_with('#')
}

impl<'t> Parser<'t> {
    fn new(text: &'t str, strict: bool) -> Parser<'t> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Parser {
            lines: text.split_inclusive('\n').peekable(),
            strict,
            escape: '\\',
            directives: Directives { done: false, seen: Vec::new() },
            found: Vec::new(),
            comments: Vec::new(),
            current_line: 0,
        }
    }

    /// Looks for a parser directive on a line (only before anything else), and strips a
    /// comment that starts the line.
    fn process_line<'l>(&mut self, raw: &'l str, strip_left: bool, errors: &mut Vec<ParseError>) -> &'l str {
        let mut token = trim_newline(raw);
        if strip_left {
            token = token.trim_start_matches(char::is_whitespace);
        }
        let line = self.current_line + 1;
        if !self.directives.done {
            match match_directive(token) {
                Some((name, value)) => {
                    let key = name.to_ascii_lowercase();
                    if matches!(key.as_str(), "syntax" | "escape" | "check") {
                        if self.directives.seen.contains(&key) {
                            errors.push(ParseError::new(format!("only one {key} parser directive can be used"), line, line));
                        } else {
                            self.directives.seen.push(key.clone());
                            if key == "escape" {
                                match value {
                                    "\\" => self.escape = '\\',
                                    "`" => self.escape = '`',
                                    _ => errors.push(ParseError::new(
                                        format!("invalid escape token '{value}' does not match ` or \\"),
                                        line,
                                        line,
                                    )),
                                }
                            }
                            self.found.push(Directive { name: key, value: value.to_string(), line });
                        }
                    } else {
                        self.directives.done = true;
                    }
                }
                None => self.directives.done = true,
            }
        }
        if token.starts_with('#') {
            ""
        } else {
            token
        }
    }

    /// Removes a line-continuation escape at the end: `(line, ends_here)`. An escape preceded by
    /// another escape does not continue the line (BuildKit's regular expression cannot see
    /// that the first of three escapes makes the last one a continuation again).
    fn trim_continuation<'l>(&self, line: &'l str) -> (&'l str, bool) {
        let body = line.trim_end_matches([' ', '\t']);
        let Some(before) = body.strip_suffix(self.escape) else {
            return (line, true);
        };
        if before.ends_with(self.escape) {
            return (line, true);
        }
        (before, false)
    }

    fn run(mut self, errors: &mut Vec<ParseError>) -> Result<Dockerfile, ParseError> {
        let mut instructions: Vec<Instruction> = Vec::new();
        while let Some(raw) = self.lines.next() {
            if self.strict && !errors.is_empty() {
                break;
            }
            if is_comment(raw) {
                self.record_comment(raw, self.current_line + 1);
            }
            let first = self.process_line(raw, true, errors);
            self.current_line += 1;
            let start_line = self.current_line;
            let (first, mut ends) = self.trim_continuation(first);
            if ends && first.is_empty() {
                continue;
            }
            let mut line = String::from(first);
            while !ends {
                let Some(raw) = self.lines.next() else { break };
                let processed = self.process_line(raw, false, errors);
                self.current_line += 1;
                if is_comment(raw) {
                    self.record_comment(raw, self.current_line);
                    continue;
                }
                if processed.trim_start_matches(char::is_whitespace).is_empty() {
                    continue;
                }
                let (part, part_ends) = self.trim_continuation(processed);
                ends = part_ends;
                line.push_str(part);
            }
            let mut instruction = match parse_line(&line, self.escape) {
                Ok(instruction) => instruction,
                Err(message) => {
                    errors.push(ParseError::new(message, start_line, self.current_line));
                    continue;
                }
            };
            if can_contain_heredoc(&instruction) {
                for mut heredoc in
                    heredocs_from_line(&line).map_err(|m| ParseError::new(m, start_line, self.current_line)).unwrap_or_else(|e| {
                        errors.push(e);
                        Vec::new()
                    })
                {
                    let opened_at = self.current_line;
                    let mut terminated = false;
                    for raw in self.lines.by_ref() {
                        self.current_line += 1;
                        let mut candidate = trim_newline(raw);
                        if heredoc.chomp {
                            candidate = candidate.trim_start_matches('\t');
                        }
                        if candidate == heredoc.name {
                            terminated = true;
                            break;
                        }
                        heredoc.content.push_str(raw);
                    }
                    if !terminated {
                        errors.push(ParseError::new(
                            format!("unterminated heredoc: no line `{}` closes the heredoc opened on line {opened_at}", heredoc.name),
                            start_line,
                            self.current_line,
                        ));
                    }
                    instruction.heredocs.push(heredoc);
                }
            }
            instruction.start_line = start_line;
            instruction.end_line = self.current_line;
            instruction.original = line;
            instructions.push(instruction);
        }
        if self.strict && !errors.is_empty() {
            return Err(errors.remove(0));
        }
        if instructions.is_empty() {
            return Err(ParseError::new("file with no instructions", self.current_line.max(1), self.current_line.max(1)));
        }
        Ok(Dockerfile { directives: self.found, escape: self.escape, instructions, comments: self.comments, line_count: self.current_line })
    }

    fn record_comment(&mut self, raw: &str, line: u32) {
        let text = trim_newline(raw).trim_start_matches(char::is_whitespace);
        let text = text.strip_prefix('#').unwrap_or(text).trim_matches(char::is_whitespace);
        self.comments.push(Comment { line, text: text.to_string() });
    }
}

fn can_contain_heredoc(instruction: &Instruction) -> bool {
    let target = match &instruction.sub {
        Some(sub) if instruction.is("onbuild") => sub,
        _ => instruction,
    };
    !target.json && (target.is("run") || target.is("copy") || target.is("add"))
}

/// The heredocs a logical line opens, in order. The line is split into words with quotes and
/// escapes kept; a word `[fd]<<[-]NAME` opens one.
fn heredocs_from_line(line: &str) -> Result<Vec<Heredoc>, String> {
    if !line.contains("<<") {
        return Ok(Vec::new());
    }
    let lexer = Lexer { escape: '\\', raw_quotes: true, raw_escapes: true, skip_unset: true };
    // A line the lexer cannot split (an unbalanced quote) has no heredoc, as in BuildKit.
    let Ok(expanded) = lexer.process(line, &NoEnv) else {
        return Ok(Vec::new());
    };
    let mut docs = Vec::new();
    for word in &expanded.words {
        if let Some(doc) = parse_heredoc_word(word)? {
            docs.push(doc);
        }
    }
    Ok(docs)
}

/// `^(\d*)<<(-?)([^<]*)$`, then the name unquoted; a quoted name disables expansion.
fn parse_heredoc_word(word: &str) -> Result<Option<Heredoc>, String> {
    let digits = word.len() - word.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let Some(after) = word[digits..].strip_prefix("<<") else {
        return Ok(None);
    };
    let (chomp, rest) = match after.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, after),
    };
    if rest.is_empty() || rest.contains('<') {
        return Ok(None);
    }
    let plain = Lexer { escape: '\\', raw_quotes: false, raw_escapes: false, skip_unset: true };
    let words = plain.process(rest, &NoEnv).map_err(|e| e.message)?.words;
    if words.len() != 1 {
        return Ok(None);
    }
    let raw = Lexer { raw_quotes: true, ..plain };
    let raw_words = raw.process(rest, &NoEnv).map_err(|e| e.message)?.words;
    if raw_words.len() != words.len() {
        return Err(format!("internal lexing of heredoc produced inconsistent results: {rest}"));
    }
    let quotes = |s: &str| s.chars().filter(|c| *c == '\'' || *c == '"').count();
    let name = words.into_iter().next().unwrap_or_default();
    let expand = raw_words.first().is_some_and(|r| quotes(r) == quotes(&name));
    let file_descriptor = word[..digits].parse::<u32>().unwrap_or(0);
    Ok(Some(Heredoc { name, file_descriptor, expand, chomp, content: String::new() }))
}
