//! Buffered, skippable byte streams stacked on a [`Source`]: the archive itself ([`SourceReader`]), a
//! member of a tar ([`Window`]), a few bytes put back in front ([`Prefixed`]), and (in
//! `decompress`) inflated data. Every layer skips by asking the one below it to skip, so skipping
//! a file inside an uncompressed layer inside an uncompressed archive ends as a seek of the
//! source, while inside a compressed stream it ends as decompress-and-discard.
//!
//! `fill` and `skip` are `async`: when the source has to wait for bytes (the page's worker asks
//! the browser for slices of a `File`), the whole stack of streams, and the tar readers and
//! decompressors above it, is suspended where it stands and resumed when the bytes come. With a
//! source that never waits (the CLI's) every future is ready at its first poll.

use crate::error::Corruption;
use crate::source::{Source, SourceError};
use crate::{Control, Progress};

/// Why a stream stopped delivering bytes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum ReadError {
    /// The source ended before the length a tar member promised: the archive is cut short.
    SourceEnded,
    /// The byte source failed.
    Source(SourceError),
    /// Compressed data that does not decode.
    Corrupt(Corruption),
    /// The progress callback asked to stop.
    Cancelled,
}

/// A forward-only stream with its own buffer, in the manner of `std::io::BufRead`, plus skipping.
pub(crate) trait Stream {
    /// The next buffered bytes: empty only at the end of the stream.
    async fn fill(&mut self) -> Result<&[u8], ReadError>;
    /// Marks `n` bytes of the last `fill` as used.
    fn consume(&mut self, n: usize);
    /// Skips `n` bytes; returns how many were skipped (fewer only at the end of the stream).
    async fn skip(&mut self, n: u64) -> Result<u64, ReadError>;
    /// Skips `n` bytes that another reader read from the source (a chunk of a gzip member
    /// inflated elsewhere): the archive's reader counts them as read, not skipped.
    async fn pass(&mut self, n: u64) -> Result<u64, ReadError> {
        self.skip(n).await
    }
}

impl<T: Stream> Stream for &mut T {
    async fn fill(&mut self) -> Result<&[u8], ReadError> {
        (**self).fill().await
    }
    fn consume(&mut self, n: usize) {
        (**self).consume(n)
    }
    async fn skip(&mut self, n: u64) -> Result<u64, ReadError> {
        (**self).skip(n).await
    }
    async fn pass(&mut self, n: u64) -> Result<u64, ReadError> {
        (**self).pass(n).await
    }
}

/// Reads until `buf` is full or the stream ends; returns the bytes written.
pub(crate) async fn read_up_to(stream: &mut impl Stream, buf: &mut [u8]) -> Result<usize, ReadError> {
    let mut filled = 0;
    while filled < buf.len() {
        let available = stream.fill().await?;
        if available.is_empty() {
            break;
        }
        let n = available.len().min(buf.len() - filled);
        buf[filled..filled + n].copy_from_slice(&available[..n]);
        stream.consume(n);
        filled += n;
    }
    Ok(filled)
}

/// Appends up to `max` bytes of the stream to `out`; returns how many were appended.
pub(crate) async fn read_into(stream: &mut impl Stream, out: &mut Vec<u8>, max: u64) -> Result<u64, ReadError> {
    let mut taken = 0u64;
    while taken < max {
        let available = stream.fill().await?;
        if available.is_empty() {
            break;
        }
        let n = available.len().min(usize::try_from(max - taken).unwrap_or(usize::MAX));
        out.extend_from_slice(&available[..n]);
        stream.consume(n);
        taken += n as u64;
    }
    Ok(taken)
}

/// Skips `n` bytes by reading them (the only way through compressed data).
pub(crate) async fn skip_by_filling(stream: &mut impl Stream, n: u64) -> Result<u64, ReadError> {
    let mut left = n;
    while left > 0 {
        let available = stream.fill().await?.len();
        if available == 0 {
            break;
        }
        let step = (available as u64).min(left) as usize;
        stream.consume(step);
        left -= step as u64;
    }
    Ok(n - left)
}

/// The most the source is asked for at a time.
const INPUT_BUFFER: usize = 256 * 1024;
/// Gaps at least this long are sought over rather than read: on a header walk most files are
/// skipped, and reading them would copy most of the archive.
const SEEK_THRESHOLD: u64 = 8 * 1024;
/// The first read after a seek is small (a header and maybe a small file); reads then double
/// while the data is consumed sequentially (a compressed layer, a JSON document).
const READ_AFTER_SEEK: usize = 8 * 1024;
/// Progress is reported (and cancellation checked) at least this often, in source bytes.
const PROGRESS_EVERY: u64 = 4 * 1024 * 1024;

