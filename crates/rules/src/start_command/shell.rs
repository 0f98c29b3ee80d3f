//! Shell text (a shell-form CMD, an `sh -c` string, a start script, a supervisord `command=`)
//! read as far as the start command needs: the simple commands it runs, each as words with
//! quotes removed and the line it starts on, and whether it sits inside an `if`/`while`/`case`
//! (a launch there may not be the one that runs). Variables stay as written (`$HOME`): their
//! values are only known when the container runs.

use alloc::string::String;
use alloc::vec::Vec;

/// One simple command of a shell text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellCommand {
    pub words: Vec<String>,
    /// 1-based line of the text its first word is on.
    pub line: u32,
    /// Inside an `if`, `while`, `until`, `for` or `case` body.
    pub conditional: bool,
}

/// Keywords that open a compound command whose body may not run.
const OPENERS: &[&str] = &["if", "while", "until", "for", "case"];
const CLOSERS: &[&str] = &["fi", "done", "esac"];
/// Keywords (and grouping) that only introduce the command after them.
const PREFIXES: &[&str] = &["then", "else", "elif", "do", "{", "(", "!", "}", ")", ";;"];

struct Lexer {
    commands: Vec<Vec<(String, u32)>>,
    current: Vec<(String, u32)>,
    word: String,
    word_started: bool,
    word_line: u32,
}

impl Lexer {
    fn end_word(&mut self) {
        if self.word_started {
            self.current.push((core::mem::take(&mut self.word), self.word_line));
            self.word_started = false;
        }
    }
    fn end_command(&mut self) {
        self.end_word();
        if !self.current.is_empty() {
            self.commands.push(core::mem::take(&mut self.current));
        }
    }
    fn push(&mut self, c: char, line: u32) {
        if !self.word_started {
            self.word_started = true;
            self.word_line = line;
        }
        self.word.push(c);
    }
}

/// The simple commands of `text`, in order.
pub fn commands(text: &str) -> Vec<ShellCommand> {
    let mut lx = Lexer { commands: Vec::new(), current: Vec::new(), word: String::new(), word_started: false, word_line: 1 };
    let chars: Vec<char> = text.chars().collect();
    let mut line = 1u32;
    let mut i = 0;
    let (mut single, mut double) = (false, false);
    // Depth of `$( … )` / `` ` `` substitutions: their separators belong to the word.
    let mut substitution = 0u32;
    while let Some(&c) = chars.get(i) {
        let next = chars.get(i + 1).copied();
        i += 1;
        if c == '\n' {
            line += 1;
        }
        if single {
            if c == '\'' {
                single = false;
            } else {
                lx.push(c, line);
            }
            continue;
        }
        if c == '\\' {
            match next {
                Some('\n') => {
                    line += 1;
                    i += 1;
                }
                Some(n) if !double || matches!(n, '"' | '\\' | '$' | '`') => {
                    lx.push(n, line);
                    i += 1;
                }
                _ => lx.push(c, line),
            }
            continue;
        }
        if c == '$' && next == Some('(') {
            substitution += 1;
            lx.push(c, line);
            continue;
        }
        if substitution > 0 && c == ')' {
            substitution -= 1;
            lx.push(c, line);
            continue;
        }
        if double {
            if c == '"' {
                double = false;
            } else {
                lx.push(c, line);
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                if !lx.word_started {
                    lx.word_started = true;
                    lx.word_line = line;
                }
                if c == '\'' {
                    single = true;
                } else {
                    double = true;
                }
            }
            _ if substitution > 0 => lx.push(c, line),
            '#' if !lx.word_started => {
                while chars.get(i).is_some_and(|c| *c != '\n') {
                    i += 1;
                }
            }
            ';' | '&' | '|' | '\n' => lx.end_command(),
            c if c.is_whitespace() => lx.end_word(),
            c => lx.push(c, line),
        }
    }
    lx.end_command();
    let mut depth = 0u32;
    let mut out = Vec::new();
    for mut words in lx.commands {
        while let Some((first, _)) = words.first() {
            if OPENERS.contains(&first.as_str()) {
                depth += 1;
            } else if CLOSERS.contains(&first.as_str()) {
                depth = depth.saturating_sub(1);
            } else if !PREFIXES.contains(&first.as_str()) {
                break;
            }
            words.remove(0);
        }
        let Some((_, first_line)) = words.first() else {
            continue;
        };
        let line = *first_line;
        out.push(ShellCommand { words: words.into_iter().map(|(w, _)| w).collect(), line, conditional: depth > 0 });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;
    use alloc::vec::Vec;

    fn words(text: &str) -> Vec<Vec<String>> {
        commands(text).into_iter().map(|c| c.words).collect()
    }

    #[test]
    fn quotes_are_removed_and_empty_quotes_are_empty_words() {
        assert_eq!(
            words("jupyter lab --ServerApp.token='' --ServerApp.base_url=\"/jupyterlab/default\" --x ''"),
            [["jupyter", "lab", "--ServerApp.token=", "--ServerApp.base_url=/jupyterlab/default", "--x", ""]]
        );
    }

    #[test]
    fn separators_split_commands_but_not_inside_substitutions() {
        assert_eq!(
            words("eval \"$(micromamba shell hook --shell=bash)\"; export A=$(echo $B | tr a b) && exec \"$@\""),
            [
                alloc::vec!["eval", "$(micromamba shell hook --shell=bash)"],
                alloc::vec!["export", "A=$(echo $B | tr a b)"],
                alloc::vec!["exec", "$@"]
            ]
        );
    }

    #[test]
    fn continuations_comments_lines_and_branches_are_tracked() {
        let found = commands(
            "#!/bin/bash\n# start\nif [ -n \"$X\" ]; then\n  jupyter lab \\\n    --ip 0.0.0.0\nelse\n  jupyter lab\nfi\nsleep 1\n",
        );
        let shown: Vec<(Vec<String>, u32, bool)> = found.into_iter().map(|c| (c.words, c.line, c.conditional)).collect();
        assert_eq!(shown[0], (alloc::vec!["[".into(), "-n".into(), "$X".into(), "]".into()], 3, true));
        assert_eq!(shown[1], (alloc::vec!["jupyter".into(), "lab".into(), "--ip".into(), "0.0.0.0".into()], 4, true));
        assert_eq!(shown[2], (alloc::vec!["jupyter".into(), "lab".into()], 7, true));
        assert_eq!(shown[3], (alloc::vec!["sleep".into(), "1".into()], 9, false));
    }
}
