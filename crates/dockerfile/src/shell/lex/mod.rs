//! BuildKit's word lexer: quote removal, escapes and `$VAR` expansion of one Dockerfile word
//! (`ProcessWord`) or of a line split into words (`ProcessWords`), with the same modifiers and
//! the same errors as `frontend/dockerfile/shell`. Variables the caller cannot know (an ARG
//! without a value, a variable the base image may set) are kept as written and reported, so
//! nothing derived from them is guessed. Parameter expansion (`$name`, `${name…}`) is in
//! `parameter`.

mod parameter;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::iter::Peekable;
use core::str::Chars;

/// What the environment says about one variable name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup<'a> {
    Value(&'a str),
    /// Not set: BuildKit expands it to the empty string.
    Unset,
    /// Set at build time to a value this reader cannot know (kept as written).
    Unknown,
}

pub trait Env {
    fn lookup(&self, name: &str) -> Lookup<'_>;
}

/// An environment where nothing is set.
pub struct NoEnv;

impl Env for NoEnv {
    fn lookup(&self, _name: &str) -> Lookup<'_> {
        Lookup::Unset
    }
}

impl Env for [(&str, &str)] {
    fn lookup(&self, name: &str) -> Lookup<'_> {
        self.iter().find(|(k, _)| *k == name).map_or(Lookup::Unset, |(_, v)| Lookup::Value(v))
    }
}

