//! Recognises a dropped file by its content, not its name: an image archive, a Dockerfile or an
//! AppImageConfig. The page calls this on the first bytes of every file dropped on it.

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

const DOCKERFILE_KEYWORDS: &[&str] = &[
    "from",
    "run",
    "cmd",
    "label",
    "maintainer",
    "expose",
    "env",
    "add",
    "copy",
    "entrypoint",
    "volume",
    "user",
    "workdir",
    "arg",
    "onbuild",
    "stopsignal",
    "healthcheck",
    "shell",
];

/// Classifies a file from its first bytes (up to [`SNIFF_BYTES`]).
pub fn classify(head: &[u8]) -> InputKind {
    let head = &head[..head.len().min(SNIFF_BYTES)];
    if head.starts_with(&[0x1f, 0x8b])
        || head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd])
        || head.starts_with(b"\xfd7zXZ\x00")
        || head.starts_with(b"BZh")
    {
        return InputKind::ImageArchive;
    }
    if head.len() >= 262 && &head[257..262] == b"ustar" {
        return InputKind::ImageArchive;
    }
    if head.len() >= 512 && is_tar_header(&head[..512]) {
        return InputKind::ImageArchive; // a v7 tar header without the ustar magic
    }
    if head.is_empty() || head.contains(&0) {
        return InputKind::Unknown;
    }
    let text = match core::str::from_utf8(head) {
        Ok(t) => t,
        // A multi-byte character cut at the end of the sniffed window is still text.
        Err(e) if e.valid_up_to() + 4 >= head.len() => core::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or(""),
        Err(_) => return InputKind::Unknown,
    };
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return InputKind::AppImageConfig;
    }
    let first_instruction = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .and_then(|l| l.split_whitespace().next())
        .map(str::to_ascii_lowercase);
    match first_instruction {
        Some(word) if DOCKERFILE_KEYWORDS.contains(&word.as_str()) => InputKind::Dockerfile,
        // Only comments (or a parser directive) so far: still a Dockerfile candidate.
        None if text.lines().any(|l| l.trim_start().starts_with('#')) => InputKind::Dockerfile,
        _ => InputKind::Unknown,
    }
}

/// A tar header whose checksum field matches its bytes.
fn is_tar_header(block: &[u8]) -> bool {
    let field = &block[148..156];
    let digits: Vec<u8> = field.iter().copied().skip_while(|b| *b == b' ').take_while(|b| (b'0'..=b'7').contains(b)).collect();
    let Ok(text) = core::str::from_utf8(&digits) else {
        return false;
    };
    let Ok(stored) = u32::from_str_radix(text, 8) else {
        return false;
    };
    let sum: u32 = block.iter().enumerate().map(|(i, b)| if (148..156).contains(&i) { u32::from(b' ') } else { u32::from(*b) }).sum();
    !digits.is_empty() && stored == sum
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
