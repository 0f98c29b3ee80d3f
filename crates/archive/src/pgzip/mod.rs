//! One gzip member inflated on several cores (the rapidgzip/pugz approach). The member's
//! deflate data is cut at nominal byte offsets `N_j = N_0 + j·C`; chunk `j` really starts at
//! `T_j`, the first bit at or after `8·N_j` where a *dynamic* deflate block starts according to
//! the deterministic block finder (`finder`: a strict parse of the block header, then a decode
//! of the whole block). Each chunk is inflated on its own, without the 32 KiB window before it:
//! back-references reaching before `T_j` become *markers* (16-bit symbols naming a byte of that
//! window), and once 32 KiB in a row are free of markers the rest is inflated as plain bytes by
//! `zlib-rs` (the bits are shifted so the chunk's next block starts at bit 0, and an empty final
//! block is appended after `T_{j+1}`). The consumer (`consumer`) takes the chunks in order,
//! replaces the markers with the previous chunk's last 32 KiB, checks that chunk `j` ended
//! exactly where chunk `j+1` started, and checks the member's CRC-32 and length as `gzip` does.
//! Any doubt (no continuity, a chunk that failed, a corrupt member) ends the parallel reading
//! with an error, and the caller reads the same bytes again sequentially, so a report never
//! depends on a guess of the finder.
//!
//! # For a runner (the CLI's threads, the page's worker pool)
//! A chunk is a pure function of bytes: [`decode_chunk`]`(&job, bytes)` where `bytes` are the
//! source's bytes `job.range` (absolute offsets in the archive). A runner implements
//! [`ChunkRunner`]: it reads `job.range` of the same source however it likes (a thread with its
//! own file handle; a Web Worker with `file.slice(start, end)`), calls [`decode_chunk`] and
//! completes the future with the [`ChunkResult`]. Between Web Workers both travel as bytes:
//! [`ChunkJob::to_bytes`]/[`ChunkJob::from_bytes`] and
//! [`ChunkResult::to_bytes`]/[`ChunkResult::from_bytes`] (bad bytes give `None` or a failed
//! result, never a panic). A runner that cannot deliver (a read failed, a worker died) returns
//! [`ChunkResult::failed`]: the consumer then falls back to the sequential reading.
//! Memory: at most `ahead` chunks are submitted and not yet consumed; each chunk's output is at
//! most `max_output` bytes (a chunk that would inflate to more fails, and the layer is read
//! sequentially).

mod bits;
mod buffers;
mod bulk;
mod chunk;
pub(crate) mod consumer;

mod finder;
mod huffman;
mod inflate;
mod plan;
#[cfg(not(target_arch = "wasm32"))]
pub(crate) mod runner;

mod wire;

use core::future::Future;
use core::ops::Range;
use core::pin::Pin;

pub use buffers::Buffers;
pub use chunk::{decode_chunk, decode_chunk_with};

/// How a gzip member is cut into chunks. The default is what measured fastest on the
/// realistic image (see the commit that set it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GzipChunking {
    /// Nominal compressed bytes per chunk (`C`).
    pub chunk_bytes: u64,
    /// A member is read in parallel only when its compressed bytes make at least this many chunks.
    pub min_chunks: u64,
    /// A *layer* is inflated in chunks only with at least this many readers (threads, the
    /// page's workers); an archive that is gzip as a whole, with two or more.
    pub layer_readers: usize,
}

impl Default for GzipChunking {
    fn default() -> GzipChunking {
        GzipChunking { chunk_bytes: 16 << 20, min_chunks: 4, layer_readers: 2 }
    }
}

/// One chunk's work: inflate the deflate data in the source's bytes `range`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkJob {
    /// Absolute byte offsets in the source (the archive file) of the bytes to pass to
    /// [`decode_chunk`].
    pub range: Range<u64>,
    /// Where the chunk starts: `Some(bit)` exactly at that bit (relative to `range.start`; the
    /// member's first block), `None` at the first block the finder finds in the first
    /// `search_bytes` bytes.
    pub start_bit: Option<u64>,
    /// Where the next chunk's start is searched (relative to `range.start`); the chunk ends
    /// exactly there. `None`: the chunk runs to the member's final block.
    pub next_start: Option<u64>,
    /// How many bytes the finder searches for a block start.
    pub search_bytes: u64,
    /// The most bytes the chunk may inflate to.
    pub max_output: u64,
}

/// A runner's answer for one [`ChunkJob`]. Opaque: the consumer reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkResult(pub(crate) Outcome);

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Decoded(Chunk),
    /// Why the chunk could not be inflated (never shown: the reading then goes sequential).
    Failed(String),
}

/// An inflated chunk: bit positions are absolute (`8·offset + bit` in the source).
#[derive(Debug, Clone, Default)]
pub(crate) struct Chunk {
    pub(crate) start_bit: u64,
    pub(crate) end_bit: u64,
    /// The chunk ended with the member's final block (else at the next chunk's start).
    pub(crate) member_end: bool,
    /// The first symbols: a byte (< 256) or `256 + k`, byte `k` of the 32 KiB before `start_bit`.
    pub(crate) marked: Vec<u16>,
    /// The bytes after `marked` are `plain[plain_range]` (before them is the window the decoder
    /// needed, after them room left in a lent buffer; not copied away, as they are large).
    pub(crate) plain: Vec<u8>,
    pub(crate) plain_range: Range<usize>,
    /// The CRC-32 of those bytes, computed where the chunk was inflated.
    pub(crate) plain_crc: u32,
}

impl Chunk {
    pub(crate) fn plain(&self) -> &[u8] {
        self.plain.get(self.plain_range.clone()).unwrap_or(&[])
    }
}

impl PartialEq for Chunk {
    fn eq(&self, other: &Chunk) -> bool {
        (self.start_bit, self.end_bit, self.member_end, &self.marked, self.plain(), self.plain_crc)
            == (other.start_bit, other.end_bit, other.member_end, &other.marked, other.plain(), other.plain_crc)
    }
}

impl Eq for Chunk {}

impl ChunkResult {
    /// A chunk the runner could not deliver; the consumer falls back to a sequential reading.
    pub fn failed(reason: &str) -> ChunkResult {
        ChunkResult(Outcome::Failed(reason.to_string()))
    }
}

/// A future completed with a chunk's result.
pub type PendingChunk<'a> = Pin<Box<dyn Future<Output = ChunkResult> + 'a>>;

/// Runs chunk jobs somewhere (threads, Web Workers) and completes their futures. Jobs are
/// submitted in chunk order, a few ahead; the consumer awaits them in that order and may drop
/// a future it no longer needs (the runner may then skip or abandon the job).
pub trait ChunkRunner {
    fn submit(&self, job: ChunkJob) -> PendingChunk<'_>;

    /// Where the consumer gives back the memory of the chunks it has used, if the runner lends
    /// it to the chunks it inflates ([`decode_chunk_with`]).
    fn buffers(&self) -> Option<&Buffers> {
        None
    }
}

#[cfg(test)]
mod tests;
