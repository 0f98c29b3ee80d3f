//! The command an image declares to run (ENTRYPOINT + CMD), from the image config or the
//! Dockerfile, together with the scripts it calls, and the text patterns several rules look for
//! in them (environment setup, background services, a server on port 8888).

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::context::Context;
use crate::facts::{CapturedFile, CommandForm, FileEntry};
use crate::report::Location;
use crate::rules::evidence;
use crate::vocabulary::FilePattern;

/// Scripts an ENTRYPOINT/CMD commonly calls (kept so rules can read what they do), then
/// service-manager and Jupyter configuration files.
pub const RUNTIME_FILES: &[FilePattern] = &[
    FilePattern::new("/*.sh", 64 * 1024),
    FilePattern::new("/*entrypoint*", 64 * 1024),
    FilePattern::new("/usr/local/bin/*.sh", 64 * 1024),
    FilePattern::new("/usr/local/bin/*entrypoint*", 64 * 1024),
    FilePattern::new("/usr/local/bin/start*", 64 * 1024),
    FilePattern::new("/usr/bin/*entrypoint*", 64 * 1024),
    FilePattern::new("/opt/*/*.sh", 64 * 1024),
    FilePattern::new("/opt/*/bin/*.sh", 64 * 1024),
    FilePattern::new("/etc/supervisord.conf", 64 * 1024),
    FilePattern::new("/etc/supervisor/**", 64 * 1024),
    FilePattern::new("/etc/supervisord.d/*", 64 * 1024),
    FilePattern::new("/**/etc/jupyter/*.py", 64 * 1024),
    FilePattern::new("/**/etc/jupyter/*.json", 64 * 1024),
    FilePattern::new("/**/.jupyter/*.py", 64 * 1024),
    FilePattern::new("/**/.jupyter/*.json", 64 * 1024),
];
pub const SCRIPT_FILES: &[FilePattern] = RUNTIME_FILES.split_at(8).0;
pub const SERVICE_CONFIG_FILES: &[FilePattern] = RUNTIME_FILES.split_at(8).1;

/// Programs that only start their arguments (an ENTRYPOINT of `tini --` adds nothing).
const WRAPPERS: &[&str] = &["tini", "dumb-init", "catatonit", "exec", "env", "--", "-g", "-s", "-v"];

/// A script the command runs, with its captured content.
pub struct Script<'a> {
    pub entry: &'a FileEntry,
    pub file: &'a CapturedFile,
}

/// The command declared by one input.
pub struct DeclaredCommand<'a> {
    /// The whole command line (ENTRYPOINT words then CMD words).
    pub text: String,
    pub words: Vec<String>,
    /// Where it is declared.
    pub locations: Vec<Location>,
    /// Scripts it runs that the image contains (image input only).
    pub scripts: Vec<Script<'a>>,
    pub from_image: bool,
}

fn form_words(form: &CommandForm) -> Vec<String> {
    match form {
        CommandForm::Exec(words) => words.clone(),
        CommandForm::Shell(text) => {
            let mut words: Vec<String> = alloc::vec![String::from("/bin/sh"), String::from("-c")];
            words.push(text.clone());
            words
        }
    }
}

/// Words of a command line, splitting any `sh -c "…"` string into words too.
fn all_words(words: &[String]) -> Vec<String> {
    words.iter().flat_map(|w| w.split_whitespace().map(|s| s.trim_matches(|c| c == '"' || c == '\'' || c == ';').to_string())).collect()
}

/// The commands the image config and the Dockerfile declare (each when present and non-empty).
pub fn declared<'a>(ctx: &'a Context<'a>) -> Vec<DeclaredCommand<'a>> {
    let mut out = Vec::new();
    if let Some(model) = &ctx.image {
        let config = &model.facts.image_config;
        let mut words: Vec<String> = Vec::new();
        let mut locations = Vec::new();
        if let Some(ep) = config.entrypoint.as_ref().filter(|w| !w.is_empty()) {
            words.extend(ep.iter().cloned());
            locations.push(Location::image_config("Entrypoint", evidence::command_line(ep)));
        }
        if let Some(cmd) = config.cmd.as_ref().filter(|w| !w.is_empty()) {
            words.extend(cmd.iter().cloned());
            locations.push(Location::image_config("Cmd", evidence::command_line(cmd)));
        }
        if !words.is_empty() {
            let mut scripts: Vec<Script<'_>> = Vec::new();
            for word in all_words(&words) {
                if word.is_empty() || WRAPPERS.contains(&word.as_str()) || word.starts_with('-') {
                    continue;
                }
                let Some((_, real)) = model.which(&word) else {
                    continue;
                };
                let (Some(entry), Some(file)) = (model.facts.files.get(&real), model.facts.captured(&real)) else {
                    continue;
                };
                if file.content.starts_with(b"#!") && !scripts.iter().any(|s| s.entry.path == entry.path) {
                    scripts.push(Script { entry, file });
                }
            }
            out.push(DeclaredCommand { text: evidence::command_line(&words), words, locations, scripts, from_image: true });
        }
    }
    if let Some(stage) = ctx.stage() {
        let mut words: Vec<String> = Vec::new();
        let mut locations = Vec::new();
        for (form, span) in [&stage.entrypoint, &stage.cmd].into_iter().flatten() {
            let w = form_words(form);
            if w.is_empty() {
                continue;
            }
            words.extend(w);
            locations.extend(evidence::dockerfile(ctx, *span));
        }
        if !words.is_empty() {
            out.push(DeclaredCommand { text: evidence::command_line(&words), words, locations, scripts: Vec::new(), from_image: false });
        }
    }
    out
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
