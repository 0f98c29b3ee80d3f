//! Following the start command to the servers it launches: wrappers that only run their
//! arguments, shells and their `-c` strings, start scripts of the image (whose `"$@"` is the
//! rest of the command), supervisord's programs, and `conda run`-style launchers. Scripts are
//! entered once each and the walk is bounded, so a loop in the image cannot hang the check.

use alloc::string::String;
use alloc::vec::Vec;

use super::shell::{self, ShellCommand};
use super::{Launch, Origin, Server, StartCommand, Unfollowed, Word};
use crate::facts::fs::{join, parent};
use crate::facts::{CapturedFile, FileEntry, ImageFacts};
use crate::path_lookup::which;

/// At most this many commands are looked at (a guard, far above any real start command).
const MAX_COMMANDS: u32 = 2000;

/// Programs that run their arguments after their own options.
const WRAPPERS: &[&str] =
    &["tini", "tini-static", "dumb-init", "catatonit", "exec", "nohup", "command", "builtin", "time", "setsid", "stdbuf"];
/// Options of those wrappers that take a value.
const WRAPPER_VALUE_OPTIONS: &[&str] = &["-p", "-e", "-r", "-a", "-o", "-i"];
/// Programs that run their arguments after a user name (`gosu user cmd`).
const USER_SWITCHERS: &[&str] = &["gosu", "su-exec"];
const SHELLS: &[&str] = &["sh", "bash", "dash", "zsh", "ash", "ksh"];
/// Shell builtins and everyday tools that never start a server (nothing to follow).
const NOT_SCRIPTS: &[&str] = &[
    "eval", "export", "source", ".", "set", "unset", "cd", "echo", "printf", "mkdir", "chown", "chmod", "cp", "mv", "rm", "ln", "[",
    "test", "true", "false", ":", "trap", "wait", "sleep", "exit", "return", "local", "declare", "readonly", "shift", "read", "touch",
];
/// SageMaker Distribution's start scripts: when the image (or context) lacks their content,
/// they still name the server (AWS: "these requirements are already taken care of").
const DISTRIBUTION_SCRIPTS: &[(&str, Server)] = &[
    ("entrypoint-code-editor", Server::CodeEditor),
    ("start-code-editor", Server::CodeEditor),
    ("entrypoint-jupyter-server", Server::Jupyter),
    ("start-jupyter-server", Server::Jupyter),
];
/// Where supervisord looks for its configuration when `-c` is not given.
const SUPERVISORD_CONFS: &[&str] = &["/etc/supervisord.conf", "/etc/supervisor/supervisord.conf", "/supervisord.conf"];

struct Walker<'a, 's> {
    start: &'s mut StartCommand<'a>,
    image: Option<&'a ImageFacts>,
    path_dirs: &'s [String],
    entered: Vec<String>,
    budget: u32,
}

pub(super) fn follow<'a>(start: &mut StartCommand<'a>, image: Option<&'a ImageFacts>, path_dirs: &[String], argv: &[Word]) {
    let mut walker = Walker { start, image, path_dirs, entered: Vec::new(), budget: MAX_COMMANDS };
    walker.run(argv, false);
}

fn name_of(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(k, _)| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

/// Whether a program name reads like a start script.
fn looks_like_script(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".sh") || ["entrypoint", "start", "run", "launch", "boot", "init"].iter().any(|k| lower.contains(k))
}

/// The server `words` launch, and where its options start.
pub(super) fn launch_of(words: &[Word]) -> Option<(Server, usize)> {
    let word = |i: usize| words.get(i).map(|w| w.text.as_str());
    let name = name_of(word(0)?);
    match name {
        "jupyter" if matches!(word(1), Some("lab" | "server")) => Some((Server::Jupyter, 2)),
        "jupyter-lab" | "jupyter-server" => Some((Server::Jupyter, 1)),
        "sagemaker-code-editor" => Some((Server::CodeEditor, 1)),
        _ if name.starts_with("python") && word(1) == Some("-m") => match word(2)? {
            "jupyterlab" | "jupyter_server" => Some((Server::Jupyter, 3)),
            "jupyter" if matches!(word(3), Some("lab" | "server")) => Some((Server::Jupyter, 4)),
            _ => None,
        },
        _ => None,
    }
}

