//! gzip (RFC 1952) inflated as a stream with `zlib-rs` (raw deflate; the header and trailer are
//! read here, so each problem keeps its own words): any number of members (so eStargz
//! layers too), each member's trailer checked — the CRC-32 and the length (ISIZE) of what it
//! inflated to — so a layer damaged in a way deflate cannot notice is reported, not read as
//! good. Pure Rust; builds for `wasm32-unknown-unknown`. Memory: the inflate window and state.

use crc32fast::Hasher;
use zlib_rs::{Inflate, InflateFlush, Status};

use crate::decompress::Decoder;
use crate::error::Corruption;
use crate::stream::{ReadError, Stream};

/// The CRC-32 and ISIZE fields after each member's deflate data.
pub(crate) const TRAILER: usize = 8;
/// Header fields (FEXTRA, FNAME, FCOMMENT) can make a header long; not this long.
const MAX_HEADER: usize = 64 * 1024;
/// Deflate's largest window (RFC 1951 §2: distances reach back 32 KiB).
const WINDOW_BITS: u8 = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Header,
    Body,
    Trailer,
    BetweenMembers,
    Done,
}

pub(crate) struct GzipDecoder<S> {
    inner: S,
    state: Inflate,
    phase: Phase,
    trailer: Vec<u8>,
    /// CRC-32 and length of the current member's inflated bytes.
    crc: Hasher,
    inflated: u32,
    /// An error found in a call that also decoded bytes: those bytes are delivered first, so
    /// what is decoded before a corruption does not depend on how the input was cut into reads.
    failed: Option<ReadError>,
}

fn corrupt(what: Corruption) -> ReadError {
    ReadError::Corrupt(what)
}

impl<S: Stream> GzipDecoder<S> {
    pub(crate) fn new(inner: S) -> GzipDecoder<S> {
        GzipDecoder {
            inner,
            state: Inflate::new(false, WINDOW_BITS),
            phase: Phase::Header,
            trailer: Vec::with_capacity(TRAILER),
            crc: Hasher::new(),
            inflated: 0,
            failed: None,
        }
    }

    /// A decoder for what follows a member read elsewhere (its trailer checked): more members,
    /// or padding.
    pub(crate) fn after_member(inner: S) -> GzipDecoder<S> {
        GzipDecoder { phase: Phase::BetweenMembers, ..GzipDecoder::new(inner) }
    }

    /// Gathers the trailer (it may come in pieces) and checks it against the member's data.
    async fn read_trailer(&mut self) -> Result<(), ReadError> {
        let input = self.inner.fill().await?;
        if input.is_empty() {
            return Err(corrupt(Corruption::GzipEndsInTrailer));
        }
        let n = input.len().min(TRAILER - self.trailer.len());
        self.trailer.extend_from_slice(&input[..n]);
        self.inner.consume(n);
        let Ok(trailer) = <[u8; TRAILER]>::try_from(self.trailer.as_slice()) else {
            return Ok(());
        };
        check_trailer(trailer, core::mem::take(&mut self.crc).finalize(), self.inflated)?;
        self.trailer.clear();
        self.inflated = 0;
        self.phase = Phase::BetweenMembers;
        Ok(())
    }
}

impl<S: Stream> Decoder for GzipDecoder<S> {
    async fn decode(&mut self, out: &mut [u8]) -> Result<usize, ReadError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        loop {
            match self.phase {
                Phase::Done => return Ok(0),
                Phase::Header => {
                    read_header(&mut self.inner).await?;
                    self.phase = Phase::Body;
                }
                Phase::Trailer => self.read_trailer().await?,
                Phase::BetweenMembers => {
                    let input = self.inner.fill().await?;
                    // Spec (RFC 1952 §2.2): a gzip file is a series of members. Anything else
                    // after the last one (tape padding, zeros) is ignored, as gzip -d does.
                    if input.first() == Some(&0x1f) {
                        self.state.reset(false);
                        self.phase = Phase::Header;
                    } else {
                        self.phase = Phase::Done;
                    }
                }
                Phase::Body => {
                    let input = self.inner.fill().await?;
                    if input.is_empty() {
                        return Err(corrupt(Corruption::GzipEndsInBlock));
                    }
                    let (before_in, before_out) = (self.state.total_in(), self.state.total_out());
                    let status = self.state.decompress(input, out, InflateFlush::NoFlush);
                    // Both below what was passed in, so they fit in `usize`.
                    let consumed = (self.state.total_in() - before_in) as usize;
                    let written = (self.state.total_out() - before_out) as usize;
                    self.inner.consume(consumed);
                    self.crc.update(&out[..written]);
                    self.inflated = self.inflated.wrapping_add(written as u32);
                    match status {
                        Ok(Status::StreamEnd) => self.phase = Phase::Trailer,
                        Ok(Status::Ok) => {}
                        // Needs more input: loop and fill again.
                        Ok(Status::BufError) if consumed > 0 || written > 0 => {}
                        Ok(Status::BufError) => return Err(corrupt(Corruption::GzipNoProgress)),
                        Err(e) => {
                            // Only the kind: zlib-rs's words for a fault depend on whether
                            // its fast path (which needs enough input at hand) met it, so on how
                            // the input was cut into reads, and a report must not.
                            let error = corrupt(Corruption::Deflate(e.as_str().into()));
                            if written == 0 {
                                return Err(error);
                            }
                            self.failed = Some(error);
                        }
                    }
                    if written > 0 {
                        return Ok(written);
                    }
                }
            }
        }
    }
}

