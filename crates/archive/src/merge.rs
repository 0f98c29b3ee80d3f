//! Applies layer summaries in manifest order into the merged file system, as a container runtime
//! unpacks them: later entries replace earlier ones, whiteouts delete, opaque markers hide a
//! directory's lower children, a non-directory replacing a directory removes its subtree.
//! Captured contents follow the same rules: a capture survives only if the merged file at its
//! path is the very file it was read from.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ops::Range;

use smic_rules::facts::fs::parent;
use smic_rules::facts::{CapturedFile, FileEntry, FileKind, FileSystem};

use crate::error::shorten;
use crate::layer::{LayerSummary, ODD_KEEP};

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

/// Hard links whose target is not there when they are extracted (`docker load` links to a file
/// already written, earlier in the layer or in a lower one): the first [`ODD_KEEP`] as (path,
/// target), shortened for the report, and how many.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct DanglingLinks {
    pub first: Vec<(String, String)>,
    pub total: u64,
}

/// `layer` in the layer's own order; `lower` is the tree below it, sorted. Only the link targets
/// are remembered, not every path of the layer.
fn dangling_hard_links(lower: &[FileEntry], layer: &[FileEntry]) -> DanglingLinks {
    fn link_of(e: &FileEntry) -> Option<&str> {
        if e.kind == FileKind::HardLink {
            e.link_target.as_deref()
        } else {
            None
        }
    }
    let targets: HashSet<&str> = layer.iter().filter_map(link_of).collect();
    let mut found = DanglingLinks::default();
    if targets.is_empty() {
        return found;
    }
    let mut written: HashSet<&str> = HashSet::new();
    for entry in layer {
        if let Some(target) = link_of(entry) {
            if !written.contains(target) && lower.binary_search_by(|e| e.path.as_str().cmp(target)).is_err() {
                found.total += 1;
                if found.first.len() < ODD_KEEP {
                    found.first.push((shorten(&entry.path), shorten(target)));
                }
            }
        }
        // After the check: a link to itself is not there yet either.
        if targets.contains(entry.path.as_str()) {
            written.insert(entry.path.as_str());
        }
    }
    found
}

/// The run of the sorted `entries` strictly below `dir`: everything below a directory shares
/// the prefix `dir/`, so one binary search finds it, however deep the paths.
fn below(entries: &[FileEntry], dir: &str) -> Range<usize> {
    let prefix = if dir == "/" { String::from("/") } else { format!("{dir}/") };
    let start = entries.partition_point(|e| e.path.as_str() < prefix.as_str());
    let end = start + entries[start..].partition_point(|e| e.path.starts_with(prefix.as_str()));
    // Only "/" is under its own prefix.
    let start = if entries.get(start).is_some_and(|e| e.path == dir) { start + 1 } else { start };
    start..end.max(start)
}

/// Removes from the sorted tree what `whiteouts` delete (the path and all below it) and what
/// `hidden` directories hide (all below them), run by run.
fn remove_subtrees(entries: &mut Vec<FileEntry>, whiteouts: &HashSet<&str>, hidden: &HashSet<&str>) {
    let mut runs: Vec<Range<usize>> = hidden.iter().map(|dir| below(entries, dir)).collect();
    for path in whiteouts {
        if let Ok(i) = entries.binary_search_by(|e| e.path.as_str().cmp(path)) {
            runs.push(i..i + 1);
        }
        runs.push(below(entries, path));
    }
    runs.sort_by_key(|run| run.start);
    let (mut next, mut covered, mut index) = (0, 0, 0);
    entries.retain(|_| {
        while next < runs.len() && runs[next].start <= index {
            covered = covered.max(runs[next].end);
            next += 1;
        }
        index += 1;
        index > covered
    });
}

