//! Packages a RUN installs, with every manager this reader knows: the system's (apt, yum and
//! dnf, apk, zypper) and Python's (pip, and conda through `super::conda`), as the package names
//! the rules compare (`pkg==1.0` and `conda-forge::pkg` are `pkg`). Packages installed into a
//! named conda environment belong to that environment, not to the image's own Python.

use alloc::string::{String, ToString};

use smic_rules::facts::PackageInstall;

use super::super::getopt::{self, Spec};
use super::RunContext;
use crate::shell::script::is_known;

pub(super) fn is_pip(program: &str) -> bool {
    program.strip_prefix("pip").is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `pkg==1.0`, `pkg[extra]>=2`, `pkg=1.2=build`, `name@version` → `pkg`.
pub(super) fn package_name(spec: &str) -> &str {
    let end = spec.find(['=', '<', '>', '!', '~', '[', ';', ' ', '@']).unwrap_or(spec.len());
    let name = &spec[..end];
    // `conda-forge::pkg`
    match name.rfind(':') {
        Some(i) if name[..i].ends_with(':') => &name[i + 1..],
        _ => name,
    }
}

/// A system package manager: its programs, the verbs that install, and the options that take a
/// value (so that the value is not read as a package).
struct OsManager {
    programs: &'static [&'static str],
    /// The manager findings name; `None`: the program's own name.
    name: Option<&'static str>,
    verbs: &'static [&'static str],
    valued: &'static [&'static str],
}

const OS_MANAGERS: &[OsManager] = &[
    OsManager {
        programs: &["apt-get", "apt", "aptitude"],
        name: Some("apt"),
        verbs: &["install", "reinstall"],
        valued: &["-o", "-c", "-t", "--target-release", "--option", "--config-file"],
    },
    OsManager {
        programs: &["yum", "dnf", "microdnf", "tdnf"],
        name: None,
        verbs: &["install", "reinstall", "groupinstall", "localinstall"],
        valued: &[
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
    },
    OsManager {
        programs: &["apk"],
        name: Some("apk"),
        verbs: &["add"],
        valued: &["-X", "--repository", "-t", "--virtual", "-p", "--root", "--arch", "--cache-dir", "--keys-dir", "--repositories-file"],
    },
    OsManager { programs: &["zypper"], name: Some("zypper"), verbs: &["install", "in"], valued: &["-r", "--repo", "--from"] },
];

pub(super) fn is_os_manager(program: &str) -> bool {
    OS_MANAGERS.iter().any(|m| m.programs.contains(&program))
}

impl RunContext<'_> {
    pub(super) fn package(&mut self, manager: &str, spec: &str) {
        let name = package_name(spec);
        if name.is_empty() || name.starts_with('-') || !is_known(name) || name.contains('/') || name.ends_with(".txt") {
            return;
        }
        self.facts.packages.push(PackageInstall { manager: manager.to_string(), package: name.to_string(), span: self.span });
    }

    /// Packages that go into a named conda environment mark it; they are not the image's own.
    pub(super) fn env_packages(&mut self, env: &str, manager: &str, specs: &[&str]) {
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

    /// `apt-get install a b=1.0`, `yum install`, `apk add`, `zypper in`: the operands after the
    /// install verb, skipping options and the values of those that take one.
    pub(super) fn os_packages(&mut self, program: &str, args: &[String]) {
        let Some(os) = OS_MANAGERS.iter().find(|m| m.programs.contains(&program)) else {
            return;
        };
        let (manager, verbs, valued) = (os.name.unwrap_or(program), os.verbs, os.valued);
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

    pub(super) fn pip(&mut self, manager: &str, args: &[String], env: Option<&str>) {
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
        self.write_values(&p, &["t", "prefix", "root"]);
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
}
