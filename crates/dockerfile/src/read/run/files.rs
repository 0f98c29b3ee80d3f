//! Paths a RUN writes and removes with file commands: coreutils (`mkdir`, `touch`, `cp`, `mv`,
//! `ln`, `install`, `chown`, `chmod`, `rm`, …), `rsync` and `tee`, unpacking (`tar -x`,
//! `unzip`) and downloads (`git clone`, `wget`, `curl`).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::super::getopt::{self, Spec};
use super::super::paths::base_name;
use super::RunContext;
use crate::shell::script::is_known;

impl RunContext<'_> {
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

    pub(super) fn rm(&mut self, args: &[String]) {
        for target in args.iter().filter(|a| !a.starts_with('-')) {
            self.remove(target);
        }
    }

    /// `mv`: the sources leave (a kernel moved into a prefix is one), the destination is written.
    pub(super) fn mv(&mut self, args: &[String]) {
        let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        if let Some((dest, sources)) = operands.split_last() {
            let dest = dest.to_string();
            for source in sources {
                let source = source.to_string();
                self.moved(&source, &dest);
                self.remove(&source);
            }
        }
        self.file_command("mv", args);
    }

    /// Coreutils and friends: the paths `mkdir`, `touch`, `cp`, `install`, `ln`, `rsync`, `tee`
    /// and the ownership and mode changes write.
    pub(super) fn file_command(&mut self, program: &str, args: &[String]) {
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

    /// `tar -x -C DIR`: an extraction writes into its directory.
    pub(super) fn tar(&mut self, args: &[String]) {
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

    /// `git clone URL [DIR]`: the directory it clones into.
    pub(super) fn git_clone(&mut self, args: &[String]) {
        let p = getopt::parse(
            args,
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

    /// `unzip -d DIR`.
    pub(super) fn unzip(&mut self, args: &[String]) {
        if let Some(i) = args.iter().position(|a| a == "-d") {
            if let Some(d) = args.get(i + 1) {
                self.write(&d.clone());
            }
        }
    }

    /// `wget -P DIR` / `wget -O FILE`.
    pub(super) fn wget(&mut self, args: &[String]) {
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
        self.write_values(&p, &["P", "O"]);
    }

    /// `curl -o FILE` / `curl --output-dir DIR`.
    pub(super) fn curl(&mut self, args: &[String]) {
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
        self.write_values(&p, &["o", "output-dir"]);
    }
}