impl Merger {
    /// Applies one layer; returns its hard links that `docker load` cannot make.
    pub(crate) fn apply(&mut self, layer: &LayerSummary, index: u32) -> DanglingLinks {
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
        let dangling = dangling_hard_links(&self.entries, &upper);
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
            remove_subtrees(&mut self.entries, &whiteouts, &hide_children);
        }
        merge_into(&mut self.entries, upper);

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
        dangling
    }

    pub(crate) fn finish(mut self) -> Merged {
        // The tree is sorted and `missing` comes sorted and unique out of a BTreeMap, so merging
        // in place keeps it sorted: no sort of, and no scratch copy for, the whole tree.
        let missing = missing_parents(&self.entries);
        merge_into(&mut self.entries, missing);
        let files = FileSystem::from_sorted(self.entries);
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

/// An entry that owns no heap memory, to fill slots while moving entries around.
fn placeholder() -> FileEntry {
    FileEntry { path: String::new(), kind: FileKind::Other, size: 0, mode: 0, uid: 0, gid: 0, link_target: None, layer: 0 }
}

/// Merges the path-sorted `upper` into the path-sorted `lower` in place; on equal paths the
/// upper entry wins. In place because a second copy of the tree's entries would double the peak
/// memory of the whole inspection.
fn merge_into(lower: &mut Vec<FileEntry>, mut upper: Vec<FileEntry>) {
    if !lower.is_empty() && !upper.is_empty() {
        let mut replaced = vec![false; lower.len()];
        let (mut i, mut j) = (0, 0);
        while i < lower.len() && j < upper.len() {
            match lower[i].path.cmp(&upper[j].path) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    replaced[i] = true;
                    i += 1;
                    j += 1;
                }
            }
        }
        let mut index = 0;
        lower.retain(|_| {
            let keep = !replaced[index];
            index += 1;
            keep
        });
    }
    let (lower_len, upper_len) = (lower.len(), upper.len());
    lower.reserve_exact(upper_len);
    lower.resize_with(lower_len + upper_len, placeholder);
    // Fill from the back: the largest remaining entry of either list goes to the last free slot.
    let (mut i, mut j, mut k) = (lower_len, upper_len, lower_len + upper_len);
    while j > 0 {
        k -= 1;
        if i > 0 && lower[i - 1].path > upper[j - 1].path {
            lower.swap(i - 1, k);
            i -= 1;
        } else {
            lower[k] = std::mem::replace(&mut upper[j - 1], placeholder());
            j -= 1;
        }
    }
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
        .map(|(path, layer)| FileEntry { path, kind: FileKind::Directory, size: 0, mode: 0o755, uid: 0, gid: 0, link_target: None, layer })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(path: &str, layer: u32) -> FileEntry {
        FileEntry { path: path.into(), layer, ..placeholder() }
    }

    #[test]
    fn merging_keeps_order_and_lets_the_upper_entry_win() {
        let mut lower = vec![named("/a", 0), named("/c", 0), named("/e", 0)];
        merge_into(&mut lower, vec![named("/b", 1), named("/c", 1), named("/f", 1)]);
        let got: Vec<(&str, u32)> = lower.iter().map(|e| (e.path.as_str(), e.layer)).collect();
        assert_eq!(got, [("/a", 0), ("/b", 1), ("/c", 1), ("/e", 0), ("/f", 1)]);
        let mut empty = Vec::new();
        merge_into(&mut empty, vec![named("/x", 2)]);
        assert_eq!(empty.len(), 1);
    }

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

    #[test]
    fn whiteouts_and_hidden_directories_remove_whole_subtrees_and_nothing_beside() {
        let tree = || ["/", "/a", "/a-b", "/a/b", "/a/b/c", "/ab", "/d", "/d/e", "/d/e/f", "/g"].map(|p| named(p, 0)).to_vec();
        let left = |whiteouts: &[&str], hidden: &[&str]| {
            let mut entries = tree();
            remove_subtrees(&mut entries, &whiteouts.iter().copied().collect(), &hidden.iter().copied().collect());
            entries.into_iter().map(|e| e.path).collect::<Vec<_>>()
        };
        assert_eq!(left(&["/a"], &["/d"]), ["/", "/a-b", "/ab", "/d", "/g"]);
        assert_eq!(left(&["/a/b", "/a"], &["/a/b", "/d/e"]), ["/", "/a-b", "/ab", "/d", "/d/e", "/g"], "nested and overlapping");
        assert_eq!(left(&[], &["/"]), ["/"], "an opaque root hides all but itself");
        assert_eq!(left(&["/"], &[]), Vec::<String>::new());
        assert_eq!(left(&["/a/", "/x"], &["/a-b"]), tree().into_iter().map(|e| e.path).collect::<Vec<_>>(), "no such path");
    }

    #[test]
    fn a_hard_link_needs_its_target_earlier_in_the_layer_or_below() {
        let link = |path: &str, target: &str| FileEntry { kind: FileKind::HardLink, link_target: Some(target.into()), ..named(path, 1) };
        let lower = vec![named("/lower", 0)];
        let layer = vec![link("/x", "/lower"), named("/b", 1), link("/y", "/b"), link("/z", "/c"), named("/c", 1), link("/s", "/s")];
        let found = dangling_hard_links(&lower, &layer);
        assert_eq!(found.first, [("/z".to_string(), "/c".to_string()), ("/s".to_string(), "/s".to_string())]);
        assert_eq!(found.total, 2);
    }
}
