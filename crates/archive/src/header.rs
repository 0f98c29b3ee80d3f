//! The tar header model: one 512-byte block with typed accessors, and the extended records that
//! override its fields (PAX `x` records, GNU `L`/`K` long names). Pure functions on bytes; the
//! reading loop lives in `tar`.
//!
//! Dialects met in image archives: ustar (name split into `prefix` + `name`), GNU (`ustar  `
//! magic, base-256 numbers, long-name members), PAX (Go's `archive/tar`, i.e. docker,
//! containers/image and umoci), and v7 (no magic at all, old docker).

use std::borrow::Cow;

pub(crate) const BLOCK: usize = 512;

/// What a member is, from the type flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EntryType {
    Regular,
    HardLink,
    Symlink,
    CharDevice,
    BlockDevice,
    Directory,
    Fifo,
    /// PAX extended header for the next member.
    PaxLocal,
    /// PAX global header: applies to every following member.
    PaxGlobal,
    /// GNU: the next member's name.
    GnuLongName,
    /// GNU: the next member's link target.
    GnuLongLink,
    /// Anything else (volume labels, GNU dumpdirs, vendor types): data is skipped.
    Other(u8),
}

impl EntryType {
    fn from_flag(flag: u8) -> EntryType {
        match flag {
            // Spec (POSIX ustar): '0' and NUL are regular files, '7' contiguous files are too.
            b'0' | 0 | b'7' => EntryType::Regular,
            b'1' => EntryType::HardLink,
            b'2' => EntryType::Symlink,
            b'3' => EntryType::CharDevice,
            b'4' => EntryType::BlockDevice,
            b'5' => EntryType::Directory,
            b'6' => EntryType::Fifo,
            b'x' => EntryType::PaxLocal,
            b'g' => EntryType::PaxGlobal,
            b'L' => EntryType::GnuLongName,
            b'K' => EntryType::GnuLongLink,
            other => EntryType::Other(other),
        }
    }

    /// Members that describe the next member rather than being one.
    pub(crate) fn is_extension(self) -> bool {
        matches!(self, EntryType::PaxLocal | EntryType::PaxGlobal | EntryType::GnuLongName | EntryType::GnuLongLink)
    }
}

/// Why a block is not a usable header.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum HeaderProblem {
    /// The stored checksum does not match the block (`stored`, `computed`).
    Checksum { stored: Option<u64>, computed: u64 },
    /// A numeric field holds something that is neither octal nor base-256.
    Number { field: Cow<'static, str> },
}

/// One 512-byte header block.
pub(crate) struct Header<'a> {
    block: &'a [u8; BLOCK],
}

impl<'a> Header<'a> {
    pub(crate) fn new(block: &'a [u8; BLOCK]) -> Header<'a> {
        Header { block }
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.block.iter().all(|b| *b == 0)
    }

    /// The checksum is the sum of all bytes with the checksum field read as spaces. Old tars
    /// summed signed chars; both are accepted, as GNU tar and Go do.
    pub(crate) fn verify(&self) -> Result<(), HeaderProblem> {
        let field_as_spaces = 8 * u64::from(b' ');
        let unsigned: u64 = self.block.iter().map(|b| u64::from(*b)).sum::<u64>()
            - self.block[148..156].iter().map(|b| u64::from(*b)).sum::<u64>()
            + field_as_spaces;
        let stored = parse_octal(&self.block[148..156]);
        if stored == Some(unsigned) {
            return Ok(());
        }
        let signed: i64 =
            self.block.iter().enumerate().map(|(i, b)| if (148..156).contains(&i) { i64::from(b' ') } else { i64::from(*b as i8) }).sum();
        match stored {
            Some(s) if i64::try_from(s).ok() == Some(signed) => Ok(()),
            _ => Err(HeaderProblem::Checksum { stored, computed: unsigned }),
        }
    }

    pub(crate) fn entry_type(&self) -> EntryType {
        EntryType::from_flag(self.block[156])
    }

    fn is_ustar(&self) -> bool {
        &self.block[257..263] == b"ustar\0"
    }

    /// The name as stored in the block: ustar joins `prefix` and `name` with a `/`; GNU uses the
    /// prefix area for other fields, so it is only read for the POSIX magic.
    pub(crate) fn path_bytes(&self) -> Vec<u8> {
        let name = field_str(&self.block[0..100]);
        if self.is_ustar() {
            let prefix = field_str(&self.block[345..500]);
            if !prefix.is_empty() {
                let mut joined = Vec::with_capacity(prefix.len() + 1 + name.len());
                joined.extend_from_slice(prefix);
                joined.push(b'/');
                joined.extend_from_slice(name);
                return joined;
            }
        }
        name.to_vec()
    }

    pub(crate) fn link_bytes(&self) -> &'a [u8] {
        field_str(&self.block[157..257])
    }

