//! The bulk of a chunk inflated by `zlib-rs`, whose stable API starts only at bit 0 of its
//! input and does not say where a block ends. The whole blocks in bits `from..to` of the data
//! are fed to it unshifted, so stored blocks keep their byte alignment: before them come a few
//! synthetic blocks whose length in bits is `from mod 8` modulo 8 (empty fixed blocks of 10 bits,
//! and a fixed block holding the window's last byte as a literal, 18 or 19 bits, with the
//! window minus that byte as the dictionary); after them an empty final fixed block (RFC 1951
//! §3.2.3, §3.2.6: BFINAL 1, BTYPE 01, the 7-bit end-of-block code 0). Success is the end of
//! the stream exactly at the end of the input (`to` was a block boundary), or a final block of
//! the data's own, which ends the member (where `zlib-rs` stops taking input). The synthetic
//! literal writes the window's last byte again, over the last byte of the output, so nothing
//! needs moving afterwards.

use zlib_rs::{Inflate, InflateFlush, Status};

use super::buffers::Room;
use super::inflate::Out;

/// Deflate's largest window, as `zlib-rs` counts it.
const WINDOW_BITS: u8 = 15;

/// Room added to the output at a time.
const STEP: usize = 1 << 20;

/// Why the bulk was not inflated.
pub(crate) enum Bulk {
    Failed,
    /// More output than allowed.
    TooLong,
    /// `from`'s bit alignment cannot be made with this window's last byte: decode a block more.
    Unaligned,
}

/// Bits, least significant first.
#[derive(Default)]
struct BitWriter {
    bytes: Vec<u8>,
    bits: u64,
}

impl BitWriter {
    fn put(&mut self, value: u32, count: u32) {
        for i in 0..count {
            if self.bits % 8 == 0 {
                self.bytes.push(0);
            }
            if let Some(last) = self.bytes.last_mut() {
                *last |= (((value >> i) & 1) as u8) << (self.bits % 8);
            }
            self.bits += 1;
        }
    }

    /// A fixed-code block (non-final) with these literals (RFC 1951 §3.2.6: codes are sent
    /// most significant bit first).
    fn fixed_block(&mut self, literals: &[u8]) {
        self.put(0b010, 3);
        for &byte in literals {
            let (code, len) = if byte < 144 { (0x30 + u32::from(byte), 8) } else { (0x190 + u32::from(byte) - 144, 9) };
            self.put(code.reverse_bits() >> (32 - len), len);
        }
        self.put(0, 7);
    }
}

/// Synthetic blocks `from mod 8` bits long modulo 8, and how many bytes of the window they
/// write (those are left out of the dictionary).
fn prefix(shift: u32, window: &[u8]) -> Option<(BitWriter, usize)> {
    let mut writer = BitWriter::default();
    let mut literals = 0;
    let mut left = shift;
    if shift % 2 == 1 {
        let last = *window.last()?;
        // A 9-bit literal: 19 bits, 3 modulo 8.
        if last < 144 {
            return None;
        }
        writer.fixed_block(&[last]);
        literals = 1;
        left = (shift + 8 - 3) % 8;
    }
    // Each empty block is 10 bits, 2 modulo 8.
    for _ in 0..left / 2 {
        writer.fixed_block(&[]);
    }
    Some((writer, literals))
}

/// How the bulk ended.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Ended {
    /// At `to`, with no final block.
    AtEnd,
    /// With the member's final block; the deflate data ends before this byte of `bytes`.
    Member(usize),
}

