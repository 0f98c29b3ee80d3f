//! Facts read from an image archive: its config, its layers, the merged file system, every
//! uid/gid seen in any layer, and the small files the rules asked for.

use alloc::string::String;
use alloc::vec::Vec;

use super::fs::{normalize, FileEntry, FileSystem};

/// Which archive was read and which image in it was checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImageSource {
    /// The archive's name as the user gave it (a path on the CLI, the file name in the page).
    #[serde(rename = "name")]
    pub file_name: String,
    /// Detected layout: `docker-legacy`, `docker-oci`, `containerd`, `docker-archive`,
    /// `oci-archive`, `tarball` (go-containerregistry/kaniko/jib); prefixed with `gzip+` or
    /// `zstd+` when the whole archive was compressed.
    pub layout: String,
    /// The reference (repo tag) of the checked image, when the archive names one.
    pub reference: Option<String>,
    /// Every image in the archive (references, or config digests for untagged ones), in
    /// manifest order. The checked one is `reference` (the first, unless the user chose).
    pub images_in_archive: Vec<String>,
    /// Size of the archive file in bytes.
    pub archive_bytes: u64,
}

/// The image config (`config` object of the image JSON) plus platform fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageConfig {
    /// `config.User` as written ("" when unset).
    pub user: String,
    /// `config.Env`, each `NAME=value` split at the first `=`.
    pub env: Vec<(String, String)>,
    pub entrypoint: Option<Vec<String>>,
    pub cmd: Option<Vec<String>>,
    /// `config.ExposedPorts` keys, e.g. `8888/tcp`.
    pub exposed_ports: Vec<String>,
    pub working_dir: String,
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
    pub labels: Vec<(String, String)>,
    pub history: Vec<HistoryEntry>,
}

impl ImageConfig {
    pub fn env_var(&self, name: &str) -> Option<&str> {
        self.env.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryEntry {
    pub created_by: String,
    pub empty_layer: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LayerFacts {
    /// 0-based, in the order the layers are applied.
    pub index: u32,
    /// Digest of the layer as named in the manifest (`sha256:…`), when known.
    pub digest: Option<String>,
    /// `none`, `gzip` or `zstd`: how the layer blob was stored in the archive.
    pub compression: String,
    /// Bytes the layer blob occupies in the archive.
    pub blob_bytes: u64,
    /// Sum of the regular-file bytes in this layer (what `docker image ls` adds up).
    pub size_bytes: u64,
    /// Entries in the layer tar (whiteouts included).
    pub entry_count: u64,
    /// The history `created_by` of the non-empty history entry this layer belongs to.
    pub created_by: Option<String>,
}

/// A small file whose content a rule declared it needs (see `capture::CaptureSet`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CapturedFile {
    pub path: String,
    pub layer: u32,
    /// The first bytes of the file, up to the pattern's cap.
    pub content: Vec<u8>,
    /// The file's real size (larger than `content.len()` when truncated).
    pub size: u64,
}

impl CapturedFile {
    pub fn truncated(&self) -> bool {
        (self.content.len() as u64) < self.size
    }
    pub fn text(&self) -> &str {
        match core::str::from_utf8(&self.content) {
            Ok(s) => s,
            Err(e) => core::str::from_utf8(&self.content[..e.valid_up_to()]).unwrap_or(""),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageFacts {
    pub source: ImageSource,
    pub image_config: ImageConfig,
    pub layers: Vec<LayerFacts>,
    pub files: FileSystem,
    /// Every distinct uid and gid seen on any entry of any layer, sorted.
    pub uids_seen: Vec<u64>,
    pub gids_seen: Vec<u64>,
    /// Entries (in any layer, even ones deleted by a later layer) whose uid or gid exceeds
    /// 65535, each with the layer it was seen in; capped by the reader (keep at least 100), see
    /// `high_id_entries_total` for the full count.
    pub high_id_entries: Vec<FileEntry>,
    pub high_id_entries_total: u64,
    /// Captured contents of the files in the merged file system that matched a capture pattern,
    /// sorted by path.
    pub captured: Vec<CapturedFile>,
}

impl ImageFacts {
    /// Uncompressed size as `docker image ls` reports it: the sum of every layer's file bytes.
    pub fn size_bytes(&self) -> u64 {
        self.layers.iter().map(|l| l.size_bytes).sum()
    }

    /// The captured content at `path`, following symlinks in the merged file system.
    pub fn captured(&self, path: &str) -> Option<&CapturedFile> {
        let wanted = self.files.resolve(path).map(|(p, _)| p).unwrap_or_else(|| normalize(path));
        self.captured.binary_search_by(|c| c.path.as_str().cmp(wanted.as_str())).ok().map(|i| &self.captured[i])
    }

    pub fn layer_created_by(&self, layer: u32) -> Option<&str> {
        self.layers.get(layer as usize).and_then(|l| l.created_by.as_deref())
    }
}