/// Reads a member's header from `inner`; returns its length.
pub(crate) async fn read_header<S: Stream>(inner: &mut S) -> Result<usize, ReadError> {
    let mut header = Vec::new();
    loop {
        let input = inner.fill().await?;
        if input.is_empty() {
            return Err(corrupt(Corruption::GzipEndsInHeader));
        }
        let (seen, n) = (header.len(), input.len());
        header.extend_from_slice(input);
        if let Some(len) = header_len(&header)? {
            inner.consume(len - seen);
            return Ok(len);
        }
        inner.consume(n);
        if header.len() > MAX_HEADER {
            return Err(corrupt(Corruption::GzipHeaderTooLong));
        }
    }
}

/// Checks a member's trailer against the CRC-32 and length of what it inflated to.
pub(crate) fn check_trailer(trailer: [u8; TRAILER], computed: u32, inflated: u32) -> Result<(), ReadError> {
    // Spec (RFC 1952 §2.3.1): CRC32 then ISIZE, the input's length modulo 2^32, little-endian.
    let stored = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
    let size = u32::from_le_bytes([trailer[4], trailer[5], trailer[6], trailer[7]]);
    if stored != computed {
        return Err(corrupt(Corruption::GzipChecksum { stored, computed }));
    }
    if size != inflated {
        return Err(corrupt(Corruption::GzipSize { stored: size, inflated }));
    }
    Ok(())
}

