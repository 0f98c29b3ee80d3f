//! Reads the `/bin/sh` script of a RUN instruction into simple commands: lists (`&&`, `||`,
//! `;`, `&`, newlines), pipelines, subshells and the words of `if`/`for`/`while` bodies, with
//! their redirections and variable assignments. Words are expanded with the stage's variables
//! and with the script's own assignments; what is not known (`$HOME` of the base image, `$(…)`)
//! stays as written, so a reader can tell it apart. `sh -c '…'` and `bash -c "…"` are read
//! recursively. This is not a shell: it reads what a Dockerfile's RUN usually says.

#[cfg(test)]
mod tests;
mod tokens;
mod wrappers;

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::lex::{Env, Lexer, Lookup};
use tokens::{tokenize, Token};
use wrappers::{shell_c_script, strip_wrappers};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// `>`, `>>`, `<`, `>&`, `&>`, `&>>`, `>|`, `<>`, `<<`, `<<-`, `<<<`.
    pub op: String,
    /// File descriptor written before the operator (`2>`), if any.
    pub fd: Option<u32>,
    pub target: String,
}

impl Redirect {
    /// Output into a file (not into another descriptor or a device).
    pub fn writes_file(&self) -> bool {
        matches!(self.op.as_str(), ">" | ">>" | ">|" | "&>" | "&>>" | "<>") && !self.target.starts_with("/dev/")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimpleCommand {
    /// Expanded words; the first is the program.
    pub words: Vec<String>,
    pub redirects: Vec<Redirect>,
    /// `NAME=value` words before the program (or alone, when `words` is empty).
    pub assignments: Vec<(String, String)>,
}

impl SimpleCommand {
    /// The program's base name (`/usr/bin/pip3` → `pip3`).
    pub fn program(&self) -> &str {
        self.words.first().map_or("", |w| w.rsplit('/').next().unwrap_or(w))
    }
}

/// A word still holds something this reader could not work out.
pub fn is_known(word: &str) -> bool {
    !word.contains('$') && !word.contains('`')
}

fn is_plain(raw: &str) -> bool {
    !raw.contains(['$', '\'', '"', '\\', '`'])
}

/// Bounds `sh -c` inside `sh -c` inside … on hostile input.
const MAX_DEPTH: u32 = 8;

/// Reads `script` with the variables of `env`.
pub fn read_script(script: &str, env: &dyn Env) -> Vec<SimpleCommand> {
    let mut reader = Reader { env, vars: Vec::new(), out: Vec::new() };
    reader.read(script, 0);
    reader.out
}

struct Reader<'e> {
    env: &'e dyn Env,
    /// The script's own assignments; `None` = a value this reader cannot know.
    vars: Vec<(String, Option<String>)>,
    out: Vec<SimpleCommand>,
}

struct ScriptEnv<'a> {
    base: &'a dyn Env,
    vars: &'a [(String, Option<String>)],
}

impl Env for ScriptEnv<'_> {
    fn lookup(&self, name: &str) -> Lookup<'_> {
        match self.vars.iter().rev().find(|(k, _)| k == name) {
            Some((_, Some(v))) => Lookup::Value(v),
            Some((_, None)) => Lookup::Unknown,
            None => self.base.lookup(name),
        }
    }
}

const RESERVED_PREFIXES: &[&str] = &["if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "fi", "done", "esac", "time"];

impl Reader<'_> {
    fn read(&mut self, script: &str, depth: u32) {
        let tokens = tokenize(script);
        let mut current: Vec<Token> = Vec::new();
        for token in tokens {
            if token == Token::Separator {
                let words = core::mem::take(&mut current);
                self.command(words, depth);
            } else {
                current.push(token);
            }
        }
        self.command(current, depth);
    }

    fn expand(&self, raw: &str, split: bool) -> Vec<String> {
        // The tokenizer already split on blanks: a word without quotes, escapes or `$` is final.
        if is_plain(raw) {
            return alloc::vec![raw.to_string()];
        }
        let env = ScriptEnv { base: self.env, vars: &self.vars };
        let lexer = Lexer { escape: '\\', raw_quotes: false, raw_escapes: false, skip_unset: true };
        // Command substitutions are kept whole: the lexer does not know `$(`.
        let opaque = raw.contains("$(") || raw.contains('`');
        let result = if split && !opaque { lexer.process(raw, &env) } else { lexer.process_word(raw, &env) };
        match result {
            // `''` is an argument of its own, even though it is empty.
            Ok(e) if split && !opaque && e.words.is_empty() && (raw.contains('\'') || raw.contains('"')) => {
                alloc::vec![String::new()]
            }
            Ok(e) if split && !opaque => e.words,
            Ok(e) => alloc::vec![e.word],
            Err(_) => alloc::vec![raw.to_string()],
        }
    }

    fn command(&mut self, tokens: Vec<Token>, depth: u32) {
        let mut cmd = SimpleCommand::default();
        let mut iter = tokens.into_iter().peekable();
        let mut leading = true;
        let mut skip_for_header = false;
        while let Some(token) = iter.next() {
            match token {
                Token::Separator => {}
                Token::Redirect(op, fd) => {
                    if let Some(Token::Word(target)) = iter.peek() {
                        let target = self.expand(target, false).join(" ");
                        iter.next();
                        cmd.redirects.push(Redirect { op: op.to_string(), fd, target });
                    }
                }
                Token::Word(raw) => {
                    if skip_for_header {
                        continue;
                    }
                    if leading && cmd.words.is_empty() {
                        if RESERVED_PREFIXES.contains(&raw.as_str()) {
                            continue;
                        }
                        if raw == "for" || raw == "case" || raw == "select" {
                            // `for x in a b c` only names the loop; its body comes after `do`.
                            skip_for_header = true;
                            continue;
                        }
                        if let Some((name, value)) = assignment(&raw) {
                            let value = self.expand(value, false).join(" ");
                            let known = is_known(&value) && !value.contains("$(");
                            cmd.assignments.push((name.to_string(), value.clone()));
                            self.vars.push((name.to_string(), if known { Some(value) } else { None }));
                            continue;
                        }
                    }
                    leading = false;
                    if is_plain(&raw) {
                        cmd.words.push(raw);
                    } else {
                        cmd.words.extend(self.expand(&raw, true));
                    }
                }
            }
        }
        if cmd.words.is_empty() && cmd.assignments.is_empty() && cmd.redirects.is_empty() {
            return;
        }
        strip_wrappers(&mut cmd);
        // `sh -c 'script'`: the script is what runs.
        if depth < MAX_DEPTH {
            if let Some(script) = shell_c_script(&cmd) {
                let script = script.to_string();
                self.out.push(cmd);
                self.read(&script, depth + 1);
                return;
            }
        }
        self.out.push(cmd);
    }
}

/// `NAME=value` as a shell assignment word.
fn assignment(raw: &str) -> Option<(&str, &str)> {
    let (name, value) = raw.split_once('=')?;
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then_some((name, value))
}
