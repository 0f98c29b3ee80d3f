//! Applies layer summaries in manifest order into the merged file system, as a container runtime
//! unpacks them: later entries replace earlier ones, whiteouts delete, opaque markers hide a
//! directory's lower children, a non-directory replacing a directory removes its subtree.
//! Captured contents follow the same rules: a capture survives only if the merged file at its
//! path is the very file it was read from.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use smic_rules::facts::fs::parent;
use smic_rules::facts::{CapturedFile, FileEntry, FileKind, FileSystem};

use crate::layer::LayerSummary;

#[derive(Default)]
pub(crate) struct Merger {
    /// Sorted by path, unique.
    entries: Vec<FileEntry>,
    captures: BTreeMap<String, CapturedFile>,
    uids: BTreeSet<u64>,
    gids: BTreeSet<u64>,
    high_ids: Vec<FileEntry>,
    high_id_total: u64,
}

/// Entries with a uid or gid above 65535 kept in the facts (the total is always counted).
const HIGH_ID_FACTS_CAP: usize = 1000;

pub(crate) struct Merged {
    pub files: FileSystem,
    pub uids: Vec<u64>,
    pub gids: Vec<u64>,
    pub high_ids: Vec<FileEntry>,
    pub high_id_total: u64,
    pub captured: Vec<CapturedFile>,
}

/// Any ancestor of `path` (itself included when `inclusive`) in `set`.
fn has_ancestor_in(path: &str, set: &HashSet<&str>, inclusive: bool) -> bool {
    if set.is_empty() {
        return false;
    }
    if inclusive && set.contains(path) {
        return true;
    }
    let mut current = path;
    while current != "/" {
        current = parent(current);
        if set.contains(current) {
            return true;
        }
    }
    false
}

impl Merger {
    pub(crate) fn apply(&mut self, layer: &LayerSummary, index: u32) {
        let mut upper: Vec<FileEntry> = layer
            .entries
            .iter()
            .map(|e| FileEntry {
                path: layer.text(e.path).unwrap_or("/").to_string(),
                kind: e.kind,
                size: e.size,
                mode: e.mode,
                uid: e.uid,
                gid: e.gid,
                link_target: layer.text(e.link).map(str::to_string),
                layer: index,
            })
            .collect();
        // Spec (image-spec layer.md): duplicate paths in one layer should not occur; when they
        // do, the last one wins, as extraction would leave it.
        upper.sort_by(|a, b| a.path.cmp(&b.path));
        upper.reverse();
        upper.dedup_by(|later, earlier| later.path == earlier.path);
        upper.reverse();
        // `dedup_by` keeps the first of a run; reversing twice makes that the last written.

        let whiteouts: HashSet<&str> = layer.whiteouts.iter().filter_map(|s| layer.text(*s)).collect();
        let mut hide_children: HashSet<&str> = layer.opaque_dirs.iter().filter_map(|s| layer.text(*s)).collect();
        for entry in &upper {
            if entry.kind != FileKind::Directory {
                if let Ok(i) = self.entries.binary_search_by(|e| e.path.as_str().cmp(&entry.path)) {
                    if self.entries[i].kind == FileKind::Directory {
                        hide_children.insert(entry.path.as_str());
                    }
                }
            }
        }
        if !whiteouts.is_empty() || !hide_children.is_empty() {
            self.entries.retain(|e| !has_ancestor_in(&e.path, &whiteouts, true) && !has_ancestor_in(&e.path, &hide_children, false));
        }
        let lower = std::mem::take(&mut self.entries);
        self.entries = merge_sorted(lower, upper);

        for capture in &layer.captures {
            let mut capture = capture.clone();
            capture.layer = index;
            self.captures.insert(capture.path.clone(), capture);
        }
        self.uids.extend(layer.uids.iter().copied());
        self.gids.extend(layer.gids.iter().copied());
        self.high_id_total += layer.high_id_total;
        for entry in &layer.high_ids {
            if self.high_ids.len() < HIGH_ID_FACTS_CAP {
                let mut entry = entry.clone();
                entry.layer = index;
                self.high_ids.push(entry);
            }
        }
    }

    pub(crate) fn finish(mut self) -> Merged {
        let missing = missing_parents(&self.entries);
        self.entries.extend(missing);
        let files = FileSystem::from_entries(self.entries);
        let captured = self
            .captures
            .into_values()
            .filter(|c| files.get(&c.path).is_some_and(|e| e.kind == FileKind::Regular && e.layer == c.layer))
            .collect();
        Merged {
            files,
            uids: self.uids.into_iter().collect(),
            gids: self.gids.into_iter().collect(),
            high_ids: self.high_ids,
            high_id_total: self.high_id_total,
            captured,
        }
    }
}

/// Merges two path-sorted lists; on equal paths the upper entry wins.
fn merge_sorted(lower: Vec<FileEntry>, upper: Vec<FileEntry>) -> Vec<FileEntry> {
    let mut out = Vec::with_capacity(lower.len() + upper.len());
    let mut lower = lower.into_iter().peekable();
    let mut upper = upper.into_iter().peekable();
    loop {
        let take_lower = match (lower.peek(), upper.peek()) {
            (Some(l), Some(u)) => match l.path.cmp(&u.path) {
                std::cmp::Ordering::Less => true,
                std::cmp::Ordering::Greater => false,
                std::cmp::Ordering::Equal => {
                    lower.next();
                    false
                }
            },
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        let next = if take_lower { lower.next() } else { upper.next() };
        out.extend(next);
    }
    out
}

/// Directories that entries live in but that no layer wrote (go-containerregistry and some
/// hand-made layers omit them): the runtime creates them, so the merged tree has them too, owned
/// by root, attributed to the layer of the first entry that needed them.
fn missing_parents(entries: &[FileEntry]) -> Vec<FileEntry> {
    let mut missing: BTreeMap<String, u32> = BTreeMap::new();
    let exists = |path: &str| entries.binary_search_by(|e| e.path.as_str().cmp(path)).is_ok();
    for entry in entries {
        let mut current = entry.path.as_str();
        while current != "/" {
            current = parent(current);
            if exists(current) || missing.contains_key(current) {
                break;
            }
            missing.insert(current.to_string(), entry.layer);
        }
    }
    missing
        .into_iter()
        .map(|(path, layer)| FileEntry {
            path,
            kind: FileKind::Directory,
            size: 0,
            mode: 0o755,
            uid: 0,
            gid: 0,
            link_target: None,
            layer,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_parents_are_created_once() {
        let entry = |path: &str| FileEntry {
            path: path.into(),
            kind: FileKind::Regular,
            size: 1,
            mode: 0o644,
            uid: 0,
            gid: 0,
            link_target: None,
            layer: 2,
        };
        let entries = vec![entry("/opt/a/x"), entry("/opt/a/y")];
        let made: Vec<String> = missing_parents(&entries).into_iter().map(|e| e.path).collect();
        assert_eq!(made, ["/", "/opt", "/opt/a"]);
    }
}
