//! Following the start command to the servers it launches: wrappers that only run their
//! arguments, shells and their `-c` strings, start scripts of the image (whose `"$@"` is the
//! rest of the command) or of the build context the Dockerfile COPYs them from, supervisord's
//! programs, and `conda run`-style launchers. Scripts are
//! entered once each and the walk is bounded, so a loop in the image cannot hang the check.

use alloc::string::String;
use alloc::vec::Vec;

use super::shell::{self, ShellCommand};
use super::{Launch, Origin, Server, StartCommand, Unfollowed, Word};
use crate::facts::fs::{join, normalize, parent};
use crate::facts::{CapturedFile, ContextFile, FileEntry, ImageFacts};
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
    /// Without the archive: the start scripts the Dockerfile COPYs from the build context.
    context: &'a [ContextFile],
    path_dirs: &'s [String],
    entered: Vec<String>,
    budget: u32,
}

/// A file whose content the walk can read: in the image, or COPYed from the build context.
#[derive(Clone, Copy)]
enum Readable<'a> {
    Image(&'a FileEntry, &'a CapturedFile),
    Context(&'a ContextFile),
}

impl<'a> Readable<'a> {
    fn path(self) -> &'a str {
        match self {
            Readable::Image(entry, _) => &entry.path,
            Readable::Context(file) => &file.path,
        }
    }
    fn text(self) -> &'a str {
        match self {
            Readable::Image(_, file) => file.text(),
            Readable::Context(file) => file.text(),
        }
    }
    /// The origin of its first line.
    fn origin(self) -> Origin {
        match self {
            Readable::Image(entry, _) => Origin::ImageFile { path: entry.path.clone(), line: 1 },
            Readable::Context(file) => Origin::ContextFile { source: file.source.clone(), line: 1, span: file.span },
        }
    }
}

/// What a program name or path is in the inputs.
enum Found<'a> {
    Readable(Readable<'a>),
    /// In the image, but its content was not kept.
    Unread(&'a FileEntry),
    Nowhere,
}

pub(super) fn follow<'a>(
    start: &mut StartCommand<'a>,
    image: Option<&'a ImageFacts>,
    context: &'a [ContextFile],
    path_dirs: &[String],
    argv: &[Word],
) {
    let mut walker = Walker { start, image, context, path_dirs, entered: Vec::new(), budget: MAX_COMMANDS };
    walker.run(argv, false);
}

