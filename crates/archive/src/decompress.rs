//! Streaming decompression as [`Stream`]s: gzip (any number of members, so eStargz layers too)
//! with `miniz_oxide`, zstd (any number of frames, skippable frames skipped) with `ruzstd`. Both
//! are pure Rust and build for `wasm32-unknown-unknown`. Memory is one output buffer plus the
//! decoder's window (and, for zstd, one compressed block), whatever the size of the data.

use miniz_oxide::inflate::stream::{inflate, InflateState};
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};
use ruzstd::decoding::errors::{FrameDecoderError, ReadFrameHeaderError};
use ruzstd::decoding::{BlockDecodingStrategy, FrameDecoder};

use crate::stream::{ReadError, Stream};

const OUTPUT_BUFFER: usize = 256 * 1024;

/// How a byte stream is compressed, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Compression {
    None,
    Gzip,
    Zstd,
    Xz,
    Bzip2,
}

impl Compression {
    pub(crate) fn sniff(head: &[u8]) -> Compression {
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

    pub(crate) fn label(self) -> &'static str {
        match self {
            Compression::None => "none",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
            Compression::Xz => "xz",
            Compression::Bzip2 => "bzip2",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GzipPhase {
    Header,
    Body,
    Trailer(u8),
    BetweenMembers,
    Done,
}

/// Something that writes decoded bytes into a buffer: 0 bytes means the end.
pub(crate) trait Decoder {
    async fn decode(&mut self, out: &mut [u8]) -> Result<usize, ReadError>;
}

/// A [`Decoder`] with an output buffer, as a [`Stream`].
pub(crate) struct Decoded<D> {
    decoder: D,
    out: Vec<u8>,
    start: usize,
    end: usize,
}

impl<D: Decoder> Decoded<D> {
    fn new(decoder: D) -> Decoded<D> {
        Decoded { decoder, out: vec![0; OUTPUT_BUFFER], start: 0, end: 0 }
    }
}

impl<D: Decoder> Stream for Decoded<D> {
    async fn fill(&mut self) -> Result<&[u8], ReadError> {
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
            self.end = self.decoder.decode(&mut self.out).await?;
        }
        Ok(&self.out[self.start..self.end])
    }

    fn consume(&mut self, n: usize) {
        self.start = (self.start + n).min(self.end);
    }

    /// Skips by decoding: the only way through compressed data.
    async fn skip(&mut self, n: u64) -> Result<u64, ReadError> {
        let mut left = n;
        while left > 0 {
            let available = self.fill().await?.len();
            if available == 0 {
                break;
            }
            let step = (available as u64).min(left) as usize;
            self.consume(step);
            left -= step as u64;
        }
        Ok(n - left)
    }
}

pub(crate) type Gzip<S> = Decoded<GzipDecoder<S>>;
pub(crate) type Zstd<S> = Decoded<ZstdDecoder<S>>;

/// A stream as it is, or decompressed: the archive as a whole and each layer are one of these.
pub(crate) enum Decompressed<S> {
    Plain(S),
    Gzip(Gzip<S>),
    // Boxed: ruzstd's decoder state is ten times the size of the others.
    Zstd(Box<Zstd<S>>),
}

impl<S: Stream> Decompressed<S> {
    /// `compression` as sniffed; anything but gzip and zstd is read as it is.
    pub(crate) fn new(compression: Compression, inner: S) -> Decompressed<S> {
        match compression {
            Compression::Gzip => Decompressed::Gzip(gunzip(inner)),
            Compression::Zstd => Decompressed::Zstd(Box::new(unzstd(inner))),
            Compression::None | Compression::Xz | Compression::Bzip2 => Decompressed::Plain(inner),
        }
    }
}

impl<S: Stream> Stream for Decompressed<S> {
    async fn fill(&mut self) -> Result<&[u8], ReadError> {
        match self {
            Decompressed::Plain(s) => s.fill().await,
            Decompressed::Gzip(s) => s.fill().await,
            Decompressed::Zstd(s) => s.fill().await,
        }
    }

    fn consume(&mut self, n: usize) {
        match self {
            Decompressed::Plain(s) => s.consume(n),
            Decompressed::Gzip(s) => s.consume(n),
            Decompressed::Zstd(s) => s.consume(n),
        }
    }

    async fn skip(&mut self, n: u64) -> Result<u64, ReadError> {
        match self {
            Decompressed::Plain(s) => s.skip(n).await,
            Decompressed::Gzip(s) => s.skip(n).await,
            Decompressed::Zstd(s) => s.skip(n).await,
        }
    }
}

/// Inflates a gzip stream (RFC 1952), member after member.
pub(crate) fn gunzip<S: Stream>(inner: S) -> Gzip<S> {
    Decoded::new(GzipDecoder {
        inner,
        state: InflateState::new_boxed(DataFormat::Raw),
        phase: GzipPhase::Header,
        header: Vec::new(),
        failed: None,
    })
}

/// Decodes a zstd stream, frame after frame.
pub(crate) fn unzstd<S: Stream>(inner: S) -> Zstd<S> {
    let mut decoder = FrameDecoder::new();
    decoder.set_max_window_size(MAX_ZSTD_WINDOW);
    Decoded::new(ZstdDecoder { inner, decoder, pending: Vec::new(), in_frame: false, checksum: false, done: false })
}

pub(crate) struct GzipDecoder<S> {
    inner: S,
    state: Box<InflateState>,
    phase: GzipPhase,
    header: Vec<u8>,
    /// An error found in a call that also decoded bytes: those bytes are delivered first, so
    /// what is decoded before a corruption does not depend on how the input was cut into reads.
    failed: Option<ReadError>,
}

impl<S: Stream> Decoder for GzipDecoder<S> {
    async fn decode(&mut self, out: &mut [u8]) -> Result<usize, ReadError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        loop {
            match self.phase {
                GzipPhase::Done => return Ok(0),
                GzipPhase::Header => self.read_header().await?,
                GzipPhase::Trailer(left) => {
                    let input = self.inner.fill().await?;
                    if input.is_empty() {
                        return Err(ReadError::Corrupt("the gzip data ends inside its 8-byte trailer".into()));
                    }
                    let n = input.len().min(usize::from(left));
                    self.inner.consume(n);
                    let left = left - n as u8;
                    self.phase = if left == 0 { GzipPhase::BetweenMembers } else { GzipPhase::Trailer(left) };
                }
                GzipPhase::BetweenMembers => {
                    let input = self.inner.fill().await?;
                    // Spec (RFC 1952 §2.2): a gzip file is a series of members. Anything else
                    // after the last one (tape padding, zeros) is ignored, as gzip -d does.
                    if input.first() == Some(&0x1f) {
                        self.state.reset_as(miniz_oxide::inflate::stream::MinReset);
                        self.phase = GzipPhase::Header;
                    } else {
                        self.phase = GzipPhase::Done;
                    }
                }
                GzipPhase::Body => {
                    let input = self.inner.fill().await?;
                    if input.is_empty() {
                        return Err(ReadError::Corrupt("the gzip data ends before the end of its compressed block".into()));
                    }
                    let result = inflate(&mut self.state, input, out, MZFlush::None);
                    let consumed = result.bytes_consumed;
                    self.inner.consume(consumed);
                    match result.status {
                        Ok(MZStatus::StreamEnd) => self.phase = GzipPhase::Trailer(8),
                        Ok(_) => {}
                        // Needs more input: loop and fill again.
                        Err(MZError::Buf) if consumed > 0 || result.bytes_written > 0 => {}
                        Err(MZError::Buf) => return Err(ReadError::Corrupt("the gzip data cannot be decoded (no progress)".into())),
                        Err(e) => {
                            let error = ReadError::Corrupt(format!("invalid deflate data in the gzip stream ({e:?})"));
                            if result.bytes_written == 0 {
                                return Err(error);
                            }
                            self.failed = Some(error);
                        }
                    }
                    if result.bytes_written > 0 {
                        return Ok(result.bytes_written);
                    }
                }
            }
        }
    }
}

impl<S: Stream> GzipDecoder<S> {
    async fn read_header(&mut self) -> Result<(), ReadError> {
        let input = self.inner.fill().await?;
        if input.is_empty() {
            return Err(ReadError::Corrupt("the gzip data ends inside a member header".into()));
        }
        let seen = self.header.len();
        let mut joined = core::mem::take(&mut self.header);
        joined.extend_from_slice(input);
        match gzip_header_len(&joined)? {
            Some(len) => {
                self.inner.consume(len - seen);
                self.phase = GzipPhase::Body;
            }
            None => {
                let n = input.len();
                self.inner.consume(n);
                if joined.len() > 64 * 1024 {
                    return Err(ReadError::Corrupt("a gzip header longer than 64 KiB".into()));
                }
                self.header = joined;
            }
        }
        Ok(())
    }
}

/// Length of the gzip member header at the start of `data`, `None` when more bytes are needed.
fn gzip_header_len(data: &[u8]) -> Result<Option<usize>, ReadError> {
    if data.len() < 10 {
        if !data.is_empty() && data[0] != 0x1f || data.len() >= 2 && data[1] != 0x8b {
            return Err(ReadError::Corrupt("bytes after a gzip member that are not another member".into()));
        }
        return Ok(None);
    }
    if data[0] != 0x1f || data[1] != 0x8b {
        return Err(ReadError::Corrupt("bytes after a gzip member that are not another member".into()));
    }
    if data[2] != 8 {
        return Err(ReadError::Corrupt(format!("gzip compression method {} (only 8, deflate, exists)", data[2])));
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

pub(crate) struct ZstdDecoder<S> {
    inner: S,
    decoder: FrameDecoder,
    /// Compressed bytes taken from `inner` for the decoder: a whole frame header or a whole
    /// block, gathered (waiting for the source if need be) before the decoder, which reads
    /// synchronously, is given them.
    pending: Vec<u8>,
    in_frame: bool,
    /// The current frame ends with a 4-byte checksum after its last block.
    checksum: bool,
    done: bool,
}

/// Windows larger than this are refused: a frame may ask for up to 3.75 TB, and the browser
/// tab must survive a hostile file. zstd's own default limit for decoders is 128 MiB.
const MAX_ZSTD_WINDOW: u64 = 128 * 1024 * 1024;
/// The longest frame header (RFC 8878 §3.1.1.1: magic 4, descriptor 1, window 1, dictionary
/// id ≤ 4, content size ≤ 8); a skippable frame's header is 8 bytes.
const MAX_FRAME_HEADER: usize = 18;
/// Block header: 3 bytes, little-endian: last-block bit, 2-bit type, 21-bit size (§3.1.1.2).
const BLOCK_HEADER: usize = 3;
const RLE_BLOCK: u32 = 1;

impl<S: Stream> ZstdDecoder<S> {
    /// Makes `pending` at least `n` bytes long, unless the stream ends first.
    async fn gather(&mut self, n: usize) -> Result<(), ReadError> {
        while self.pending.len() < n {
            let available = self.inner.fill().await?;
            if available.is_empty() {
                break;
            }
            let take = available.len().min(n - self.pending.len());
            self.pending.extend_from_slice(&available[..take]);
            self.inner.consume(take);
        }
        Ok(())
    }

    /// Starts the next frame (skipping skippable ones); `false` at the end of the stream.
    async fn start_frame(&mut self) -> Result<bool, ReadError> {
        loop {
            self.gather(MAX_FRAME_HEADER).await?;
            if self.pending.is_empty() {
                return Ok(false);
            }
            let mut header = &self.pending[..];
            let reset = self.decoder.reset(&mut header);
            let used = self.pending.len() - header.len();
            match reset {
                Ok(()) => {
                    self.checksum = self.pending.get(4).is_some_and(|descriptor| descriptor & 0x04 != 0);
                    self.pending.drain(..used);
                    return Ok(true);
                }
                Err(FrameDecoderError::ReadFrameHeaderError(ReadFrameHeaderError::SkipFrame { length, .. })) => {
                    self.pending.drain(..used);
                    let length = length as usize;
                    let from_pending = length.min(self.pending.len());
                    self.pending.drain(..from_pending);
                    let rest = (length - from_pending) as u64;
                    if self.inner.skip(rest).await? < rest {
                        return Err(ReadError::Corrupt("the zstd data ends inside a skippable frame".into()));
                    }
                }
                Err(_) if self.pending.len() < MAX_FRAME_HEADER && header.is_empty() => {
                    return Err(ReadError::Corrupt("the zstd data ends inside a frame header".into()));
                }
                Err(e) => return Err(ReadError::Corrupt(format!("invalid zstd data ({e})"))),
            }
        }
    }

    /// Decodes the next block of the current frame.
    async fn decode_block(&mut self) -> Result<(), ReadError> {
        self.gather(BLOCK_HEADER).await?;
        let Some(header) = self.pending.get(..BLOCK_HEADER) else {
            return Err(ReadError::Corrupt("the zstd data ends inside a block header".into()));
        };
        let header = u32::from(header[0]) | u32::from(header[1]) << 8 | u32::from(header[2]) << 16;
        let last = header & 1 == 1;
        let size = if (header >> 1) & 3 == RLE_BLOCK { 1 } else { (header >> 3) as usize };
        let need = BLOCK_HEADER + size + if last && self.checksum { 4 } else { 0 };
        self.gather(need).await?;
        if self.pending.len() < need {
            return Err(ReadError::Corrupt("the zstd data ends inside a block".into()));
        }
        let mut block = &self.pending[..need];
        self.decoder
            .decode_blocks(&mut block, BlockDecodingStrategy::UptoBlocks(1))
            .map_err(|e| ReadError::Corrupt(format!("invalid zstd data ({e})")))?;
        let used = need - block.len();
        self.pending.drain(..used);
        Ok(())
    }
}

impl<S: Stream> Decoder for ZstdDecoder<S> {
    async fn decode(&mut self, out: &mut [u8]) -> Result<usize, ReadError> {
        use std::io::Read;
        while !self.done {
            if !self.in_frame {
                if !self.start_frame().await? {
                    self.done = true;
                    return Ok(0);
                }
                self.in_frame = true;
                continue;
            }
            if self.decoder.can_collect() == 0 && !self.decoder.is_finished() {
                self.decode_block().await?;
            }
            let n = self.decoder.read(out).map_err(|e| ReadError::Corrupt(format!("zstd: {e}")))?;
            if n > 0 {
                return Ok(n);
            }
            if self.decoder.is_finished() && self.decoder.can_collect() == 0 {
                self.in_frame = false;
            }
        }
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::block_on;
    use crate::source::SliceSource;
    use crate::stream::{read_into, Input};
    use crate::{Control, Progress};

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut out = vec![0x1f, 0x8b, 8, 0x08, 0, 0, 0, 0, 0, 3];
        out.extend_from_slice(b"name.tar\0");
        out.extend_from_slice(&miniz_oxide::deflate::compress_to_vec(data, 6));
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out
    }

    fn inflate_all(data: &[u8]) -> Result<Vec<u8>, ReadError> {
        let mut source = SliceSource::new(data);
        let mut progress = |_: Progress| Control::Continue;
        let mut input = Input::new(&mut source, &mut progress);
        let mut out = Vec::new();
        block_on(read_into(&mut Decompressed::new(Compression::sniff(data), &mut input), &mut out, u64::MAX))?;
        Ok(out)
    }

    /// Inflates `data` read from `source` as far as it goes: the bytes, and the error if any.
    fn inflate_from(source: &mut dyn crate::source::Source) -> (Vec<u8>, Option<ReadError>) {
        let mut progress = |_: Progress| Control::Continue;
        let mut input = Input::new(source, &mut progress);
        let mut out = Vec::new();
        let error = block_on(read_into(&mut Decompressed::new(Compression::Gzip, &mut input), &mut out, u64::MAX)).err();
        (out, error)
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
                let (at_once, error) = inflate_from(&mut SliceSource::new(&data));
                let (bit_by_bit, waited_error) = inflate_from(&mut crate::testkit::WaitingSource::new(&data));
                assert_eq!(bit_by_bit.len(), at_once.len(), "damage at {at} with {fill:#x}: {error:?}");
                assert_eq!(waited_error.is_some(), error.is_some(), "damage at {at} with {fill:#x}");
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
    }

    #[test]
    fn zstd_frames_decode_in_sequence() {
        let a = ruzstd::encoding::compress_to_vec(&b"hello "[..], ruzstd::encoding::CompressionLevel::Fastest);
        let b = ruzstd::encoding::compress_to_vec(&vec![9u8; 300_000][..], ruzstd::encoding::CompressionLevel::Fastest);
        let mut both = a.clone();
        // A skippable frame between them.
        both.extend_from_slice(&[0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3]);
        both.extend(b);
        let out = inflate_all(&both).unwrap();
        assert_eq!(&out[..6], b"hello ");
        assert_eq!(out.len(), 300_006);
    }

    #[test]
    fn garbage_zstd_is_an_error() {
        let data = [0x28, 0xb5, 0x2f, 0xfd, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0];
        assert!(inflate_all(&data).is_err());
    }
}
