//! Which file contents the image reader keeps. Rules declare the files they need
//! (`Rule::needs_files`); the reader asks [`wanted`] for every regular file it streams past and
//! keeps at most `max_bytes` of those that match. Everything else is skipped, never read.

use crate::catalog::RULES;

/// A file a rule needs the content of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilePattern {
    /// Absolute glob: `*` matches within one path segment, `**` matches any number of segments.
    pub glob: &'static str,
    /// How many bytes to keep at most.
    pub max_bytes: u32,
}

impl FilePattern {
    pub const fn new(glob: &'static str, max_bytes: u32) -> FilePattern {
        FilePattern { glob, max_bytes }
    }
    pub fn matches(&self, path: &str) -> bool {
        glob_matches(self.glob, path)
    }
}

/// Concatenates constant pattern lists into one `&'static [FilePattern]` (for rules that need
/// the files of several groups).
#[macro_export]
macro_rules! file_patterns {
    ($($list:expr),+ $(,)?) => {{
        const LEN: usize = 0 $(+ $list.len())+;
        const ALL: [$crate::capture::FilePattern; LEN] = {
            let mut all = [$crate::capture::FilePattern::new("", 0); LEN];
            let mut n = 0;
            $(
                let mut i = 0;
                while i < $list.len() {
                    all[n] = $list[i];
                    n += 1;
                    i += 1;
                }
            )+
            all
        };
        &ALL
    }};
}

/// Every pattern any rule declared, de-duplicated.
pub fn patterns() -> impl Iterator<Item = &'static FilePattern> {
    RULES
        .iter()
        .enumerate()
        .flat_map(|(i, rule)| rule.needs_files.iter().filter(move |p| !RULES[..i].iter().any(|earlier| earlier.needs_files.contains(p))))
}

/// How many bytes of the file at `path` (absolute, normalised) the rules need, if any.
pub fn wanted(path: &str) -> Option<u32> {
    patterns().filter(|p| p.matches(path)).map(|p| p.max_bytes).max()
}

/// Matches an absolute path against an absolute glob (`*`, `?` within a segment; `**` across).
pub fn glob_matches(glob: &str, path: &str) -> bool {
    let glob: alloc::vec::Vec<&str> = glob.split('/').filter(|s| !s.is_empty()).collect();
    let path: alloc::vec::Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match_segments(&glob, &path)
}

fn match_segments(glob: &[&str], path: &[&str]) -> bool {
    match glob.split_first() {
        None => path.is_empty(),
        Some((&"**", rest)) => (0..=path.len()).any(|skip| match_segments(rest, &path[skip..])),
        Some((first, rest)) => match path.split_first() {
            Some((segment, path_rest)) => segment_matches(first.as_bytes(), segment.as_bytes()) && match_segments(rest, path_rest),
            None => false,
        },
    }
}

fn segment_matches(glob: &[u8], text: &[u8]) -> bool {
    match glob.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|skip| segment_matches(rest, &text[skip..])),
        Some((b'?', rest)) => !text.is_empty() && segment_matches(rest, &text[1..]),
        Some((c, rest)) => text.first() == Some(c) && segment_matches(rest, &text[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_star_spans_any_number_of_directories() {
        let g = "/**/share/jupyter/kernels/*/kernel.json";
        assert!(glob_matches(g, "/usr/local/share/jupyter/kernels/python3/kernel.json"));
        assert!(glob_matches(g, "/share/jupyter/kernels/ir/kernel.json"));
        assert!(!glob_matches(g, "/usr/share/jupyter/kernels/python3/logo.png"));
        assert!(!glob_matches(g, "/usr/share/jupyter/kernels/kernel.json"));
    }

    #[test]
    fn single_star_stays_within_a_segment() {
        assert!(glob_matches("/etc/supervisor/conf.d/*.conf", "/etc/supervisor/conf.d/jupyter.conf"));
        assert!(!glob_matches("/etc/*.conf", "/etc/supervisor/x.conf"));
    }

    #[test]
    fn the_rules_ask_for_passwd_group_and_kernel_specs() {
        assert!(wanted("/etc/passwd").is_some());
        assert!(wanted("/etc/group").is_some());
        assert!(wanted("/opt/conda/envs/x/share/jupyter/kernels/python3/kernel.json").is_some());
        assert!(wanted("/usr/lib/python3/dist-packages/numpy/core/_multiarray_umath.so").is_none());
    }
}
