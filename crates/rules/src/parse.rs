//! Parsers for the small text files captured from an image (`/etc/passwd`, `/etc/group`,
//! `os-release`) and for the shell fragments rules look into.

use alloc::string::String;
use alloc::vec::Vec;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswdEntry {
    pub name: String,
    pub uid: u64,
    pub gid: u64,
    pub home: String,
    pub shell: String,
    /// 1-based line in the file.
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupEntry {
    pub name: String,
    pub gid: u64,
    pub members: Vec<String>,
    pub line: u32,
}

/// Parses `/etc/passwd`; malformed lines are skipped (as glibc does).
pub fn passwd(text: &str) -> Vec<PasswdEntry> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let f: Vec<&str> = line.split(':').collect();
            if f.len() < 7 || f[0].is_empty() || line.starts_with('#') {
                return None;
            }
            Some(PasswdEntry {
                name: f[0].into(),
                uid: f[2].parse().ok()?,
                gid: f[3].parse().ok()?,
                home: f[5].into(),
                shell: f[6].into(),
                line: i as u32 + 1,
            })
        })
        .collect()
}

/// Parses `/etc/group`.
pub fn group(text: &str) -> Vec<GroupEntry> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let f: Vec<&str> = line.split(':').collect();
            if f.len() < 4 || f[0].is_empty() || line.starts_with('#') {
                return None;
            }
            Some(GroupEntry {
                name: f[0].into(),
                gid: f[2].parse().ok()?,
                members: f[3].split(',').filter(|m| !m.is_empty()).map(String::from).collect(),
                line: i as u32 + 1,
            })
        })
        .collect()
}

/// `PRETTY_NAME` (or `NAME VERSION_ID`) from an os-release file.
pub fn os_release_name(text: &str) -> Option<String> {
    let value = |key: &str| {
        text.lines().find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix('='))).map(|v| String::from(v.trim().trim_matches('"')))
    };
    value("PRETTY_NAME").or_else(|| value("NAME"))
}

/// Names of environment variables a shell fragment expands (`$NAME`, `${NAME…}`), in order of
/// first appearance. Single-quoted text is not expanded and is skipped.
pub fn referenced_variables(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    let mut in_single = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' => in_single = !in_single,
            b'\\' => i += 1,
            b'$' if !in_single => {
                let start = if bytes.get(i + 1) == Some(&b'{') { i + 2 } else { i + 1 };
                let mut end = start;
                while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
                    end += 1;
                }
                if end > start && !bytes[start].is_ascii_digit() {
                    let name = &text[start..end];
                    if !out.iter().any(|n| n == name) {
                        out.push(name.into());
                    }
                }
                i = end.max(i + 1);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Variables a shell fragment assigns (`NAME=…`, `export NAME=…`, `read NAME`, `for NAME in`).
pub fn assigned_variables(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in text.split(|c: char| c.is_whitespace() || c == ';' || c == '&' || c == '|' || c == '(') {
        if let Some((name, _)) = raw.split_once('=') {
            if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') && !name.as_bytes()[0].is_ascii_digit() {
                out.push(String::from(name));
            }
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    for pair in words.windows(2) {
        if matches!(pair[0], "for" | "read" | "local" | "export" | "declare") {
            let name = pair[1].split('=').next().unwrap_or("");
            if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                out.push(String::from(name));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwd_lines_with_too_few_fields_are_skipped() {
        let entries = passwd("root:x:0:0:root:/root:/bin/bash\nbroken\nsagemaker-user:x:1000:100::/home/sagemaker-user:/bin/bash\n");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].uid, 1000);
        assert_eq!(entries[1].gid, 100);
        assert_eq!(entries[1].line, 3);
    }

    #[test]
    fn variables_in_single_quotes_are_not_expanded() {
        assert_eq!(referenced_variables("echo $A ${B:-x} '$C' \"$D\" $1"), ["A", "B", "D"]);
    }

    #[test]
    fn assignments_are_found() {
        let names = assigned_variables("export FOO=1; BAR=2 cmd; for X in a b");
        assert!(names.contains(&String::from("FOO")));
        assert!(names.contains(&String::from("BAR")));
        assert!(names.contains(&String::from("X")));
    }
}
