//! What a RUN instruction does to the image. Its script is read into simple commands
//! ([`crate::shell::script`]) and each command is matched here against the programs this reader
//! understands, with what changes the script's own state (`cd`, `conda activate`, `conda run`,
//! `python -m`). What each family of commands records lives in its own module: accounts
//! (`super::users`), packages of every manager, conda environments, Jupyter kernel installs,
//! background services and NVIDIA `.run` installers, and the paths that file commands,
//! downloads and unpacking write.

mod conda;
mod files;
mod kernels;
mod packages;
mod services;

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use smic_rules::facts::{PathWrite, Span, StageFacts, WriteVia};

use super::getopt::{self, Parsed};
use super::paths::resolve_dir;
use super::users::Accounts;
use super::vars::{Value, PLATFORM_ARGS};
use super::writes::WriteIndex;
use super::StageState;
use crate::shell::script::{is_known, read_script, SimpleCommand};
use crate::syntax::Instruction;

/// A RUN being read: the stage it changes, and what its script has set so far.
pub struct RunContext<'a> {
    pub span: Span,
    pub index: &'a mut WriteIndex,
    /// The working directory (WORKDIR), changed by `cd` inside the script; `None` when it is
    /// the base image's and unknown.
    pub cwd: Option<String>,
    /// Home of the user the RUN runs as, when known.
    pub home: Option<String>,
    pub facts: &'a mut StageFacts,
    pub accounts: &'a mut Accounts,
    /// The conda environment `conda activate` selected in this script.
    pub active_env: Option<String>,
}

