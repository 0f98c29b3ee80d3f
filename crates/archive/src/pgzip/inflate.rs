//! A deflate block decoder (RFC 1951 §3.2) of our own, for what `zlib-rs` cannot do: start at
//! any bit, say exactly where each block ends, and inflate without the window before the start
//! ([`Marked`] output turns references before it into markers). Slower than `zlib-rs`; used for
//! the start of each chunk, the block finder and each member's last chunk.

use super::bits::Bits;
use super::huffman::{Huffman, Kind};

/// Deflate's window (RFC 1951 §2): distances reach back at most this far.
pub(crate) const WINDOW: usize = 32 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InflateError {
    /// Bits that are no valid deflate data.
    Data,
    /// The data ended inside a block.
    Overrun,
    /// More output than allowed.
    TooLong,
}

/// Where inflated symbols go.
pub(crate) trait Out {
    fn literal(&mut self, byte: u8);
    fn bytes(&mut self, bytes: &[u8]);
    fn copy(&mut self, distance: usize, length: usize) -> Result<(), InflateError>;
    fn len(&self) -> usize;
}

/// Symbols with the window before the start unknown: `256 + k` stands for byte `k` of it.
pub(crate) struct Marked {
    pub(crate) symbols: Vec<u16>,
    /// Index of the last marker written.
    pub(crate) last_marker: Option<usize>,
}

impl Marked {
    /// Symbols written into `symbols` (an empty buffer, lent).
    pub(crate) fn new(symbols: Vec<u16>) -> Marked {
        Marked { symbols, last_marker: None }
    }

    /// No marker among the last [`WINDOW`] symbols: what follows can only refer to known bytes.
    pub(crate) fn window_known(&self) -> bool {
        let len = self.symbols.len();
        len >= WINDOW && self.last_marker.is_none_or(|at| at < len - WINDOW)
    }
}

impl Out for Marked {
    fn literal(&mut self, byte: u8) {
        self.symbols.push(u16::from(byte));
    }
    fn bytes(&mut self, bytes: &[u8]) {
        self.symbols.extend(bytes.iter().map(|b| u16::from(*b)));
    }
    fn copy(&mut self, distance: usize, length: usize) -> Result<(), InflateError> {
        let at = self.symbols.len();
        match at.checked_sub(distance) {
            // Inside the output: whole runs at a time.
            Some(from) => {
                let mut left = length;
                while left > 0 {
                    let run = left.min(distance);
                    self.symbols.extend_from_within(from..from + run);
                    left -= run;
                }
                // Markers copied along are markers of the new place.
                if self.last_marker.is_some_and(|last| last >= from) {
                    let copied = &self.symbols[at..];
                    if let Some(i) = copied.iter().rposition(|s| *s >= 256) {
                        self.last_marker = Some(at + i);
                    }
                }
            }
            None => {
                for _ in 0..length {
                    let at = self.symbols.len();
                    let symbol = match at.checked_sub(distance) {
                        Some(from) => self.symbols[from],
                        // Before the start: byte `WINDOW - (distance - at)` of the window.
                        None => 256 + (WINDOW + at - distance) as u16,
                    };
                    if symbol >= 256 {
                        self.last_marker = Some(at);
                    }
                    self.symbols.push(symbol);
                }
            }
        }
        Ok(())
    }
    fn len(&self) -> usize {
        self.symbols.len()
    }
}

/// Counts the output only (the finder's trial decode).
#[derive(Default)]
pub(crate) struct Count(pub(crate) usize);

impl Out for Count {
    fn literal(&mut self, _: u8) {
        self.0 += 1;
    }
    fn bytes(&mut self, bytes: &[u8]) {
        self.0 += bytes.len();
    }
    fn copy(&mut self, _: usize, length: usize) -> Result<(), InflateError> {
        self.0 += length;
        Ok(())
    }
    fn len(&self) -> usize {
        self.0
    }
}

// Spec (RFC 1951 §3.2.5): base lengths and distances and their extra bits.
const LENGTH_BASE: [u16; 29] =
    [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA: [u8; 29] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385,
    24577,
];
const DIST_EXTRA: [u8; 30] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
/// Spec (RFC 1951 §3.2.7): the order in which code-length code lengths are sent.
const CODE_LENGTH_ORDER: [usize; 19] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/// The codes of one compressed block.
pub(crate) struct Codes {
    lit: Huffman,
    dist: Huffman,
}

/// The fixed codes (RFC 1951 §3.2.6).
pub(crate) fn fixed_codes() -> Codes {
    let mut lengths = [0u8; 288];
    lengths[..144].fill(8);
    lengths[144..256].fill(9);
    lengths[256..280].fill(7);
    lengths[280..].fill(8);
    // Both complete by construction; an error here cannot happen, so any fallback will do.
    let lit = Huffman::new(&lengths, Kind::LitLen, true);
    // 32 codes, of which 30 and 31 never occur in valid data.
    let dist = Huffman::new(&[5u8; 32], Kind::Dist, true);
    match (lit, dist) {
        (Ok(lit), Ok(dist)) => Codes { lit, dist },
        _ => Codes { lit: Huffman::empty(), dist: Huffman::empty() },
    }
}

