//! Every problem the reader reports, as values, and the one place their words are written: the
//! `message` and `at` of each [`InputError`] in an inspection come from the `Display` impls here.
//! The walk and the assembly only choose a variant; they never write a sentence.

use std::borrow::Cow;
use std::fmt;

use smic_rules::facts::InputKind;
use smic_rules::InputError;

use crate::header::HeaderProblem;
use crate::layer::PATH_MAX;
use crate::sniff::{Compression, Content};
use crate::stream::ReadError;
use crate::tar::TarError;

/// Why compressed data does not decode.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Corruption {
    GzipEndsInHeader,
    GzipHeaderTooLong,
    /// Bytes after a member start like one but are not.
    GzipNotAMember,
    GzipMethod(u8),
    GzipEndsInBlock,
    GzipNoProgress,
    /// zlib's name for the kind of failure ("data error").
    Deflate(Cow<'static, str>),
    GzipEndsInTrailer,
    /// The member's trailer disagrees with what it inflated to (RFC 1952 §2.3.1).
    GzipChecksum {
        stored: u32,
        computed: u32,
    },
    GzipSize {
        stored: u32,
        inflated: u32,
    },
    ZstdEndsInSkippableFrame,
    ZstdEndsInFrameHeader,
    ZstdEndsInBlockHeader,
    ZstdEndsInBlock,
    /// The zstd decoder's own words for a frame or block it refuses.
    Zstd(String),
    /// The zstd decoder's own words for a failure while handing out decoded bytes.
    ZstdRead(String),
}

impl fmt::Display for Corruption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Corruption::GzipEndsInHeader => write!(f, "the gzip data ends inside a member header"),
            Corruption::GzipHeaderTooLong => write!(f, "a gzip header longer than 64 KiB"),
            Corruption::GzipNotAMember => write!(f, "bytes after a gzip member that are not another member"),
            Corruption::GzipMethod(method) => write!(f, "gzip compression method {method} (only 8, deflate, exists)"),
            Corruption::GzipEndsInBlock => write!(f, "the gzip data ends before the end of its compressed block"),
            Corruption::GzipNoProgress => write!(f, "the gzip data cannot be decoded (no progress)"),
            Corruption::Deflate(e) => write!(f, "invalid deflate data in the gzip stream ({e})"),
            Corruption::GzipEndsInTrailer => write!(f, "the gzip data ends inside its 8-byte trailer"),
            Corruption::GzipChecksum { stored, computed } => {
                write!(f, "the CRC-32 of the inflated data is {computed:08x} but the gzip trailer says {stored:08x}")
            }
            Corruption::GzipSize { stored, inflated } => {
                write!(f, "the data inflates to {inflated} bytes (modulo 4 GiB) but the gzip trailer says {stored}")
            }
            Corruption::ZstdEndsInSkippableFrame => write!(f, "the zstd data ends inside a skippable frame"),
            Corruption::ZstdEndsInFrameHeader => write!(f, "the zstd data ends inside a frame header"),
            Corruption::ZstdEndsInBlockHeader => write!(f, "the zstd data ends inside a block header"),
            Corruption::ZstdEndsInBlock => write!(f, "the zstd data ends inside a block"),
            Corruption::Zstd(e) => write!(f, "invalid zstd data ({e})"),
            Corruption::ZstdRead(e) => write!(f, "zstd: {e}"),
        }
    }
}

/// Where in the archive a problem was found (the `at` of an [`InputError`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Location {
    /// The first byte of the file.
    Start,
    /// A member, as named by a manifest or found in the archive.
    Entry(String),
    /// A member of the outer tar and the offset of its data (or header).
    Member { name: String, offset: u64 },
    /// Inside a layer member: the offset in the (decompressed) layer tar, and the file being read.
    InLayer { name: String, offset: u64, inner: u64, file: Option<String> },
    /// The outer tar's stream (decompressed when the archive is compressed as a whole), after the
    /// last member read (its name and header offset).
    Outer { offset: u64, decompressed: bool, after: Option<(String, u64)> },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Start => write!(f, "offset 0"),
            Location::Entry(name) => write!(f, "entry {name}"),
            Location::Member { name, offset } => write!(f, "entry {name} at offset {offset}"),
            Location::InLayer { name, offset, inner, file } => {
                write!(f, "entry {name} at offset {offset}, offset {inner} inside the layer")?;
                match file {
                    Some(path) => write!(f, ", file {path}"),
                    None => Ok(()),
                }
            }
            Location::Outer { offset, decompressed, after } => {
                let stream = if *decompressed { " of the decompressed archive" } else { "" };
                write!(f, "offset {offset}{stream}, after ")?;
                match after {
                    Some((name, header)) => write!(f, "entry {name} (header at offset {header})"),
                    None => write!(f, "the start"),
                }
            }
        }
    }
}

