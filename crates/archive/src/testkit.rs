//! Sources and inputs for tests and fuzzing: bytes in memory delivered the way the page's worker
//! gets them — the reader is made to wait on every other poll (`Pending`, woken at once) and
//! reads are short — so a test can check that suspending the reader anywhere changes nothing;
//! bytes in memory opened again for each thread, as the CLI opens a file; a gzip member.

#[cfg(not(target_arch = "wasm32"))]
use std::sync::Arc;
use std::task::{Context, Poll};

use crate::source::{Source, SourceError};

/// Opens `bytes` again for each reading thread (what [`crate::open_file`] does for a file).
#[cfg(not(target_arch = "wasm32"))]
pub fn opener(bytes: &[u8]) -> impl Fn() -> Result<Box<dyn Source + Send>, SourceError> + Sync {
    let shared: Arc<[u8]> = bytes.into();
    move || {
        let bytes = Arc::clone(&shared);
        let len = bytes.len() as u64;
        let read_at = move |offset: u64, buf: &mut [u8]| {
            let from = usize::try_from(offset).unwrap_or(usize::MAX).min(bytes.len());
            let n = buf.len().min(bytes.len() - from);
            buf[..n].copy_from_slice(&bytes[from..from + n]);
            Ok::<usize, SourceError>(n)
        };
        Ok(Box::new(crate::source::RandomAccessSource::new(len, read_at)) as Box<dyn Source + Send>)
    }
}

/// One gzip member of `deflated` (the raw deflate data of `data`), with the file name `name` in
/// its header as `gzip` writes it, and the correct trailer.
pub fn gzip_member(name: &str, deflated: &[u8], data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0x08, 0, 0, 0, 0, 0, 3];
    out.extend_from_slice(name.as_bytes());
    out.push(0);
    out.extend_from_slice(deflated);
    out.extend_from_slice(&crc32fast::hash(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

pub struct WaitingSource<'a> {
    bytes: &'a [u8],
    position: usize,
    /// Polls so far.
    pub polls: usize,
}

impl<'a> WaitingSource<'a> {
    pub fn new(bytes: &'a [u8]) -> WaitingSource<'a> {
        WaitingSource { bytes, position: 0, polls: 0 }
    }
}

impl Source for WaitingSource<'_> {
    /// Every odd poll is `Pending`; every even one gives at most `1 + polls % 700` bytes, so
    /// suspensions land at every depth of the reader.
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<Result<usize, SourceError>> {
        self.polls += 1;
        if self.polls % 2 == 1 {
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let rest = &self.bytes[self.position..];
        let n = rest.len().min(buf.len()).min(1 + self.polls % 700);
        buf[..n].copy_from_slice(&rest[..n]);
        self.position += n;
        Poll::Ready(Ok(n))
    }

    fn skip(&mut self, n: u64) -> Result<bool, SourceError> {
        self.position = self.position.saturating_add(usize::try_from(n).unwrap_or(usize::MAX)).min(self.bytes.len());
        Ok(true)
    }

    fn len(&self) -> Option<u64> {
        Some(self.bytes.len() as u64)
    }
}
