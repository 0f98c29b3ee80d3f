//! Absolute, normalised image paths (`/a/./b/../c` → `/a/c`), resolved against a working
//! directory the way Docker resolves COPY destinations and WORKDIR.

use alloc::string::String;
use alloc::vec::Vec;

/// `path` made absolute against `cwd` and normalised; keeps a trailing `/` when it had one
/// (for COPY, a trailing slash means "into this directory").
pub fn resolve(cwd: &str, path: &str) -> String {
    // Most paths in a Dockerfile are already absolute and clean.
    let clean = |p: &str| {
        p.starts_with('/') && !p.contains("//") && !p.contains("/./") && !p.contains("/../") && !p.ends_with("/.") && !p.ends_with("/..")
    };
    if clean(path) {
        return String::from(path);
    }
    let joined = if path.starts_with('/') {
        String::from(path)
    } else {
        let mut j = String::from(cwd);
        if !j.ends_with('/') {
            j.push('/');
        }
        j.push_str(path);
        j
    };
    let trailing = joined.len() > 1 && (joined.ends_with('/') || joined.ends_with("/.") || path == ".");
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut out = String::from("/");
    out.push_str(&parts.join("/"));
    if trailing && out.len() > 1 {
        out.push('/');
    }
    out
}

/// `resolve` without the trailing slash.
pub fn resolve_dir(cwd: &str, path: &str) -> String {
    let mut p = resolve(cwd, path);
    if p.len() > 1 && p.ends_with('/') {
        p.pop();
    }
    p
}

/// Last component of a path or URL (`https://x/y/repo.git` → `repo.git`).
pub fn base_name(path: &str) -> &str {
    path.trim_end_matches('/').rsplit('/').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_like_docker() {
        assert_eq!(resolve("/work", "a/../b"), "/work/b");
        assert_eq!(resolve("/work", "/opt/ml/"), "/opt/ml/");
        assert_eq!(resolve("/", "."), "/");
        assert_eq!(resolve("/home/u", "."), "/home/u/");
        assert_eq!(resolve_dir("/x", "../../y/"), "/y");
        assert_eq!(base_name("https://github.com/a/repo.git"), "repo.git");
    }
}
