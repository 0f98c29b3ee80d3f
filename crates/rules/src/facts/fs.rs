//! The merged file system of an image: every path that exists after all layers are applied, with
//! its owner, mode, size and the layer that last added or changed it. Stored as one vector sorted
//! by path, so memory is proportional to the number of files and every subtree is a contiguous
//! range.

use alloc::string::String;
use alloc::vec::Vec;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    Regular,
    Directory,
    Symlink,
    HardLink,
    CharDevice,
    BlockDevice,
    Fifo,
    Other,
}

impl FileKind {
    /// The kind's name in the JSON report (`regular`, `hard-link`, …).
    pub const fn id(self) -> &'static str {
        match self {
            FileKind::Regular => "regular",
            FileKind::Directory => "directory",
            FileKind::Symlink => "symlink",
            FileKind::HardLink => "hard-link",
            FileKind::CharDevice => "char-device",
            FileKind::BlockDevice => "block-device",
            FileKind::Fifo => "fifo",
            FileKind::Other => "other",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            FileKind::Regular => "file",
            FileKind::Directory => "directory",
            FileKind::Symlink => "symlink",
            FileKind::HardLink => "hard link",
            FileKind::CharDevice => "character device",
            FileKind::BlockDevice => "block device",
            FileKind::Fifo => "fifo",
            FileKind::Other => "other",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileEntry {
    /// Absolute, normalised: starts with `/`, no trailing `/`, no `.`/`..` segments. The root is `/`.
    pub path: String,
    pub kind: FileKind,
    /// Bytes of file data (0 for everything but regular files).
    pub size: u64,
    /// Permission bits and set-id/sticky bits (`0o7777` mask).
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    /// Symlink target as written, or the hard-link target path (absolute).
    pub link_target: Option<String>,
    /// Index (0-based, in manifest order) of the layer that last added or changed this path.
    pub layer: u32,
}

impl FileEntry {
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or("")
    }
    pub fn is_dir(&self) -> bool {
        self.kind == FileKind::Directory
    }
    pub fn is_executable(&self) -> bool {
        self.mode & 0o111 != 0
    }
}

/// Maximum number of symlinks followed while resolving one path (Linux uses 40).
pub const MAX_SYMLINK_HOPS: usize = 40;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSystem {
    entries: Vec<FileEntry>,
}

impl FileSystem {
    /// Builds the tree from entries in any order; a later entry for the same path wins.
    pub fn from_entries(mut entries: Vec<FileEntry>) -> FileSystem {
        // Stable sort keeps the input order among equal paths; the dedup keeps the last of each
        // run by swapping it into the retained slot. In place: no second vector of every entry.
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        entries.dedup_by(|later, kept| {
            let same = later.path == kept.path;
            if same {
                core::mem::swap(later, kept);
            }
            same
        });
        FileSystem { entries }
    }

    /// Builds the tree from entries already in strictly increasing path order (what a merge of
    /// sorted layers yields) without sorting; falls back to [`FileSystem::from_entries`] if they
    /// are not.
    pub fn from_sorted(entries: Vec<FileEntry>) -> FileSystem {
        if entries.windows(2).all(|w| w[0].path < w[1].path) {
            FileSystem { entries }
        } else {
            FileSystem::from_entries(entries)
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    pub fn iter(&self) -> core::slice::Iter<'_, FileEntry> {
        self.entries.iter()
    }

    /// The entry at exactly this path (no symlink resolution).
    pub fn get(&self, path: &str) -> Option<&FileEntry> {
        self.entries.binary_search_by(|e| e.path.as_str().cmp(path)).ok().map(|i| &self.entries[i])
    }

    /// Every entry strictly below `dir` (all depths), in path order.
    pub fn under<'a>(&'a self, dir: &str) -> &'a [FileEntry] {
        let dir = dir.trim_end_matches('/');
        if dir.is_empty() {
            // The root: everything but `/` itself.
            let start = usize::from(self.entries.first().is_some_and(|e| e.path == "/"));
            return &self.entries[start..];
        }
        let mut prefix = String::with_capacity(dir.len() + 1);
        prefix.push_str(dir);
        prefix.push('/');
        let start = self.entries.partition_point(|e| e.path.as_str() < prefix.as_str());
        let len = self.entries[start..].partition_point(|e| e.path.starts_with(prefix.as_str()));
        &self.entries[start..start + len]
    }

