//! One chunk, as a pure function of its bytes: find where it starts (unless the job says), find
//! where the next chunk starts, inflate from the one to the other with the window before the
//! start unknown (markers, our decoder) until 32 KiB in a row are known, then the rest as plain
//! bytes — with `zlib-rs` when the end is known (the bits shifted to start at bit 0, an empty
//! final fixed block appended at the end, the known 32 KiB as its dictionary), else (a member's
//! last chunk) with our decoder, which says exactly where the final block ends.

use zlib_rs::{Inflate, InflateFlush, Status};

use super::bits::Bits;
use super::finder::find;
use super::inflate::{block, fixed_codes, Marked, WINDOW};
use super::{Chunk, ChunkJob, ChunkResult, Outcome};

/// Deflate's largest window, as `zlib-rs` counts it.
const WINDOW_BITS: u8 = 15;

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
        plain,
    };
    while !marked.window_known() {
        if Some(bits.pos) == end {
            return Ok(finish(marked, Vec::new(), bits.pos, false));
        }
        if end.is_some_and(|end| bits.pos > end) {
            return Err("the chunk passed the next chunk's start");
        }
        if block(&mut bits, &mut marked, &fixed, limit).map_err(|_| "invalid deflate data")? {
            let end = bits.pos;
            return Ok(finish(marked, Vec::new(), end, true));
        }
    }
    let window: Vec<u8> = marked.symbols[marked.symbols.len() - WINDOW..].iter().map(|s| *s as u8).collect();
    let limit = limit.saturating_sub(marked.symbols.len());
    if end.is_some_and(|end| bits.pos > end) {
        return Err("the chunk passed the next chunk's start");
    }
    if let Some(end) = end {
        match bulk(bytes, bits.pos, end, &window, limit) {
            Ok(plain) => return Ok(finish(marked, plain, end, false)),
            Err(Bulk::Failed(reason)) => return Err(reason),
            // A final block before the end (the member ends in this chunk): our decoder says where.
            Err(Bulk::EndedEarly) => {}
        }
    }
    // Our decoder, which knows where the final block ends.
    let mut plain = window;
    let member_end = loop {
        if Some(bits.pos) == end {
            break false;
        }
        if end.is_some_and(|end| bits.pos > end) {
            return Err("the chunk passed the next chunk's start");
        }
        if block(&mut bits, &mut plain, &fixed, limit.saturating_add(WINDOW)).map_err(|_| "invalid deflate data")? {
            break true;
        }
    };
    plain.drain(..WINDOW);
    let end = bits.pos;
    Ok(finish(marked, plain, end, member_end))
}

enum Bulk {
    Failed(&'static str),
    EndedEarly,
}

/// The bits `from..to` of `bytes` (whole blocks) shifted to start at bit 0, followed by an
/// empty final block with fixed codes (RFC 1951 §3.2.3, §3.2.6: BFINAL 1, BTYPE 01, then the
/// 7-bit end-of-block code 0000000).
fn shifted(bytes: &[u8], from: u64, to: u64) -> Vec<u8> {
    let n = to - from;
    let first = (from / 8) as usize;
    let shift = (from % 8) as u32;
    let mut out: Vec<u8> = (0..(n + 10).div_ceil(8) as usize)
        .map(|i| {
            let low = bytes.get(first + i).copied().unwrap_or(0);
            let high = bytes.get(first + i + 1).copied().unwrap_or(0);
            ((u16::from(high) << 8 | u16::from(low)) >> shift) as u8
        })
        .collect();
    let (byte, bit) = ((n / 8) as usize, (n % 8) as u32);
    if let Some(last) = out.get_mut(byte) {
        *last &= (1u8 << bit).wrapping_sub(1);
    }
    for tail in out.iter_mut().skip(byte + 1) {
        *tail = 0;
    }
    for extra in [n, n + 1] {
        if let Some(b) = out.get_mut((extra / 8) as usize) {
            *b |= 1 << (extra % 8);
        }
    }
    out
}

/// Inflates the whole blocks in bits `from..to` with `zlib-rs`, `window` the 32 KiB before.
fn bulk(bytes: &[u8], from: u64, to: u64, window: &[u8], limit: usize) -> Result<Vec<u8>, Bulk> {
    let input = shifted(bytes, from, to);
    let mut inflate = Inflate::new(false, WINDOW_BITS);
    inflate.set_dictionary(window).map_err(|_| Bulk::Failed("the window was refused"))?;
    let mut out: Vec<u8> = Vec::with_capacity(input.len().saturating_mul(4).min(limit));
    let mut rest = input.as_slice();
    loop {
        let old = out.len();
        let room = old.max(1 << 20).min(limit.saturating_add(1).saturating_sub(old));
        if room == 0 {
            return Err(Bulk::Failed("the chunk inflates to too much"));
        }
        out.resize(old + room, 0);
        let (before_in, before_out) = (inflate.total_in(), inflate.total_out());
        let status = inflate.decompress(rest, &mut out[old..], InflateFlush::NoFlush);
        let consumed = (inflate.total_in() - before_in) as usize;
        let written = (inflate.total_out() - before_out) as usize;
        out.truncate(old + written);
        rest = rest.get(consumed..).unwrap_or(&[]);
        match status {
            Ok(Status::StreamEnd) => break,
            Ok(_) if consumed > 0 || written > 0 => {}
            _ => return Err(Bulk::Failed("invalid deflate data")),
        }
    }
    if out.len() > limit {
        return Err(Bulk::Failed("the chunk inflates to too much"));
    }
    if !rest.is_empty() {
        return Err(Bulk::EndedEarly);
    }
    Ok(out)
}
