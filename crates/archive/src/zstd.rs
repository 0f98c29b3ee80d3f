//! zstd (RFC 8878) decoded as a stream with `structured-zstd` (a
//! faster fork of `ruzstd`): any number of frames, skippable frames
//! skipped. It reads synchronously, so the compressed bytes of a whole frame header or a
//! whole block are gathered first (waiting for the source if need be) and then handed over:
//! memory is the decoder's window plus one compressed block. Pure Rust; builds for
//! `wasm32-unknown-unknown`.

use structured_zstd::decoding::errors::{FrameDecoderError, ReadFrameHeaderError};
use structured_zstd::decoding::{BlockDecodingStrategy, FrameDecoder};

use crate::decompress::Decoder;
use crate::error::Corruption;
use crate::stream::{ReadError, Stream};

/// Windows larger than this are refused: a frame may ask for up to 3.75 TB, and the browser
/// tab must survive a hostile file. zstd's own default limit for decoders is 128 MiB.
const MAX_ZSTD_WINDOW: u64 = 128 * 1024 * 1024;
/// The longest frame header (RFC 8878 §3.1.1.1: magic 4, descriptor 1, window 1, dictionary
/// id ≤ 4, content size ≤ 8); a skippable frame's header is 8 bytes.
const MAX_FRAME_HEADER: usize = 18;
/// Block header: 3 bytes, little-endian: last-block bit, 2-bit type, 21-bit size (§3.1.1.2).
const BLOCK_HEADER: usize = 3;
const RLE_BLOCK: u32 = 1;

pub(crate) struct ZstdDecoder<S> {
    inner: S,
    decoder: FrameDecoder,
    /// Compressed bytes taken from `inner` for the decoder: a whole frame header or a whole
    /// block, gathered before the decoder, which reads synchronously, is given them.
    pending: Vec<u8>,
    in_frame: bool,
    /// The current frame ends with a 4-byte checksum after its last block.
    checksum: bool,
    done: bool,
}

fn corrupt(what: Corruption) -> ReadError {
    ReadError::Corrupt(what)
}

impl<S: Stream> ZstdDecoder<S> {
    pub(crate) fn new(inner: S) -> ZstdDecoder<S> {
        let mut decoder = FrameDecoder::new();
        // Refused only outside 1 KiB..=3.75 TB; the constant is inside.
        let _ = decoder.set_max_window_size(MAX_ZSTD_WINDOW);
        ZstdDecoder { inner, decoder, pending: Vec::new(), in_frame: false, checksum: false, done: false }
    }

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
                        return Err(corrupt(Corruption::ZstdEndsInSkippableFrame));
                    }
                }
                Err(_) if self.pending.len() < MAX_FRAME_HEADER && header.is_empty() => {
                    return Err(corrupt(Corruption::ZstdEndsInFrameHeader));
                }
                Err(e) => return Err(corrupt(Corruption::Zstd(e.to_string()))),
            }
        }
    }

    /// Decodes the next block of the current frame.
    async fn decode_block(&mut self) -> Result<(), ReadError> {
        self.gather(BLOCK_HEADER).await?;
        let Some(header) = self.pending.get(..BLOCK_HEADER) else {
            return Err(corrupt(Corruption::ZstdEndsInBlockHeader));
        };
        let header = u32::from(header[0]) | u32::from(header[1]) << 8 | u32::from(header[2]) << 16;
        let last = header & 1 == 1;
        let size = if (header >> 1) & 3 == RLE_BLOCK { 1 } else { (header >> 3) as usize };
        let need = BLOCK_HEADER + size + if last && self.checksum { 4 } else { 0 };
        self.gather(need).await?;
        if self.pending.len() < need {
            return Err(corrupt(Corruption::ZstdEndsInBlock));
        }
        let mut block = &self.pending[..need];
        self.decoder
            .decode_blocks(&mut block, BlockDecodingStrategy::UptoBlocks(1))
            .map_err(|e| corrupt(Corruption::Zstd(e.to_string())))?;
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
            let n = self.decoder.read(out).map_err(|e| corrupt(Corruption::ZstdRead(e.to_string())))?;
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
    use crate::decompress::decompress_all;
    use crate::source::SliceSource;

    #[test]
    fn zstd_frames_decode_in_sequence() {
        let a = structured_zstd::encoding::compress_to_vec(&b"hello "[..], structured_zstd::encoding::CompressionLevel::Fastest);
        let b = structured_zstd::encoding::compress_to_vec(&vec![9u8; 300_000][..], structured_zstd::encoding::CompressionLevel::Fastest);
        let mut both = a.clone();
        // A skippable frame between them.
        both.extend_from_slice(&[0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3]);
        both.extend(b);
        let (out, error) = decompress_all(&mut SliceSource::new(&both));
        assert_eq!(error, None);
        assert_eq!(&out[..6], b"hello ");
        assert_eq!(out.len(), 300_006);
    }

    #[test]
    fn garbage_zstd_is_an_error() {
        let data = [0x28, 0xb5, 0x2f, 0xfd, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0];
        assert!(decompress_all(&mut SliceSource::new(&data)).1.is_some());
    }
}
