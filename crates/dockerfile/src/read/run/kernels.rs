//! Jupyter kernels a RUN installs (`python -m ipykernel install`, `ipython kernel install`,
//! `jupyter kernelspec install`): the kernel's name and where its directory goes (`--user`,
//! `--prefix`, `--sys-prefix` or the default prefix), and a user kernel moved into a prefix.

use alloc::format;
use alloc::string::{String, ToString};

use smic_rules::facts::{KernelInstall, PathWrite, WriteVia};

use super::super::getopt::{self, Parsed, Spec};
use super::super::paths::base_name;
use super::RunContext;
use crate::shell::script::is_known;

impl RunContext<'_> {
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
    pub(super) fn kernel_install(&mut self, args: &[String], _env: Option<&str>) {
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
        self.kernel(name, p.value("display-name"), &p);
    }

    /// `jupyter kernelspec install DIR [--name N] [--user|--prefix P|--sys-prefix]`: the kernel
    /// is named after the directory unless `--name` says otherwise.
    pub(super) fn kernelspec_install(&mut self, args: &[String]) {
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
        self.kernel(name, None, &p);
    }

    /// Records kernel `name`, installed where the `--user`, `--prefix` and `--sys-prefix` of `p`
    /// put it (both install commands share them).
    fn kernel(&mut self, name: &str, display_name: Option<&str>, p: &Parsed) {
        let name = name.to_lowercase();
        let user = p.has("user");
        let sys_prefix = p.has("sys-prefix");
        let prefix = p.value("prefix").filter(|v| is_known(v)).map(String::from);
        if let Some(dir) = self.kernel_dir(&name, user, prefix.as_deref(), sys_prefix) {
            self.write(&dir);
        }
        let display_name = display_name.map(String::from);
        self.facts.kernel_installs.push(KernelInstall { name, display_name, user, sys_prefix, prefix, span: self.span });
    }

    /// A kernel installed with `--user` and then moved into `…/share/jupyter/kernels` is no
    /// longer a user kernel: it lives under that prefix.
    pub(super) fn moved(&mut self, source: &str, dest: &str) {
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
}
