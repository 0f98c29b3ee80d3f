//! The settings a Jupyter Server launch runs with, for what the new Studio needs of it (bind
//! address, port, base URL, token, password, allowed origins): read from the config files the
//! image ships on Jupyter's config path, then from the command line, which wins — in every
//! spelling traitlets accepts (`--ServerApp.x=v`, `--ServerApp.x v`, `--NotebookApp.x`, the
//! `--ip`/`--port` aliases; `c.ServerApp.x = v` in `jupyter_server_config.py`, the JSON files
//! and `jupyter_server_config.d/*.json`).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::{Launch, Origin, Word};
use crate::facts::fs::{is_within, join, parent};
use crate::facts::{ContextFile, ImageFacts};
use crate::path_lookup::which;

/// A setting the new Studio's JupyterLab app depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    Ip,
    Port,
    BaseUrl,
    Token,
    Password,
    AllowOrigin,
}

impl Setting {
    pub const ALL: [Setting; 6] = [Setting::Ip, Setting::Port, Setting::BaseUrl, Setting::Token, Setting::Password, Setting::AllowOrigin];

    /// The trait names (`Class.trait`) and command-line aliases that set it.
    fn names(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Setting::Ip => (&["ServerApp.ip", "NotebookApp.ip"], &["ip"]),
            Setting::Port => (&["ServerApp.port", "NotebookApp.port"], &["port"]),
            Setting::BaseUrl => (&["ServerApp.base_url", "NotebookApp.base_url"], &[]),
            Setting::Token => (&["ServerApp.token", "NotebookApp.token", "IdentityProvider.token"], &[]),
            Setting::Password => (&["ServerApp.password", "NotebookApp.password", "PasswordIdentityProvider.hashed_password"], &[]),
            Setting::AllowOrigin => (&["ServerApp.allow_origin", "NotebookApp.allow_origin"], &[]),
        }
    }

    /// The name users know it by (`ServerApp.token`).
    pub fn label(self) -> &'static str {
        self.names().0.first().copied().unwrap_or("")
    }

    fn matches(self, key: &str) -> bool {
        let (traits, aliases) = self.names();
        traits.contains(&key) || aliases.contains(&key)
    }
}

/// Where a value was set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetBy {
    /// An option of the launch (as written), and where that word came from.
    CommandLine {
        option: String,
        origin: Origin,
    },
    ConfigFile {
        path: String,
        line: Option<u32>,
    },
}

/// A setting's value: `None` when it is an expression this reader does not evaluate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    pub text: Option<String>,
    pub set_by: SetBy,
}

/// The launch's settings (the last value wins), and the config files the space's home volume
/// hides.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub values: Vec<(Setting, Value)>,
    pub hidden_files: Vec<String>,
}

impl Settings {
    pub fn get(&self, setting: Setting) -> Option<&Value> {
        self.values.iter().rev().find(|(s, _)| *s == setting).map(|(_, v)| v)
    }
}

/// `''` and `""` are empty strings to traitlets.
fn unquote(text: &str) -> String {
    let t = text.trim();
    for q in ['\'', '"'] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            return t[1..t.len() - 1].to_string();
        }
    }
    t.to_string()
}

/// The settings options of a launch's own arguments, in order.
pub fn from_arguments(args: &[Word]) -> Vec<(Setting, Value)> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(word) = args.get(i) {
        i += 1;
        let Some(option) = word.text.strip_prefix("--") else {
            continue;
        };
        let (key, inline) = match option.split_once('=') {
            Some((k, v)) => (k, Some(v.to_string())),
            None => (option, None),
        };
        let Some(setting) = Setting::ALL.into_iter().find(|s| s.matches(key)) else {
            continue;
        };
        let value = match inline {
            Some(v) => v,
            None => match args.get(i) {
                Some(next) if !next.text.starts_with("--") => {
                    i += 1;
                    next.text.clone()
                }
                _ => continue,
            },
        };
        let set_by = SetBy::CommandLine { option: format!("--{key}={value}"), origin: word.origin.clone() };
        out.push((setting, Value { text: Some(unquote(&value)), set_by }));
    }
    out
}

/// `c.ServerApp.token = ''` lines of a Python config file.
fn from_python(file: &ConfigFile<'_>, out: &mut Vec<(Setting, Value)>) {
    for (n, line) in file.text().lines().enumerate() {
        let Some(assignment) = line.trim().strip_prefix("c.") else {
            continue;
        };
        let Some((key, value)) = assignment.split_once('=') else {
            continue;
        };
        let Some(setting) = Setting::ALL.into_iter().find(|s| s.names().0.contains(&key.trim())) else {
            continue;
        };
        let value = value.split(" #").next().unwrap_or("").trim();
        let literal = (value.starts_with(['\'', '"']) && value.len() >= 2 && value.ends_with(&value[..1]))
            || value.chars().all(|c| c.is_ascii_digit()) && !value.is_empty();
        let text = literal.then(|| unquote(value));
        out.push((setting, Value { text, set_by: SetBy::ConfigFile { path: String::from(file.path), line: Some(n as u32 + 1) } }));
    }
}