/// Everything that can be wrong with an image archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ArchiveError {
    Empty,
    /// Compressed as a whole with something other than gzip or zstd.
    UnsupportedCompression {
        compression: Compression,
        file_name: String,
    },
    /// The file is not a tar (or compressed tar) at all: what it looks like instead.
    NotAnArchive(Content),
    /// The archive's bytes could not be read (cut short, an I/O error, corrupt compression).
    Read(ReadError),
    /// The outer tar is damaged.
    OuterTar(TarError),
    MissingEndMarker {
        after: Option<String>,
    },
    TooOldDocker,
    DockerExport,
    NoIndex,
    ManifestUnusable(String),
    ManifestNotJson(String),
    IndexNotJson(String),
    /// A problem inside the OCI index documents (the manifest reader's words).
    Index(String),
    NoImageListed,
    NoSuchImage {
        wanted: String,
        images: Vec<String>,
    },
    ConfigNotJson(String),
    ConfigMissing {
        member: String,
    },
    /// The config is in the archive but larger than the reader keeps.
    ConfigTooLarge {
        member: String,
        bytes: u64,
        limit: u64,
    },
    LayerMissing {
        index: u32,
        member: String,
    },
    NotALayer {
        member: String,
        index: u32,
        what: &'static str,
    },
    /// A layer stopped early; the entries read before are used.
    LayerCut {
        index: u32,
        error: TarError,
        entries: u64,
    },
    /// A layer without end blocks, read as complete.
    LayerWithoutEnd {
        index: u32,
    },
    /// An entry whose normalised path is longer than PATH_MAX; it is left out.
    PathTooLong {
        index: u32,
        path: String,
        bytes: usize,
    },
    /// An entry whose name climbs above the root; it is kept at the clamped `path`.
    PathEscapes {
        index: u32,
        name: String,
        path: String,
    },
    /// A hard link whose target as written climbs above the root.
    LinkEscapes {
        index: u32,
        path: String,
        target: String,
    },
    /// A hard link whose target is neither earlier in its layer nor in a lower layer.
    HardLinkNowhere {
        index: u32,
        path: String,
        target: String,
    },
    /// Odd entries beyond the ones listed.
    MoreOddEntries {
        count: u64,
    },
    CancelledBeforeEnd,
    NoImage,
}

/// What loaders do with a name that climbs out of the root.
const CLAMPED: &str = "Docker's classic loader refuses such a layer; containerd keeps";

const TRUNCATED: &str =
    "The archive ends in the middle of an entry: the file is truncated (an incomplete download or copy). Save or download it again.";