/// The archive: a [`Source`] with a buffer, byte accounting, progress and cancellation.
pub(crate) struct SourceReader<'a> {
    source: &'a mut dyn Source,
    progress: &'a mut dyn FnMut(Progress) -> Control,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// Position in the source of `buf[end]`.
    source_position: u64,
    pub(crate) bytes_read: u64,
    pub(crate) bytes_skipped: u64,
    total: Option<u64>,
    next_report: u64,
    cancelled: bool,
    can_seek: bool,
    next_read_size: usize,
    /// Within [`Stream::pass`]: a jump counts as bytes read.
    passing: bool,
}

impl<'a> SourceReader<'a> {
    pub(crate) fn new(source: &'a mut dyn Source, progress: &'a mut dyn FnMut(Progress) -> Control) -> SourceReader<'a> {
        let total = source.len();
        SourceReader {
            source,
            progress,
            buf: vec![0; INPUT_BUFFER],
            start: 0,
            end: 0,
            source_position: 0,
            bytes_read: 0,
            bytes_skipped: 0,
            total,
            next_report: 0,
            cancelled: false,
            can_seek: true,
            passing: false,
            next_read_size: INPUT_BUFFER,
        }
    }

    pub(crate) fn total(&self) -> Option<u64> {
        self.total
    }

    pub(crate) fn cancelled(&self) -> bool {
        self.cancelled
    }

    /// Position of the next byte `fill` would return.
    pub(crate) fn position(&self) -> u64 {
        self.source_position - (self.end - self.start) as u64
    }

    /// Tells the callback where we are; remembers a request to stop.
    pub(crate) fn report(&mut self, done: bool) {
        let position = self.position();
        if !done && position < self.next_report {
            return;
        }
        self.next_report = position.saturating_add(PROGRESS_EVERY);
        let progress = Progress { position, total: self.total, bytes_read: self.bytes_read, bytes_skipped: self.bytes_skipped, done };
        if (self.progress)(progress) == Control::Cancel {
            self.cancelled = true;
        }
    }

    /// The next `n` bytes (fewer only at the end of the source; `n` at most the buffer's size),
    /// without consuming them: a source may deliver fewer bytes per read than a sniff needs.
    pub(crate) async fn peek(&mut self, n: usize) -> Result<&[u8], ReadError> {
        let n = n.min(self.buf.len());
        while self.end - self.start < n {
            if self.read_more(self.buf.len()).await? == 0 {
                break;
            }
        }
        Ok(&self.buf[self.start..self.end.min(self.start + n)])
    }

    /// Reads once, the next read size (which doubles while the data is read on).
    async fn refill(&mut self) -> Result<(), ReadError> {
        let want = self.next_read_size.min(self.buf.len());
        self.read_more(want).await?;
        self.next_read_size = (want * 2).min(INPUT_BUFFER);
        Ok(())
    }

    /// Moves the unread bytes to the front of the buffer and reads at most `want` more after
    /// them; returns how many came (0 at the end of the source). Progress is reported and a
    /// cancellation honoured first.
    async fn read_more(&mut self, want: usize) -> Result<usize, ReadError> {
        self.report(false);
        if self.cancelled {
            return Err(ReadError::Cancelled);
        }
        self.buf.copy_within(self.start..self.end, 0);
        self.end -= self.start;
        self.start = 0;
        let (from, to) = (self.end, self.end.saturating_add(want).min(self.buf.len()));
        let got = std::future::poll_fn(|cx| self.source.poll_read(cx, &mut self.buf[from..to])).await.map_err(ReadError::Source)?;
        let got = got.min(to - from);
        self.end += got;
        self.source_position += got as u64;
        self.bytes_read += got as u64;
        Ok(got)
    }
}