/// Length of the gzip member header at the start of `data`, `None` when more bytes are needed.
fn header_len(data: &[u8]) -> Result<Option<usize>, ReadError> {
    if data.len() < 10 {
        if !data.is_empty() && data[0] != 0x1f || data.len() >= 2 && data[1] != 0x8b {
            return Err(corrupt(Corruption::GzipNotAMember));
        }
        return Ok(None);
    }
    if data[0] != 0x1f || data[1] != 0x8b {
        return Err(corrupt(Corruption::GzipNotAMember));
    }
    if data[2] != 8 {
        return Err(corrupt(Corruption::GzipMethod(data[2])));
    }
    let flags = data[3];
    let mut at = 10usize;
    // FEXTRA: a 2-byte length then that many bytes.
    if flags & 0x04 != 0 {
        let Some(len) = data.get(at..at + 2) else {
            return Ok(None);
        };
        at += 2 + usize::from(u16::from_le_bytes([len[0], len[1]]));
    }
    // FNAME and FCOMMENT: NUL-terminated.
    for flag in [0x08u8, 0x10] {
        if flags & flag != 0 {
            let Some(rest) = data.get(at..) else {
                return Ok(None);
            };
            match rest.iter().position(|b| *b == 0) {
                Some(end) => at += end + 1,
                None => return Ok(None),
            }
        }
    }
    // FHCRC: 2 bytes.
    if flags & 0x02 != 0 {
        at += 2;
    }
    if data.len() < at {
        return Ok(None);
    }
    Ok(Some(at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decompress::decompress_all;
    use crate::source::SliceSource;
    use crate::testkit::WaitingSource;

    /// One member with a file name, as `gzip` writes it, with the correct trailer.
    fn gzip(data: &[u8]) -> Vec<u8> {
        gzip_with(&miniz_oxide::deflate::compress_to_vec(data, 6), data)
    }

    fn gzip_with(deflated: &[u8], data: &[u8]) -> Vec<u8> {
        crate::testkit::gzip_member("name.tar", deflated, data)
    }

    fn inflate_all(data: &[u8]) -> Result<Vec<u8>, ReadError> {
        match decompress_all(&mut SliceSource::new(data)) {
            (out, None) => Ok(out),
            (_, Some(error)) => Err(error),
        }
    }

    #[test]
    fn what_inflates_before_a_corruption_does_not_depend_on_how_the_input_is_read() {
        let text: Vec<u8> = (0..100_000u32).flat_map(|i| format!("line {i} of a layer\n").into_bytes()).collect();
        let clean = gzip(&text);
        let mut corrupt = 0;
        for step in 1..20 {
            for fill in [0x00u8, 0xff, 0x5a] {
                let mut data = clean.clone();
                let at = clean.len() * step / 20;
                for byte in &mut data[at..(at + 64).min(clean.len() - 8)] {
                    *byte = fill;
                }
                let (at_once, error) = decompress_all(&mut SliceSource::new(&data));
                let (bit_by_bit, waited_error) = decompress_all(&mut WaitingSource::new(&data));
                assert_eq!(bit_by_bit.len(), at_once.len(), "damage at {at} with {fill:#x}: {error:?}");
                assert_eq!(waited_error, error, "damage at {at} with {fill:#x}");
                if error.is_some() {
                    corrupt += 1;
                    assert!(text.starts_with(&at_once[..at_once.len().min(at)]), "the bytes before the damage are the text's");
                }
            }
        }
        assert!(corrupt > 5, "only {corrupt} damaged streams failed to inflate");
    }

    #[test]
    fn concatenated_gzip_members_read_as_one_stream() {
        let mut both = gzip(b"first member, ");
        both.extend(gzip(b"second member"));
        assert_eq!(inflate_all(&both).unwrap(), b"first member, second member");
    }

    #[test]
    fn trailing_zeros_after_gzip_are_ignored() {
        let mut data = gzip(b"abc");
        data.extend_from_slice(&[0; 100]);
        assert_eq!(inflate_all(&data).unwrap(), b"abc");
    }

    #[test]
    fn cut_gzip_is_an_error() {
        let data = gzip(&vec![42u8; 100_000]);
        let cut = &data[..data.len() / 2];
        assert!(matches!(inflate_all(cut), Err(ReadError::Corrupt(_))));
        let in_trailer = &data[..data.len() - 3];
        assert_eq!(inflate_all(in_trailer), Err(ReadError::Corrupt(Corruption::GzipEndsInTrailer)));
    }

    /// A stored (uncompressed) deflate block: its bytes can change without deflate noticing.
    fn stored(data: &[u8]) -> Vec<u8> {
        let mut block = vec![0x01];
        let len = data.len() as u16;
        block.extend_from_slice(&len.to_le_bytes());
        block.extend_from_slice(&(!len).to_le_bytes());
        block.extend_from_slice(data);
        block
    }

    #[test]
    fn a_changed_byte_that_still_inflates_fails_the_checksum() {
        let data = b"root:x:0:0:root:/root:/bin/sh\n";
        let mut damaged = gzip_with(&stored(data), data);
        // Header (10), file name (9), stored-block header (5): then the data, whose `x` changes.
        damaged[10 + 9 + 5 + 5] = b'y';
        let expected = crc32fast::hash(data);
        match inflate_all(&damaged) {
            Err(ReadError::Corrupt(Corruption::GzipChecksum { stored, .. })) => assert_eq!(stored, expected),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn each_member_of_a_multi_member_stream_is_checked() {
        let mut both = gzip(b"first member, ");
        let mut second = gzip(b"second member");
        let crc_at = second.len() - 8;
        second[crc_at] ^= 1;
        both.extend(second);
        assert!(matches!(inflate_all(&both), Err(ReadError::Corrupt(Corruption::GzipChecksum { .. }))));
    }

    #[test]
    fn a_wrong_length_in_the_trailer_is_an_error() {
        let mut data = gzip(b"abc");
        let isize_at = data.len() - 4;
        data[isize_at] = 4;
        assert_eq!(inflate_all(&data), Err(ReadError::Corrupt(Corruption::GzipSize { stored: 4, inflated: 3 })));
    }
}
