//! One chunk, as a pure function of its bytes: find where it starts (unless the job says), find
//! where the next chunk starts, inflate from the one to the other with the window before the
//! start unknown (markers, our decoder) until 32 KiB in a row are known, then the rest as plain
//! bytes with `zlib-rs` (synthetic blocks in front for the bit alignment, an empty final fixed
//! block appended at the end, the known 32 KiB as its dictionary; a member's last chunk runs to
//! its final block). The CRC-32 of those bytes is computed here, on the chunk's thread.

use super::bits::Bits;
use super::buffers::{Buffers, Room};
use super::bulk::{bulk, Bulk, Ended};
use super::finder::find;
use super::inflate::{block, fixed_codes, Marked, Out, WINDOW};
use super::plan::MAX_RATIO;
use super::{Chunk, ChunkJob, ChunkResult, Outcome};

/// Inflates the chunk `job` describes from `bytes`, the source's bytes `job.range`.
pub fn decode_chunk(job: &ChunkJob, bytes: &[u8]) -> ChunkResult {
    decode_chunk_with(job, bytes, &Buffers::default())
}

/// [`decode_chunk`] into memory lent by `buffers` (give it back once the chunk is used).
pub fn decode_chunk_with(job: &ChunkJob, bytes: &[u8], buffers: &Buffers) -> ChunkResult {
    match decode(job, bytes, buffers) {
        Ok(chunk) => ChunkResult(Outcome::Decoded(chunk)),
        Err(reason) => ChunkResult::failed(reason),
    }
}

fn decode(job: &ChunkJob, bytes: &[u8], buffers: &Buffers) -> Result<Chunk, &'static str> {
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
    let mut marked = Marked::new(buffers.symbols());
    let finish = |marked: Marked, plain: Room, end: u64, member_end: bool| {
        let plain_from = WINDOW.min(plain.len);
        let plain_crc = crc32fast::hash(plain.filled().get(plain_from..).unwrap_or(&[]));
        Chunk {
            start_bit: base + start,
            end_bit: base + end,
            member_end,
            marked: marked.symbols,
            plain_range: plain_from..plain.len,
            plain: plain.buf,
            plain_crc,
        }
    };
    // A chunk that passes the next chunk's start without a block starting there (the finder
    // took deflate data stored inside the data for a block) ends at the block boundary after
    // it: the consumer bridges from there.
    while !marked.window_known() {
        if end.is_some_and(|end| bits.pos >= end) {
            return Ok(finish(marked, Room::new(Vec::new()), bits.pos, false));
        }
        if block(&mut bits, &mut marked, &fixed, limit).map_err(|_| "invalid deflate data")? {
            let end = bits.pos;
            return Ok(finish(marked, Room::new(Vec::new()), end, true));
        }
    }
    // From here every reference stays inside the known 32 KiB: plain bytes, after that window.
    let mut plain = Room::new(buffers.bytes());
    let limit = limit.saturating_sub(marked.symbols.len()).saturating_add(WINDOW);
    // Room for as much as the plan lets a chunk make of the bytes left (`MAX_RATIO` times, and
    // a 16 MiB chunk's 16 MiB more), at once: room never written costs address space, not
    // memory, while growing would copy the output into fresh memory, whose page faults were 5 %
    // of the page's pool workers' time on the realistic image with room for 5 times.
    let left = bytes.len().saturating_sub(usize::try_from(bits.pos / 8).unwrap_or(usize::MAX));
    let expected = WINDOW.saturating_add(left.saturating_mul(MAX_RATIO as usize + 1)).min(limit);
    plain.buf.reserve_exact(expected.saturating_sub(plain.buf.len()));
    plain.reserve(WINDOW);
    for &symbol in &marked.symbols[marked.symbols.len() - WINDOW..] {
        plain.literal(symbol as u8);
    }
    let mut zlib = true;
    let member_end = loop {
        if end.is_some_and(|end| bits.pos >= end) {
            break false;
        }
        if zlib {
            let window = plain.filled()[plain.len - WINDOW..].to_vec();
            match bulk(bytes, bits.pos, end, &window, limit, &mut plain) {
                Ok(Ended::AtEnd) => {
                    bits.pos = end.unwrap_or(bits.pos);
                    break false;
                }
                // The deflate data ends in this byte: where exactly in it does not matter
                // (the member's trailer starts at the next byte).
                Ok(Ended::Member(byte)) => {
                    bits.pos = (byte as u64 * 8).max(bits.pos);
                    break true;
                }
                Err(Bulk::TooLong) => return Err("the chunk inflates to more than allowed"),
                // The end is no block boundary (a start the finder took in stored data), or the
                // data is damaged: our decoder says where the blocks end, or what is wrong.
                Err(Bulk::Failed) => zlib = false,
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