impl fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArchiveError::Empty => write!(f, "This is not an image archive: the file is empty."),
            ArchiveError::UnsupportedCompression { compression, file_name } => {
                let tool = if *compression == Compression::Xz { "xz -d" } else { "bunzip2" };
                write!(
                    f,
                    "The archive is compressed with {}, which this checker does not read. Decompress it first \
                     (`{tool} {file_name}`) or compress it with gzip instead (`docker save IMAGE | gzip > image.tar.gz`).",
                    compression.label()
                )
            }
            ArchiveError::NotAnArchive(content) => write!(
                f,
                "This is not an image archive: it looks like {}. Give the file written by `docker save IMAGE -o image.tar` (or `podman save`).",
                looks_like(*content)
            ),
            ArchiveError::Read(ReadError::SourceEnded) => f.write_str(TRUNCATED),
            ArchiveError::Read(ReadError::Source(e)) => write!(f, "The file could not be read: {e}."),
            ArchiveError::Read(ReadError::Corrupt(what)) => write!(f, "The archive's compressed data is corrupt: {what}."),
            ArchiveError::Read(ReadError::Cancelled) => write!(f, "The inspection was cancelled."),
            ArchiveError::OuterTar(TarError::Header { problem: HeaderProblem::Checksum { stored, computed }, .. }) => write!(
                f,
                "A tar header is corrupt: its checksum is {} but its bytes add up to {computed}. The file is damaged; save or download it again.",
                stored.map_or("unreadable".to_string(), |s| s.to_string())
            ),
            ArchiveError::OuterTar(TarError::Header { problem: HeaderProblem::Number { field }, .. }) => {
                write!(f, "A tar header is corrupt: its {field} field is not a number. The file is damaged; save or download it again.")
            }
            ArchiveError::OuterTar(TarError::Extension { message, .. }) => write!(f, "A tar extended header is corrupt: {message}."),
            ArchiveError::OuterTar(TarError::Short { .. }) => f.write_str(TRUNCATED),
            ArchiveError::OuterTar(TarError::Read { error, .. }) => ArchiveError::Read(error.clone()).fmt(f),
            ArchiveError::MissingEndMarker { after } => {
                let after = after.as_ref().map(|name| format!(" after entry {name}")).unwrap_or_default();
                write!(f, "The archive ends without the end-of-archive marker{after}: it is probably truncated.")
            }
            ArchiveError::TooOldDocker => write!(
                f,
                "This archive was written by Docker older than 1.10 (it has `repositories` and per-layer `json` files but no \
                 manifest.json): that format is too old to check. Load it and save it again with a current Docker \
                 (`docker load -i OLD.tar && docker save IMAGE -o image.tar`)."
            ),
            ArchiveError::DockerExport => write!(
                f,
                "This is a flat root file system (what `docker export` writes, or a single layer), not an image: it has no \
                 manifest, config, user or layers. Save the image instead: `docker save IMAGE -o image.tar`."
            ),
            ArchiveError::NoIndex => write!(
                f,
                "This tar archive has neither manifest.json nor index.json, so it is not an image archive. Give the file written by \
                 `docker save IMAGE -o image.tar` (or `podman save`)."
            ),
            ArchiveError::ManifestUnusable(why) => write!(f, "manifest.json cannot be used: {why}."),
            ArchiveError::ManifestNotJson(why) => write!(f, "manifest.json is not valid JSON: {why}."),
            ArchiveError::IndexNotJson(why) => write!(f, "index.json is not valid JSON: {why}."),
            ArchiveError::Index(message) => write!(f, "{message}."),
            ArchiveError::NoImageListed => write!(f, "The archive's manifest lists no image."),
            ArchiveError::NoSuchImage { wanted, images } => {
                write!(f, "The archive holds no image named {wanted:?}; it holds: {}.", images.join(", "))
            }
            ArchiveError::ConfigNotJson(why) => write!(f, "The image config is not valid JSON: {why}."),
            ArchiveError::ConfigMissing { member } => {
                write!(f, "The manifest names the image config {member}, which is not in the archive (or is not JSON).")
            }
            ArchiveError::ConfigTooLarge { member, bytes, limit } => write!(
                f,
                "The manifest names the image config {member}, which is in the archive but too large to read: {bytes} bytes, \
                 over the limit of {} MiB (an image config is a few KB, a few hundred with a long history).",
                limit >> 20
            ),
            ArchiveError::LayerMissing { index, member } => {
                write!(f, "The manifest names layer {index} as {member}, which is not in the archive.")
            }
            ArchiveError::NotALayer { member, index, what } => {
                write!(f, "The manifest names {member} as layer {index}, but it is not a layer tar: it is {what}.")
            }
            ArchiveError::LayerCut { index, error, entries } => {
                write!(f, "Layer {index} could not be read to the end: ")?;
                match error {
                    TarError::Header { offset: 0, .. } if *entries == 0 => write!(f, "it is not a tar archive"),
                    TarError::Header { problem: HeaderProblem::Checksum { .. }, .. } => write!(f, "a tar header in it is corrupt (checksum)"),
                    TarError::Header { problem: HeaderProblem::Number { field }, .. } => write!(f, "a tar header in it has a bad {field} field"),
                    TarError::Extension { message, .. } => write!(f, "an extended tar header in it is corrupt: {message}"),
                    TarError::Short { .. } => write!(f, "its tar data ends in the middle of an entry"),
                    TarError::Read { error: ReadError::Corrupt(what), .. } => write!(f, "its compressed data is corrupt: {what}"),
                    TarError::Read { error, .. } => write!(f, "it could not be read ({error:?})"),
                }?;
                write!(f, ". The checks use the {entries} entries read before that point.")
            }
            ArchiveError::LayerWithoutEnd { index } => write!(
                f,
                "Layer {index} ends without the tar end-of-archive blocks (umoci 0.4.7 `insert` writes layers so); it was read as \
                 complete. If the image was cut short, files may be missing."
            ),
            ArchiveError::PathTooLong { index, path, bytes } => write!(
                f,
                "Layer {index} has an entry whose path is {bytes} bytes long ({path}), but Linux allows at most {PATH_MAX} bytes \
                 (PATH_MAX): extracting the layer (`docker load`, a container runtime) fails on it. The entry is left out of the \
                 checks."
            ),
            ArchiveError::PathEscapes { index, name, path } => write!(
                f,
                "Layer {index} has an entry named {name}, which climbs out of the layer's root. {CLAMPED} the entry inside the \
                 root, and so does this check: it is checked as {path}."
            ),
            ArchiveError::LinkEscapes { index, path, target } => write!(
                f,
                "Layer {index} has a hard link {path} to {target}, which climbs out of the layer's root. {CLAMPED} the target \
                 inside the root, and so does this check."
            ),
            ArchiveError::HardLinkNowhere { index, path, target } => write!(
                f,
                "Layer {index} has a hard link {path} to {target}, which is neither earlier in the layer nor in a lower layer: \
                 `docker load` fails on it (the target must be extracted first). Symbolic links may point anywhere; hard links may not."
            ),
            ArchiveError::MoreOddEntries { count } => write!(
                f,
                "{count} more entries like the ones above (paths too long, names climbing out of the root, hard links to files \
                 not there) are not listed."
            ),
            ArchiveError::CancelledBeforeEnd => write!(f, "The inspection was cancelled before the archive was read to the end."),
            ArchiveError::NoImage => write!(f, "No image could be read from this archive."),
        }
    }
}

