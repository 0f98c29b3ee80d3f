//! What a RUN instruction does to the image, read from its simple commands: accounts, packages
//! (every manager), Jupyter kernel installs, conda environments, background services, NVIDIA
//! `.run` installers, and the paths it writes.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use smic_rules::facts::{CondaEnvCreation, KernelInstall, PackageInstall, PathWrite, ServiceStart, Span, StageFacts, WriteVia};

use super::getopt::{self, Spec};
use super::paths::{base_name, resolve, resolve_dir};
use super::users::Accounts;
use crate::shell::script::{is_known, SimpleCommand};

/// The paths written so far, sorted, so that `rm`/`mv` find what they remove without a scan.
#[derive(Debug, Clone, Default)]
pub struct WriteIndex(BTreeMap<String, u32>);

impl WriteIndex {
    pub fn add(&mut self, path: &str) {
        *self.0.entry(path.to_string()).or_insert(0) += 1;
    }

    fn any_starting_with(&self, prefix: &str) -> bool {
        self.0
            .range::<str, _>((core::ops::Bound::Included(prefix), core::ops::Bound::Unbounded))
            .next()
            .is_some_and(|(k, _)| k.starts_with(prefix))
    }

    fn rebuild(&mut self, writes: &[PathWrite]) {
        self.0.clear();
        for w in writes {
            self.add(&w.path);
        }
    }
}

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

fn is_conda(program: &str) -> bool {
    matches!(program, "conda" | "mamba" | "micromamba")
}

