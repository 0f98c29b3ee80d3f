//! One layer, summarised while it streams by: every entry's path, type, size, mode, owner and
//! link target (paths kept in one string arena per layer), the whiteouts and opaque markers, the
//! owners seen, and the contents of the few files the rules asked for. Nothing else of the data
//! is read. The layer's index is unknown at this point (the manifest usually comes later); the
//! merge assigns it.

use std::collections::BTreeSet;

use smic_rules::capture::CaptureSet;
use smic_rules::facts::fs::normalize;
use smic_rules::facts::{CapturedFile, FileEntry, FileKind};

use crate::error::shorten;
use crate::header::EntryType;
use crate::stream::{read_into, Stream};
use crate::tar::{Ending, TarError, TarReader};

/// How many bytes of which file to keep (`None`: not wanted).
pub type CaptureFn = fn(&str) -> Option<u32>;

/// The capture decision: the caller's function, or the rules' [`CaptureSet`].
pub(crate) enum Selector {
    Custom(CaptureFn),
    Rules(CaptureSet),
}

impl Selector {
    pub(crate) fn new(custom: Option<CaptureFn>) -> Selector {
        custom.map_or_else(|| Selector::Rules(CaptureSet::from_catalog()), Selector::Custom)
    }

    pub(crate) fn wanted(&self, path: &str) -> Option<u32> {
        match self {
            Selector::Custom(custom) => custom(path),
            Selector::Rules(set) => set.wanted(path),
        }
    }
}

/// A slice of a layer's name arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Span {
    start: u32,
    len: u32,
}

const NO_SPAN: Span = Span { start: 0, len: u32::MAX };

/// One entry of a layer, compactly.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct LayerEntry {
    pub path: Span,
    pub link: Span,
    pub kind: FileKind,
    pub mode: u32,
    pub size: u64,
    pub uid: u64,
    pub gid: u64,
}

/// Entries above this id are reported; at most this many are kept per layer.
pub(crate) const HIGH_ID: u64 = 65535;
const HIGH_ID_KEEP: usize = 1000;

/// Linux's PATH_MAX: extracting an entry with a longer path fails with ENAMETOOLONG, so it
/// cannot be in a working image.
pub(crate) const PATH_MAX: usize = 4096;
/// Odd entries kept per layer (all are counted): the report lists a few, not a flood.
pub(crate) const ODD_KEEP: usize = 20;

/// Why an entry is reported beside the facts though the layer reads on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Odd {
    /// The normalised path has this many bytes, more than [`PATH_MAX`]: the entry is left out.
    TooLong(usize),
    /// The name as written (kept here, shortened) climbs above the root with `..`. Docker's classic
    /// loader refuses the layer; containerd clamps the name into the root, and so does the merge.
    Escapes(String),
    /// A hard link's target as written (kept here, shortened) climbs above the root, clamped likewise.
    LinkEscapes(String),
}

/// An entry reported beside the facts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct OddEntry {
    /// Offset of the entry's header in the (decompressed) layer tar.
    pub offset: u64,
    /// The normalised (clamped) path, shortened for the report.
    pub path: String,
    pub odd: Odd,
}

/// What went wrong inside a layer blob (the layer's own offsets).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct LayerProblem {
    /// Offset in the (decompressed) layer tar.
    pub offset: u64,
    /// The inner entry being read, if any.
    pub entry: Option<String>,
    pub error: TarError,
}

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct LayerSummary {
    names: String,
    pub entries: Vec<LayerEntry>,
    /// Paths deleted from lower layers by `.wh.<name>` (absolute, normalised).
    pub whiteouts: Vec<Span>,
    /// Directories whose lower-layer children are hidden by `.wh..wh..opq`.
    pub opaque_dirs: Vec<Span>,
    /// Captured contents (layer index set by the merge).
    pub captures: Vec<CapturedFile>,
    pub uids: BTreeSet<u64>,
    pub gids: BTreeSet<u64>,
    /// Entries with a uid or gid above 65535 (layer index set by the merge).
    pub high_ids: Vec<FileEntry>,
    pub high_id_total: u64,
    /// Entries in the tar, whiteouts included.
    pub entry_count: u64,
    /// Sum of regular-file sizes.
    pub size_bytes: u64,
    /// How the tar ended, if it ended without an error.
    pub ending: Option<Ending>,
    pub problem: Option<LayerProblem>,
    /// The first [`ODD_KEEP`] odd entries, and how many there were.
    pub odd: Vec<OddEntry>,
    pub odd_total: u64,
}

impl LayerSummary {
    pub(crate) fn text(&self, span: Span) -> Option<&str> {
        if span.len == u32::MAX {
            return None;
        }
        self.names.get(span.start as usize..span.start as usize + span.len as usize)
    }

    pub(crate) fn push_name(&mut self, text: &str) -> Span {
        let start = self.names.len();
        self.names.push_str(text);
        // A layer with more than 4 GiB of names cannot be described with 32-bit spans; its
        // later names collapse to empty rather than wrapping around.
        match (u32::try_from(start), u32::try_from(text.len())) {
            (Ok(start), Ok(len)) if u32::try_from(start as usize + text.len()).is_ok() => Span { start, len },
            _ => Span { start: 0, len: 0 },
        }
    }

