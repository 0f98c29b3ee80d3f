//! The build context of a Dockerfile-only check (`--context DIR`): the start scripts and their
//! configuration that the Dockerfile's final stage COPYs or ADDs from it, so the start command
//! can be followed into them without the image archive. Only files that land where the rule
//! core wants start files ([`smic_rules::start_command::wanted_from_context`]) are read, each
//! up to its cap; nothing outside the context directory is touched.

use smic_rules::facts::fs::{join, normalize};
use smic_rules::facts::{ContextFile, DockerfileFacts};
use smic_rules::start_command::wanted_from_context;

/// Files of a build context, by path relative to its root.
pub trait BuildContext {
    /// The regular files at `source`: `(false, [""])` for a file, `(true, paths relative to
    /// source)` for a directory. `Err` says why it cannot be read (missing, outside the context).
    fn files(&self, source: &str) -> Result<(bool, Vec<String>), String>;
    /// The first `max_bytes` bytes of the file at `path`.
    fn read(&self, path: &str, max_bytes: u32) -> Result<Vec<u8>, String>;
}

/// The start files the final stage COPYs from `context`, later copies replacing earlier ones.
pub fn context_files(facts: &DockerfileFacts, context: &dyn BuildContext) -> Vec<ContextFile> {
    let mut out: Vec<ContextFile> = Vec::new();
    let Some(stage) = &facts.final_stage else {
        return out;
    };
    for copy in &stage.context_copies {
        let Ok((is_dir, files)) = context.files(&copy.source) else {
            continue;
        };
        for relative in files {
            let path = match (is_dir, copy.dest_is_dir) {
                (true, _) => join(&copy.dest, &relative),
                (false, true) => join(&copy.dest, copy.source.trim_end_matches('/').rsplit('/').next().unwrap_or("")),
                (false, false) => copy.dest.clone(),
            };
            let path = normalize(&path);
            let Some(max_bytes) = wanted_from_context(&path) else {
                continue;
            };
            let source = if relative.is_empty() { copy.source.clone() } else { join(&copy.source, &relative) };
            let Ok(content) = context.read(&source, max_bytes) else {
                continue;
            };
            out.retain(|f| f.path != path);
            out.push(ContextFile { source: source.trim_start_matches('/').to_string(), path, span: copy.span, content });
        }
    }
    out
}

/// A build context on disk.
#[cfg(not(target_arch = "wasm32"))]
pub use on_disk::DirContext;

#[cfg(not(target_arch = "wasm32"))]
mod on_disk {
    use std::io::Read;
    use std::path::{Path, PathBuf};

    /// At most this many files are listed under one COPY source.
    const MAX_FILES: usize = 20_000;

    /// A directory as a build context; paths that leave it (`..`, symlinks) are refused.
    #[derive(Debug, Clone)]
    pub struct DirContext {
        root: PathBuf,
    }

    impl DirContext {
        pub fn new(dir: &Path) -> Result<DirContext, String> {
            let root = dir.canonicalize().map_err(|e| format!("{}: cannot open the build context: {e}", dir.display()))?;
            if !root.is_dir() {
                return Err(format!("{}: the build context must be a directory", dir.display()));
            }
            Ok(DirContext { root })
        }

        /// The path of `relative` inside the context, refused when it resolves outside it.
        fn inside(&self, relative: &str) -> Result<PathBuf, String> {
            let path = self.root.join(relative.trim_start_matches('/')).canonicalize().map_err(|e| format!("{relative}: {e}"))?;
            if path.starts_with(&self.root) {
                Ok(path)
            } else {
                Err(format!("{relative}: outside the build context"))
            }
        }
    }

    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            if out.len() >= MAX_FILES {
                return;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let relative = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
            match entry.file_type() {
                Ok(t) if t.is_dir() => walk(&entry.path(), &relative, out),
                Ok(t) if t.is_file() => out.push(relative),
                _ => {}
            }
        }
    }

    impl super::BuildContext for DirContext {
        fn files(&self, source: &str) -> Result<(bool, Vec<String>), String> {
            let path = self.inside(source)?;
            if path.is_dir() {
                let mut out = Vec::new();
                walk(&path, "", &mut out);
                Ok((true, out))
            } else {
                Ok((false, vec![String::new()]))
            }
        }

        fn read(&self, path: &str, max_bytes: u32) -> Result<Vec<u8>, String> {
            let file = std::fs::File::open(self.inside(path)?).map_err(|e| format!("{path}: {e}"))?;
            let mut content = Vec::new();
            file.take(u64::from(max_bytes)).read_to_end(&mut content).map_err(|e| format!("{path}: {e}"))?;
            Ok(content)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use smic_dockerfile::{read, ReadOptions};

    /// A context held in memory: path → content.
    struct Files(BTreeMap<&'static str, &'static str>);

    impl BuildContext for Files {
        fn files(&self, source: &str) -> Result<(bool, Vec<String>), String> {
            let source = source.trim_end_matches('/');
            if self.0.contains_key(source) {
                return Ok((false, vec![String::new()]));
            }
            let prefix = format!("{source}/");
            let under: Vec<String> = self.0.keys().filter_map(|k| k.strip_prefix(prefix.as_str())).map(String::from).collect();
            if under.is_empty() {
                Err(format!("{source}: not in the context"))
            } else {
                Ok((true, under))
            }
        }
        fn read(&self, path: &str, max_bytes: u32) -> Result<Vec<u8>, String> {
            let text = self.0.get(path).ok_or_else(|| format!("{path}: missing"))?;
            Ok(text.as_bytes().iter().take(max_bytes as usize).copied().collect())
        }
    }

    #[test]
    fn only_start_files_are_read_where_the_copy_puts_them() {
        let dockerfile = "FROM python:3.11\nCOPY start.sh /usr/local/bin/\nCOPY dirs/ /\nCOPY requirements.txt /tmp/\nCOPY --from=build /x/start.sh /start.sh\n";
        let facts = read("Dockerfile", dockerfile.as_bytes(), &ReadOptions::default()).unwrap().facts;
        let context = Files(BTreeMap::from([
            ("start.sh", "#!/bin/sh\nexec jupyter lab\n"),
            ("dirs/etc/supervisor/conf.d/s.conf", "[program:x]\ncommand=start\n"),
            ("dirs/usr/share/doc/readme", "not a start file"),
            ("requirements.txt", "jupyterlab"),
        ]));
        let found: Vec<(String, String, u32)> =
            context_files(&facts, &context).into_iter().map(|f| (f.source, f.path, f.span.start)).collect();
        assert_eq!(
            found,
            [
                ("start.sh".to_string(), "/usr/local/bin/start.sh".to_string(), 2),
                ("dirs/etc/supervisor/conf.d/s.conf".to_string(), "/etc/supervisor/conf.d/s.conf".to_string(), 3),
            ]
        );
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn a_source_outside_the_context_directory_is_refused() {
        let dir = std::env::temp_dir().join(format!("smic-context-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("inner")).unwrap();
        std::fs::write(dir.join("secret.sh"), "#!/bin/sh\n").unwrap();
        let context = DirContext::new(&dir.join("inner")).unwrap();
        assert!(context.files("../secret.sh").unwrap_err().contains("outside the build context"));
        assert!(context.read("../secret.sh", 10).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
