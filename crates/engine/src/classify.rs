//! Recognises a dropped file by its content, not its name: an image archive, a Dockerfile or an
//! AppImageConfig. The page calls this on the first bytes of every file dropped on it.

use smic_archive::sniff::{sniff, Content};

/// What a file looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A tar archive, possibly compressed as a whole (gzip, zstd, xz, bzip2).
    ImageArchive,
    /// JSON (an AppImageConfig, or some other JSON the config reader will name).
    AppImageConfig,
    /// Text that reads like a Dockerfile.
    Dockerfile,
    /// Anything else (a binary that is not an archive, an empty file…).
    Unknown,
}

/// How many leading bytes [`classify`] looks at.
pub const SNIFF_BYTES: usize = 4096;

/// Classifies a file from its first bytes (up to [`SNIFF_BYTES`]), with the archive reader's
/// sniffing, so the page and the reader agree on what a file is.
pub fn classify(head: &[u8]) -> InputKind {
    match sniff(&head[..head.len().min(SNIFF_BYTES)]) {
        Content::Compressed(_) | Content::Tar => InputKind::ImageArchive,
        Content::Json { .. } => InputKind::AppImageConfig,
        // Only comments (or a parser directive) so far: still a Dockerfile candidate.
        Content::Dockerfile | Content::Comments => InputKind::Dockerfile,
        Content::Empty | Content::Zip | Content::Executable | Content::Html | Content::Text | Content::Binary => InputKind::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archives_are_recognised_by_magic_bytes() {
        assert_eq!(classify(&[0x1f, 0x8b, 8, 0]), InputKind::ImageArchive);
        let mut tar = vec![0u8; 512];
        tar[257..262].copy_from_slice(b"ustar");
        assert_eq!(classify(&tar), InputKind::ImageArchive);
    }

    #[test]
    fn json_is_a_config_and_instructions_are_a_dockerfile() {
        assert_eq!(classify(b"  {\"AppImageConfigName\": \"x\"}"), InputKind::AppImageConfig);
        assert_eq!(classify(b"# syntax=docker/dockerfile:1\nARG BASE=python\nFROM $BASE\n"), InputKind::Dockerfile);
        assert_eq!(classify(b"from python:3.11"), InputKind::Dockerfile);
    }

    #[test]
    fn binaries_and_prose_are_unknown() {
        assert_eq!(classify(b"\x7fELF\x02\x01\x01\x00\x00"), InputKind::Unknown);
        assert_eq!(classify(b"Hello, this is a letter."), InputKind::Unknown);
        assert_eq!(classify(b""), InputKind::Unknown);
    }
}
