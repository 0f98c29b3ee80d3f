//! Reads the `/bin/sh` script of a RUN instruction into simple commands: lists (`&&`, `||`,
//! `;`, `&`, newlines), pipelines, subshells and the words of `if`/`for`/`while` bodies, with
//! their redirections and variable assignments. Words are expanded with the stage's variables
//! and with the script's own assignments; what is not known (`$HOME` of the base image, `$(…)`)
//! stays as written, so a reader can tell it apart. `sh -c '…'` and `bash -c "…"` are read
//! recursively. This is not a shell: it reads what a Dockerfile's RUN usually says.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::lex::{Env, Lexer, Lookup};

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

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    /// A redirection operator with its optional descriptor.
    Redirect(&'static str, Option<u32>),
    /// Anything that ends a simple command (`&&`, `||`, `;`, `|`, `&`, `(`, `)`, newline).
    Separator,
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

/// Drops programs that only run their arguments (`sudo`, `env`, `nohup`, `exec`, `gosu u`, …).
fn strip_wrappers(cmd: &mut SimpleCommand) {
    loop {
        let Some(first) = cmd.words.first() else {
            return;
        };
        let program = first.rsplit('/').next().unwrap_or(first);
        let skip = match program {
            "sudo" => {
                let mut i = 1;
                while let Some(w) = cmd.words.get(i) {
                    if !w.starts_with('-') {
                        break;
                    }
                    // Options of sudo that take a value.
                    i += if matches!(w.as_str(), "-u" | "-g" | "-C" | "-D" | "-h" | "-p" | "-r" | "-t" | "-U") { 2 } else { 1 };
                }
                i
            }
            "env" => {
                let mut i = 1;
                while let Some(w) = cmd.words.get(i) {
                    if let Some((name, value)) = assignment(w) {
                        cmd.assignments.push((name.to_string(), value.to_string()));
                    } else if !w.starts_with('-') {
                        break;
                    }
                    i += 1;
                }
                i
            }
            "nohup" | "exec" | "command" | "nice" | "stdbuf" | "time" => 1,
            "gosu" | "su-exec" | "chroot" => 2,
            _ => return,
        };
        if skip == 0 || skip > cmd.words.len() {
            return;
        }
        cmd.words.drain(..skip);
    }
}

/// The script of `sh -c SCRIPT`, `bash -ec SCRIPT`, `su -c SCRIPT user`.
fn shell_c_script(cmd: &SimpleCommand) -> Option<&str> {
    let program = cmd.program();
    let is_shell = matches!(program, "sh" | "bash" | "dash" | "zsh" | "ash" | "su");
    if !is_shell {
        return None;
    }
    let mut words = cmd.words.iter().skip(1);
    while let Some(w) = words.next() {
        if w == "-c" || (w.starts_with('-') && !w.starts_with("--") && w.ends_with('c') && w.len() > 2) {
            return words.next().map(String::as_str);
        }
        if w == "-o" {
            words.next();
            continue;
        }
        if !w.starts_with('-') && program != "su" {
            return None;
        }
    }
    None
}

/// Splits a script into words, redirections and separators. Quotes, `$(…)`, `${…}` and
/// backquotes stay inside their word; comments and the bodies of `<<` heredocs are dropped.
/// Every character with a meaning here is ASCII, so the scan runs over bytes and cuts the text
/// only next to ASCII bytes (always on a character boundary).
fn tokenize(script: &str) -> Vec<Token> {
    let b = script.as_bytes();
    let n = b.len();
    let mut tokens = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut pending_heredocs: Vec<(String, bool)> = Vec::new();
    let mut i = 0;
    let flush = |tokens: &mut Vec<Token>, word: &mut String, in_word: &mut bool| {
        if *in_word {
            tokens.push(Token::Word(core::mem::take(word)));
            *in_word = false;
        }
    };
    let line_end = |from: usize| b[from..].iter().position(|c| *c == b'\n').map_or(n, |p| from + p);
    while i < n {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\r' => {
                flush(&mut tokens, &mut word, &mut in_word);
                i += 1;
            }
            b'\n' => {
                flush(&mut tokens, &mut word, &mut in_word);
                tokens.push(Token::Separator);
                i += 1;
                // Bodies of heredocs opened on the line just ended.
                for (delimiter, strip_tabs) in core::mem::take(&mut pending_heredocs) {
                    while i < n {
                        let end = line_end(i);
                        let line = &script[i..end];
                        i = (end + 1).min(n);
                        let line = if strip_tabs { line.trim_start_matches('\t') } else { line };
                        if line.trim_end_matches('\r') == delimiter {
                            break;
                        }
                    }
                }
            }
            b'#' if !in_word => i = line_end(i),
            b'\\' => {
                if b.get(i + 1) == Some(&b'\n') {
                    i += 2;
                    continue;
                }
                // The escape and the character it escapes (which may be several bytes).
                let next = script[i + 1..].chars().next().map_or(0, char::len_utf8);
                word.push_str(&script[i..i + 1 + next]);
                in_word = true;
                i += 1 + next;
            }
            b'\'' | b'`' => {
                let end = b[i + 1..].iter().position(|x| *x == c).map_or(n, |p| i + 1 + p);
                word.push_str(&script[i..(end + 1).min(n)]);
                in_word = true;
                i = end + 1;
            }
            b'"' => {
                let end = scan_double_quoted(b, i + 1);
                word.push_str(&script[i..(end + 1).min(n)]);
                in_word = true;
                i = end + 1;
            }
            b'$' if matches!(b.get(i + 1), Some(b'(' | b'{')) => {
                let (open, close) = if b[i + 1] == b'(' { (b'(', b')') } else { (b'{', b'}') };
                let end = scan_balanced(b, i + 2, open, close);
                word.push_str(&script[i..(end + 1).min(n)]);
                in_word = true;
                i = end + 1;
            }
            b';' | b'|' | b'&' | b'(' | b')' => {
                // `&>` and `&>>` redirect both outputs.
                if c == b'&' && b.get(i + 1) == Some(&b'>') {
                    flush(&mut tokens, &mut word, &mut in_word);
                    let op = if b.get(i + 2) == Some(&b'>') { "&>>" } else { "&>" };
                    tokens.push(Token::Redirect(op, None));
                    i += op.len();
                    continue;
                }
                flush(&mut tokens, &mut word, &mut in_word);
                tokens.push(Token::Separator);
                i += 1;
                while i < n && b[i] == c && matches!(c, b';' | b'|' | b'&') {
                    i += 1;
                }
            }
            b'>' | b'<' => {
                let fd = if in_word && !word.is_empty() && word.bytes().all(|d| d.is_ascii_digit()) {
                    let fd = word.parse::<u32>().ok();
                    word.clear();
                    in_word = false;
                    fd
                } else {
                    flush(&mut tokens, &mut word, &mut in_word);
                    None
                };
                let rest = &b[i..(i + 3).min(n)];
                let op = ["<<<", "<<-", ">>", "<<", ">&", "<&", ">|", "<>", ">", "<"]
                    .into_iter()
                    .find(|op| rest.starts_with(op.as_bytes()))
                    .unwrap_or(">");
                i += op.len();
                if op == "<<" || op == "<<-" {
                    // The delimiter word follows; its body starts on the next line.
                    while i < n && (b[i] == b' ' || b[i] == b'\t') {
                        i += 1;
                    }
                    let start = i;
                    while i < n && !matches!(b[i], b' ' | b'\t' | b'\n' | b';' | b'|' | b'&' | b'<' | b'>' | b')') {
                        i += 1;
                    }
                    let delimiter: String = script[start..i].chars().filter(|c| !matches!(c, '\'' | '"' | '\\')).collect();
                    if !delimiter.is_empty() {
                        pending_heredocs.push((delimiter, op == "<<-"));
                    }
                    continue;
                }
                tokens.push(Token::Redirect(op, fd));
            }
            _ => {
                // A run of ordinary bytes, up to the next one with a meaning.
                let end = b[i..]
                    .iter()
                    .position(|x| {
                        matches!(
                            x,
                            b' ' | b'\t'
                                | b'\r'
                                | b'\n'
                                | b'\\'
                                | b'\''
                                | b'`'
                                | b'"'
                                | b'$'
                                | b';'
                                | b'|'
                                | b'&'
                                | b'('
                                | b')'
                                | b'>'
                                | b'<'
                        )
                    })
                    .map_or(n, |p| i + p.max(1));
                word.push_str(&script[i..end]);
                in_word = true;
                i = end;
            }
        }
    }
    flush(&mut tokens, &mut word, &mut in_word);
    tokens
}