impl<'a> Walker<'a, '_> {
    fn run(&mut self, argv: &[Word], conditional: bool) {
        if self.budget == 0 {
            return;
        }
        self.budget -= 1;
        let mut at = 0;
        while argv.get(at).is_some_and(|w| is_assignment(&w.text)) {
            at += 1;
        }
        let Some(first) = argv.get(at) else {
            return;
        };
        let name = name_of(&first.text);
        let rest = argv.get(at + 1..).unwrap_or(&[]);
        if WRAPPERS.contains(&name) || name == "env" || name == "sudo" {
            let mut i = 0;
            while let Some(w) = rest.get(i) {
                let t = w.text.as_str();
                if t == "--" {
                    i += 1;
                    break;
                }
                if !(t.starts_with('-') || (name == "env" && is_assignment(t))) {
                    break;
                }
                i += if WRAPPER_VALUE_OPTIONS.contains(&t) || (name == "sudo" && matches!(t, "-u" | "-g")) { 2 } else { 1 };
            }
            return self.run(rest.get(i..).unwrap_or(&[]), conditional);
        }
        if USER_SWITCHERS.contains(&name) {
            return self.run(rest.get(1..).unwrap_or(&[]), conditional);
        }
        if matches!(name, "conda" | "mamba" | "micromamba") && rest.first().is_some_and(|w| w.text == "run") {
            let mut i = 1;
            while let Some(t) = rest.get(i).map(|w| w.text.as_str()) {
                if !t.starts_with('-') {
                    break;
                }
                i += if matches!(t, "-n" | "--name" | "-p" | "--prefix" | "-a" | "--attach" | "--cwd") { 2 } else { 1 };
            }
            return self.run(rest.get(i..).unwrap_or(&[]), conditional);
        }
        if SHELLS.contains(&name) {
            return self.shell(rest, conditional);
        }
        if name == "supervisord" {
            let mut conf: Option<String> = None;
            for (i, w) in rest.iter().enumerate() {
                if let Some(v) = w.text.strip_prefix("--configuration=").or_else(|| w.text.strip_prefix("-c=")) {
                    conf = Some(String::from(v));
                } else if matches!(w.text.as_str(), "-c" | "--configuration") {
                    conf = rest.get(i + 1).map(|v| v.text.clone());
                }
            }
            let candidates: Vec<String> = match conf {
                Some(c) => alloc::vec![c],
                None => SUPERVISORD_CONFS.iter().map(|c| String::from(*c)).collect(),
            };
            return self.supervisord(&candidates, first, conditional);
        }
        if let Some((server, args_at)) = launch_of(argv.get(at..).unwrap_or(&[])) {
            self.start.launches.push(Launch {
                server,
                argv: argv.get(at..).unwrap_or(&[]).to_vec(),
                args_at,
                conditional,
                distribution_entrypoint: None,
            });
            return;
        }
        if NOT_SCRIPTS.contains(&name) || first.text.contains('$') {
            return;
        }
        self.program(first, rest, conditional);
    }

    /// `sh -c "…"`, `bash script.sh args`, or a bare shell (nothing to follow).
    fn shell(&mut self, rest: &[Word], conditional: bool) {
        let mut i = 0;
        while let Some(w) = rest.get(i) {
            let t = w.text.as_str();
            if t == "--" {
                i += 1;
                break;
            }
            if !t.starts_with('-') && !t.starts_with('+') {
                break;
            }
            if t.starts_with('-') && !t.starts_with("--") && t.contains('c') {
                if let Some(text) = rest.get(i + 1) {
                    self.text(&text.text, &text.origin, &[], conditional);
                }
                return;
            }
            i += if matches!(t, "-o" | "+o" | "-O" | "+O") { 2 } else { 1 };
        }
        if let Some(script) = rest.get(i) {
            self.program(script, rest.get(i + 1..).unwrap_or(&[]), conditional);
        }
    }

    /// Runs every command of a shell text; `args` stand for its `"$@"`.
    fn text(&mut self, text: &str, origin: &Origin, args: &[Word], conditional: bool) {
        for command in shell::commands(text) {
            let words = self.command_words(&command, origin, args);
            self.run(&words, conditional || command.conditional);
        }
    }

    fn command_words(&self, command: &ShellCommand, origin: &Origin, args: &[Word]) -> Vec<Word> {
        let origin = match origin {
            Origin::ImageFile { path, line } => Origin::ImageFile { path: path.clone(), line: line + command.line - 1 },
            other => other.clone(),
        };
        let mut words = Vec::new();
        for w in &command.words {
            if matches!(w.as_str(), "$@" | "${@}" | "$*" | "${*}") {
                words.extend(args.iter().cloned());
            } else {
                words.push(Word { text: w.clone(), origin: origin.clone() });
            }
        }
        words
    }

    /// The file at `path` in the image (after PATH lookup and symlinks) and its captured content.
    fn image_file(&self, program: &str) -> Option<(&'a FileEntry, Option<&'a CapturedFile>)> {
        let image = self.image?;
        let (_, real) = which(&image.files, self.path_dirs, program)?;
        let entry = image.files.get(&real)?;
        Some((entry, image.captured(&real)))
    }

    /// A program that is not a wrapper or a server: a start script to enter, if its content
    /// is known.
    fn program(&mut self, program: &Word, args: &[Word], conditional: bool) {
        let name = name_of(&program.text);
        let found = self.image_file(&program.text);
        if let Some((entry, Some(file))) = found {
            let text = file.text();
            let first_line = text.lines().next().unwrap_or("");
            let is_shell = first_line.starts_with("#!") && SHELLS.iter().any(|s| first_line.split(['/', ' ']).any(|w| w == *s));
            if is_shell && !self.entered.contains(&entry.path) {
                self.entered.push(entry.path.clone());
                self.start.files.push(entry);
                let hands_over =
                    shell::commands(text).iter().any(|c| c.words.iter().any(|w| matches!(w.as_str(), "$@" | "${@}" | "$*" | "${*}")));
                if !args.is_empty() && !hands_over {
                    self.start.swallowing.push(entry);
                }
                let origin = Origin::ImageFile { path: entry.path.clone(), line: 1 };
                self.text(text, &origin, args, conditional);
            }
            return;
        }
        if let Some((_, server)) = DISTRIBUTION_SCRIPTS.iter().find(|(n, _)| *n == name) {
            self.start.launches.push(Launch {
                server: *server,
                argv: core::iter::once(program.clone()).chain(args.iter().cloned()).collect(),
                args_at: 1,
                conditional,
                distribution_entrypoint: Some(String::from(name)),
            });
            return;
        }
        let unknown = match found {
            Some((entry, None)) => (looks_like_script(name) || entry.size <= 64 * 1024).then_some(false),
            Some((_, Some(_))) => None,
            None => looks_like_script(name).then_some(self.image.is_some()),
        };
        if let Some(missing_from_image) = unknown {
            self.start.unfollowed.push(Unfollowed { program: program.text.clone(), origin: program.origin.clone(), missing_from_image });
        }
    }

    /// supervisord with the first of `candidates` the image holds: its programs, and the files
    /// its `[include]` names.
    fn supervisord(&mut self, candidates: &[String], program: &Word, conditional: bool) {
        let Some(image) = self.image else {
            return;
        };
        let Some(file) = candidates.iter().find_map(|c| image.captured(c)) else {
            if let Some(first) = candidates.first() {
                let missing = image.files.resolve(first).is_none();
                self.start.unfollowed.push(Unfollowed {
                    program: first.clone(),
                    origin: program.origin.clone(),
                    missing_from_image: missing,
                });
            }
            return;
        };
        if self.entered.contains(&file.path) {
            return;
        }
        self.entered.push(file.path.clone());
        if let Some(entry) = image.files.get(&file.path) {
            self.start.files.push(entry);
        }
        let dir = String::from(parent(&file.path));
        let mut section = String::new();
        let mut autostart = true;
        let mut command: Option<(String, u32)> = None;
        let mut includes: Vec<String> = Vec::new();
        let lines: Vec<&str> = file.text().lines().collect();
        for (i, raw) in lines.iter().chain(core::iter::once(&"[end]")).enumerate() {
            let line = raw.split(" ;").next().unwrap_or("").trim();
            if line.starts_with(';') || line.starts_with('#') || line.is_empty() {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                if let (true, Some((text, n))) = (section.starts_with("program:") && autostart, command.take()) {
                    let origin = Origin::ImageFile { path: file.path.clone(), line: n };
                    self.text(&text, &origin, &[], conditional);
                }
                section = String::from(name.trim());
                autostart = true;
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            match (section.as_str(), key.trim()) {
                (s, "command") if s.starts_with("program:") => command = Some((String::from(value.trim()), i as u32 + 1)),
                (s, "autostart") if s.starts_with("program:") => autostart = !value.trim().eq_ignore_ascii_case("false"),
                ("include", "files") => {
                    includes.extend(value.split_whitespace().map(|f| if f.starts_with('/') { String::from(f) } else { join(&dir, f) }))
                }
                _ => {}
            }
        }
        for glob in includes {
            let matching: Vec<String> =
                image.captured.iter().filter(|c| crate::vocabulary::glob_matches(&glob, &c.path)).map(|c| c.path.clone()).collect();
            for path in matching {
                self.supervisord(&[path], program, conditional);
            }
        }
    }
}
