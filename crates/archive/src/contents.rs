//! What the walk found in an archive, and nothing more: each member of the outer tar as its bytes
//! describe it (a JSON document, a summarised layer, a link, something else), how the walk ended
//! and what the first bytes looked like. No message is written here and no image is chosen:
//! `assemble` turns this into an inspection, and tests build it from plain values.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use crate::layer::LayerSummary;
use crate::sniff::{Compression, Content};
use crate::stream::ReadError;
use crate::tar::{Ending, TarError};

/// Symlinked members followed at most this many times.
const MAX_MEMBER_LINKS: usize = 16;

/// What a member of the outer tar turned out to be.
#[derive(Debug)]
pub(crate) enum Member {
    Json(Vec<u8>),
    /// A JSON document larger than the walk keeps (its size).
    LargeJson {
        bytes: u64,
    },
    // Boxed: a docker export has thousands of `Other` members next to a few layers.
    Layer {
        summary: Box<LayerSummary>,
        /// The member's size in the archive.
        blob_bytes: u64,
        compression: Compression,
        /// Offset of the member's data in the archive (or in the decompressed archive).
        offset: u64,
    },
    /// A 0-byte regular file: a valid (empty) layer if a manifest names it.
    Empty,
    /// A symbolic or hard link to another member (its key).
    Link(String),
    /// Anything else; `what` says what it looked like.
    Other {
        what: &'static str,
    },
}

/// A compressed layer the walk passed over, to be read from its byte range by another reader
/// (`deferred`) and then recorded as a [`Member::Layer`], as if the walk had read it.
#[derive(Debug, Clone)]
pub(crate) struct Deferred {
    pub name: String,
    /// Offset of the member's header, and how many members came before it (for `last_member`
    /// and `member_count` when the reading stops in this layer).
    pub header_offset: u64,
    pub order: u64,
    /// Offset and size of the member's data in the archive file.
    pub offset: u64,
    pub blob_bytes: u64,
    pub compression: Compression,
}

/// How the walk over the outer tar ended.
#[derive(Debug)]
pub(crate) enum WalkEnd {
    /// The outer tar was read to its end. `damaged_compression`: reading on to the end of the
    /// archive's compressed stream (its checks come last) failed, at that offset of the
    /// decompressed archive.
    Complete { ending: Option<Ending>, damaged_compression: Option<(ReadError, u64)> },
    /// The file has no bytes.
    Empty,
    /// The archive is compressed as a whole in a way the reader does not decode.
    Unsupported(Compression),
    /// The source failed, ended or was cancelled: before any member (`None`) or in the data of
    /// a member (its name and data offset).
    Read { error: ReadError, member: Option<(String, u64)> },
    /// The outer tar is damaged; `head` is what the file's first bytes look like.
    Tar { error: TarError, head: Content },
}

/// The archive as the walk found it.
#[derive(Debug)]
pub(crate) struct ArchiveContents {
    /// How the archive is compressed as a whole.
    pub compression: Compression,
    /// Members by key (normalised relative path).
    pub members: HashMap<String, Member>,
    /// The first path segment of members (a bounded number), to recognise a `docker export`.
    pub top_level: BTreeSet<String>,
    /// The last member read: its key and header offset.
    pub last_member: Option<(String, u64)>,
    pub member_count: u64,
    pub end: WalkEnd,
    /// The progress callback stopped the reading.
    pub cancelled: bool,
    /// The archive's size (or as far as it was read, when the source does not know its size).
    pub archive_bytes: u64,
    /// Layers left for later, in archive order; empty once they are read (`assemble` never
    /// sees one).
    pub deferred: Vec<Deferred>,
}

impl ArchiveContents {
    pub(crate) fn new() -> ArchiveContents {
        ArchiveContents {
            compression: Compression::None,
            members: HashMap::new(),
            top_level: BTreeSet::new(),
            last_member: None,
            member_count: 0,
            end: WalkEnd::Empty,
            cancelled: false,
            archive_bytes: 0,
            deferred: Vec::new(),
        }
    }

    /// Follows symlinked members (`<v1id>/layer.tar -> ../<other>/layer.tar`).
    pub(crate) fn resolve(&self, key: &str) -> Option<(&str, &Member)> {
        let mut key = key;
        for _ in 0..MAX_MEMBER_LINKS {
            match self.members.get_key_value(key) {
                Some((_, Member::Link(target))) => key = target.as_str(),
                Some((k, member)) => return Some((k.as_str(), member)),
                None => return None,
            }
        }
        None
    }

    /// The JSON member at `key` (links followed), parsed; `None` when there is none.
    pub(crate) fn json(&self, key: &str) -> Option<Result<Value, String>> {
        match self.resolve(key) {
            Some((_, Member::Json(bytes))) => Some(serde_json::from_slice(bytes).map_err(|e| e.to_string())),
            _ => None,
        }
    }

    /// A `manifest.json` or `index.json` member (not a link to one) was found.
    pub(crate) fn has_index_member(&self) -> bool {
        matches!(self.members.get("manifest.json"), Some(Member::Json(_)))
            || matches!(self.members.get("index.json"), Some(Member::Json(_)))
    }
}