fn is_python(program: &str) -> bool {
    program.strip_prefix("python").is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// The home directory of the user a RUN runs as.
fn home_of(stage: &StageState) -> Option<String> {
    if let Some(Value::Known(home)) = stage.vars.get("HOME") {
        return Some(home.clone());
    }
    let user = stage.current_user.split(':').next().unwrap_or("");
    if user.is_empty() || user == "root" || user == "0" {
        return Some(String::from("/root"));
    }
    let record = match getopt::numeric_id(user) {
        Some(uid) => stage.accounts.user_by_uid(uid),
        None => stage.accounts.user_by_name(user),
    };
    record.and_then(|r| r.home.clone())
}

/// A RUN instruction: its text is kept for the rules, the build arguments it uses without a
/// value are noted, and its commands are read into the stage's facts.
pub(super) fn run(stage: &mut StageState, instruction: &Instruction, span: Span, unresolved: &mut Vec<(String, Span)>) {
    let mut text = instruction.rest_text();
    let body_is_script = !instruction.json && {
        let words: Vec<&str> = text.split_whitespace().filter(|w| !w.contains("<<")).take(2).collect();
        words.is_empty() || (words.len() == 1 && matches!(words[0].rsplit('/').next(), Some("sh" | "bash" | "dash" | "ash")))
    };
    for heredoc in &instruction.heredocs {
        text.push('\n');
        text.push_str(&heredoc.body());
    }
    // Declared ARGs without a value are environment variables of the RUN with unknown values.
    for (name, value) in &stage.vars.args {
        let referenced = text.contains(name.as_str()) && (text.contains(&format!("${name}")) || text.contains(&format!("${{{name}")));
        if *value == Value::Unknown && referenced && !PLATFORM_ARGS.contains(&name.as_str()) {
            unresolved.push((name.clone(), span));
        }
    }
    stage.facts.runs.push((text, span));

    let commands = if instruction.json {
        // Exec form runs without a shell: no expansion at all.
        let words = instruction.args.clone();
        match words.first().map(|w| w.rsplit('/').next().unwrap_or(w)) {
            Some("sh" | "bash") if words.get(1).is_some_and(|w| w == "-c") => {
                words.get(2).map(|script| read_script(script, &stage.vars)).unwrap_or_default()
            }
            _ => alloc::vec![SimpleCommand { words, ..Default::default() }],
        }
    } else if body_is_script {
        instruction.heredocs.iter().flat_map(|h| read_script(&h.body(), &stage.vars)).collect()
    } else {
        read_script(instruction.args.first().map_or("", String::as_str), &stage.vars)
    };
    let home = home_of(stage);
    let cwd = stage.workdir.clone();
    let mut ctx =
        RunContext { span, index: &mut stage.written, cwd, home, facts: &mut stage.facts, accounts: &mut stage.accounts, active_env: None };
    for command in &commands {
        ctx.command(command);
    }
}

impl RunContext<'_> {
    /// Records a path a command writes (`~` is the RUN user's home; a glob writes into its
    /// directory; a relative path needs a known working directory).
    pub(super) fn write(&mut self, path: &str) {
        if path.is_empty() || !is_known(path) || path == "-" || path.starts_with("/dev/") || path.contains("://") {
            return;
        }
        let path = match (path.strip_prefix('~'), &self.home) {
            (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with('/') => {
                format!("{home}{rest}")
            }
            (Some(_), _) => return,
            _ => path.to_string(),
        };
        // A glob names files inside its directory: the write is into that directory.
        let path = match path.find(['*', '?', '[']) {
            Some(i) => path[..i].rsplit_once('/').map_or(String::new(), |(dir, _)| String::from(if dir.is_empty() { "/" } else { dir })),
            None => path,
        };
        let resolved = match &self.cwd {
            _ if path.starts_with('/') => resolve_dir("/", &path),
            Some(cwd) if !path.is_empty() => resolve_dir(cwd, &path),
            _ => return,
        };
        self.index.record(&mut self.facts.writes, PathWrite { path: resolved, via: WriteVia::Run, span: self.span });
    }

    /// Records the paths that options of a command name (`-o FILE`, `--prefix DIR`).
    pub(super) fn write_values(&mut self, p: &Parsed, keys: &[&str]) {
        for key in keys {
            if let Some(path) = p.value(key) {
                self.write(path);
            }
        }
    }

    /// The absolute form of a path operand, when it can be known.
    pub(super) fn absolute(&self, path: &str) -> Option<String> {
        if path.is_empty() || !is_known(path) {
            return None;
        }
        match &self.cwd {
            _ if path.starts_with('/') => Some(resolve_dir("/", path)),
            Some(cwd) => Some(resolve_dir(cwd, path)),
            None => None,
        }
    }

    /// Reads one simple command of the script.
    pub fn command(&mut self, cmd: &SimpleCommand) {
        for redirect in cmd.redirects.iter().filter(|r| r.writes_file()) {
            let target = redirect.target.clone();
            self.write(&target);
        }
        let Some(first) = cmd.words.first() else {
            return;
        };
        let conda_run: Vec<String>;
        let mut words: &[String] = &cmd.words;
        let mut env = conda::env_of_path(first).or_else(|| self.active_env.clone());
        // `conda run -n env cmd…` runs cmd inside env.
        if let Some((named, command)) = conda::conda_run(words) {
            env = named.or(env);
            conda_run = command;
            words = &conda_run;
        }
        let Some((program_path, args)) = words.split_first() else {
            return;
        };
        let program: &str = program_path.rsplit('/').next().unwrap_or(program_path);
        let env = env.filter(|e| e != "base");

        self.accounts.command(words, self.span, &mut self.facts.high_ids);
        match program {
            "cd" => {
                self.cwd = match (args.first(), &self.cwd) {
                    (Some(dir), _) if is_known(dir) && dir.starts_with('/') => Some(resolve_dir("/", dir)),
                    (Some(dir), Some(cwd)) if is_known(dir) => Some(resolve_dir(cwd, dir)),
                    // `cd` alone goes home.
                    (None, _) => self.home.clone(),
                    _ => None,
                };
            }
            "source" | "." if args.first().map(String::as_str) == Some("activate") => {
                self.active_env = args.get(1).cloned().filter(|e| e != "base");
            }
            p if conda::is_conda(p) => self.conda(p, args, env.as_deref()),
            p if packages::is_pip(p) => self.pip(program, args, env.as_deref()),
            p if is_python(p) => self.python(args, env.as_deref()),
            "ipython" if args.first().map(String::as_str) == Some("kernel") && args.get(1).map(String::as_str) == Some("install") => {
                self.kernel_install(&args[2..], None);
            }
            "jupyter" if args.first().map(String::as_str) == Some("kernelspec") && args.get(1).map(String::as_str) == Some("install") => {
                self.kernelspec_install(&args[2..]);
            }
            "jupyter-kernelspec" if args.first().map(String::as_str) == Some("install") => self.kernelspec_install(&args[1..]),
            p if packages::is_os_manager(p) => self.os_packages(p, args),
            "service" if args.get(1).is_some_and(|a| matches!(a.as_str(), "start" | "restart")) => self.service(&args[0], cmd),
            "systemctl" if args.iter().any(|a| a == "enable" || a == "start" || a == "restart") => {
                for unit in args.iter().filter(|a| !a.starts_with('-') && !matches!(a.as_str(), "enable" | "start" | "restart")) {
                    self.service(unit.trim_end_matches(".service"), cmd);
                }
            }
            "update-rc.d" if args.len() >= 2 && !args.iter().any(|a| a == "remove" || a == "disable") => self.service(&args[0], cmd),
            "rc-update" if args.first().map(String::as_str) == Some("add") && args.len() >= 2 => self.service(&args[1], cmd),
            "supervisord" | "cron" | "crond" | "sshd" | "dockerd" | "nginx" | "httpd" | "apache2" | "mysqld" | "postgres"
            | "redis-server"
                if !args.iter().any(|a| matches!(a.as_str(), "-t" | "-T" | "-v" | "-V" | "--version" | "--help" | "-h")) =>
            {
                self.service(program, cmd);
            }
            _ if program_path.starts_with("/etc/init.d/") && args.first().is_some_and(|a| a == "start" || a == "restart") => {
                self.service(program, cmd);
            }
            "rm" => self.rm(args),
            "mv" => self.mv(args),
            "mkdir" | "touch" | "chown" | "chgrp" | "chmod" | "tee" | "cp" | "install" | "ln" | "rsync" => self.file_command(program, args),
            "git" if args.first().map(String::as_str) == Some("clone") => self.git_clone(&args[1..]),
            "tar" => self.tar(args),
            "unzip" => self.unzip(args),
            "wget" => self.wget(args),
            "curl" => self.curl(args),
            "virtualenv" => {
                if let Some(dir) = args.iter().find(|a| !a.starts_with('-')) {
                    self.write(&dir.clone());
                }
            }
            _ => {}
        }
        self.driver_installer(words);
    }

    fn python(&mut self, args: &[String], env: Option<&str>) {
        // Interpreter options before `-m` (`python3 -u -m pip`).
        let Some(m) = args.iter().position(|a| a == "-m") else {
            return;
        };
        let Some(module) = args.get(m + 1) else {
            return;
        };
        let rest = &args[m + 2..];
        match module.as_str() {
            "pip" => self.pip("pip", rest, env),
            "ipykernel" | "ipykernel.kernelspec"
                if rest.first().map(String::as_str) == Some("install") || module == "ipykernel.kernelspec" =>
            {
                let opts = if module == "ipykernel" { &rest[1..] } else { rest };
                self.kernel_install(opts, env);
            }
            "venv" | "virtualenv" => {
                if let Some(dir) = rest.iter().rev().find(|a| !a.starts_with('-')) {
                    self.write(&dir.clone());
                }
            }
            _ => {}
        }
    }
}