    /// Counts an odd entry; keeps the first few, made (names shortened) only when kept.
    fn note(&mut self, offset: u64, path: &str, odd: impl FnOnce() -> Odd) {
        self.odd_total += 1;
        if self.odd.len() < ODD_KEEP {
            self.odd.push(OddEntry { offset, path: shorten(path), odd: odd() });
        }
    }
}

/// The name climbs above the root: a `..` with nothing left to remove (as Go's `filepath.Clean`
/// leaves a leading `..`, which Docker refuses as a breakout).
fn climbs_out(raw: &str) -> bool {
    let mut depth = 0usize;
    for segment in raw.split('/') {
        match segment {
            "" | "." => {}
            ".." if depth == 0 => return true,
            ".." => depth -= 1,
            _ => depth += 1,
        }
    }
    false
}

/// Reads a whole layer tar from `stream` into a summary. Errors end the layer (what was read
/// stays) and are kept in `problem`; a stream error that is not the layer's fault (the archive
/// ends, the user cancels) is also returned so the caller can stop.
pub(crate) async fn summarise<S: Stream>(stream: S, capture: &Selector) -> LayerSummary {
    let mut summary = LayerSummary::default();
    let mut reader = TarReader::new(stream);
    loop {
        let entry = match reader.next_entry().await {
            Ok(Some(entry)) => entry,
            Ok(None) => {
                summary.ending = reader.ending();
                return summary;
            }
            Err(error) => {
                summary.problem = Some(LayerProblem { offset: error.offset(), entry: None, error });
                return summary;
            }
        };
        summary.entry_count += 1;
        let raw_path = String::from_utf8_lossy(&entry.path);
        let path = normalize(&raw_path);
        if path.len() > PATH_MAX {
            // Left out before any copy of it is kept: what a deep path costs stays linear.
            summary.note(entry.offset, &path, || Odd::TooLong(path.len()));
            continue;
        }
        if climbs_out(&raw_path) {
            summary.note(entry.offset, &path, || Odd::Escapes(shorten(&raw_path)));
        }
        summary.uids.insert(entry.uid);
        summary.gids.insert(entry.gid);
        let name = path.rsplit('/').next().unwrap_or("");
        if let Some(hidden) = name.strip_prefix(".wh.") {
            let parent = smic_rules::facts::fs::parent(&path);
            if hidden == ".wh..opq" {
                // Spec (image-spec layer.md): ".wh..wh..opq" makes its directory opaque.
                let span = summary.push_name(parent);
                summary.opaque_dirs.push(span);
            } else if !hidden.starts_with(".wh.") {
                // Spec: ".wh.<name>" deletes <name>; other ".wh..wh." names are reserved and hidden.
                let deleted = smic_rules::facts::fs::join(parent, hidden);
                let span = summary.push_name(&deleted);
                summary.whiteouts.push(span);
            }
            continue;
        }
        let kind = match entry.kind {
            EntryType::Regular => FileKind::Regular,
            EntryType::Directory => FileKind::Directory,
            EntryType::Symlink => FileKind::Symlink,
            EntryType::HardLink => FileKind::HardLink,
            EntryType::CharDevice => FileKind::CharDevice,
            EntryType::BlockDevice => FileKind::BlockDevice,
            EntryType::Fifo => FileKind::Fifo,
            _ => FileKind::Other,
        };
        let link_text = match kind {
            FileKind::Symlink => Some(String::from_utf8_lossy(&entry.link).into_owned()),
            // Hard-link targets are archive paths: make them absolute like every other path.
            FileKind::HardLink => {
                let raw = String::from_utf8_lossy(&entry.link);
                if climbs_out(&raw) {
                    summary.note(entry.offset, &path, || Odd::LinkEscapes(shorten(&raw)));
                }
                Some(normalize(&raw))
            }
            _ => None,
        };
        let size = if kind == FileKind::Regular { entry.size } else { 0 };
        summary.size_bytes = summary.size_bytes.saturating_add(size);
        if entry.uid > HIGH_ID || entry.gid > HIGH_ID {
            summary.high_id_total += 1;
            if summary.high_ids.len() < HIGH_ID_KEEP {
                summary.high_ids.push(FileEntry {
                    path: path.clone(),
                    kind,
                    size,
                    mode: entry.mode,
                    uid: entry.uid,
                    gid: entry.gid,
                    link_target: link_text.clone(),
                    layer: 0,
                });
            }
        }
        if kind == FileKind::Regular {
            if let Some(max) = capture.wanted(&path) {
                let mut content = Vec::new();
                let want = u64::from(max).min(entry.size);
                let data_offset = reader.data_offset();
                if let Err(error) = read_into(&mut reader.data(), &mut content, want).await {
                    let error = TarError::Read { error, offset: data_offset };
                    summary.problem = Some(LayerProblem { offset: error.offset(), entry: Some(path), error });
                    return summary;
                }
                summary.captures.retain(|c| c.path != path);
                summary.captures.push(CapturedFile { path: path.clone(), layer: 0, content, size: entry.size });
            }
        }
        let path_span = summary.push_name(&path);
        let link = match &link_text {
            Some(text) => summary.push_name(text),
            None => NO_SPAN,
        };
        summary.entries.push(LayerEntry { path: path_span, link, kind, mode: entry.mode, size, uid: entry.uid, gid: entry.gid });
    }
}
