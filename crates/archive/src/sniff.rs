//! What a file (or a member of an archive) is, from its first bytes: the one place in the
//! workspace that knows magic bytes and the look of a tar header, a JSON document and a
//! Dockerfile. The reader uses it to pick a decompressor and to say what a file that is not an
//! image archive seems to be; the engine uses it to tell the page which input a dropped file is.

use smic_dockerfile::syntax::keyword_kind;

use crate::header::{Header, BLOCK};

/// How a byte stream is compressed, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
    Xz,
    Bzip2,
}

impl Compression {
    pub fn of(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
            Compression::Xz
        } else if head.starts_with(b"BZh") {
            Compression::Bzip2
        } else {
            Compression::None
        }
    }

    /// The name used in the facts (`LayerFacts::compression`) and in messages.
    pub fn label(self) -> &'static str {
        match self {
            Compression::None => "none",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
            Compression::Xz => "xz",
            Compression::Bzip2 => "bzip2",
        }
    }
}

/// What the first bytes of a file look like, most telling first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    Empty,
    /// Compressed data (what is inside is not looked at).
    Compressed(Compression),
    /// A tar archive: a header with the ustar magic or a matching checksum.
    Tar,
    /// Starts like a JSON document; `app_image_config` when it names AppImageConfig fields.
    Json {
        app_image_config: bool,
    },
    Zip,
    Executable,
    /// Text that starts like an HTML page (a download that went wrong).
    Html,
    /// Text whose first instruction is a Dockerfile keyword.
    Dockerfile,
    /// Text with nothing but comments (and blank lines) so far: a Dockerfile's parser
    /// directives and header comments can fill a whole sniff.
    Comments,
    Text,
    Binary,
}

/// Tells what `head`, the first bytes of a file, is.
pub fn sniff(head: &[u8]) -> Content {
    if head.is_empty() {
        return Content::Empty;
    }
    let compression = Compression::of(head);
    if compression != Compression::None {
        return Content::Compressed(compression);
    }
    // Spec (POSIX ustar): "ustar" at offset 257; GNU writes "ustar  ". A v7 header has no
    // magic, only its checksum.
    if head.get(257..262) == Some(b"ustar") || head.get(..BLOCK).is_some_and(is_tar_header) {
        return Content::Tar;
    }
    if looks_like_json(head) {
        let text = String::from_utf8_lossy(head);
        let app_image_config = text.contains("KernelGatewayImageConfig") || text.contains("AppImageConfigName");
        return Content::Json { app_image_config };
    }
    if head.starts_with(b"PK\x03\x04") {
        return Content::Zip;
    }
    if head.starts_with(b"\x7fELF") {
        return Content::Executable;
    }
    let Some(text) = as_text(head) else {
        return Content::Binary;
    };
    let lower = text.trim_start_matches('\u{feff}').trim_start().to_ascii_lowercase();
    if lower.starts_with("<!doctype") || lower.starts_with("<html") {
        return Content::Html;
    }
    let lines = || text.lines().map(|l| l.trim_start_matches('\u{feff}').trim());
    let first_word = lines().find(|l| !l.is_empty() && !l.starts_with('#')).and_then(|l| l.split_whitespace().next());
    match first_word {
        // The Dockerfile reader's own list of instructions: one place knows them.
        Some(word) if !keyword_kind(word).is_empty() => Content::Dockerfile,
        None if lines().any(|l| l.starts_with('#')) => Content::Comments,
        _ => Content::Text,
    }
}

/// The first non-blank byte (after a byte-order mark) opens an object or an array.
pub(crate) fn looks_like_json(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    matches!(head.iter().find(|b| !b.is_ascii_whitespace()), Some(b'{') | Some(b'['))
}

/// A 512-byte block that is a tar header (not the zero end block) with a matching checksum.
pub(crate) fn is_tar_header(block: &[u8]) -> bool {
    match <&[u8; BLOCK]>::try_from(block) {
        Ok(b) => {
            let header = Header::new(b);
            !header.is_zero() && header.verify().is_ok()
        }
        Err(_) => false,
    }
}

/// `head` as text: UTF-8 (the sniffed bytes may end inside a character) without control bytes
/// other than white space.
fn as_text(head: &[u8]) -> Option<&str> {
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).ok()?,
        Err(_) => return None,
    };
    let binary = text.bytes().any(|b| b.is_ascii_control() && !b.is_ascii_whitespace());
    (!binary).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_data_is_known_by_its_magic_bytes() {
        assert_eq!(sniff(&[0x1f, 0x8b, 8, 0]), Content::Compressed(Compression::Gzip));
        assert_eq!(sniff(&[0x28, 0xb5, 0x2f, 0xfd, 0]), Content::Compressed(Compression::Zstd));
        assert_eq!(sniff(b"\xfd7zXZ\x00\x00\x04rest"), Content::Compressed(Compression::Xz));
        assert_eq!(sniff(b"BZh91AY&SY"), Content::Compressed(Compression::Bzip2));
    }

    #[test]
    fn a_tar_is_known_by_its_magic_or_its_checksum() {
        let mut block = vec![0u8; 512];
        block[257..262].copy_from_slice(b"ustar");
        assert_eq!(sniff(&block), Content::Tar);
        let mut v7 = vec![0u8; 512];
        v7[..4].copy_from_slice(b"file");
        let sum: u32 = v7.iter().map(|b| u32::from(*b)).sum::<u32>() + 8 * u32::from(b' ');
        v7[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
        assert!(is_tar_header(&v7));
        assert_eq!(sniff(&v7), Content::Tar);
        assert!(!is_tar_header(&[0u8; 512]), "the end block is not a header");
    }

    #[test]
    fn json_dockerfiles_and_other_text() {
        assert_eq!(sniff(b"  {\"AppImageConfigName\": \"x\"}"), Content::Json { app_image_config: true });
        assert_eq!(sniff(b"\xef\xbb\xbf[1]"), Content::Json { app_image_config: false });
        assert_eq!(sniff(b"# syntax=docker/dockerfile:1\nARG BASE=python\nFROM $BASE\n"), Content::Dockerfile);
        assert_eq!(sniff(b"from python:3.11"), Content::Dockerfile);
        assert_eq!(sniff(b"RUN pip install x\n"), Content::Dockerfile);
        assert_eq!(sniff("\u{feff}# escape=`\nFROM x".as_bytes()), Content::Dockerfile);
        assert_eq!(sniff("# Notes \u{2014} caf\u{e9}\n".as_bytes()), Content::Comments);
        assert_eq!(sniff(b"Hello, this is a letter."), Content::Text);
        assert_eq!(sniff(&"\u{e9}".as_bytes()[..1]), Content::Text, "cut inside a character");
        assert_eq!(sniff(b"<!DOCTYPE html><html>"), Content::Html);
    }

    #[test]
    fn binaries() {
        assert_eq!(sniff(b""), Content::Empty);
        assert_eq!(sniff(b"PK\x03\x04rest"), Content::Zip);
        assert_eq!(sniff(b"\x7fELF\x02\x01\x01\x00"), Content::Executable);
        assert_eq!(sniff(b"\x00\x01\x02binary"), Content::Binary);
    }
}