    pub(crate) fn mode(&self) -> Result<u32, HeaderProblem> {
        // Only permission and set-id bits matter; some writers put file-type bits above them.
        number(&self.block[100..108], "mode").map(|m| (m & 0o7777) as u32)
    }

    pub(crate) fn uid(&self) -> Result<u64, HeaderProblem> {
        number(&self.block[108..116], "uid")
    }

    pub(crate) fn gid(&self) -> Result<u64, HeaderProblem> {
        number(&self.block[116..124], "gid")
    }

    /// Size of the data that follows the header (base-256 allows ≥ 8 GiB without PAX).
    pub(crate) fn size(&self) -> Result<u64, HeaderProblem> {
        number(&self.block[124..136], "size")
    }
}

/// Bytes of a NUL-terminated (or full-width) text field.
fn field_str(field: &[u8]) -> &[u8] {
    match field.iter().position(|b| *b == 0) {
        Some(end) => &field[..end],
        None => field,
    }
}

/// An empty field counts as 0 (v7 writers leave unused fields blank).
fn number(field: &[u8], name: &'static str) -> Result<u64, HeaderProblem> {
    if field.first().is_some_and(|b| b & 0x80 != 0) {
        return parse_base256(field).ok_or(HeaderProblem::Number { field: Cow::Borrowed(name) });
    }
    if field.iter().all(|b| *b == 0 || *b == b' ') {
        return Ok(0);
    }
    parse_octal(field).ok_or(HeaderProblem::Number { field: Cow::Borrowed(name) })
}

/// Octal digits, optionally surrounded by spaces and ended by NUL or space.
fn parse_octal(field: &[u8]) -> Option<u64> {
    let text = field_str(field);
    let digits = trim_spaces(text);
    if digits.is_empty() {
        return None;
    }
    let mut value: u64 = 0;
    for d in digits {
        if !(b'0'..=b'7').contains(d) {
            return None;
        }
        value = value.checked_mul(8)?.checked_add(u64::from(d - b'0'))?;
    }
    Some(value)
}

fn trim_spaces(text: &[u8]) -> &[u8] {
    let start = text.iter().position(|b| *b != b' ').unwrap_or(text.len());
    let end = text.iter().rposition(|b| *b != b' ').map_or(start, |i| i + 1);
    &text[start..end.max(start)]
}

/// GNU base-256: the high bit of the first byte marks it, the 0x40 bit is the sign. Negative
/// values make no sense for sizes or ids and are refused.
fn parse_base256(field: &[u8]) -> Option<u64> {
    let first = *field.first()?;
    if first & 0x40 != 0 {
        return None;
    }
    let mut value: u64 = u64::from(first & 0x3f);
    for b in &field[1..] {
        if value > (u64::MAX >> 8) {
            return None;
        }
        value = (value << 8) | u64::from(*b);
    }
    Some(value)
}

/// Fields a PAX record set can override.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Overrides {
    pub path: Option<Vec<u8>>,
    pub link: Option<Vec<u8>>,
    pub size: Option<u64>,
    pub uid: Option<u64>,
    pub gid: Option<u64>,
}

impl Overrides {
    /// Later values win, as a local PAX header beats a global one.
    pub(crate) fn merge_from(&mut self, other: &Overrides) {
        if other.path.is_some() {
            self.path.clone_from(&other.path);
        }
        if other.link.is_some() {
            self.link.clone_from(&other.link);
        }
        self.size = other.size.or(self.size);
        self.uid = other.uid.or(self.uid);
        self.gid = other.gid.or(self.gid);
    }
}

/// Parses PAX records (`"<len> <key>=<value>\n"`, the length counting the whole record) into
/// the overrides this reader uses. Unknown keys (mtime, xattrs, GNU sparse maps) are ignored.
pub(crate) fn parse_pax(data: &[u8]) -> Result<Overrides, String> {
    let mut out = Overrides::default();
    let mut rest = data;
    while !rest.is_empty() {
        // Some writers pad the record area with NULs.
        if rest.iter().all(|b| *b == 0) {
            break;
        }
        let space = rest.iter().position(|b| *b == b' ').ok_or("a PAX record without a length")?;
        let len_text = core::str::from_utf8(&rest[..space]).map_err(|_| "a PAX record length that is not a number")?;
        let len: usize = len_text.parse().map_err(|_| format!("a PAX record length {len_text:?} that is not a number"))?;
        if len <= space + 1 || len > rest.len() {
            return Err(format!("a PAX record claims {len} bytes but {} are left", rest.len()));
        }
        let record = &rest[space + 1..len];
        let record = record.strip_suffix(b"\n").ok_or("a PAX record not ended by a newline")?;
        let equals = record.iter().position(|b| *b == b'=').ok_or("a PAX record without '='")?;
        let (key, value) = (&record[..equals], &record[equals + 1..]);
        match key {
            b"path" => out.path = Some(value.to_vec()),
            b"linkpath" => out.link = Some(value.to_vec()),
            b"size" => out.size = Some(pax_number(value, "size")?),
            b"uid" => out.uid = Some(pax_number(value, "uid")?),
            b"gid" => out.gid = Some(pax_number(value, "gid")?),
            _ => {}
        }
        rest = &rest[len..];
    }
    Ok(out)
}

