//! The bulk of a chunk inflated by `zlib-rs`, whose stable API starts only at bit 0 of its
//! input and does not say where a block ends. The whole blocks in bits `from..to` of the data
//! are fed to it unshifted, so stored blocks keep their byte alignment: before them come a few
//! synthetic blocks whose length in bits is `from mod 8` modulo 8 (empty fixed blocks of 10 bits,
//! and a fixed block holding the window's last byte as a literal, 18 or 19 bits, with the
//! window minus that byte as the dictionary); after them an empty final fixed block (RFC 1951
//! §3.2.3, §3.2.6: BFINAL 1, BTYPE 01, the 7-bit end-of-block code 0). Success is the end of
//! the stream exactly at the end of the input: `to` was a block boundary.

use zlib_rs::{Inflate, InflateFlush, Status};

/// Deflate's largest window, as `zlib-rs` counts it.
const WINDOW_BITS: u8 = 15;

/// Why the bulk was not inflated.
pub(crate) enum Bulk {
    Failed,
    /// A final block came before `to`: the member ends in this chunk.
    EndedEarly,
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

/// Appends to `out` what the whole blocks in bits `from..to` of `bytes` inflate to, `window`
/// the 32 KiB before them. `out` is as before when it fails.
pub(crate) fn bulk(bytes: &[u8], from: u64, to: u64, window: &[u8], limit: usize, out: &mut Vec<u8>) -> Result<(), Bulk> {
    let (first, last) = (usize::try_from(from / 8).unwrap_or(usize::MAX), usize::try_from(to / 8).unwrap_or(usize::MAX));
    let (Some(&first_byte), Some(&last_byte)) = (bytes.get(first), bytes.get(last)) else {
        return Err(Bulk::Failed);
    };
    if last <= first + 1 {
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
    let t = (to % 8) as u32;
    let tail = (u32::from(last_byte) & ((1 << t) - 1)) | (0b011 << t);
    let tail = tail.to_le_bytes();
    let tail = &tail[..(t as usize + 10).div_ceil(8)];
    let middle = bytes.get(first + 1..last).unwrap_or(&[]);

    let mut inflate = Inflate::new(false, WINDOW_BITS);
    let dictionary = window.get(..window.len() - literals).unwrap_or(&[]);
    inflate.set_dictionary(dictionary).map_err(|_| Bulk::Failed)?;
    let before = out.len();
    let result = feed(&mut inflate, [&head.bytes, middle, tail], limit.saturating_add(before + literals), out);
    if result.is_err() {
        out.truncate(before);
    } else if literals > 0 {
        out.drain(before..before + literals);
    }
    result
}

/// Inflates the pieces in turn into `out` (at most `limit` bytes in all); the stream must end
/// exactly with the last piece. The room is zeroed once (a safe `Vec` cannot be written
/// uninitialised), not on every call.
fn feed(inflate: &mut Inflate, pieces: [&[u8]; 3], limit: usize, out: &mut Vec<u8>) -> Result<(), Bulk> {
    let mut used = out.len();
    let grown = out.capacity().max(used + (1 << 20)).min(limit);
    out.resize(grown, 0);
    let mut ended = false;
    let result = (|| {
        for (i, piece) in pieces.into_iter().enumerate() {
            let mut rest = piece;
            // The last piece ends the stream: go on while output is pending.
            while !rest.is_empty() || (i == 2 && !ended) {
                if ended {
                    return Err(Bulk::EndedEarly);
                }
                if used == out.len() {
                    let more = out.len().max(1 << 20).min(limit.saturating_sub(out.len()));
                    if more == 0 {
                        return Err(Bulk::Failed);
                    }
                    out.resize(out.len() + more, 0);
                }
                let flushing = rest.is_empty();
                let (before_in, before_out) = (inflate.total_in(), inflate.total_out());
                let flush = if i == 2 { InflateFlush::Finish } else { InflateFlush::NoFlush };
                let status = inflate.decompress(rest, &mut out[used..], flush);
                let consumed = (inflate.total_in() - before_in) as usize;
                let written = (inflate.total_out() - before_out) as usize;
                used += written;
                rest = rest.get(consumed..).unwrap_or(&[]);
                match status {
                    Ok(Status::StreamEnd) => ended = true,
                    Ok(_) if consumed > 0 || written > 0 => {}
                    Ok(_) if flushing => return Err(Bulk::Failed),
                    _ => return Err(Bulk::Failed),
                }
            }
        }
        Ok(())
    })();
    out.truncate(used);
    result
}
