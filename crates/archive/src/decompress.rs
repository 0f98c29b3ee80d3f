//! Streaming decompression as [`Stream`]s: a [`Decoder`] (gzip in `gzip`, zstd in `zstd`) behind
//! one output buffer, and [`Decompressed`], the stream as it is or decompressed according to
//! what `sniff` found. Memory is one output buffer plus the decoder's own state, whatever the
//! size of the data.

use crate::gzip::GzipDecoder;
use crate::pgzip::consumer::{Parallel, ParallelGzip};
use crate::sniff::Compression;
use crate::stream::{skip_by_filling, ReadError, Stream};
use crate::zstd::ZstdDecoder;

const OUTPUT_BUFFER: usize = 256 * 1024;

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
    /// Decoded bytes handed out (consumed or skipped) so far.
    pub(crate) position: u64,
}

impl<D: Decoder> Decoded<D> {
    pub(crate) fn new(decoder: D) -> Decoded<D> {
        Decoded { decoder, out: vec![0; OUTPUT_BUFFER], start: 0, end: 0, position: 0 }
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
        let n = n.min(self.end - self.start);
        self.start += n;
        self.position += n as u64;
    }

    /// Skips by decoding: the only way through compressed data.
    async fn skip(&mut self, n: u64) -> Result<u64, ReadError> {
        skip_by_filling(self, n).await
    }
}

/// A stream as it is, or decompressed: the archive as a whole and each layer are one of these.
pub(crate) enum Decompressed<'r, S> {
    Plain(S),
    /// gzip whose first member is inflated in parallel chunks.
    Parallel(Box<ParallelGzip<'r, S>>),
    // Boxed: either decoder's state is many times the size of a plain stream.
    Gzip(Box<Decoded<GzipDecoder<S>>>),
    Zstd(Box<Decoded<ZstdDecoder<S>>>),
}

impl<'r, S: Stream> Decompressed<'r, S> {
    /// `compression` as sniffed; anything but gzip and zstd is read as it is.
    pub(crate) fn new(compression: Compression, inner: S) -> Decompressed<'r, S> {
        match compression {
            Compression::Gzip => Decompressed::Gzip(Box::new(Decoded::new(GzipDecoder::new(inner)))),
            Compression::Zstd => Decompressed::Zstd(Box::new(Decoded::new(ZstdDecoder::new(inner)))),
            Compression::None | Compression::Xz | Compression::Bzip2 => Decompressed::Plain(inner),
        }
    }

    /// As [`Decompressed::new`], but a gzip stream of `len` bytes that starts at byte `base` of
    /// the source is inflated in parallel when it is large enough.
    pub(crate) fn with(compression: Compression, inner: S, parallel: Option<Parallel<'r>>, base: u64, len: u64) -> Decompressed<'r, S> {
        match parallel {
            Some(parallel) if compression == Compression::Gzip && parallel.worth_it(len) => {
                Decompressed::Parallel(Box::new(ParallelGzip::new(inner, parallel, base, len)))
            }
            _ => Decompressed::new(compression, inner),
        }
    }

    /// Decompressed bytes read or skipped so far (`None` for a stream read as it is).
    pub(crate) fn position(&self) -> Option<u64> {
        match self {
            Decompressed::Plain(_) => None,
            Decompressed::Parallel(s) => Some(s.position()),
            Decompressed::Gzip(s) => Some(s.position),
            Decompressed::Zstd(s) => Some(s.position),
        }
    }
}

impl<S: Stream> Stream for Decompressed<'_, S> {
    async fn fill(&mut self) -> Result<&[u8], ReadError> {
        match self {
            Decompressed::Plain(s) => s.fill().await,
            Decompressed::Parallel(s) => s.fill().await,
            Decompressed::Gzip(s) => s.fill().await,
            Decompressed::Zstd(s) => s.fill().await,
        }
    }

    fn consume(&mut self, n: usize) {
        match self {
            Decompressed::Plain(s) => s.consume(n),
            Decompressed::Parallel(s) => s.consume(n),
            Decompressed::Gzip(s) => s.consume(n),
            Decompressed::Zstd(s) => s.consume(n),
        }
    }

    async fn skip(&mut self, n: u64) -> Result<u64, ReadError> {
        match self {
            Decompressed::Plain(s) => s.skip(n).await,
            Decompressed::Parallel(s) => s.skip(n).await,
            Decompressed::Gzip(s) => s.skip(n).await,
            Decompressed::Zstd(s) => s.skip(n).await,
        }
    }
}

/// Decompresses all of `source` as `sniff` says: the bytes as far as they go, and the error
/// that stopped them, if any.
#[cfg(test)]
pub(crate) fn decompress_all(source: &mut dyn crate::source::Source) -> (Vec<u8>, Option<ReadError>) {
    let mut progress = |_: crate::Progress| crate::Control::Continue;
    let mut input = crate::stream::SourceReader::new(source, &mut progress);
    let head = match crate::block_on(input.peek(8)) {
        Ok(head) => head.to_vec(),
        Err(e) => return (Vec::new(), Some(e)),
    };
    let mut out = Vec::new();
    let mut stream = Decompressed::new(Compression::of(&head), &mut input);
    let error = crate::block_on(crate::stream::read_into(&mut stream, &mut out, u64::MAX)).err();
    (out, error)
}
