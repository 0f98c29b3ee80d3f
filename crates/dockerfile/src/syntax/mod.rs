//! The Dockerfile syntax as BuildKit's parser sees it: parser directives, logical lines
//! (continuations with the active escape character), instructions with their flags and argument
//! nodes, heredocs, and the 1-based physical line range of every instruction.

mod args;
mod dump;
mod json;
mod parse;

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

pub use dump::{dump_instruction, go_quote};
pub use parse::{parse, parse_recovering, ParseError};

/// `# syntax=`, `# escape=`, `# check=` at the top of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Lower-cased name.
    pub name: String,
    pub value: String,
    pub line: u32,
}

/// A comment line outside heredoc bodies (also inside a continuation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub line: u32,
    /// Text after `#`, trimmed.
    pub text: String,
}

/// `<<EOF` … `EOF` attached to RUN, COPY or ADD.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Heredoc {
    pub name: String,
    pub file_descriptor: u32,
    /// False when the name was quoted (`<<'EOF'`): the body is taken literally.
    pub expand: bool,
    /// `<<-EOF`: leading tabs are stripped from the body and the terminator.
    pub chomp: bool,
    /// The body as written, line endings kept, tabs not stripped.
    pub content: String,
}

impl Heredoc {
    /// The body as the build sees it (leading tabs removed for `<<-`).
    pub fn body(&self) -> String {
        if !self.chomp {
            return self.content.clone();
        }
        let mut out = String::with_capacity(self.content.len());
        for line in self.content.split_inclusive('\n') {
            out.push_str(line.trim_start_matches('\t'));
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// The keyword as written (`RUN`, `run`, or an unknown word).
    pub keyword: String,
    /// The keyword lower-cased when BuildKit knows it, `""` otherwise.
    pub kind: &'static str,
    /// Builder flags as extracted (`--from=build`), quotes removed.
    pub flags: Vec<String>,
    /// The argument nodes (see the conformance README for their shape per instruction).
    pub args: Vec<String>,
    /// Exec (JSON array) form.
    pub json: bool,
    /// The instruction ONBUILD wraps.
    pub sub: Option<Box<Instruction>>,
    /// The logical line: continuations joined, comment lines dropped.
    pub original: String,
    pub heredocs: Vec<Heredoc>,
    pub start_line: u32,
    pub end_line: u32,
}

impl Instruction {
    /// The keyword lower-cased, as BuildKit dispatches on it (`""` for an unknown keyword).
    pub fn kind(&self) -> &'static str {
        self.kind
    }

    pub fn is(&self, keyword: &str) -> bool {
        self.keyword.eq_ignore_ascii_case(keyword)
    }

    /// The value of `--name=value` (the last one wins, as with BuildKit's flag parser).
    pub fn flag(&self, name: &str) -> Option<&str> {
        self.flags.iter().rev().find_map(|f| {
            let body = f.strip_prefix("--")?;
            match body.split_once('=') {
                Some((n, v)) if n == name => Some(v),
                None if body == name => Some(""),
                _ => None,
            }
        })
    }

    /// The text after the keyword and flags (shell form), or the JSON words joined.
    pub fn rest_text(&self) -> String {
        self.args.join(" ")
    }
}

/// Every instruction BuildKit knows, lower-case.
pub const KEYWORDS: &[&str] = &[
    "add",
    "arg",
    "cmd",
    "copy",
    "entrypoint",
    "env",
    "expose",
    "from",
    "healthcheck",
    "label",
    "maintainer",
    "onbuild",
    "run",
    "shell",
    "stopsignal",
    "user",
    "volume",
    "workdir",
];

/// The lower-case keyword `word` names, or `""` when BuildKit does not know it.
pub fn keyword_kind(word: &str) -> &'static str {
    let found = if word.is_ascii() {
        KEYWORDS.iter().find(|k| k.eq_ignore_ascii_case(word))
    } else {
        // Go lower-cases per character: the KELVIN SIGN in `HEALTHCHEC\u{212a}` makes `k`.
        let lower = go_lower(word);
        KEYWORDS.iter().find(|k| **k == lower)
    };
    found.copied().unwrap_or("")
}

/// Go's `strings.ToLower`: one character for one (`İ` → `i`, where Rust's full mapping adds a
/// combining dot).
pub fn go_lower(word: &str) -> String {
    word.chars().map(|c| c.to_lowercase().next().unwrap_or(c)).collect()
}

/// A parsed Dockerfile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dockerfile {
    pub directives: Vec<Directive>,
    /// The escape character in force (`\` or `` ` ``).
    pub escape: char,
    pub instructions: Vec<Instruction>,
    pub comments: Vec<Comment>,
    /// Number of physical lines.
    pub line_count: u32,
}

impl Dockerfile {
    pub fn directive(&self, name: &str) -> Option<&str> {
        self.directives.iter().find(|d| d.name == name).map(|d| d.value.as_str())
    }

    /// The parse tree in the format of BuildKit's `parser/testfiles/*/result`.
    pub fn dump(&self) -> String {
        let mut out = String::new();
        for instruction in &self.instructions {
            out.push('(');
            out.push_str(&dump_instruction(instruction));
            out.push_str(")\n");
        }
        let trimmed = out.trim_matches(char::is_whitespace);
        let mut result = String::from(trimmed);
        result.push('\n');
        result
    }
}