fn is_python(program: &str) -> bool {
    program.strip_prefix("python").is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

fn is_pip(program: &str) -> bool {
    program.strip_prefix("pip").is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `pkg==1.0`, `pkg[extra]>=2`, `pkg=1.2=build`, `name@version` → `pkg`.
fn package_name(spec: &str) -> &str {
    let end = spec.find(['=', '<', '>', '!', '~', '[', ';', ' ', '@']).unwrap_or(spec.len());
    let name = &spec[..end];
    // `conda-forge::pkg`
    match name.rfind(':') {
        Some(i) if name[..i].ends_with(':') => &name[i + 1..],
        _ => name,
    }
}

/// The environment a program path lives in (`/opt/conda/envs/x/bin/pip` → `x`).
fn env_of_path(program_path: &str) -> Option<String> {
    if !program_path.starts_with('/') {
        return None;
    }
    let (_, rest) = program_path.split_once("/envs/")?;
    let name = rest.split('/').next()?;
    (!name.is_empty()).then(|| name.to_string())
}

impl RunContext<'_> {
    fn write(&mut self, path: &str) {
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
        // Writes come in instruction order: duplicates can only be among this RUN's own.
        if !self.facts.writes.iter().rev().take_while(|w| w.span == self.span).any(|w| w.path == resolved) {
            self.index.add(&resolved);
            self.facts.writes.push(PathWrite { path: resolved, via: WriteVia::Run, span: self.span });
        }
    }

    /// The absolute form of a path operand, when it can be known.
    fn absolute(&self, path: &str) -> Option<String> {
        if path.is_empty() || !is_known(path) {
            return None;
        }
        match &self.cwd {
            _ if path.starts_with('/') => Some(resolve_dir("/", path)),
            Some(cwd) => Some(resolve_dir(cwd, path)),
            None => None,
        }
    }

    /// `rm`/`mv` take earlier writes out of the image (a glob removes what starts like it).
    fn remove(&mut self, path: &str) {
        let (literal, glob) = match path.find(['*', '?', '[']) {
            Some(i) => (&path[..i], true),
            None => (path, false),
        };
        let base = if literal.is_empty() {
            self.cwd.as_ref().map(|c| format!("{}/", c.trim_end_matches('/')))
        } else {
            self.absolute(literal.trim_end_matches('/'))
        };
        let Some(base) = base else { return };
        let base = if glob && literal.ends_with('/') { format!("{}/", base.trim_end_matches('/')) } else { base };
        if !self.index.any_starting_with(&base) {
            return;
        }
        let below = format!("{}/", base.trim_end_matches('/'));
        self.facts.writes.retain(|w| {
            let inside = if glob { w.path.starts_with(&base) } else { w.path == base || w.path.starts_with(&below) };
            !inside
        });
        self.index.rebuild(&self.facts.writes);
    }

    /// A kernel installed with `--user` and then moved into `…/share/jupyter/kernels` is no
    /// longer a user kernel: it lives under that prefix.
    fn moved(&mut self, source: &str, dest: &str) {
        let (Some(source), Some(dest), Some(home)) = (self.absolute(source), self.absolute(dest), self.home.clone()) else {
            return;
        };
        let user_kernels = format!("{home}/.local/share/jupyter/kernels/");
        let Some(name) = source.strip_prefix(&user_kernels) else {
            return;
        };
        let prefix = dest.strip_suffix("/share/jupyter/kernels").or_else(|| dest.strip_suffix(&format!("/share/jupyter/kernels/{name}")));
        let Some(prefix) = prefix else { return };
        for k in self.facts.kernel_installs.iter_mut().filter(|k| k.user && k.name == name) {
            k.user = false;
            k.prefix = Some(prefix.to_string());
        }
        if !self.facts.writes.iter().any(|w| w.path == format!("{dest}/{name}")) && dest.ends_with("/kernels") {
            let path = format!("{dest}/{name}");
            self.index.add(&path);
            self.facts.writes.push(PathWrite { path, via: WriteVia::Run, span: self.span });
        }
    }

    fn package(&mut self, manager: &str, spec: &str) {
        let name = package_name(spec);
        if name.is_empty() || name.starts_with('-') || !is_known(name) || name.contains('/') || name.ends_with(".txt") {
            return;
        }
        self.facts.packages.push(PackageInstall { manager: manager.to_string(), package: name.to_string(), span: self.span });
    }

    /// Packages that go into a named conda environment mark it; they are not the image's own.
    fn env_packages(&mut self, env: &str, manager: &str, specs: &[&str]) {
        let has_ipykernel = specs.iter().any(|s| package_name(s).eq_ignore_ascii_case("ipykernel"));
        if has_ipykernel {
            if let Some(e) = self.facts.conda_envs.iter_mut().rev().find(|e| e.name == env) {
                e.with_ipykernel = true;
            }
        }
        for spec in specs.iter().filter(|s| !package_name(s).eq_ignore_ascii_case("ipykernel")) {
            self.package(manager, spec);
        }
    }

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
        let mut env = env_of_path(first).or_else(|| self.active_env.clone());
        // `conda run -n env cmd…` runs cmd inside env.
        if is_conda(cmd.program()) && words.get(1).map(String::as_str) == Some("run") {
            let p = getopt::parse(
                &words[2..],
                &Spec { short_with_value: "np", long: &[("name", "n", true), ("prefix", "p", true), ("cwd", "cwd", true)] },
            );
            // Options before the command only: take the operands as the command.
            env = p.value("n").map(String::from).or_else(|| p.value("p").map(|p| base_name(p).to_string())).or(env);
            conda_run = p.operands.iter().map(|s| s.to_string()).collect();
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
            p if is_conda(p) => self.conda(p, args, env.as_deref()),
            p if is_pip(p) => self.pip(program, args, env.as_deref()),
            p if is_python(p) => self.python(args, env.as_deref()),
            "ipython" if args.first().map(String::as_str) == Some("kernel") && args.get(1).map(String::as_str) == Some("install") => {
                self.kernel_install(&args[2..], None);
            }
            "jupyter" if args.first().map(String::as_str) == Some("kernelspec") && args.get(1).map(String::as_str) == Some("install") => {
                self.kernelspec_install(&args[2..]);
            }
            "jupyter-kernelspec" if args.first().map(String::as_str) == Some("install") => self.kernelspec_install(&args[1..]),
            "apt-get" | "apt" | "aptitude" => self.os_packages(
                "apt",
                args,
                &["install", "reinstall"],
                &["-o", "-c", "-t", "--target-release", "--option", "--config-file"],
            ),
            "yum" | "dnf" | "microdnf" | "tdnf" => self.os_packages(
                program,
                args,
                &["install", "reinstall", "groupinstall", "localinstall"],
                &[
                    "-x",
                    "--exclude",
                    "--setopt",
                    "-c",
                    "--config",
                    "--releasever",
                    "--installroot",
                    "--enablerepo",
                    "--disablerepo",
                    "--repo",
                    "--repofrom",
                ],
            ),
            "apk" => self.os_packages(
                "apk",
                args,
                &["add"],
                &["-X", "--repository", "-t", "--virtual", "-p", "--root", "--arch", "--cache-dir", "--keys-dir", "--repositories-file"],
            ),
            "zypper" => self.os_packages("zypper", args, &["install", "in"], &["-r", "--repo", "--from"]),
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
            "rm" => {
                for target in args.iter().filter(|a| !a.starts_with('-')) {
                    self.remove(target);
                }
            }
            "mv" => {
                let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
                if let Some((dest, sources)) = operands.split_last() {
                    let dest = dest.to_string();
                    for source in sources {
                        let source = source.to_string();
                        self.moved(&source, &dest);
                        self.remove(&source);
                    }
                }
                self.file_command(program, args);
            }
            "mkdir" | "touch" | "chown" | "chgrp" | "chmod" | "tee" | "cp" | "install" | "ln" | "rsync" => self.file_command(program, args),
            "git" if args.first().map(String::as_str) == Some("clone") => {
                let p = getopt::parse(
                    &args[1..],
                    &Spec {
                        short_with_value: "bcjou",
                        long: &[
                            ("branch", "b", true),
                            ("depth", "depth", true),
                            ("config", "c", true),
                            ("origin", "o", true),
                            ("reference", "reference", true),
                            ("jobs", "j", true),
                            ("filter", "filter", true),
                            ("separate-git-dir", "separate-git-dir", true),
                            ("template", "template", true),
                        ],
                    },
                );
                match (p.operands.first(), p.operands.get(1)) {
                    (_, Some(dir)) => self.write(dir),
                    (Some(url), None) => {
                        let dir = base_name(url).trim_end_matches(".git").to_string();
                        self.write(&dir);
                    }
                    _ => {}
                }
            }
            "tar" => self.tar(args),
            "unzip" => {
                if let Some(i) = args.iter().position(|a| a == "-d") {
                    if let Some(d) = args.get(i + 1) {
                        self.write(&d.clone());
                    }
                }
            }
            "wget" => {
                let p = getopt::parse(
                    args,
                    &Spec {
                        short_with_value: "POaoeUTtQ",
                        long: &[
                            ("directory-prefix", "P", true),
                            ("output-document", "O", true),
                            ("output-file", "o", true),
                            ("user-agent", "U", true),
                            ("timeout", "T", true),
                            ("tries", "t", true),
                            ("header", "header", true),
                        ],
                    },
                );
                for key in ["P", "O"] {
                    if let Some(v) = p.value(key) {
                        self.write(v);
                    }
                }
            }
            "curl" => {
                let p = getopt::parse(
                    args,
                    &Spec {
                        short_with_value: "oHXdAuerTw",
                        long: &[
                            ("output", "o", true),
                            ("header", "H", true),
                            ("request", "X", true),
                            ("data", "d", true),
                            ("user-agent", "A", true),
                            ("user", "u", true),
                            ("retry", "retry", true),
                            ("output-dir", "output-dir", true),
                        ],
                    },
                );
                for key in ["o", "output-dir"] {
                    if let Some(v) = p.value(key) {
                        self.write(v);
                    }
                }
            }
            "virtualenv" => {
                if let Some(dir) = args.iter().find(|a| !a.starts_with('-')) {
                    self.write(&dir.clone());
                }
            }
            _ => {}
        }
        self.driver_installer(words);
    }

    fn service(&mut self, name: &str, cmd: &SimpleCommand) {
        let service = name.rsplit('/').next().unwrap_or(name).to_string();
        self.facts.services.push(ServiceStart { service, command: cmd.words.join(" "), span: self.span });
    }

    /// `./NVIDIA-Linux-x86_64-535.run`, `sh cuda_12.2.0_535_linux.run --silent --driver`.
    fn driver_installer(&mut self, words: &[String]) {
        let program = words.first().map(|w| base_name(w)).unwrap_or("");
        let file = if matches!(program, "sh" | "bash") { words.get(1).map(|w| base_name(w)).unwrap_or("") } else { program };
        if !file.ends_with(".run") {
            return;
        }
        let lower = file.to_ascii_lowercase();
        let toolkit_only = words.iter().any(|w| w == "--toolkit") && !words.iter().any(|w| w == "--driver");
        if lower.contains("nvidia") || (lower.starts_with("cuda") && !toolkit_only) {
            self.facts.driver_installers.push((file.to_string(), self.span));
        }
    }

    fn os_packages(&mut self, manager: &str, args: &[String], verbs: &[&str], valued: &[&str]) {
        let mut i = 0;
        let mut installing = false;
        while i < args.len() {
            let a = &args[i];
            i += 1;
            if a.starts_with('-') {
                if valued.contains(&a.as_str()) {
                    i += 1;
                }
                continue;
            }
            if !installing {
                if verbs.contains(&a.as_str()) {
                    installing = true;
                    continue;
                }
                // The first operand is the verb; anything else is not an install.
                return;
            }
            let name = if manager == "apt" { a.split('=').next().unwrap_or(a) } else { a.as_str() };
            let name = name.to_string();
            self.package(manager, &name);
        }
    }

    fn pip(&mut self, manager: &str, args: &[String], env: Option<&str>) {
        const SPEC: Spec = Spec {
            short_with_value: "rceiftC",
            long: &[
                ("requirement", "r", true),
                ("constraint", "c", true),
                ("editable", "e", true),
                ("index-url", "i", true),
                ("extra-index-url", "extra-index-url", true),
                ("find-links", "f", true),
                ("target", "t", true),
                ("prefix", "prefix", true),
                ("root", "root", true),
                ("src", "src", true),
                ("upgrade-strategy", "upgrade-strategy", true),
                ("progress-bar", "progress-bar", true),
                ("cache-dir", "cache-dir", true),
                ("trusted-host", "trusted-host", true),
                ("platform", "platform", true),
                ("python-version", "python-version", true),
                ("implementation", "implementation", true),
                ("abi", "abi", true),
                ("only-binary", "only-binary", true),
                ("no-binary", "no-binary", true),
                ("config-settings", "C", true),
                ("log", "log", true),
                ("proxy", "proxy", true),
                ("retries", "retries", true),
                ("timeout", "timeout", true),
                ("exists-action", "exists-action", true),
                ("cert", "cert", true),
                ("client-cert", "client-cert", true),
                ("global-option", "global-option", true),
                ("report", "report", true),
                ("use-feature", "use-feature", true),
                ("root-user-action", "root-user-action", true),
                ("python", "python", true),
            ],
        };
        if args.first().map(String::as_str) != Some("install") {
            return;
        }
        let p = getopt::parse(&args[1..], &SPEC);
        for key in ["t", "prefix", "root"] {
            if let Some(dir) = p.value(key) {
                self.write(dir);
            }
        }
        let manager = if manager.starts_with("pip") { "pip" } else { manager };
        match env {
            Some(env) => self.env_packages(env, manager, &p.operands),
            None => {
                for spec in &p.operands {
                    self.package(manager, spec);
                }
            }
        }
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

    fn kernel_dir(&self, name: &str, user: bool, prefix: Option<&str>, sys_prefix: bool) -> Option<String> {
        if user {
            return self.home.as_ref().map(|h| format!("{h}/.local/share/jupyter/kernels/{name}"));
        }
        if let Some(p) = prefix {
            return Some(format!("{}/share/jupyter/kernels/{name}", p.trim_end_matches('/')));
        }
        // sys.prefix depends on the interpreter; without --sys-prefix jupyter picks /usr/local.
        (!sys_prefix).then(|| format!("/usr/local/share/jupyter/kernels/{name}"))
    }

    /// `python -m ipykernel install …` (also `ipython kernel install`).
    fn kernel_install(&mut self, args: &[String], _env: Option<&str>) {
        const SPEC: Spec = Spec {
            short_with_value: "",
            long: &[
                ("name", "name", true),
                ("display-name", "display-name", true),
                ("prefix", "prefix", true),
                ("profile", "profile", true),
                ("env", "env", true),
                ("frozen_modules", "frozen_modules", true),
                ("user", "user", false),
                ("sys-prefix", "sys-prefix", false),
            ],
        };
        let p = getopt::parse(args, &SPEC);
        let name = p.value("name").unwrap_or("python3");
        if !is_known(name) {
            return;
        }
        let name = name.to_lowercase();
        let user = p.has("user");
        let sys_prefix = p.has("sys-prefix");
        let prefix = p.value("prefix").filter(|v| is_known(v)).map(String::from);
        if let Some(dir) = self.kernel_dir(&name, user, prefix.as_deref(), sys_prefix) {
            self.write(&dir);
        }
        self.facts.kernel_installs.push(KernelInstall {
            name,
            display_name: p.value("display-name").map(String::from),
            user,
            sys_prefix,
            prefix,
            span: self.span,
        });
    }

    /// `jupyter kernelspec install DIR [--name N] [--user|--prefix P|--sys-prefix]`: the kernel
    /// is named after the directory unless `--name` says otherwise.
    fn kernelspec_install(&mut self, args: &[String]) {
        const SPEC: Spec = Spec {
            short_with_value: "",
            long: &[
                ("name", "name", true),
                ("prefix", "prefix", true),
                ("user", "user", false),
                ("sys-prefix", "sys-prefix", false),
                ("replace", "replace", false),
            ],
        };
        let p = getopt::parse(args, &SPEC);
        let Some(source) = p.operands.first() else {
            return;
        };
        let name = p.value("name").unwrap_or_else(|| base_name(source));
        if name.is_empty() || !is_known(name) {
            return;
        }
        let name = name.to_lowercase();
        let user = p.has("user");
        let sys_prefix = p.has("sys-prefix");
        let prefix = p.value("prefix").filter(|v| is_known(v)).map(String::from);
        if let Some(dir) = self.kernel_dir(&name, user, prefix.as_deref(), sys_prefix) {
            self.write(&dir);
        }
        self.facts.kernel_installs.push(KernelInstall { name, display_name: None, user, sys_prefix, prefix, span: self.span });
    }

    fn conda(&mut self, manager: &str, args: &[String], env: Option<&str>) {
        const SPEC: Spec = Spec {
            short_with_value: "npcfr",
            long: &[
                ("name", "n", true),
                ("prefix", "p", true),
                ("channel", "c", true),
                ("file", "file", true),
                ("root-prefix", "r", true),
                ("repodata-fn", "repodata-fn", true),
                ("solver", "solver", true),
                ("platform", "platform", true),
                ("subdir", "subdir", true),
                ("clone", "clone", true),
                ("override-channels", "override-channels", false),
                ("yes", "y", false),
                ("quiet", "q", false),
            ],
        };
        let (verb, rest, env_subcommand) = match args.first().map(String::as_str) {
            Some("env") => (args.get(1).map(String::as_str).unwrap_or(""), args.get(2..).unwrap_or(&[]), true),
            Some(v) => (v, &args[1..], false),
            None => return,
        };
        let p = getopt::parse(rest, &SPEC);
        let named = p.value("n").map(String::from).or_else(|| p.value("p").map(|p| base_name(p).to_string()));
        if let Some(prefix) = p.value("p") {
            if verb == "create" {
                self.write(prefix);
            }
        }
        let manager = manager.to_string();
        match (verb, env_subcommand) {
            ("activate", false) => self.active_env = p.operands.first().filter(|e| **e != "base").map(|e| e.to_string()),
            ("create", _) | ("update", true) => {
                // `conda env create -f environment.yml`: the name is in the file, unknown here.
                let from_file = env_subcommand || p.value("file").is_some() || p.value("f").is_some();
                let name = match &named {
                    Some(n) if is_known(n) && n != "base" => n.clone(),
                    Some(_) => return,
                    None if from_file => String::new(),
                    None => return,
                };
                let with_ipykernel = p.operands.iter().any(|s| package_name(s).eq_ignore_ascii_case("ipykernel"));
                self.facts.conda_envs.push(CondaEnvCreation { name: name.clone(), with_ipykernel, span: self.span });
                for spec in p.operands.iter().filter(|s| !package_name(s).eq_ignore_ascii_case("ipykernel")) {
                    self.package(&manager, spec);
                }
            }
            ("install", false) => {
                let target = named.filter(|n| n != "base").or_else(|| env.map(String::from));
                match target {
                    Some(target) => self.env_packages(&target, &manager, &p.operands),
                    None => {
                        for spec in &p.operands {
                            self.package(&manager, spec);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn tar(&mut self, args: &[String]) {
        let extracting =
            args.iter().any(|a| a == "--extract" || a == "--get" || (a.starts_with('-') && !a.starts_with("--") && a.contains('x')))
                || args.first().is_some_and(|a| !a.starts_with('-') && a.contains('x') && a.chars().all(|c| c.is_ascii_alphabetic()));
        if !extracting {
            return;
        }
        let mut dir = None;
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if a == "-C" || a == "--directory" {
                dir = args.get(i + 1).cloned();
                i += 1;
            } else if let Some(d) = a.strip_prefix("--directory=") {
                dir = Some(d.to_string());
            } else if a.starts_with('-') && !a.starts_with("--") && a.ends_with('C') && a.len() > 2 {
                dir = args.get(i + 1).cloned();
                i += 1;
            }
            i += 1;
        }
        if let Some(d) = dir {
            self.write(&d);
        }
    }

    fn file_command(&mut self, program: &str, args: &[String]) {
        let spec = match program {
            "mkdir" => Spec { short_with_value: "m", long: &[("mode", "m", true), ("context", "Z", true)] },
            "touch" => Spec { short_with_value: "dtr", long: &[("date", "d", true), ("reference", "r", true), ("time", "time", true)] },
            "cp" | "mv" | "ln" | "install" => Spec {
                short_with_value: "tSmogC",
                long: &[
                    ("target-directory", "t", true),
                    ("suffix", "S", true),
                    ("mode", "m", true),
                    ("owner", "o", true),
                    ("group", "g", true),
                    ("backup", "backup", true),
                    ("reflink", "reflink", true),
                    ("sparse", "sparse", true),
                    ("preserve", "preserve", true),
                ],
            },
            "chown" | "chgrp" | "chmod" => Spec { short_with_value: "", long: &[("reference", "reference", true), ("from", "from", true)] },
            "rsync" => Spec {
                short_with_value: "eB",
                long: &[
                    ("rsh", "e", true),
                    ("exclude", "exclude", true),
                    ("include", "include", true),
                    ("chown", "chown", true),
                    ("chmod", "chmod", true),
                    ("filter", "filter", true),
                ],
            },
            _ => Spec { short_with_value: "", long: &[] },
        };
        // `chmod -x file` is a mode, not an option; treat mode-looking words as operands.
        let args: Vec<String> = if program == "chmod" {
            args.iter()
                .map(|a| {
                    if a.starts_with('-') && a.len() > 1 && a[1..].chars().all(|c| "rwxXstugo".contains(c)) {
                        a.trim_start_matches('-').to_string()
                    } else {
                        a.clone()
                    }
                })
                .collect()
        } else {
            args.to_vec()
        };
        let p = getopt::parse(&args, &spec);
        let ops = &p.operands;
        let targets: Vec<String> = match program {
            "mkdir" | "touch" | "tee" => ops.iter().map(|s| s.to_string()).collect(),
            "chown" | "chgrp" | "chmod" => ops.iter().skip(1).map(|s| s.to_string()).collect(),
            "install" if p.has("d") => ops.iter().map(|s| s.to_string()).collect(),
            "cp" | "mv" | "ln" | "install" | "rsync" => match p.value("t") {
                Some(dir) => alloc::vec![dir.to_string()],
                None if ops.len() >= 2 => {
                    let dest = ops[ops.len() - 1];
                    // Into a directory: `cp a b /dir/` or several sources.
                    if dest.ends_with('/') || ops.len() > 2 {
                        ops[..ops.len() - 1]
                            .iter()
                            .map(|src| {
                                // rsync copies a `dir/` source's contents, not the directory.
                                if (program == "rsync" && src.ends_with('/')) || !is_known(base_name(src)) {
                                    dest.to_string()
                                } else {
                                    format!("{}/{}", dest.trim_end_matches('/'), base_name(src))
                                }
                            })
                            .collect()
                    } else {
                        alloc::vec![dest.to_string()]
                    }
                }
                None if program == "ln" && ops.len() == 1 => {
                    alloc::vec![base_name(ops[0]).to_string()]
                }
                None => Vec::new(),
            },
            _ => Vec::new(),
        };
        for t in targets {
            self.write(&t);
        }
    }
}

/// A COPY/ADD destination for one source, as Docker places it.
pub fn copy_destination(workdir: &str, dest: &str, source: &str, several: bool) -> String {
    let into_dir = dest.ends_with('/') || several || dest == ".";
    let base = resolve(workdir, dest);
    if into_dir {
        let name = base_name(source);
        if name.is_empty() || name == "." || source.ends_with('/') || name.contains(['*', '?', '[']) || !is_known(name) {
            return resolve_dir(workdir, dest);
        }
        return resolve_dir(&base, name);
    }
    resolve_dir(workdir, dest)
}