/// Index of the closing `"` (or the length), skipping escapes and `$(…)`.
fn scan_double_quoted(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i,
            b'$' if b.get(i + 1) == Some(&b'(') => i = scan_balanced(b, i + 2, b'(', b')') + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// Index of the `close` matching an already opened `open` (or the length), skipping quotes.
fn scan_balanced(b: &[u8], mut i: usize, open: u8, close: u8) -> usize {
    let mut depth = 1u32;
    while i < b.len() {
        let c = b[i];
        if c == b'\\' {
            i += 2;
            continue;
        }
        if c == b'\'' {
            i = b[i + 1..].iter().position(|x| *x == b'\'').map_or(b.len(), |p| i + 1 + p) + 1;
            continue;
        }
        if c == b'"' {
            i = scan_double_quoted(b, i + 1) + 1;
            continue;
        }
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return i;
            }
        }
        i += 1;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::NoEnv;
    use alloc::vec;

    fn words(script: &str) -> Vec<Vec<String>> {
        read_script(script, &NoEnv).into_iter().map(|c| c.words).collect()
    }

    #[test]
    fn lists_and_pipelines_split_into_commands() {
        assert_eq!(
            words("apt-get update && apt-get install -y a b || true; echo x | tee /f &"),
            vec![vec!["apt-get", "update"], vec!["apt-get", "install", "-y", "a", "b"], vec!["true"], vec!["echo", "x"], vec!["tee", "/f"],]
        );
    }

    #[test]
    fn quotes_are_removed_and_substitutions_kept_whole() {
        assert_eq!(words("echo \"a b\" 'c d' $(which python3)"), vec![vec!["echo", "a b", "c d", "$(which python3)"]]);
    }

    #[test]
    fn sh_c_is_read_recursively_and_sudo_dropped() {
        let cmds = words("sudo -E sh -c 'useradd -u 1000 x && echo ok'");
        assert_eq!(cmds[1], vec!["useradd", "-u", "1000", "x"]);
        assert_eq!(cmds[2], vec!["echo", "ok"]);
    }

    #[test]
    fn assignments_feed_later_words_and_redirects_are_kept() {
        let cmds = read_script("D=/opt/x && mkdir -p $D 2>/dev/null && echo hi >> \"$D/f\"", &NoEnv);
        assert_eq!(cmds[1].words, vec!["mkdir", "-p", "/opt/x"]);
        assert_eq!(cmds[2].redirects[0].target, "/opt/x/f");
        assert!(cmds[2].redirects[0].writes_file());
        assert!(!cmds[1].redirects[0].writes_file());
    }

    #[test]
    fn control_words_and_comments_are_skipped() {
        let cmds = words("if [ -x a ]; then\n  # note\n  pip install b; \nfi\nfor f in a b; do rm $f; done");
        assert_eq!(cmds, vec![vec!["[", "-x", "a", "]"], vec!["pip", "install", "b"], vec!["rm", "$f"]]);
    }

    #[test]
    fn heredoc_bodies_are_not_commands() {
        let cmds = words("cat <<EOF > /etc/x\nuseradd nope\nEOF\necho after");
        assert_eq!(cmds, vec![vec!["cat"], vec!["echo", "after"]]);
    }
}
