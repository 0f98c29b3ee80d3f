//! The chunks of one member's deflate data, and how an inflated chunk joins the output before
//! it: the pure parts of the consumer, shared with the tests.

use super::inflate::WINDOW;
use super::{ChunkJob, GzipChunking};

/// A chunk may inflate to at most this many times its compressed bytes (and 64 MiB more).
const MAX_RATIO: u64 = 64;

/// The jobs for deflate data starting at byte `start` of the source, with the source's bytes
/// available up to `end` (the layer's or the file's end).
pub(crate) fn plan(start: u64, end: u64, chunking: GzipChunking) -> Vec<ChunkJob> {
    let size = chunking.chunk_bytes.max(1);
    let count = end.saturating_sub(start).div_ceil(size).max(1);
    let search = size;
    let max_output = size.saturating_mul(MAX_RATIO).saturating_add(64 << 20);
    (0..count)
        .map(|j| {
            let from = start + j * size;
            let next = (j + 1 < count).then_some(from + size);
            let to = next.map_or(end, |next| next.saturating_add(search).min(end));
            ChunkJob {
                range: from..to,
                start_bit: (j == 0).then_some(0),
                next_start: next.map(|next| next - from),
                search_bytes: search,
                max_output,
            }
        })
        .collect()
}

/// Appends the chunk's symbols to `out`, each marker replaced by its byte of `window` (the
/// output's last bytes before the chunk; fewer than 32 KiB only near the member's start).
/// `false` when a marker points before the member's start.
pub(crate) fn resolve(marked: &[u16], window: &[u8], out: &mut Vec<u8>) -> bool {
    let missing = WINDOW - window.len().min(WINDOW);
    let window = &window[window.len() - (WINDOW - missing)..];
    out.reserve(marked.len());
    for &symbol in marked {
        let byte = match symbol.checked_sub(256) {
            None => symbol as u8,
            Some(k) => match usize::from(k).checked_sub(missing).and_then(|i| window.get(i)) {
                Some(&byte) => byte,
                None => return false,
            },
        };
        out.push(byte);
    }
    true
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
