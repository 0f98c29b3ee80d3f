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
    /// (The page's workers read a chunk's bytes from a `File` into memory of their own.)
    #[cfg(not(target_arch = "wasm32"))]
    inputs: Mutex<Vec<Vec<u8>>>,
    bytes: Mutex<Vec<Vec<u8>>>,
    symbols: Mutex<Vec<Vec<u16>>>,
}

impl Buffers {
    /// A buffer for a chunk's input; its length is how much of it is initialised.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn input(&self) -> Vec<u8> {
        self.inputs.lock().ok().and_then(|mut kept| kept.pop()).unwrap_or_default()
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

    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn give_input(&self, buffer: Vec<u8>) {
        give(&self.inputs, buffer);
    }

    pub(crate) fn give_bytes(&self, buffer: Vec<u8>) {
        give(&self.bytes, buffer);
    }

    pub(crate) fn give_symbols(&self, buffer: Vec<u16>) {
        give(&self.symbols, buffer);
    }
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
}