impl Env for Vec<(String, String)> {
    fn lookup(&self, name: &str) -> Lookup<'_> {
        self.iter().find(|(k, _)| k == name).map_or(Lookup::Unset, |(_, v)| Lookup::Value(v.as_str()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    pub message: String,
}

impl LexError {
    fn new(message: impl Into<String>) -> LexError {
        LexError { message: message.into() }
    }
}

impl core::fmt::Display for LexError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The result of expanding a word or a line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expanded {
    /// Everything as one word (`ProcessWord`).
    pub word: String,
    /// Split into words like a shell would (`ProcessWords`).
    pub words: Vec<String>,
    /// Names whose value is unknown and were kept as written, in order of appearance.
    pub unknown: Vec<String>,
    /// Names that were not set and expanded to nothing.
    pub unset: Vec<String>,
}

impl Expanded {
    pub fn is_resolved(&self) -> bool {
        self.unknown.is_empty()
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Lexer {
    pub escape: char,
    /// Keep quote characters in the output (used to find heredoc words).
    pub raw_quotes: bool,
    /// Keep escape characters in the output.
    pub raw_escapes: bool,
    /// Keep references to unset variables as written instead of expanding them to nothing.
    pub skip_unset: bool,
}

impl Lexer {
    pub const fn new(escape: char) -> Lexer {
        Lexer { escape, raw_quotes: false, raw_escapes: false, skip_unset: false }
    }

    /// Expands `text` and splits it into words (`ProcessWords`; `.word` is `ProcessWord`).
    pub fn process(&self, text: &str, env: &dyn Env) -> Result<Expanded, LexError> {
        self.run(text, env, true)
    }

    /// Expands `text` as one word (`ProcessWord`); `.words` stays empty.
    pub fn process_word(&self, text: &str, env: &dyn Env) -> Result<Expanded, LexError> {
        self.run(text, env, false)
    }

    fn run(&self, text: &str, env: &dyn Env, want_words: bool) -> Result<Expanded, LexError> {
        let mut state = State {
            chars: text.chars().peekable(),
            env,
            escape: self.escape,
            raw_quotes: self.raw_quotes,
            raw_escapes: self.raw_escapes,
            skip_unset: self.skip_unset,
            depth: 0,
            want_words,
            unknown: Vec::new(),
            unset: Vec::new(),
        };
        let (word, words) =
            state.stop_on(&[], state.raw_escapes).map_err(|e| LexError::new(format!("failed to process {text:?}: {}", e.message)))?;
        Ok(Expanded { word, words, unknown: state.unknown, unset: state.unset })
    }
}

/// The words of a line as they are split; `enabled: false` when only the joined text is wanted.
struct Words {
    enabled: bool,
    word: String,
    words: Vec<String>,
    in_word: bool,
}

impl Words {
    fn new(enabled: bool) -> Words {
        Words { enabled, word: String::new(), words: Vec::new(), in_word: false }
    }
    fn add_char(&mut self, ch: char) {
        if !self.enabled {
            return;
        }
        if ch.is_whitespace() {
            if self.in_word && !self.word.is_empty() {
                self.words.push(core::mem::take(&mut self.word));
                self.in_word = false;
            }
        } else {
            self.add_raw_char(ch);
        }
    }
    fn add_raw_char(&mut self, ch: char) {
        if !self.enabled {
            return;
        }
        self.word.push(ch);
        self.in_word = true;
    }
    fn add_str(&mut self, text: &str) {
        if self.enabled {
            text.chars().for_each(|c| self.add_char(c));
        }
    }
    fn add_raw_str(&mut self, text: &str) {
        if !self.enabled {
            return;
        }
        self.word.push_str(text);
        self.in_word = true;
    }
    fn finish(mut self) -> Vec<String> {
        if !self.word.is_empty() {
            self.words.push(self.word);
        }
        self.words
    }
}

struct State<'t, 'e> {
    chars: Peekable<Chars<'t>>,
    env: &'e dyn Env,
    escape: char,
    raw_quotes: bool,
    raw_escapes: bool,
    skip_unset: bool,
    depth: u32,
    want_words: bool,
    unknown: Vec<String>,
    unset: Vec<String>,
}

impl State<'_, '_> {
    fn peek(&mut self) -> Option<char> {
        self.chars.peek().copied()
    }

    /// Reads up to one of `stops` (consumed) or the end; a missing stop is an error.
    fn stop_on(&mut self, stops: &[char], raw_escapes: bool) -> Result<(String, Vec<String>), LexError> {
        let saved_raw = self.raw_escapes;
        self.raw_escapes = raw_escapes;
        let result = self.stop_on_inner(stops);
        self.raw_escapes = saved_raw;
        result
    }

    fn stop_on_inner(&mut self, stops: &[char]) -> Result<(String, Vec<String>), LexError> {
        let mut result = String::new();
        // Only the outermost level is ever split into words.
        let mut words = Words::new(self.want_words && self.depth == 0);
        while let Some(ch) = self.peek() {
            if stops.contains(&ch) {
                self.chars.next();
                return Ok((result, words.finish()));
            }
            match ch {
                '\'' | '"' => {
                    let text = if ch == '\'' { self.single_quote()? } else { self.double_quote()? };
                    result.push_str(&text);
                    words.add_raw_str(&text);
                }
                '$' => {
                    let text = self.dollar()?;
                    result.push_str(&text);
                    words.add_str(&text);
                }
                _ => {
                    self.chars.next();
                    if ch == self.escape {
                        if self.raw_escapes {
                            words.add_raw_char(ch);
                            result.push(ch);
                        }
                        // An escape at the very end escapes nothing and is dropped.
                        let Some(next) = self.chars.next() else { break };
                        words.add_raw_char(next);
                        result.push(next);
                    } else {
                        words.add_char(ch);
                        result.push(ch);
                    }
                }
            }
        }
        match stops.last() {
            Some(stop) => Err(LexError::new(format!("unexpected end of statement while looking for matching {stop}"))),
            None => Ok((result, words.finish())),
        }
    }

    fn single_quote(&mut self) -> Result<String, LexError> {
        let mut result = String::new();
        self.chars.next();
        if self.raw_quotes {
            result.push('\'');
        }
        loop {
            match self.chars.next() {
                None => return Err(LexError::new("unexpected end of statement while looking for matching single-quote")),
                Some('\'') => {
                    if self.raw_quotes {
                        result.push('\'');
                    }
                    return Ok(result);
                }
                Some(c) => result.push(c),
            }
        }
    }

    fn double_quote(&mut self) -> Result<String, LexError> {
        let mut result = String::new();
        self.chars.next();
        if self.raw_quotes {
            result.push('"');
        }
        loop {
            match self.peek() {
                None => return Err(LexError::new("unexpected end of statement while looking for matching double-quote")),
                Some('"') => {
                    self.chars.next();
                    if self.raw_quotes {
                        result.push('"');
                    }
                    return Ok(result);
                }
                Some('$') => {
                    let value = self.dollar()?;
                    result.push_str(&value);
                }
                Some(ch) => {
                    self.chars.next();
                    let mut out = ch;
                    if ch == self.escape {
                        match self.peek() {
                            // A trailing escape before the missing quote is dropped.
                            None => continue,
                            // Inside double quotes only these can be escaped; others keep the escape.
                            Some(n) if n == '"' || n == '$' || n == self.escape => {
                                if self.raw_escapes {
                                    result.push(ch);
                                }
                                self.chars.next();
                                out = n;
                            }
                            Some(_) => {}
                        }
                    }
                    result.push(out);
                }
            }
        }
    }
}

/// Whether `name` can be set by ARG/ENV (special and positional parameters never are).
pub fn is_variable_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_') && name.chars().all(|c| c.is_alphanumeric() || c == '_')
}
