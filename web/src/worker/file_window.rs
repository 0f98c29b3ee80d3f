//! Random access to a dropped `File` from the worker: `FileReaderSync` over `file.slice(a, b)`,
//! through one reusable window. Reading on from where the last read ended grows the window (up to
//! 8 MiB: few, large reads stream fastest); a jump forward — the reader skipping file data it does
//! not need — starts again small, so a header walk over a huge archive reads little.

use js_sys::Uint8Array;
use web_sys::{File, FileReaderSync};

const SMALLEST_READ: usize = 64 * 1024;
const LARGEST_READ: usize = 8 * 1024 * 1024;

pub struct FileWindow {
    file: File,
    reader: FileReaderSync,
    len: u64,
    window: Vec<u8>,
    /// File offset of `window[0]`.
    window_start: u64,
    next_read: usize,
    /// Bytes actually fetched from the file (skipped ones are not).
    pub fetched: u64,
}

impl FileWindow {
    pub fn new(file: File) -> Result<FileWindow, String> {
        let reader = FileReaderSync::new().map_err(|e| format!("this browser cannot read files in a worker: {e:?}"))?;
        let len = file.size().max(0.0) as u64;
        Ok(FileWindow { file, reader, len, window: Vec::new(), window_start: 0, next_read: SMALLEST_READ, fetched: 0 })
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    /// Fills `buf` from `offset`; fewer bytes only at the end of the file.
    pub fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<usize, String> {
        let window_end = self.window_start + self.window.len() as u64;
        if offset < self.window_start || offset >= window_end {
            self.next_read = if offset == window_end { (self.next_read * 2).min(LARGEST_READ) } else { SMALLEST_READ };
            self.fill(offset, self.next_read.max(buf.len()))?;
        }
        let start = (offset - self.window_start) as usize;
        let available = self.window.len().saturating_sub(start);
        let n = available.min(buf.len());
        buf[..n].copy_from_slice(&self.window[start..start + n]);
        Ok(n)
    }

    fn fill(&mut self, offset: u64, want: usize) -> Result<(), String> {
        let end = offset.saturating_add(want as u64).min(self.len);
        self.window_start = offset;
        self.window.clear();
        if end <= offset {
            return Ok(());
        }
        let slice = self
            .file
            .slice_with_f64_and_f64(offset as f64, end as f64)
            .map_err(|e| format!("cannot slice the file at {offset}: {e:?}"))?;
        let buffer = self
            .reader
            .read_as_array_buffer(&slice)
            .map_err(|e| format!("cannot read the file at {offset} (was it moved or changed?): {e:?}"))?;
        let bytes = Uint8Array::new(&buffer);
        self.window.resize(bytes.length() as usize, 0);
        bytes.copy_to(&mut self.window);
        self.fetched += self.window.len() as u64;
        Ok(())
    }
}
