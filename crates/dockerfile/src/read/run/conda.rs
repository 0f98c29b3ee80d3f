//! Conda environments a RUN creates (`conda create`, `conda env create`, with mamba and
//! micromamba alike) and the packages it installs into them or into the base environment; which
//! environment a command runs in (`conda run -n`, a program under `…/envs/NAME/bin`).

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use smic_rules::facts::CondaEnvCreation;

use super::super::getopt::{self, Spec};
use super::super::paths::base_name;
use super::packages::package_name;
use super::RunContext;
use crate::shell::script::is_known;

pub(super) fn is_conda(program: &str) -> bool {
    matches!(program, "conda" | "mamba" | "micromamba")
}

/// The environment a program path lives in (`/opt/conda/envs/x/bin/pip` → `x`).
pub(super) fn env_of_path(program_path: &str) -> Option<String> {
    if !program_path.starts_with('/') {
        return None;
    }
    let (_, rest) = program_path.split_once("/envs/")?;
    let name = rest.split('/').next()?;
    (!name.is_empty()).then(|| name.to_string())
}

/// `conda run -n env cmd…`: the environment it names (if any) and the command it runs.
pub(super) fn conda_run(words: &[String]) -> Option<(Option<String>, Vec<String>)> {
    let program = words.first().map_or("", |w| w.rsplit('/').next().unwrap_or(w));
    if !is_conda(program) || words.get(1).map(String::as_str) != Some("run") {
        return None;
    }
    let p = getopt::parse(
        &words[2..],
        &Spec { short_with_value: "np", long: &[("name", "n", true), ("prefix", "p", true), ("cwd", "cwd", true)] },
    );
    // Options before the command only: take the operands as the command.
    let env = p.value("n").map(String::from).or_else(|| p.value("p").map(|p| base_name(p).to_string()));
    Some((env, p.operands.iter().map(|s| s.to_string()).collect()))
}

impl RunContext<'_> {
    pub(super) fn conda(&mut self, manager: &str, args: &[String], env: Option<&str>) {
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
}