/// Appends to `out` what the whole blocks from bit `from` of `bytes` inflate to: to bit `to`
/// (a block boundary), or with no `to` to the member's final block; `window` is the 32 KiB
/// before `from`. A final block before `to` ends the member there. `out` is as before when it
/// fails.
pub(crate) fn bulk(bytes: &[u8], from: u64, to: Option<u64>, window: &[u8], limit: usize, out: &mut Room) -> Result<Ended, Bulk> {
    let first = usize::try_from(from / 8).unwrap_or(usize::MAX);
    let last = match to {
        Some(to) => usize::try_from(to / 8).unwrap_or(usize::MAX),
        None => bytes.len(),
    };
    let Some(&first_byte) = bytes.get(first) else {
        return Err(Bulk::Failed);
    };
    if to.is_some() && last <= first + 1 {
        return Err(Bulk::Unaligned);
    }
    let shift = (from % 8) as u32;
    let (mut head, literals) = prefix(shift, window).ok_or(Bulk::Unaligned)?;
    // The synthetic bits end `shift` bits into a byte; the data's own bits fill the rest of it.
    if shift != 0 {
        if let Some(partial) = head.bytes.last_mut() {
            *partial |= first_byte & !((1u8 << shift) - 1);
        }
    } else {
        head.bytes.push(first_byte);
    }
    let tail = match to {
        Some(to) => {
            let t = (to % 8) as u32;
            let last_byte = u32::from(*bytes.get(last).ok_or(Bulk::Failed)?);
            let tail = ((last_byte & ((1 << t) - 1)) | (0b011 << t)).to_le_bytes();
            tail[..(t as usize + 10).div_ceil(8)].to_vec()
        }
        None => Vec::new(),
    };
    let middle = bytes.get(first + 1..last).unwrap_or(&[]);

    let mut inflate = Inflate::new(false, WINDOW_BITS);
    let dictionary = window.get(..window.len() - literals).unwrap_or(&[]);
    inflate.set_dictionary(dictionary).map_err(|_| Bulk::Failed)?;
    // The synthetic literal is the window's last byte, which `out` ends with: written over.
    let before = out.len;
    let kept = before.checked_sub(literals).ok_or(Bulk::Failed)?;
    let saved = out.buf.get(kept..before).map(<[u8]>::to_vec).unwrap_or_default();
    out.len = kept;
    let pieces: &[&[u8]] = if to.is_some() { &[&head.bytes, middle, &tail] } else { &[&head.bytes, middle] };
    let result = match feed(&mut inflate, pieces, limit.saturating_add(literals), out) {
        // The stream ended exactly with the appended final block.
        Ok((2, consumed)) if consumed == tail.len() => Ok(Ended::AtEnd),
        Ok((1, consumed)) => Ok(Ended::Member(first + 1 + consumed)),
        Ok(_) => Err(Bulk::Failed),
        Err(error) => Err(error),
    };
    if result.is_err() {
        out.len = kept;
        out.bytes(&saved);
    }
    result
}

/// Inflates the pieces in turn into `out`'s room (at most `limit` bytes in all): the stream's
/// end as the piece it came in and how many of that piece's bytes it took. Input that ends
/// before the stream fails.
fn feed(inflate: &mut Inflate, pieces: &[&[u8]], limit: usize, out: &mut Room) -> Result<(usize, usize), Bulk> {
    for (i, piece) in pieces.iter().enumerate() {
        let last = i + 1 == pieces.len();
        let mut rest: &[u8] = piece;
        // The last piece goes on while output is pending; the others until they are taken.
        while !rest.is_empty() || last {
            if out.len >= limit {
                return Err(Bulk::TooLong);
            }
            if out.len == out.buf.len() {
                // In steps, so the room a buffer is given is about what it needs (each step is
                // zeroed once, in the buffer's first use).
                out.reserve(STEP.min(limit - out.len));
            }
            let (before_in, before_out) = (inflate.total_in(), inflate.total_out());
            let flush = if last { InflateFlush::Finish } else { InflateFlush::NoFlush };
            let status = inflate.decompress(rest, out.spare(), flush);
            let consumed = (inflate.total_in() - before_in) as usize;
            let written = (inflate.total_out() - before_out) as usize;
            out.len += written;
            rest = rest.get(consumed..).unwrap_or(&[]);
            match status {
                Ok(Status::StreamEnd) => return Ok((i, piece.len() - rest.len())),
                Ok(_) if consumed > 0 || written > 0 => {}
                _ => return Err(Bulk::Failed),
            }
        }
    }
    Err(Bulk::Failed)
}
