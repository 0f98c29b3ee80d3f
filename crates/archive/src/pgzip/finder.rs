//! The block finder: the first bit of a byte slice where a *dynamic* deflate block that is not
//! the final one starts, judged only by the slice's bytes (so two workers given the same bytes
//! agree). Cheap tests first (the header's type bits and ranges, then a complete code-length
//! code), then the whole code description with zlib's rules, then a decode of the whole block
//! to its end-of-block code inside the slice, and of the block after it (any type): random
//! bits that pass all that are rare enough not to show on real layers, where a check of one
//! block let through a few per hundred chunks. Stored and fixed blocks are not searched for.

use super::bits::Bits;
use super::inflate::{block, codes, dynamic_codes, fixed_codes, Codes, Count};

/// The bit (relative to `data`) where the first dynamic block found in `data` starts.
pub(crate) fn find(data: &[u8]) -> Option<u64> {
    let bits = data.len() as u64 * 8;
    let mut reader = Bits::new(data, 0);
    let fixed = fixed_codes();
    (0..bits).find(|&at| {
        reader.pos = at;
        candidate(&mut reader, &fixed)
    })
}

fn candidate(bits: &mut Bits<'_>, fixed: &Codes) -> bool {
    let at = bits.pos;
    let head = bits.peek(17);
    // BFINAL 0, BTYPE 10 (dynamic), HLIT ≤ 29 (286 codes), HDIST ≤ 29 (30 codes).
    if head & 0b111 != 0b100 || (head >> 3) & 31 > 29 || (head >> 8) & 31 > 29 {
        return false;
    }
    let hclen = ((head >> 13) & 15) as u32 + 4;
    // The code-length code must be complete: the lengths' Kraft sum is exactly 1.
    let lengths = bits.pos + 17;
    let mut kraft = 0u32;
    bits.pos = lengths;
    let word = bits.peek(57);
    for i in 0..hclen {
        let len = (word >> (3 * i)) & 7;
        if len != 0 {
            kraft += 1 << (7 - len);
        }
    }
    if kraft != 128 {
        return false;
    }
    bits.pos = at + 3;
    let Ok(codes_of_block) = dynamic_codes(bits) else {
        return false;
    };
    let mut out = Count::default();
    codes(bits, &mut out, &codes_of_block, usize::MAX).is_ok() && block(bits, &mut out, fixed, usize::MAX).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_bytes_never_panic_the_finder() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for seed in 0..300 {
            let len = 1 + (seed * 37) % 5000;
            let data: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state as u8
                })
                .collect();
            if let Some(at) = find(&data) {
                assert!(at < len as u64 * 8);
            }
        }
    }

    #[test]
    fn the_first_dynamic_block_of_a_stream_is_found_at_bit_0() {
        let text: Vec<u8> = (0..20_000u32).flat_map(|i| format!("{i} bottles\n").into_bytes()).collect();
        let deflated = miniz_oxide::deflate::compress_to_vec(&text, 6);
        // The final block is not searched for: a stream of several blocks has non-final ones.
        assert_eq!(find(&deflated), Some(0));
    }
}