/// A few words on what a file that is not an image archive seems to be.
fn looks_like(content: Content) -> String {
    match content {
        Content::Empty => "an empty file".into(),
        Content::Compressed(compression) => format!("{}-compressed data that is not a tar archive", compression.label()),
        Content::Tar => "a tar archive whose first entry cannot be read".into(),
        Content::Json { app_image_config: true } => "an AppImageConfig JSON document (give it as the AppImageConfig input)".into(),
        Content::Json { app_image_config: false } => "a JSON document".into(),
        Content::Zip => "a zip file".into(),
        Content::Executable => "an executable program".into(),
        Content::Html => "an HTML page (a failed download?)".into(),
        Content::Dockerfile => "a Dockerfile (give it as the Dockerfile input; the image archive comes from `docker save`)".into(),
        Content::Comments | Content::Text => "a text file".into(),
        Content::Binary => "binary data of an unknown kind".into(),
    }
}

/// A name of any length cut to its first and last characters for a message (a path in a tar
/// may be a megabyte long).
pub(crate) fn shorten(text: &str) -> String {
    const KEEP: usize = 40;
    let mut ends = text.char_indices().map(|(i, _)| i);
    match (ends.nth(KEEP), text.char_indices().rev().nth(KEEP - 1)) {
        (Some(head), Some((tail, _))) if tail > head + 1 => format!("{}…{}", &text[..head], &text[tail..]),
        _ => text.to_string(),
    }
}

/// A problem and where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub error: ArchiveError,
    pub at: Option<Location>,
}

impl Problem {
    pub(crate) fn new(error: ArchiveError, at: Option<Location>) -> Problem {
        Problem { error, at }
    }

    /// As the report shows it; `fatal` is decided by the caller, once all is known.
    pub(crate) fn input_error(&self, file_name: &str) -> InputError {
        InputError {
            input: InputKind::Image,
            file: file_name.to_string(),
            at: self.at.as_ref().map(ToString::to_string),
            message: self.error.to_string(),
            fatal: false,
        }
    }
}

#[cfg(test)]
mod tests;
