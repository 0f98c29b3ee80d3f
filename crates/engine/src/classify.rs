//! Recognises a dropped file by its content, not its name: an image archive, a Dockerfile or an
//! AppImageConfig. The page calls this on the first bytes of every file dropped on it.

use smic_archive::sniff::{sniff, Content};
use smic_rules::facts::InputKind;

/// How many leading bytes [`classify`] looks at.
pub const SNIFF_BYTES: usize = 4096;

/// Which input a file is, from its first bytes (up to [`SNIFF_BYTES`]), with the archive reader's
/// sniffing, so the page and the reader agree on what a file is: an image archive (a tar,
/// possibly compressed as a whole), an AppImageConfig (JSON; the config reader names other JSON),
/// a Dockerfile (text that reads like one), or `None` for anything else (a binary that is not an
/// archive, prose, an empty file…).
pub fn classify(head: &[u8]) -> Option<InputKind> {
    match sniff(&head[..head.len().min(SNIFF_BYTES)]) {
        Content::Compressed(_) | Content::Tar => Some(InputKind::Image),
        Content::Json { .. } => Some(InputKind::AppImageConfig),
        // Only comments (or a parser directive) so far: still a Dockerfile candidate.
        Content::Dockerfile | Content::Comments => Some(InputKind::Dockerfile),
        Content::Empty | Content::Zip | Content::Executable | Content::Html | Content::Text | Content::Binary => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archives_are_recognised_by_magic_bytes() {
        assert_eq!(classify(&[0x1f, 0x8b, 8, 0]), Some(InputKind::Image));
        let mut tar = vec![0u8; 512];
        tar[257..262].copy_from_slice(b"ustar");
        assert_eq!(classify(&tar), Some(InputKind::Image));
    }

    #[test]
    fn json_is_a_config_and_instructions_are_a_dockerfile() {
        assert_eq!(classify(b"  {\"AppImageConfigName\": \"x\"}"), Some(InputKind::AppImageConfig));
        assert_eq!(classify(b"# syntax=docker/dockerfile:1\nARG BASE=python\nFROM $BASE\n"), Some(InputKind::Dockerfile));
        assert_eq!(classify(b"from python:3.11"), Some(InputKind::Dockerfile));
    }

    #[test]
    fn binaries_and_prose_are_unknown() {
        assert_eq!(classify(b"\x7fELF\x02\x01\x01\x00\x00"), None);
        assert_eq!(classify(b"Hello, this is a letter."), None);
        assert_eq!(classify(b""), None);
    }
}