/// `{"ServerApp": {"token": ""}}` files.
fn from_json(file: &ConfigFile<'_>, out: &mut Vec<(Setting, Value)>) {
    let Ok(serde_json::Value::Object(classes)) = serde_json::from_slice::<serde_json::Value>(file.content) else {
        return;
    };
    for (class, traits) in &classes {
        let Some(traits) = traits.as_object() else { continue };
        for (name, value) in traits {
            let key = format!("{class}.{name}");
            let Some(setting) = Setting::ALL.into_iter().find(|s| s.names().0.contains(&key.as_str())) else {
                continue;
            };
            let text = match value {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            };
            out.push((setting, Value { text, set_by: SetBy::ConfigFile { path: String::from(file.path), line: None } }));
        }
    }
}

/// A Jupyter config file the image will hold: captured from the archive, or COPYed from the
/// build context.
struct ConfigFile<'a> {
    path: &'a str,
    content: &'a [u8],
}

impl ConfigFile<'_> {
    fn text(&self) -> &str {
        let valid = match core::str::from_utf8(self.content) {
            Ok(_) => self.content.len(),
            Err(e) => e.valid_up_to(),
        };
        self.content.get(..valid).and_then(|b| core::str::from_utf8(b).ok()).unwrap_or("")
    }
}

const CONFIG_NAMES: [&str; 2] = ["jupyter_server_config.py", "jupyter_server_config.json"];

/// The config files in `dir`, in the order Jupyter loads them: the `.d` JSON files, then
/// `.py`, then `.json`.
fn config_files<'a>(dir: &str, image: Option<&'a ImageFacts>, context: &'a [ContextFile]) -> Vec<ConfigFile<'a>> {
    let drop_in = join(dir, "jupyter_server_config.d");
    let in_drop_in = |path: &str| parent(path) == drop_in && path.ends_with(".json");
    let mut out: Vec<ConfigFile<'a>> = Vec::new();
    match image {
        Some(image) => {
            out.extend(image.captured.iter().filter(|c| in_drop_in(&c.path)).map(|c| ConfigFile { path: &c.path, content: &c.content }));
            out.extend(
                CONFIG_NAMES
                    .iter()
                    .filter_map(|n| image.captured(&join(dir, n)))
                    .map(|c| ConfigFile { path: &c.path, content: &c.content }),
            );
        }
        None => {
            out.extend(context.iter().filter(|c| in_drop_in(&c.path)).map(|c| ConfigFile { path: &c.path, content: &c.content }));
            for name in CONFIG_NAMES {
                let path = join(dir, name);
                out.extend(context.iter().rev().find(|c| c.path == path).map(|c| ConfigFile { path: &c.path, content: &c.content }));
            }
        }
    }
    out
}

/// The settings `launch` runs with: config files on Jupyter's config path (in the archive, or
/// COPYed from the build context without it), lowest priority first (`/etc/jupyter`,
/// `/usr/local/etc/jupyter`, the environment's `etc/jupyter`, `~/.jupyter`), then the command
/// line. Files under `hidden_under` (the space's home volume) are left out and listed.
pub fn settings(
    launch: &Launch,
    inputs: (Option<&ImageFacts>, &[ContextFile]),
    path_dirs: &[String],
    home: Option<&str>,
    hidden_under: &str,
) -> Settings {
    let (image, context) = inputs;
    let mut out = Settings::default();
    let mut dirs: Vec<String> = alloc::vec![String::from("/etc/jupyter"), String::from("/usr/local/etc/jupyter")];
    let program = launch.argv.first().map(|w| w.text.as_str()).unwrap_or("jupyter");
    match image {
        Some(image) => {
            let prefix = which(&image.files, path_dirs, program)
                .or_else(|| which(&image.files, path_dirs, "jupyter"))
                .map(|(_, real)| String::from(parent(parent(&real))));
            dirs.extend(prefix.map(|p| join(&p, "etc/jupyter")));
        }
        // Without the archive the environment is unknown: any `…/etc/jupyter` the context fills.
        None => {
            for file in context {
                let dir = parent(&file.path);
                let dir = if dir.ends_with("/jupyter_server_config.d") { parent(dir) } else { dir };
                if dir.ends_with("/etc/jupyter") && !dirs.iter().any(|d| d == dir) {
                    dirs.push(String::from(dir));
                }
            }
        }
    }
    dirs.extend(home.map(|h| join(h, ".jupyter")));
    let mut seen: Vec<String> = Vec::new();
    for dir in &dirs {
        for file in config_files(dir, image, context) {
            if seen.iter().any(|p| p == file.path) {
                continue;
            }
            seen.push(String::from(file.path));
            if is_within(file.path, hidden_under) {
                out.hidden_files.push(String::from(file.path));
            } else if file.path.ends_with(".py") {
                from_python(&file, &mut out.values);
            } else {
                from_json(&file, &mut out.values);
            }
        }
    }
    out.values.extend(from_arguments(launch.args()));
    out
}
