//! The source tree keeps its habits: no module in `crates/*/src` or `web/src` grows past 400
//! lines (a file that does is doing several jobs and is split by what it models), and every
//! module opens with a `//!` comment saying what it owns. Test code is exempt from the length
//! limit: files named `tests.rs`, anything under a `tests/`, `benches/` or `fuzz/` directory, and
//! an inline `#[cfg(test)] mod tests { … }` block at the end of a file. So is generated code,
//! marked `@generated` on its first line.

use std::path::{Path, PathBuf};

const MAX_LINES: usize = 400;

/// Directories whose files are test, benchmark or fuzzing code.
const EXEMPT_DIRS: &[&str] = &["tests", "benches", "fuzz"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if path.is_dir() {
            if !EXEMPT_DIRS.contains(&name) {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") && name != "tests.rs" {
            out.push(path);
        }
    }
}

/// Every module of the crates and the page that the rules here apply to.
fn modules() -> Vec<PathBuf> {
    let repo = smic_tests::repo();
    let mut roots = vec![repo.join("web/src")];
    for krate in std::fs::read_dir(repo.join("crates")).expect("crates/") {
        let src = krate.expect("crates/ entry").path().join("src");
        if src.is_dir() {
            roots.push(src);
        }
    }
    let mut files = Vec::new();
    for root in &roots {
        rust_files(root, &mut files);
    }
    files.sort();
    assert!(files.len() > 50, "found only {} modules: is the walk looking in the right place?", files.len());
    files
}

/// The lines that count: all but a trailing `#[cfg(test)] mod tests { … }` block.
fn counted_lines(text: &str) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let last = lines.iter().rposition(|l| !l.trim().is_empty()).map_or(0, |i| i + 1);
    let Some(start) = lines.windows(2).rposition(|w| w[0] == "#[cfg(test)]" && w[1] == "mod tests {") else {
        return last;
    };
    // rustfmt closes a top-level block with a `}` alone at the start of a line.
    let end = lines[start + 2..].iter().position(|l| *l == "}").map(|i| start + 2 + i);
    if end == Some(last - 1) {
        start
    } else {
        last
    }
}

fn relative(path: &Path) -> String {
    path.strip_prefix(smic_tests::repo()).unwrap_or(path).display().to_string()
}

#[test]
fn no_module_is_longer_than_400_lines() {
    let mut too_long = Vec::new();
    for path in modules() {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        if text.lines().next().is_some_and(|l| l.contains("@generated")) {
            continue;
        }
        let lines = counted_lines(&text);
        if lines > MAX_LINES {
            too_long.push(format!("{} has {lines} lines", relative(&path)));
        }
    }
    assert!(
        too_long.is_empty(),
        "modules over {MAX_LINES} lines (split each by what it models; move an inline test module to its own tests.rs):\n  {}",
        too_long.join("\n  ")
    );
}

#[test]
fn every_module_opens_with_a_comment_saying_what_it_owns() {
    let mut undocumented = Vec::new();
    for path in modules() {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        if !text.starts_with("//!") {
            undocumented.push(relative(&path));
        }
    }
    assert!(
        undocumented.is_empty(),
        "modules that do not start with a `//!` comment saying what they own:\n  {}",
        undocumented.join("\n  ")
    );
}

#[test]
fn an_inline_test_module_at_the_end_is_not_counted() {
    let text = "//! m\nfn a() {}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {}\n}\n";
    assert_eq!(counted_lines(text), 3);
    assert_eq!(counted_lines("//! m\nfn a() {}\n"), 2);
    // A test module followed by more code is not at the end: everything counts.
    assert_eq!(counted_lines("#[cfg(test)]\nmod tests {\n}\nfn b() {\n}\n"), 5);
}
