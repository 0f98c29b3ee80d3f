//! One chunk, as a pure function of its bytes: find where it starts (unless the job says), find
//! where the next chunk starts, inflate from the one to the other with the window before the
//! start unknown (markers, our decoder) until 32 KiB in a row are known, then the rest as plain
//! bytes — with `zlib-rs` when the end is known (the bits shifted to start at bit 0, an empty
//! final fixed block appended at the end, the known 32 KiB as its dictionary), else (a member's
//! last chunk) with our decoder, which says exactly where the final block ends.

use super::bits::Bits;
use super::bulk::{bulk, Bulk};
use super::finder::find;
use super::inflate::{block, fixed_codes, Marked, WINDOW};
use super::{Chunk, ChunkJob, ChunkResult, Outcome};

/// Inflates the chunk `job` describes from `bytes`, the source's bytes `job.range`.
pub fn decode_chunk(job: &ChunkJob, bytes: &[u8]) -> ChunkResult {
    match decode(job, bytes) {
        Ok(chunk) => ChunkResult(Outcome::Decoded(chunk)),
        Err(reason) => ChunkResult::failed(reason),
    }
}

fn decode(job: &ChunkJob, bytes: &[u8]) -> Result<Chunk, &'static str> {
    if job.range.end.checked_sub(job.range.start) != Some(bytes.len() as u64) {
        return Err("the bytes are not the job's range");
    }
    let limit = usize::try_from(job.max_output).unwrap_or(usize::MAX);
    // The finder sees the same bytes in both chunks that look for a start: the chunk that
    // starts there and the one before it, which stops there.
    let search = |from: u64| -> Option<u64> {
        let from_index = usize::try_from(from).ok()?;
        let to = usize::try_from(from.saturating_add(job.search_bytes)).unwrap_or(usize::MAX).min(bytes.len());
        find(bytes.get(from_index..to)?).map(|bit| bit + from * 8)
    };
    let start = match job.start_bit {
        Some(bit) => bit,
        None => search(0).ok_or("no block start found")?,
    };
    let end = match job.next_start {
        Some(next) => Some(search(next).ok_or("no block start found for the next chunk")?),
        None => None,
    };
    let base = job.range.start * 8;
    let fixed = fixed_codes();
    let mut bits = Bits::new(bytes, start);
    let mut marked = Marked::default();
    let finish = |marked: Marked, plain: Vec<u8>, end: u64, member_end: bool| Chunk {
        start_bit: base + start,
        end_bit: base + end,
        member_end,
        marked: marked.symbols,
        plain_from: WINDOW.min(plain.len()),
        plain,
    };
    // A chunk that passes the next chunk's start without a block starting there (the finder
    // took deflate data stored inside the data for a block) ends at the block boundary after
    // it: the consumer bridges from there.
    while !marked.window_known() {
        if end.is_some_and(|end| bits.pos >= end) {
            return Ok(finish(marked, Vec::new(), bits.pos, false));
        }
        if block(&mut bits, &mut marked, &fixed, limit).map_err(|_| "invalid deflate data")? {
            let end = bits.pos;
            return Ok(finish(marked, Vec::new(), end, true));
        }
    }
    // From here every reference stays inside the known 32 KiB: plain bytes.
    // Room for what deflate usually makes of the bytes left (about 4 times as many).
    let left = bytes.len().saturating_sub(usize::try_from(bits.pos / 8).unwrap_or(usize::MAX));
    let mut plain: Vec<u8> = Vec::with_capacity(WINDOW + left.saturating_mul(4).min(limit));
    plain.extend(marked.symbols[marked.symbols.len() - WINDOW..].iter().map(|s| *s as u8));
    let limit = limit.saturating_sub(marked.symbols.len()).saturating_add(WINDOW);
    let mut zlib = end.is_some();
    let member_end = loop {
        if end.is_some_and(|end| bits.pos >= end) {
            break false;
        }
        if let (Some(end), true) = (end, zlib) {
            let window = plain[plain.len() - WINDOW..].to_vec();
            match bulk(bytes, bits.pos, end, &window, limit, &mut plain) {
                Ok(()) => {
                    bits.pos = end;
                    break false;
                }
                // The member ends in this chunk, or the end is no block boundary: our decoder
                // says where the blocks end.
                Err(Bulk::EndedEarly | Bulk::Failed) => zlib = false,
                // One block more with our decoder, and the alignment will be another.
                Err(Bulk::Unaligned) => {}
            }
        }
        if block(&mut bits, &mut plain, &fixed, limit).map_err(|_| "invalid deflate data")? {
            break true;
        }
    };
    let end = bits.pos;
    Ok(finish(marked, plain, end, member_end))
}