fn pax_number(value: &[u8], key: &str) -> Result<u64, String> {
    core::str::from_utf8(value)
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .ok_or_else(|| format!("a PAX {key} record that is not a number: {:?}", String::from_utf8_lossy(value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_with(f: impl FnOnce(&mut [u8; BLOCK])) -> [u8; BLOCK] {
        let mut b = [0u8; BLOCK];
        b[..5].copy_from_slice(b"hello");
        b[100..108].copy_from_slice(b"0000644\0");
        b[124..136].copy_from_slice(b"00000000012\0");
        b[156] = b'0';
        b[257..263].copy_from_slice(b"ustar\0");
        f(&mut b);
        let sum: u64 = b.iter().enumerate().map(|(i, x)| if (148..156).contains(&i) { 32 } else { u64::from(*x) }).sum();
        let text = format!("{sum:06o}\0 ");
        b[148..156].copy_from_slice(text.as_bytes());
        b
    }

    #[test]
    fn ustar_prefix_and_name_are_joined() {
        let b = block_with(|b| b[345..348].copy_from_slice(b"usr"));
        let h = Header::new(&b);
        assert!(h.verify().is_ok());
        assert_eq!(h.path_bytes(), b"usr/hello");
        assert_eq!(h.size(), Ok(10));
        assert_eq!(h.mode(), Ok(0o644));
    }

    #[test]
    fn a_flipped_byte_breaks_the_checksum() {
        let mut b = block_with(|_| {});
        b[3] ^= 1;
        assert!(matches!(Header::new(&b).verify(), Err(HeaderProblem::Checksum { .. })));
    }

    #[test]
    fn base256_sizes_go_beyond_eight_gibibytes() {
        let b = block_with(|b| {
            b[124..136].copy_from_slice(&[0x80, 0, 0, 0, 0, 0, 0, 0, 0x03, 0, 0, 0]);
        });
        assert_eq!(Header::new(&b).size(), Ok(0x0300_0000));
        let b = block_with(|b| {
            b[124..136].copy_from_slice(&[0x80, 0, 0, 0, 0, 0, 0, 0x04, 0, 0, 0, 0]);
        });
        assert_eq!(Header::new(&b).size(), Ok(16 * 1024 * 1024 * 1024));
    }

    #[test]
    fn negative_base256_and_garbage_numbers_are_refused() {
        let b = block_with(|b| b[124..136].copy_from_slice(&[0xff; 12]));
        assert_eq!(Header::new(&b).size(), Err(HeaderProblem::Number { field: "size".into() }));
        let b = block_with(|b| b[108..116].copy_from_slice(b"12x4567\0"));
        assert_eq!(Header::new(&b).uid(), Err(HeaderProblem::Number { field: "uid".into() }));
    }

    fn record(key: &str, value: &str) -> Vec<u8> {
        let body = format!(" {key}={value}\n");
        let mut len = body.len() + 1;
        while format!("{len}").len() + body.len() != len {
            len += 1;
        }
        format!("{len}{body}").into_bytes()
    }

    #[test]
    fn pax_records_override_path_size_and_ids() {
        let records =
            [record("path", "opt/a/very/long/name"), record("size", "9000000000"), record("uid", "70000"), record("gid", "100")].concat();
        let o = parse_pax(&records).unwrap();
        assert_eq!(o.path.as_deref(), Some(&b"opt/a/very/long/name"[..]));
        assert_eq!(o.size, Some(9_000_000_000));
        assert_eq!(o.uid, Some(70000));
        assert_eq!(o.gid, Some(100));
    }

    #[test]
    fn malformed_pax_records_are_errors_not_panics() {
        assert!(parse_pax(b"99 path=x\n").is_err());
        assert!(parse_pax(b"abc path=x\n").is_err());
        assert!(parse_pax(b"9 path=x").is_err());
        assert!(parse_pax(b"1 \n").is_err());
        assert_eq!(parse_pax(b"\0\0\0"), Ok(Overrides::default()));
    }
}
