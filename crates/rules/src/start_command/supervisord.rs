//! supervisord's configuration as the start command needs it: the `command=` of every
//! `[program:x]` that starts with supervisord (`autostart` is not `false`), with its line, and
//! the files its `[include] files =` names (relative to the configuration's directory).

use alloc::string::String;
use alloc::vec::Vec;

use crate::facts::fs::join;

/// What one configuration file says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Configuration {
    /// (command, 1-based line) of each program supervisord starts.
    pub programs: Vec<(String, u32)>,
    /// Globs of the files it includes, absolute.
    pub includes: Vec<String>,
}

/// Reads the configuration `text` of a file in `dir`.
pub fn read(text: &str, dir: &str) -> Configuration {
    let mut out = Configuration::default();
    let mut section = String::new();
    let mut autostart = true;
    let mut command: Option<(String, u32)> = None;
    for (i, raw) in text.lines().chain(core::iter::once("[end]")).enumerate() {
        let line = raw.split(" ;").next().unwrap_or("").trim();
        if line.starts_with(';') || line.starts_with('#') || line.is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            if let (true, Some(program)) = (section.starts_with("program:") && autostart, command.take()) {
                out.programs.push(program);
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
                out.includes.extend(value.split_whitespace().map(|f| if f.starts_with('/') { String::from(f) } else { join(dir, f) }))
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_that_autostart_and_includes_are_read() {
        let text = "[include]\nfiles = common.conf /etc/x/*.conf\n\n[program:a]\ncommand=start-a ; comment\n[program:b]\ncommand=start-b\nautostart=false\n";
        let conf = read(text, "/etc/supervisor/conf.d");
        assert_eq!(conf.programs, [(String::from("start-a"), 5)]);
        assert_eq!(conf.includes, ["/etc/supervisor/conf.d/common.conf", "/etc/x/*.conf"]);
    }
}
