//! Memory a runner lends to the chunks it inflates, given back by the consumer once it has
//! handed a chunk's bytes out. A chunk inflates tens of megabytes; in fresh memory each 4 KiB
//! costs a page fault and zeroing, which on the realistic image took a sixth of the chunked
//! reading's time (1.1 s of system time for a 1.2 GB layer). [`Room`] keeps what a buffer had
//! initialised, so a reused buffer is written over without zeroing it again.

use std::sync::Mutex;

use super::inflate::{InflateError, Out};

/// Buffers kept for reuse, at most this many of each kind (the chunks in flight, the one being
/// handed out, and the one being inflated as another is given back).
const KEEP: usize = 8;

/// Buffers waiting to be lent again: a chunk's input, its output, its symbols.
#[derive(Default)]
pub struct Buffers {
    inputs: Mutex<Vec<Vec<u8>>>,
    bytes: Mutex<Vec<Vec<u8>>>,
    symbols: Mutex<Vec<Vec<u16>>>,
}

impl Buffers {
    /// A buffer of `len` bytes for a chunk's input, to give back with [`Buffers::give_input`]:
    /// the smallest kept that is large enough (else the largest), zeroed only past what it held.
    pub fn input_of(&self, len: usize) -> Vec<u8> {
        sized(&self.inputs, len)
    }

    /// A buffer of `len` bytes for a chunk's bytes, as [`Buffers::input_of`]: a runner copies a
    /// chunk's result into it when the result comes from elsewhere (the page's pool workers), and
    /// the consumer gives it back once it has handed the bytes out.
    pub fn bytes_of(&self, len: usize) -> Vec<u8> {
        sized(&self.bytes, len)
    }

    /// A buffer for a chunk's output; its length is how much of it is initialised (its contents
    /// are left over).
    pub(crate) fn bytes(&self) -> Vec<u8> {
        self.bytes.lock().ok().and_then(|mut kept| kept.pop()).unwrap_or_default()
    }

    /// An empty symbol buffer (its capacity left over).
    pub(crate) fn symbols(&self) -> Vec<u16> {
        let mut symbols = self.symbols.lock().ok().and_then(|mut kept| kept.pop()).unwrap_or_default();
        symbols.clear();
        symbols
    }

    pub fn give_input(&self, buffer: Vec<u8>) {
        give(&self.inputs, buffer);
    }

    pub(crate) fn give_bytes(&self, buffer: Vec<u8>) {
        give(&self.bytes, buffer);
    }

    pub(crate) fn give_symbols(&self, buffer: Vec<u16>) {
        give(&self.symbols, buffer);
    }
}

fn sized(kept: &Mutex<Vec<Vec<u8>>>, len: usize) -> Vec<u8> {
    let taken = kept.lock().ok().and_then(|mut kept| {
        let fits = kept.iter().enumerate().filter(|(_, b)| b.capacity() >= len).min_by_key(|(_, b)| b.capacity());
        let at = fits.or_else(|| kept.iter().enumerate().max_by_key(|(_, b)| b.capacity())).map(|(at, _)| at)?;
        Some(kept.swap_remove(at))
    });
    let mut buffer = taken.unwrap_or_default();
    buffer.resize(len, 0);
    buffer
}

fn give<T>(kept: &Mutex<Vec<Vec<T>>>, buffer: Vec<T>) {
    if buffer.capacity() == 0 {
        return;
    }
    if let Ok(mut kept) = kept.lock() {
        if kept.len() < KEEP {
            kept.push(buffer);
        }
    }
}

/// Inflated bytes `buf[..len]`, in a buffer whose bytes past `len` are initialised room (left
/// from an earlier use): written over without zeroing.
pub(crate) struct Room {
    pub(crate) buf: Vec<u8>,
    pub(crate) len: usize,
}

impl Room {
    pub(crate) fn new(buf: Vec<u8>) -> Room {
        Room { buf, len: 0 }
    }