    /// Direct children of `dir`.
    pub fn children<'a>(&'a self, dir: &str) -> impl Iterator<Item = &'a FileEntry> + 'a {
        let depth = if dir == "/" { 0 } else { dir.trim_end_matches('/').matches('/').count() };
        self.under(dir).iter().filter(move |e| e.path.matches('/').count() == depth + 1)
    }

    /// Resolves symlinks in every component of `path` (as the kernel would), with loop
    /// protection. Returns the final entry and its canonical path, or `None` when any component
    /// is missing, a loop is found, or a non-final component is not a directory.
    pub fn resolve(&self, path: &str) -> Option<(String, &FileEntry)> {
        let mut hops = 0usize;
        let mut pending: Vec<String> = split_reversed(path);
        let mut current = String::from("/");
        while let Some(segment) = pending.pop() {
            match segment.as_str() {
                "" | "." => continue,
                ".." => {
                    current = parent(&current).into();
                    continue;
                }
                _ => {}
            }
            let candidate = join(&current, &segment);
            let entry = self.get(&candidate)?;
            match entry.kind {
                FileKind::Symlink => {
                    hops += 1;
                    if hops > MAX_SYMLINK_HOPS {
                        return None;
                    }
                    let target = entry.link_target.as_deref().unwrap_or("");
                    if target.starts_with('/') {
                        current = String::from("/");
                    }
                    pending.extend(split_reversed(target));
                }
                FileKind::HardLink => {
                    let target = entry.link_target.as_deref().unwrap_or("");
                    hops += 1;
                    if hops > MAX_SYMLINK_HOPS {
                        return None;
                    }
                    current = String::from("/");
                    pending.extend(split_reversed(target));
                }
                _ => {
                    if !pending.is_empty() && entry.kind != FileKind::Directory {
                        return None;
                    }
                    current = candidate;
                }
            }
        }
        let entry = self.get(&current)?;
        Some((current, entry))
    }

    /// Sum of regular-file bytes below `dir`.
    pub fn bytes_under(&self, dir: &str) -> u64 {
        self.under(dir).iter().map(|e| e.size).sum()
    }
}

fn split_reversed(path: &str) -> Vec<String> {
    path.split('/').rev().map(String::from).collect()
}

/// Joins an absolute directory and one name.
pub fn join(dir: &str, name: &str) -> String {
    let mut out = String::with_capacity(dir.len() + name.len() + 1);
    out.push_str(dir.trim_end_matches('/'));
    out.push('/');
    out.push_str(name);
    out
}

/// The parent of an absolute path (`/` for `/` and for top-level entries).
pub fn parent(path: &str) -> &str {
    match path.trim_end_matches('/').rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

/// Normalises a path as written in an archive or Dockerfile into the absolute form used by
/// [`FileSystem`]: leading `./` and `/` removed then one `/` added, `.` segments dropped, `..`
/// applied lexically, duplicate and trailing slashes removed.
pub fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = String::with_capacity(path.len() + 1);
    for part in &parts {
        out.push('/');
        out.push_str(part);
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// True when `path` equals `dir` or lies below it.
pub fn is_within(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    if dir.is_empty() {
        return true;
    }
    path == dir || (path.starts_with(dir) && path.as_bytes().get(dir.len()) == Some(&b'/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn entry(path: &str, kind: FileKind, target: Option<&str>) -> FileEntry {
        FileEntry { path: path.into(), kind, size: 0, mode: 0o755, uid: 0, gid: 0, link_target: target.map(Into::into), layer: 0 }
    }

    #[test]
    fn a_kinds_id_is_its_name_in_the_json() {
        use FileKind::*;
        for kind in [Regular, Directory, Symlink, HardLink, CharDevice, BlockDevice, Fifo, Other] {
            assert_eq!(serde_json::to_value(kind).ok(), Some(serde_json::Value::from(kind.id())));
        }
    }

    fn tree() -> FileSystem {
        FileSystem::from_entries(vec![
            entry("/usr", FileKind::Directory, None),
            entry("/usr/bin", FileKind::Directory, None),
            entry("/usr/bin/python3.11", FileKind::Regular, None),
            entry("/usr/bin/python3", FileKind::Symlink, Some("python3.11")),
            entry("/usr/bin/python", FileKind::Symlink, Some("/usr/bin/python3")),
            entry("/bin", FileKind::Symlink, Some("usr/bin")),
            entry("/loop", FileKind::Symlink, Some("/loop")),
            entry("/usr/bin-extra", FileKind::Regular, None),
        ])
    }

    #[test]
    fn symlinks_are_followed_through_directories_and_files() {
        let fs = tree();
        let (path, e) = fs.resolve("/bin/python").unwrap();
        assert_eq!(path, "/usr/bin/python3.11");
        assert_eq!(e.kind, FileKind::Regular);
    }

    #[test]
    fn symlink_loops_end_without_a_result() {
        assert!(tree().resolve("/loop/x").is_none());
        assert!(tree().resolve("/loop").is_none());
    }

    #[test]
    fn subtree_ranges_do_not_include_siblings_with_a_common_prefix() {
        let fs = tree();
        let names: Vec<&str> = fs.under("/usr/bin").iter().map(|e| e.path.as_str()).collect();
        assert_eq!(names, ["/usr/bin/python", "/usr/bin/python3", "/usr/bin/python3.11"]);
        assert_eq!(fs.children("/usr").count(), 2);
    }

    #[test]
    fn later_entries_for_the_same_path_win() {
        let mut a = entry("/x", FileKind::Regular, None);
        a.size = 1;
        let mut b = a.clone();
        b.size = 2;
        assert_eq!(FileSystem::from_entries(vec![a, b]).get("/x").unwrap().size, 2);
    }

    #[test]
    fn paths_are_normalised() {
        assert_eq!(normalize("./usr//bin/../lib/"), "/usr/lib");
        assert_eq!(normalize("/"), "/");
        assert_eq!(normalize(""), "/");
        assert!(is_within("/opt/ml/x", "/opt/ml"));
        assert!(!is_within("/opt/mlx", "/opt/ml"));
    }
}