impl Stream for SourceReader<'_> {
    async fn fill(&mut self) -> Result<&[u8], ReadError> {
        if self.start == self.end {
            self.refill().await?;
        }
        Ok(&self.buf[self.start..self.end])
    }

    fn consume(&mut self, n: usize) {
        self.start = (self.start + n).min(self.end);
    }

    async fn pass(&mut self, n: u64) -> Result<u64, ReadError> {
        self.passing = true;
        let passed = self.skip(n).await;
        self.passing = false;
        passed
    }

    async fn skip(&mut self, n: u64) -> Result<u64, ReadError> {
        let buffered = (self.end - self.start) as u64;
        if n <= buffered {
            self.start += n as usize;
            return Ok(n);
        }
        let mut left = n - buffered;
        self.start = self.end;
        // Skipping past the buffer means a header walk: keep reads small until data is streamed.
        self.next_read_size = READ_AFTER_SEEK;
        if self.can_seek && left >= SEEK_THRESHOLD {
            // A source that knows its size lets a skip past the end count as a short skip, so a
            // truncated archive is noticed where the data is missing.
            let possible = match self.total {
                Some(total) => left.min(total.saturating_sub(self.source_position)),
                None => left,
            };
            if self.source.skip(possible).map_err(ReadError::Source)? {
                self.source_position += possible;
                if self.passing {
                    self.bytes_read += possible;
                } else {
                    self.bytes_skipped += possible;
                }
                self.next_read_size = READ_AFTER_SEEK;
                self.report(false);
                if self.cancelled {
                    return Err(ReadError::Cancelled);
                }
                return Ok(buffered + possible);
            }
            self.can_seek = false;
        }
        while left > 0 {
            self.refill().await?;
            if self.end == 0 {
                return Ok(n - left);
            }
            let step = (self.end as u64).min(left);
            self.start = step as usize;
            left -= step;
        }
        Ok(n)
    }
}

/// The data of one tar member: at most `remaining` bytes of the stream below.
pub(crate) struct Window<'s, S: Stream> {
    inner: &'s mut S,
    remaining: &'s mut u64,
}

impl<'s, S: Stream> Window<'s, S> {
    pub(crate) fn new(inner: &'s mut S, remaining: &'s mut u64) -> Window<'s, S> {
        Window { inner, remaining }
    }
}

impl<S: Stream> Stream for Window<'_, S> {
    async fn fill(&mut self) -> Result<&[u8], ReadError> {
        if *self.remaining == 0 {
            return Ok(&[]);
        }
        let limit = usize::try_from(*self.remaining).unwrap_or(usize::MAX);
        let available = self.inner.fill().await?;
        if available.is_empty() {
            return Err(ReadError::SourceEnded);
        }
        let n = available.len().min(limit);
        Ok(&available[..n])
    }

    fn consume(&mut self, n: usize) {
        self.inner.consume(n);
        *self.remaining = self.remaining.saturating_sub(n as u64);
    }

    async fn skip(&mut self, n: u64) -> Result<u64, ReadError> {
        let wanted = n.min(*self.remaining);
        let got = self.inner.skip(wanted).await?;
        self.count(wanted, got)
    }

    async fn pass(&mut self, n: u64) -> Result<u64, ReadError> {
        let wanted = n.min(*self.remaining);
        let got = self.inner.pass(wanted).await?;
        self.count(wanted, got)
    }
}

impl<S: Stream> Window<'_, S> {
    /// `got` of `wanted` bytes skipped: fewer means the archive ended inside the member.
    fn count(&mut self, wanted: u64, got: u64) -> Result<u64, ReadError> {
        *self.remaining -= got;
        if got < wanted {
            return Err(ReadError::SourceEnded);
        }
        Ok(wanted)
    }
}

/// A stream with a few already-read bytes put back in front of it (after sniffing).
pub(crate) struct Prefixed<S> {
    head: Vec<u8>,
    head_position: usize,
    inner: S,
}

impl<S: Stream> Prefixed<S> {
    pub(crate) fn new(head: Vec<u8>, inner: S) -> Prefixed<S> {
        Prefixed { head, head_position: 0, inner }
    }
}

impl<S: Stream> Stream for Prefixed<S> {
    async fn fill(&mut self) -> Result<&[u8], ReadError> {
        if self.head_position < self.head.len() {
            return Ok(&self.head[self.head_position..]);
        }
        self.inner.fill().await
    }

    fn consume(&mut self, n: usize) {
        if self.head_position < self.head.len() {
            self.head_position = (self.head_position + n).min(self.head.len());
        } else {
            self.inner.consume(n);
        }
    }

    async fn skip(&mut self, n: u64) -> Result<u64, ReadError> {
        let in_head = ((self.head.len() - self.head_position) as u64).min(n);
        self.head_position += in_head as usize;
        if in_head == n {
            return Ok(n);
        }
        Ok(in_head + self.inner.skip(n - in_head).await?)
    }
}

#[cfg(test)]
mod tests;