    /// At least `n` bytes of room after the bytes (zeroed only where the buffer never was).
    pub(crate) fn reserve(&mut self, n: usize) {
        let want = self.len.saturating_add(n);
        if self.buf.len() < want {
            // Whole steps, so byte-by-byte writes do not resize every time.
            let step = want.max(self.buf.len().saturating_add(1 << 16));
            self.buf.resize(step, 0);
        }
    }

    /// The room after the bytes.
    pub(crate) fn spare(&mut self) -> &mut [u8] {
        let len = self.len;
        self.buf.get_mut(len..).unwrap_or(&mut [])
    }

    pub(crate) fn filled(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(&[])
    }
}

/// Plain bytes: every reference must stay inside what was written (put the window in first).
impl Out for Room {
    fn literal(&mut self, byte: u8) {
        self.bytes(&[byte]);
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.reserve(bytes.len());
        let at = self.len;
        if let Some(place) = self.buf.get_mut(at..at + bytes.len()) {
            place.copy_from_slice(bytes);
            self.len += bytes.len();
        }
    }

    fn copy(&mut self, distance: usize, length: usize) -> Result<(), InflateError> {
        let from = self.len.checked_sub(distance).filter(|_| distance > 0).ok_or(InflateError::Data)?;
        self.reserve(length);
        let mut left = length;
        while left > 0 {
            // What is written repeats with period `distance`, so the run may copy itself on.
            let run = left.min(self.len - from);
            self.buf.copy_within(from..from + run, self.len);
            self.len += run;
            left -= run;
        }
        Ok(())
    }

    fn len(&self) -> usize {
        self.len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reused_buffer_is_written_over_and_copies_repeat_their_period() {
        let mut room = Room::new(vec![9u8; 100]);
        room.bytes(b"abc");
        room.copy(3, 10).unwrap();
        room.literal(b'!');
        room.copy(1, 4).unwrap();
        assert_eq!(room.filled(), b"abcabcabcabca!!!!!");
        assert_eq!(room.copy(19, 1), Err(InflateError::Data));
        assert_eq!(room.copy(0, 1), Err(InflateError::Data));
        // Past the buffer's first length, the room grows.
        room.copy(2, 200).unwrap();
        assert_eq!(room.len(), 218);
        assert!(room.filled()[18..].iter().all(|&b| b == b'!'));
    }

    #[test]
    fn buffers_come_back_with_what_they_held_and_symbols_empty() {
        let buffers = Buffers::default();
        assert!(buffers.bytes().is_empty());
        buffers.give_bytes(vec![1, 2, 3]);
        assert_eq!(buffers.bytes(), vec![1, 2, 3]);
        buffers.give_symbols(vec![7; 10]);
        let symbols = buffers.symbols();
        assert!(symbols.is_empty() && symbols.capacity() >= 10);
        for _ in 0..2 * KEEP {
            buffers.give_bytes(vec![0; 4]);
        }
        assert_eq!(buffers.bytes.lock().unwrap().len(), KEEP);
    }

    #[test]
    fn a_sized_buffer_is_the_smallest_kept_that_fits_with_what_it_held() {
        let buffers = Buffers::default();
        for (fill, capacity) in [(1u8, 100), (2, 40), (3, 60)] {
            let mut buffer = Vec::with_capacity(capacity);
            buffer.resize(10, fill);
            buffers.give_input(buffer);
        }
        let fits = buffers.input_of(50);
        assert_eq!((fits.len(), fits.capacity(), &fits[..10]), (50, 60, &[3u8; 10][..]), "the 60-byte one, its bytes kept");
        assert!(fits[10..].iter().all(|&b| b == 0), "zeroed past what it held");
        let larger = buffers.input_of(500);
        assert_eq!((larger.len(), &larger[..10]), (500, &[1u8; 10][..]), "none fits: the largest, grown");
        assert_eq!(buffers.bytes_of(7), vec![0; 7], "none kept: a new one");
    }
}
