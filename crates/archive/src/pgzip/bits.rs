//! Deflate's bit order (RFC 1951 §3.1.1: bits are taken from the least significant end of each
//! byte) over a byte slice, at any bit position. Reading past the end gives zeros and is
//! noticed with [`Bits::overrun`], so a decode never panics on short input.

#[derive(Clone)]
pub(crate) struct Bits<'a> {
    data: &'a [u8],
    /// Position of the next bit.
    pub(crate) pos: u64,
}

impl<'a> Bits<'a> {
    pub(crate) fn new(data: &'a [u8], pos: u64) -> Bits<'a> {
        Bits { data, pos }
    }

    pub(crate) fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Bits in the data.
    pub(crate) fn len(&self) -> u64 {
        self.data.len() as u64 * 8
    }

    /// The position is past the end of the data: what was read there was made up.
    pub(crate) fn overrun(&self) -> bool {
        self.pos > self.len()
    }

    /// The next `n` (≤ 56) bits, not consumed.
    #[inline]
    pub(crate) fn peek(&self, n: u32) -> u64 {
        let byte = usize::try_from(self.pos >> 3).unwrap_or(usize::MAX);
        let word = match self.data.get(byte..).and_then(|rest| rest.first_chunk::<8>()) {
            Some(eight) => u64::from_le_bytes(*eight),
            None => {
                let mut word = [0u8; 8];
                let rest = self.data.get(byte..).unwrap_or(&[]);
                word[..rest.len().min(8)].copy_from_slice(&rest[..rest.len().min(8)]);
                u64::from_le_bytes(word)
            }
        };
        (word >> (self.pos & 7)) & ((1u64 << n) - 1)
    }

    #[inline]
    pub(crate) fn consume(&mut self, n: u32) {
        self.pos += u64::from(n);
    }

    /// Reads `n` (≤ 56) bits as a number.
    #[inline]
    pub(crate) fn take(&mut self, n: u32) -> u32 {
        let value = self.peek(n) as u32;
        self.consume(n);
        value
    }
}
