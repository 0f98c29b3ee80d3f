//! Canonical Huffman codes of deflate (RFC 1951 §3.2.2) built from code lengths with zlib's
//! rules: an over-subscribed set is invalid, an incomplete one only when it is a single code of
//! one bit (lengths and distances) and never for the code-length code. Decoding looks the next
//! [`FAST_BITS`] bits up in a table and walks the canonical code for longer codes.

use super::bits::Bits;

pub(crate) const MAX_BITS: usize = 15;
const FAST_BITS: u32 = 10;

/// Which code a table is for: the rules for incomplete codes differ.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    CodeLengths,
    LitLen,
    Dist,
}

pub(crate) struct Huffman {
    /// Codes of each length.
    count: [u16; MAX_BITS + 1],
    /// Symbols in canonical order.
    symbols: Vec<u16>,
    /// `length << 12 | symbol` for the symbol whose code is the low bits of the index; 0 when
    /// the code is longer (or there is none).
    fast: Vec<u16>,
}

/// Why code lengths make no usable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BadCode;

impl Huffman {
    /// A code without symbols: every decode fails.
    pub(crate) fn empty() -> Huffman {
        Huffman { count: [0; MAX_BITS + 1], symbols: Vec::new(), fast: Vec::new() }
    }

    /// `fast`: build the lookup table (worth it only for codes that decode many symbols).
    pub(crate) fn new(lengths: &[u8], kind: Kind, fast: bool) -> Result<Huffman, BadCode> {
        let mut count = [0u16; MAX_BITS + 1];
        for &len in lengths {
            *count.get_mut(usize::from(len)).ok_or(BadCode)? += 1;
        }
        count[0] = 0;
        let max = (1..=MAX_BITS).rev().find(|&l| count[l] != 0).unwrap_or(0);
        // Spec (RFC 1951 §3.2.2), with zlib's reading of what is acceptable.
        let mut left: i32 = 1;
        for &codes in &count[1..] {
            left = (left << 1) - i32::from(codes);
            if left < 0 {
                return Err(BadCode);
            }
        }
        let complete = left == 0;
        let allowed = match kind {
            Kind::CodeLengths => complete,
            // zlib: an empty code is allowed (it has no symbols to decode), and so is a single
            // one-bit code.
            Kind::LitLen | Kind::Dist => complete || max <= 1,
        };
        if !allowed {
            return Err(BadCode);
        }
        let mut offsets = [0u16; MAX_BITS + 2];
        for len in 1..=MAX_BITS {
            offsets[len + 1] = offsets[len] + count[len];
        }
        let mut symbols = vec![0u16; lengths.len()];
        for (symbol, &len) in lengths.iter().enumerate() {
            if len != 0 {
                let slot = &mut offsets[usize::from(len)];
                symbols[usize::from(*slot)] = symbol as u16;
                *slot += 1;
            }
        }
        let mut table = Huffman { count, symbols, fast: Vec::new() };
        if fast {
            table.fill_fast(lengths);
        }
        Ok(table)
    }

    fn fill_fast(&mut self, lengths: &[u8]) {
        let mut fast = vec![0u16; 1 << FAST_BITS];
        // The next canonical code of each length (RFC 1951 §3.2.2, step 2).
        let mut next = [0u32; MAX_BITS + 2];
        let mut code = 0u32;
        for (len, slot) in next.iter_mut().enumerate().take(MAX_BITS + 1).skip(1) {
            code = (code + u32::from(self.count[len - 1])) << 1;
            *slot = code;
        }
        for (symbol, &len) in lengths.iter().enumerate() {
            let len = u32::from(len);
            if len == 0 || len > FAST_BITS {
                continue;
            }
            let code = next[len as usize];
            next[len as usize] += 1;
            // Codes are sent most significant bit first, so the table index is the code reversed.
            let reversed = code.reverse_bits() >> (32 - len);
            let entry = (len << 12) as u16 | symbol as u16;
            let mut index = reversed as usize;
            while index < fast.len() {
                fast[index] = entry;
                index += 1 << len;
            }
        }
        self.fast = fast;
    }

    /// Decodes one symbol; `None` for bits that are no code of this table.
    #[inline]
    pub(crate) fn decode(&self, bits: &mut Bits<'_>) -> Option<u16> {
        if let Some(&entry) = self.fast.get(bits.peek(FAST_BITS) as usize) {
            if entry != 0 {
                bits.consume(u32::from(entry >> 12));
                return Some(entry & 0xfff);
            }
        }
        self.decode_slow(bits)
    }

    fn decode_slow(&self, bits: &mut Bits<'_>) -> Option<u16> {
        let word = bits.peek(MAX_BITS as u32) as u32;
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..=MAX_BITS {
            code |= ((word >> (len - 1)) & 1) as i32;
            let count = i32::from(self.count[len]);
            if code - first < count {
                bits.consume(len as u32);
                return self.symbols.get((index + code - first) as usize).copied();
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_subscribed_and_incomplete_codes_follow_zlib() {
        assert!(Huffman::new(&[1, 1, 1], Kind::LitLen, true).is_err());
        assert!(Huffman::new(&[1, 2], Kind::LitLen, true).is_err());
        assert!(Huffman::new(&[1, 0], Kind::Dist, true).is_ok());
        assert!(Huffman::new(&[0, 0], Kind::Dist, true).is_ok());
        assert!(Huffman::new(&[1, 0], Kind::CodeLengths, false).is_err());
        assert!(Huffman::new(&[1, 2, 2], Kind::CodeLengths, false).is_ok());
    }

    #[test]
    fn fast_and_slow_decoding_agree() {
        // Lengths 1..=12 and two of 12: complete.
        let mut lengths: Vec<u8> = (1..=12).collect();
        lengths.push(12);
        let with = Huffman::new(&lengths, Kind::LitLen, true).unwrap();
        let without = Huffman::new(&lengths, Kind::LitLen, false).unwrap();
        for pattern in 0..4096u32 {
            let bytes = pattern.to_le_bytes();
            let (mut a, mut b) = (Bits::new(&bytes, 0), Bits::new(&bytes, 0));
            assert_eq!(with.decode(&mut a), without.decode(&mut b));
            assert_eq!(a.pos, b.pos);
        }
    }
}
