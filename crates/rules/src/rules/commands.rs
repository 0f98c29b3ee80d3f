//! The start command as rules show it: the effective command of [`crate::start_command`] (the
//! one reading of ENTRYPOINT + CMD + ContainerConfig) with the scripts it runs, where each word
//! came from as a location, and the text patterns several rules look for in them (environment
//! setup, background services, a server on port 8888).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::context::Context;
use crate::facts::{CapturedFile, FileEntry};
use crate::report::Location;
use crate::rules::evidence;
use crate::start_command::{Origin, StartCommand, Word, START_FILES, START_SCRIPT_PATTERNS};
use crate::vocabulary::FilePattern;

/// Scripts an ENTRYPOINT/CMD commonly calls (kept so rules can read what they do), then
/// service-manager and Jupyter configuration files.
pub const RUNTIME_FILES: &[FilePattern] = START_FILES;
pub const SCRIPT_FILES: &[FilePattern] = RUNTIME_FILES.split_at(START_SCRIPT_PATTERNS).0;
pub const SERVICE_CONFIG_FILES: &[FilePattern] = RUNTIME_FILES.split_at(START_SCRIPT_PATTERNS).1;

/// A script the command runs, with its captured content.
pub struct Script<'a> {
    pub entry: &'a FileEntry,
    pub file: &'a CapturedFile,
}

/// The start command as the image declares it (see [`crate::start_command`]).
pub struct DeclaredCommand<'a> {
    /// The whole command line (ENTRYPOINT words then CMD words).
    pub text: String,
    pub words: Vec<String>,
    /// Where it is declared.
    pub locations: Vec<Location>,
    /// Start scripts of the image it runs.
    pub scripts: Vec<Script<'a>>,
    /// Only the image config declares it (no Dockerfile line says so).
    pub from_image: bool,
    /// Every word is the base image's, taken from the table of base images (Dockerfile only).
    pub inherited: bool,
}

/// Where a word came from, as a location (the Dockerfile line, the image config field, the
/// AppImageConfig field, the image file).
pub fn location(ctx: &Context<'_>, word: &Word) -> Option<Location> {
    match &word.origin {
        Origin::Dockerfile(span) => evidence::dockerfile(ctx, *span),
        Origin::ImageConfig(field) => {
            let config = &ctx.image_facts()?.image_config;
            let words = if *field == "Entrypoint" { config.entrypoint.as_ref() } else { config.cmd.as_ref() };
            Some(Location::image_config(field, evidence::command_line(words?)))
        }
        Origin::AppImageConfig(pointer) => evidence::app_image_config(ctx, pointer, Some(word.text.clone())),
        Origin::ImageFile { path, .. } => ctx.image_facts()?.files.get(path).map(Location::image_file),
        Origin::ContextFile { span, .. } => evidence::dockerfile(ctx, *span),
        Origin::BaseImage { .. } => evidence::base_image_from(ctx),
    }
}

/// The distinct locations of some words, in order.
pub fn locations<'w>(ctx: &Context<'_>, words: impl IntoIterator<Item = &'w Word>) -> Vec<Location> {
    let mut out: Vec<Location> = Vec::new();
    for origin_word in words {
        if let Some(l) = location(ctx, origin_word).filter(|l| !out.contains(l)) {
            out.push(l);
        }
    }
    out
}

/// Where a word came from, in words: `Dockerfile line 12`, `/usr/local/bin/start line 3`.
pub fn origin_text(ctx: &Context<'_>, origin: &Origin) -> String {
    match origin {
        Origin::Dockerfile(span) => {
            let name = ctx.dockerfile().map(|d| d.file_name.as_str()).unwrap_or("Dockerfile");
            format!("{name} line {}", span.start)
        }
        Origin::ImageConfig(field) => format!("image config {field}"),
        Origin::AppImageConfig(pointer) => format!("AppImageConfig {pointer}"),
        Origin::ImageFile { path, line } => format!("{path} line {line}"),
        Origin::ContextFile { source, line, span } => format!("{source} line {line}, COPYed on Dockerfile line {}", span.start),
        Origin::BaseImage { field, assumed } => format!("the base image's {field}, {assumed}"),
    }
}

