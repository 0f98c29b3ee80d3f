//! The chunks of one member's deflate data, and how an inflated chunk joins the output before
//! it: the pure parts of the consumer, shared with the tests.

use super::inflate::WINDOW;
use super::{ChunkJob, GzipChunking};

/// Bytes searched for a chunk's first block: many blocks long (a block is rarely over 100 KB
/// compressed), so a start is found unless the data is stored (a bridge then goes on).
const SEARCH: u64 = 1 << 20;
/// A chunk may inflate to at most this many times its compressed bytes (and 16 MiB more): the
/// bound of the memory a chunk (or a bridge) holds. Layers inflate to 3–4× on average (the
/// realistic image's 16 MiB chunks to 1.7–4.4×); a chunk past the bound (gigabytes of zeros, a
/// gzip bomb) fails, and the member is read in one pass. With 16 MiB chunks: 144 MiB a chunk,
/// at most `ahead + 1` of them alive.
pub(crate) const MAX_RATIO: u64 = 8;
/// What a chunk may inflate to beyond `MAX_RATIO` times its bytes.
const MAX_EXTRA: u64 = 16 << 20;

/// Nominal chunks of deflate data starting at byte `start` of the source, with the source's
/// bytes available up to `end` (the layer's or the file's end): chunk `j` is searched for from
/// `start + j·size`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plan {
    start: u64,
    end: u64,
    size: u64,
    /// Bytes searched for a chunk's first block.
    search: u64,
    /// Number of nominal chunks.
    pub(crate) count: usize,
    max_output: u64,
}

impl Plan {
    pub(crate) fn new(start: u64, end: u64, chunking: GzipChunking) -> Plan {
        let size = chunking.chunk_bytes.max(1);
        let count = usize::try_from(end.saturating_sub(start).div_ceil(size).max(1)).unwrap_or(usize::MAX);
        Plan { start, end, size, count, search: size.min(SEARCH), max_output: size.saturating_mul(MAX_RATIO).saturating_add(MAX_EXTRA) }
    }

    fn nominal(&self, j: usize) -> u64 {
        self.start.saturating_add((j as u64).saturating_mul(self.size))
    }

    /// The first nominal chunk that starts after `bit`.
    pub(crate) fn first_after(&self, bit: u64) -> usize {
        usize::try_from((bit / 8).saturating_sub(self.start) / self.size + 1).unwrap_or(usize::MAX)
    }

    /// Chunk `j`, which starts at the first block found from its nominal start (the member's
    /// first bit for chunk 0) and ends where chunk `j + 1` is found.
    pub(crate) fn speculative(&self, j: usize) -> ChunkJob {
        let exact = (j == 0).then_some(self.start * 8);
        self.job(self.nominal(j), exact, j + 1)
    }

    /// From the exact bit `at` (where the output so far ends) to where chunk `k` is found, or
    /// to the member's end when `k` is past the last chunk.
    pub(crate) fn bridge(&self, at: u64, k: usize) -> ChunkJob {
        self.job(at / 8, Some(at), k)
    }

    fn job(&self, from: u64, exact: Option<u64>, next: usize) -> ChunkJob {
        let next = (next < self.count).then(|| self.nominal(next));
        let to = next.map_or(self.end, |next| next.saturating_add(self.search).min(self.end));
        ChunkJob {
            range: from..to.max(from),
            start_bit: exact.map(|bit| bit - from * 8),
            next_start: next.map(|next| next - from),
            search_bytes: self.search,
            max_output: self.max_output,
        }
    }
}

/// Appends the chunk's symbols to `out`, each marker replaced by its byte of `window` (the
/// output's last bytes before the chunk; fewer than 32 KiB only near the member's start).
/// `false` when a marker points before the member's start.
pub(crate) fn resolve(marked: &[u16], window: &[u8], out: &mut Vec<u8>) -> bool {
    let missing = WINDOW - window.len().min(WINDOW);
    let window = &window[window.len() - (WINDOW - missing)..];
    // Every symbol's byte, looked up: 256 bytes, then the window (zeros where it is missing).
    let mut table = vec![0u8; 256 + WINDOW];
    for (i, byte) in table.iter_mut().take(256).enumerate() {
        *byte = i as u8;
    }
    table[256 + missing..].copy_from_slice(window);
    if missing > 0 && marked.iter().any(|&s| usize::from(s) >= 256 && usize::from(s) < 256 + missing) {
        return false;
    }
    out.reserve(marked.len());
    out.extend(marked.iter().map(|&s| table.get(usize::from(s)).copied().unwrap_or(0)));
    // Symbols past the table are no symbols a chunk makes.
    marked.iter().all(|&s| usize::from(s) < table.len())
}

/// The last 32 KiB of `window` followed by `bytes`.
pub(crate) fn slide(window: &mut Vec<u8>, bytes: &[u8]) {
    if bytes.len() >= WINDOW {
        window.clear();
        window.extend_from_slice(&bytes[bytes.len() - WINDOW..]);
        return;
    }
    window.extend_from_slice(bytes);
    let excess = window.len().saturating_sub(WINDOW);
    window.drain(..excess);
}
