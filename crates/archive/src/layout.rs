//! Which tool wrote an archive, from the members it has: the layout name in the facts
//! (`docker-legacy`, `docker-oci`, `containerd`, `docker-archive`, `oci-archive`, `tarball`,
//! prefixed by `gzip+`/`zstd+`), and, for a tar that is not an image archive, what it is instead.

use serde_json::Value;

use crate::contents::ArchiveContents;
use crate::error::ArchiveError;
use crate::manifest::Candidate;
use crate::sniff::Compression;

/// The layout prefix for an archive compressed as a whole.
pub(crate) fn prefix(compression: Compression) -> &'static str {
    match compression {
        Compression::Gzip => "gzip+",
        Compression::Zstd => "zstd+",
        Compression::None | Compression::Xz | Compression::Bzip2 => "",
    }
}

/// The layout of an archive with a `manifest.json` and/or an `index.json`.
pub(crate) fn layout(contents: &ArchiveContents, has_manifest: bool, has_index: bool, candidates: &[Candidate]) -> &'static str {
    if has_manifest && has_index {
        let docker = contents.members.contains_key("repositories")
            || matches!(contents.json("manifest.json"), Some(Ok(Value::Array(ref entries))) if entries.iter().any(|e| e.get("LayerSources").is_some()));
        return if docker { "docker-oci" } else { "containerd" };
    }
    if !has_manifest {
        return "oci-archive";
    }
    let Some(first) = candidates.first() else { return "tarball" };
    if !first.layers.is_empty() && first.layers.iter().all(|l| l.member.ends_with("/layer.tar")) {
        return "docker-legacy";
    }
    let root_hex =
        |member: &str, ext: &str| member.strip_suffix(ext).is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()));
    if root_hex(&first.config.member, ".json") && first.layers.iter().all(|l| root_hex(&l.member, ".tar")) {
        return "docker-archive";
    }
    "tarball"
}

/// What a tar without `manifest.json` or `index.json` is.
pub(crate) fn missing_index(contents: &ArchiveContents) -> ArchiveError {
    let keys = || contents.members.keys();
    let has_v1_layers = keys().any(|k| k.ends_with("/layer.tar")) && keys().any(|k| k.ends_with("/json"));
    if has_v1_layers && contents.members.contains_key("repositories") {
        return ArchiveError::TooOldDocker;
    }
    const ROOTFS: [&str; 9] = ["etc", "usr", "bin", "lib", "var", "sbin", "root", "tmp", ".dockerenv"];
    let rootfs_names = contents.top_level.iter().filter(|n| ROOTFS.contains(&n.as_str())).count();
    if rootfs_names >= 2 {
        return ArchiveError::DockerExport;
    }
    ArchiveError::NoIndex
}