/// The effective start command, when there is one, with the scripts it runs.
pub fn declared<'a>(ctx: &'a Context<'a>) -> Vec<DeclaredCommand<'a>> {
    let start: &StartCommand<'a> = &ctx.start;
    if start.argv.is_empty() {
        // An archive without ENTRYPOINT/CMD checked with a Dockerfile that declares one: the
        // Dockerfile's words are what the user wrote.
        let Some((ep, cmd)) = crate::start_command::dockerfile_command(ctx.facts) else {
            return Vec::new();
        };
        let words: Vec<Word> = ep.into_iter().chain(cmd).collect();
        let text = crate::start_command::words_text(&words);
        let locations = locations(ctx, &words);
        let words = words.into_iter().map(|w| w.text).collect();
        return alloc::vec![DeclaredCommand { text, words, locations, scripts: Vec::new(), from_image: false, inherited: false }];
    }
    let words: Vec<String> = start.argv.iter().map(|w| w.text.clone()).collect();
    let mut locations = locations(ctx, &start.argv);
    let from_config = start.argv.iter().all(|w| matches!(w.origin, Origin::ImageConfig(_)));
    let mut from_image = from_config;
    // With the archive, the Dockerfile lines that declare the same command are evidence too.
    if let (true, Some(stage)) = (from_config, ctx.stage()) {
        for (_, span) in [&stage.entrypoint, &stage.cmd].into_iter().flatten() {
            locations.extend(evidence::dockerfile(ctx, *span));
            from_image = false;
        }
    }
    let scripts = match &ctx.image {
        Some(model) => start
            .files
            .iter()
            .filter_map(|entry| Some(Script { entry, file: model.facts.captured(&entry.path).filter(|f| f.content.starts_with(b"#!"))? }))
            .collect(),
        None => Vec::new(),
    };
    let inherited = start.argv.iter().all(|w| matches!(w.origin, Origin::BaseImage { .. }));
    alloc::vec![DeclaredCommand { text: crate::start_command::words_text(&start.argv), words, locations, scripts, from_image, inherited }]
}

/// Lines of a script or config (1-based number, trimmed text) that match, skipping comments.
pub fn matching_lines(text: &str, matches: impl Fn(&str) -> bool) -> Vec<(u32, String)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim_start();
            !t.starts_with('#') && !t.starts_with(';') && matches(t)
        })
        .map(|(i, l)| (i as u32 + 1, String::from(l.trim())))
        .collect()
}

fn has_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.' || c == '/'))
        .any(|w| w == word || w.rsplit('/').next() == Some(word))
}

/// Shell that prepares the environment the image depends on.
pub fn is_setup(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with("source ")
        || t.starts_with(". ")
        || t.starts_with("export ")
        || has_word(t, "activate")
        || t.contains("conda run")
        || t.contains("micromamba run")
        || t.contains("poetry shell")
        || t.contains("pipenv shell")
        || has_word(t, "mkdir")
        || has_word(t, "chown")
        || has_word(t, "ln")
        || has_word(t, "cp")
        || t.contains("pip install")
        || t.contains("conda install")
        || t.contains("useradd")
        || t.contains("usermod")
}

/// The name of a background service the text starts, if any.
pub fn started_service(text: &str) -> Option<String> {
    let t = text.trim();
    for name in ["supervisord", "crond", "cron", "sshd", "dockerd", "nginx", "redis-server", "mongod", "postgres", "httpd", "rsyslogd"] {
        if has_word(t, name) || (name == "supervisord" && has_word(t, "supervisorctl")) {
            return Some(name.into());
        }
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    for w in words.windows(3) {
        if (w[0] == "service" && (w[2] == "start" || w[2] == "restart")) || (w[0] == "systemctl" && (w[1] == "start" || w[1] == "enable")) {
            return Some(String::from(if w[0] == "service" { w[1] } else { w[2] }));
        }
    }
    if t.starts_with("nohup ") || (t.ends_with(" &") && !t.ends_with("&&")) {
        return Some(String::from(t.split_whitespace().find(|w| *w != "nohup").unwrap_or("a process")));
    }
    None
}

/// A line that makes a server listen on port 8888.
pub fn listens_on_8888(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let Some(at) = lower.find("8888") else {
        return false;
    };
    // 18888 or 88889 are other ports.
    let before = lower[..at].chars().next_back();
    let after = lower[at + 4..].chars().next();
    if before.is_some_and(|c| c.is_ascii_digit()) || after.is_some_and(|c| c.is_ascii_digit()) {
        return false;
    }
    lower.contains("port")
        || lower.contains("0.0.0.0:8888")
        || lower.contains("127.0.0.1:8888")
        || lower.contains("localhost:8888")
        || lower.contains("-p 8888")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setup_lines_are_recognised() {
        assert!(is_setup("source /opt/venv/bin/activate"));
        assert!(is_setup("conda activate myenv"));
        assert!(is_setup("export PATH=/opt/x/bin:$PATH"));
        assert!(!is_setup("exec \"$@\""));
        assert!(!is_setup("echo hello"));
    }

    #[test]
    fn services_are_named() {
        assert_eq!(started_service("/usr/bin/supervisord -c /etc/supervisord.conf").as_deref(), Some("supervisord"));
        assert_eq!(started_service("service ssh start").as_deref(), Some("ssh"));
        assert_eq!(started_service("nohup python server.py &").as_deref(), Some("python"));
        assert_eq!(started_service("make && make install"), None);
    }

    #[test]
    fn port_8888_is_found_only_as_that_port() {
        assert!(listens_on_8888("c.ServerApp.port = 8888"));
        assert!(listens_on_8888("jupyter lab --ip 0.0.0.0 --port 8888"));
        assert!(!listens_on_8888("--port 18888"));
        assert!(!listens_on_8888("echo 8888 bottles"));
    }
}
