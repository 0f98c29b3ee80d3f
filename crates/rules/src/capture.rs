//! Which file contents the image reader keeps: one [`CaptureSet`], built from the files every
//! rule of the catalog declared (`Rule::needs_files`). The archive reader asks it about every
//! regular file it streams past and keeps at most `max_bytes` of those that match; everything
//! else is skipped, never read.

use alloc::vec::Vec;

use crate::catalog::RULES;
pub use crate::vocabulary::{glob_matches, FilePattern};

/// The capture decision for every regular file of every layer, so it must be cheap: the
/// patterns are collected once and most paths are rejected on their last segment alone.
#[derive(Debug, Clone)]
pub struct CaptureSet {
    patterns: Vec<(&'static FilePattern, Filter)>,
}

/// What a path must show before its glob is tried: its last segment, and for a glob that
/// starts with `/**/`, the literal directories that follow (`/etc/jupyter/` for
/// `/**/etc/jupyter/*.py`) somewhere in it.
#[derive(Debug, Clone, Copy)]
struct Filter {
    last: LastSegment,
    inside: Option<&'static str>,
}

impl Filter {
    fn of(glob: &'static str) -> Filter {
        Filter { last: LastSegment::of(glob), inside: literal_directories_after_double_star(glob) }
    }

    fn admits(self, path: &str, name: &str) -> bool {
        self.last.admits(name) && self.inside.is_none_or(|inside| path.contains(inside))
    }
}

/// `/etc/jupyter/` in `/**/etc/jupyter/*.py`: the glob's text from the `/` after its leading
/// `/**` to the last `/` before a wildcard, if that holds a directory. The segments `**` stands
/// for end with a `/`, and these directories follow whole, each ending with a `/`.
fn literal_directories_after_double_star(glob: &'static str) -> Option<&'static str> {
    let rest = glob.strip_prefix("/**")?;
    let literal = &rest[..rest.find(['*', '?']).unwrap_or(rest.len())];
    let through = literal.rfind('/')? + 1;
    (through > 1).then(|| &rest[..through])
}

/// What the last segment of a glob says about a path's file name.
#[derive(Debug, Clone, Copy)]
enum LastSegment {
    Anything,
    Exactly(&'static str),
    EndsWith(&'static str),
    StartsWith(&'static str),
    Contains(&'static str),
    Glob,
}

fn wildcard_free(text: &str) -> bool {
    !text.contains(['*', '?'])
}

impl LastSegment {
    fn of(glob: &'static str) -> LastSegment {
        let last = glob.rsplit('/').next().unwrap_or("");
        if last == "**" {
            LastSegment::Anything
        } else if wildcard_free(last) {
            LastSegment::Exactly(last)
        } else if let Some(rest) = last.strip_prefix('*').filter(|r| wildcard_free(r)) {
            LastSegment::EndsWith(rest)
        } else if let Some(rest) = last.strip_suffix('*').filter(|r| wildcard_free(r)) {
            LastSegment::StartsWith(rest)
        } else if let Some(inner) = last.strip_prefix('*').and_then(|r| r.strip_suffix('*')).filter(|r| wildcard_free(r)) {
            LastSegment::Contains(inner)
        } else {
            LastSegment::Glob
        }
    }

    fn admits(self, name: &str) -> bool {
        match self {
            LastSegment::Anything | LastSegment::Glob => true,
            LastSegment::Exactly(n) => name == n,
            LastSegment::EndsWith(suffix) => name.ends_with(suffix),
            LastSegment::StartsWith(prefix) => name.starts_with(prefix),
            LastSegment::Contains(inner) => name.contains(inner),
        }
    }
}

impl CaptureSet {
    /// Every pattern any rule of the catalog declared, de-duplicated.
    pub fn from_catalog() -> CaptureSet {
        let mut patterns: Vec<(&'static FilePattern, Filter)> = Vec::new();
        for pattern in RULES.iter().flat_map(|rule| rule.needs_files.iter()) {
            if !patterns.iter().any(|(p, _)| *p == pattern) {
                patterns.push((pattern, Filter::of(pattern.glob)));
            }
        }
        CaptureSet { patterns }
    }

    pub fn patterns(&self) -> impl Iterator<Item = &'static FilePattern> + '_ {
        self.patterns.iter().map(|(p, _)| *p)
    }

    /// How many bytes of the file at `path` (absolute, normalised) the rules need, if any.
    pub fn wanted(&self, path: &str) -> Option<u32> {
        let name = path.rsplit('/').next().unwrap_or("");
        self.patterns
            .iter()
            .filter(|(_, filter)| filter.admits(path, name))
            .filter(|(p, _)| p.matches(path))
            .map(|(p, _)| p.max_bytes)
            .max()
    }
}

/// [`CaptureSet::wanted`] for a one-off question (tests, builders): builds the set each call.
pub fn wanted(path: &str) -> Option<u32> {
    CaptureSet::from_catalog().wanted(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_ask_for_passwd_group_and_kernel_specs() {
        assert!(wanted("/etc/passwd").is_some());
        assert!(wanted("/etc/group").is_some());
        assert!(wanted("/opt/conda/envs/x/share/jupyter/kernels/python3/kernel.json").is_some());
        assert!(wanted("/usr/lib/python3/dist-packages/numpy/core/_multiarray_umath.so").is_none());
    }

    #[test]
    fn the_directories_after_a_double_star_are_what_a_match_must_contain() {
        assert_eq!(literal_directories_after_double_star("/**/etc/jupyter/*.py"), Some("/etc/jupyter/"));
        assert_eq!(literal_directories_after_double_star("/**/kernels/*/kernel.json"), Some("/kernels/"));
        assert_eq!(
            literal_directories_after_double_star("/**/.jupyter/jupyter_server_config.d/*.json"),
            Some("/.jupyter/jupyter_server_config.d/")
        );
        assert_eq!(literal_directories_after_double_star("/**/*.py"), None);
        assert_eq!(literal_directories_after_double_star("/**/kernel.json"), None);
        assert_eq!(literal_directories_after_double_star("/etc/**/x"), None);
        assert_eq!(literal_directories_after_double_star("/**"), None);
    }

    #[test]
    fn the_filters_agree_with_the_globs() {
        let set = CaptureSet::from_catalog();
        for path in [
            "/etc/group",
            "/etc/passwd",
            "/usr/local/bin/start-jupyter.sh",
            "/opt/conda/share/jupyter/kernels/python3/kernel.json",
            "/etc/supervisor/conf.d/x.conf",
            "/home/u/.jupyter/jupyter_server_config.py",
            "/usr/lib/python3/dist-packages/numpy/__init__.py",
            "/entrypoint.sh",
            "/docker-entrypoint",
            "/usr/bin/my-entrypoint-v2",
            "/usr/bin/entry",
            "/opt/conda/etc/jupyter/jupyter_server_config.py",
            "/opt/conda/lib/python3.11/site-packages/x/etc/jupyter/a.json",
            "/opt/conda/lib/python3.11/site-packages/etc/jupyterx/a.py",
            "/etc/jupyter/a.py",
            "/kernels/python3/kernel.json",
            "/x/kernels/kernel.json",
            "/etc/supervisor/conf.d/deep/er/x.conf",
            "/*",
            "/",
        ] {
            let by_glob = set.patterns().filter(|p| p.matches(path)).map(|p| p.max_bytes).max();
            assert_eq!(set.wanted(path), by_glob, "{path}");
        }
    }
}