fn name_of(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// The index of the first word after a program's options, looking from `from`: words
/// `is_option` accepts are passed over (with the word after them when `takes_value`), and a
/// `--` ends the options and is passed over too.
fn after_options(words: &[Word], from: usize, is_option: impl Fn(&str) -> bool, takes_value: impl Fn(&str) -> bool) -> usize {
    let mut i = from;
    while let Some(t) = words.get(i).map(|w| w.text.as_str()) {
        if t == "--" {
            return i + 1;
        }
        if !is_option(t) {
            break;
        }
        i += if takes_value(t) { 2 } else { 1 };
    }
    i
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
        while let Some(w) = argv.get(at).filter(|w| is_assignment(&w.text)) {
            if w.text.split_once('=').is_some_and(|(_, v)| v.starts_with('(')) {
                // `cmd=( "$@" )`: an array assignment, not a command.
                return;
            }
            at += 1;
        }
        let Some(first) = argv.get(at) else {
            return;
        };
        let name = name_of(&first.text);
        let rest = argv.get(at + 1..).unwrap_or(&[]);
        if WRAPPERS.contains(&name) || name == "env" || name == "sudo" {
            let i = after_options(
                rest,
                0,
                |t| t.starts_with('-') || (name == "env" && is_assignment(t)),
                |t| WRAPPER_VALUE_OPTIONS.contains(&t) || (name == "sudo" && matches!(t, "-u" | "-g")),
            );
            return self.run(rest.get(i..).unwrap_or(&[]), conditional);
        }
        if USER_SWITCHERS.contains(&name) {
            return self.run(rest.get(1..).unwrap_or(&[]), conditional);
        }
        if matches!(name, "conda" | "mamba" | "micromamba") && rest.first().is_some_and(|w| w.text == "run") {
            let i = after_options(
                rest,
                1,
                |t| t.starts_with('-'),
                |t| matches!(t, "-n" | "--name" | "-p" | "--prefix" | "-a" | "--attach" | "--cwd"),
            );
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
        if first.text.starts_with('$') && !first.text.starts_with("$(") {
            // A command held in a variable (`exec "${cmd[@]}"`): known only when it runs.
            self.start.unfollowed.push(Unfollowed { program: first.text.clone(), origin: first.origin.clone(), missing_from_image: false });
            return;
        }
        if NOT_SCRIPTS.contains(&name) || first.text.contains('$') {
            return;
        }
        self.program(first, rest, conditional);
    }

    /// `sh -c "…"`, `bash script.sh args`, or a bare shell (nothing to follow).
    fn shell(&mut self, rest: &[Word], conditional: bool) {
        let end = after_options(rest, 0, |t| t.starts_with('-') || t.starts_with('+'), |t| matches!(t, "-o" | "+o" | "-O" | "+O"));
        let command_option = |t: &str| t.starts_with('-') && !t.starts_with("--") && t.contains('c');
        if let Some(c) = rest.get(..end).unwrap_or(&[]).iter().position(|w| command_option(&w.text)) {
            if let Some(text) = rest.get(c + 1) {
                self.text(&text.text, &text.origin, &[], conditional);
            }
            return;
        }
        if let Some(script) = rest.get(end) {
            self.program(script, rest.get(end + 1..).unwrap_or(&[]), conditional);
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
            Origin::ContextFile { source, line, span } => {
                Origin::ContextFile { source: source.clone(), line: line + command.line - 1, span: *span }
            }
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

    /// A program as the container finds it: on PATH (or by its path) in the image, else among
    /// the build context's files the Dockerfile COPYs.
    fn find(&self, program: &str, on_path: bool) -> Found<'a> {
        if let Some(image) = self.image {
            let dirs: &[String] = if on_path { self.path_dirs } else { &[] };
            let Some((_, real)) = which(&image.files, dirs, program).or_else(|| {
                let (real, entry) = image.files.resolve(program)?;
                (!on_path && entry.kind == crate::facts::FileKind::Regular).then_some((String::new(), real))
            }) else {
                return Found::Nowhere;
            };
            return match (image.files.get(&real), image.captured(&real)) {
                (Some(entry), Some(file)) => Found::Readable(Readable::Image(entry, file)),
                (Some(entry), None) => Found::Unread(entry),
                _ => Found::Nowhere,
            };
        }
        let candidates: Vec<String> = if program.contains('/') || !on_path {
            alloc::vec![normalize(program)]
        } else {
            self.path_dirs.iter().map(|d| join(d, program)).collect()
        };
        let found = candidates.iter().find_map(|c| self.context.iter().rev().find(|f| f.path == *c));
        found.map_or(Found::Nowhere, |f| Found::Readable(Readable::Context(f)))
    }

    /// Enters a script once: runs its commands with `args` as its `"$@"`.
    fn enter(&mut self, script: Readable<'a>, args: &[Word], conditional: bool) {
        if self.entered.iter().any(|p| p == script.path()) {
            return;
        }
        self.entered.push(String::from(script.path()));
        if let Readable::Image(entry, _) = script {
            self.start.files.push(entry);
        }
        let text = script.text();
        let hands_over = shell::commands(text).iter().any(|c| c.words.iter().any(|w| matches!(w.as_str(), "$@" | "${@}" | "$*" | "${*}")));
        if !args.is_empty() && !hands_over {
            self.start.swallowing.push(String::from(script.path()));
        }
        self.text(text, &script.origin(), args, conditional);
    }

    /// A program that is not a wrapper or a server: a start script to enter, if its content
    /// is known.
    fn program(&mut self, program: &Word, args: &[Word], conditional: bool) {
        let name = name_of(&program.text);
        let found = self.find(&program.text, true);
        if let Found::Readable(script) = found {
            let first_line = script.text().lines().next().unwrap_or("");
            let is_shell = first_line.starts_with("#!") && SHELLS.iter().any(|s| first_line.split(['/', ' ']).any(|w| w == *s));
            if is_shell {
                self.enter(script, args, conditional);
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
            Found::Unread(entry) => (looks_like_script(name) || entry.size <= 64 * 1024).then_some(false),
            Found::Readable(_) => None,
            Found::Nowhere => looks_like_script(name).then_some(self.image.is_some()),
        };
        if let Some(missing_from_image) = unknown {
            self.start.unfollowed.push(Unfollowed { program: program.text.clone(), origin: program.origin.clone(), missing_from_image });
        }
    }

    /// supervisord with the first of `candidates` the image holds: its programs, and the files
    /// its `[include]` names.
    fn supervisord(&mut self, candidates: &[String], program: &Word, conditional: bool) {
        let found = candidates.iter().find_map(|c| match self.find(c, false) {
            Found::Readable(file) => Some(file),
            _ => None,
        });
        let Some(file) = found else {
            if let Some(first) = candidates.first() {
                let missing = self.image.is_some_and(|image| image.files.resolve(first).is_none());
                self.start.unfollowed.push(Unfollowed {
                    program: first.clone(),
                    origin: program.origin.clone(),
                    missing_from_image: missing,
                });
            }
            return;
        };
        if self.entered.iter().any(|p| p == file.path()) {
            return;
        }
        self.entered.push(String::from(file.path()));
        if let Readable::Image(entry, _) = file {
            self.start.files.push(entry);
        }
        let configuration = super::supervisord::read(file.text(), parent(file.path()));
        for (text, line) in configuration.programs {
            let origin = match file.origin() {
                Origin::ContextFile { source, span, .. } => Origin::ContextFile { source, line, span },
                _ => Origin::ImageFile { path: String::from(file.path()), line },
            };
            self.text(&text, &origin, &[], conditional);
        }
        for glob in configuration.includes {
            let image_paths = self.image.into_iter().flat_map(|i| i.captured.iter().map(|c| c.path.as_str()));
            let context_paths = self.context.iter().map(|c| c.path.as_str());
            let matching: Vec<String> =
                image_paths.chain(context_paths).filter(|p| crate::vocabulary::glob_matches(&glob, p)).map(String::from).collect();
            for path in matching {
                self.supervisord(&[path], program, conditional);
            }
        }
    }
}
