//! A source for tests and fuzzing: bytes in memory delivered the way the page's worker gets
//! them — the reader is made to wait on every other poll (`Pending`, woken at once) and reads are
//! short — so a test can check that suspending the reader anywhere changes nothing.

use std::task::{Context, Poll};

use crate::source::{Source, SourceError};

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