/// Reads a dynamic block's code description (RFC 1951 §3.2.7), the block header's 3 bits
/// already read.
pub(crate) fn dynamic_codes(bits: &mut Bits<'_>) -> Result<Codes, InflateError> {
    let hlit = bits.take(5) as usize + 257;
    let hdist = bits.take(5) as usize + 1;
    let hclen = bits.take(4) as usize + 4;
    if hlit > 286 || hdist > 30 {
        return Err(InflateError::Data);
    }
    let mut code_lengths = [0u8; 19];
    for &symbol in &CODE_LENGTH_ORDER[..hclen] {
        code_lengths[symbol] = bits.take(3) as u8;
    }
    let code = Huffman::new(&code_lengths, Kind::CodeLengths, false).map_err(|_| InflateError::Data)?;
    let mut lengths = [0u8; 286 + 30];
    let mut n = 0;
    while n < hlit + hdist {
        let symbol = code.decode(bits).ok_or(InflateError::Data)?;
        let (value, repeat) = match symbol {
            0..=15 => (symbol as u8, 1),
            16 => (*lengths[..n].last().ok_or(InflateError::Data)?, 3 + bits.take(2) as usize),
            17 => (0, 3 + bits.take(3) as usize),
            _ => (0, 11 + bits.take(7) as usize),
        };
        let slots = lengths.get_mut(n..n + repeat).filter(|_| n + repeat <= hlit + hdist).ok_or(InflateError::Data)?;
        slots.fill(value);
        n += repeat;
    }
    // zlib: a block without an end-of-block code cannot end.
    if lengths[256] == 0 {
        return Err(InflateError::Data);
    }
    let lit = Huffman::new(&lengths[..hlit], Kind::LitLen, true).map_err(|_| InflateError::Data)?;
    let dist = Huffman::new(&lengths[hlit..hlit + hdist], Kind::Dist, true).map_err(|_| InflateError::Data)?;
    if bits.overrun() {
        return Err(InflateError::Overrun);
    }
    Ok(Codes { lit, dist })
}

/// Inflates one block from `bits` into `out`; `Ok(true)` when it was the final block. `fixed`:
/// the fixed codes, built once by the caller. Fails once `out` holds more than `limit` symbols.
pub(crate) fn block(bits: &mut Bits<'_>, out: &mut impl Out, fixed: &Codes, limit: usize) -> Result<bool, InflateError> {
    let last = bits.take(1) == 1;
    match bits.take(2) {
        0 => stored(bits, out)?,
        1 => codes(bits, out, fixed, limit)?,
        2 => {
            let dynamic = dynamic_codes(bits)?;
            codes(bits, out, &dynamic, limit)?
        }
        _ => return Err(InflateError::Data),
    }
    if out.len() > limit {
        return Err(InflateError::TooLong);
    }
    Ok(last)
}

fn stored(bits: &mut Bits<'_>, out: &mut impl Out) -> Result<(), InflateError> {
    bits.pos = bits.pos.div_ceil(8) * 8;
    let len = bits.take(16);
    let nlen = bits.take(16);
    if len != !nlen & 0xffff {
        return Err(InflateError::Data);
    }
    let from = usize::try_from(bits.pos / 8).map_err(|_| InflateError::Overrun)?;
    let data = bits.data().get(from..from + len as usize).ok_or(InflateError::Overrun)?;
    out.bytes(data);
    bits.consume(len * 8);
    Ok(())
}

/// The symbols of a compressed block, to its end-of-block code.
pub(crate) fn codes(bits: &mut Bits<'_>, out: &mut impl Out, codes: &Codes, limit: usize) -> Result<(), InflateError> {
    loop {
        if bits.overrun() {
            return Err(InflateError::Overrun);
        }
        let symbol = codes.lit.decode(bits).ok_or(InflateError::Data)?;
        if symbol < 256 {
            out.literal(symbol as u8);
            continue;
        }
        if symbol == 256 {
            break;
        }
        let index = usize::from(symbol - 257);
        let (&base, &extra) = LENGTH_BASE.get(index).zip(LENGTH_EXTRA.get(index)).ok_or(InflateError::Data)?;
        let length = usize::from(base) + bits.take(u32::from(extra)) as usize;
        let symbol = usize::from(codes.dist.decode(bits).ok_or(InflateError::Data)?);
        let (&base, &extra) = DIST_BASE.get(symbol).zip(DIST_EXTRA.get(symbol)).ok_or(InflateError::Data)?;
        let distance = usize::from(base) + bits.take(u32::from(extra)) as usize;
        out.copy(distance, length)?;
        if out.len() > limit {
            return Err(InflateError::TooLong);
        }
    }
    if bits.overrun() {
        return Err(InflateError::Overrun);
    }
    Ok(())
}
