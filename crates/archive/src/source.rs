//! Byte sources: the one seam between the reader and the world. A source is read from the start
//! to the end, once; it may be able to jump forward (a file on disk, a browser `File` read in
//! slices) and may know its size. A read may have to wait: the page's worker asks the browser
//! for slices of a `File` and gets them later, so [`Source::poll_read`] is a poll in the manner
//! of `futures::io::AsyncRead`. The CLI's sources (a `std::fs::File`, stdin, a pipe, bytes in
//! memory) never wait: they answer every poll at once.

use std::fmt;
use std::io::{Read, Seek, SeekFrom};
use std::task::{Context, Poll};

/// Why a source could not deliver bytes (an I/O error on disk, a browser's failed `Blob` read).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SourceError {
    pub message: String,
}

impl SourceError {
    pub fn new(message: impl Into<String>) -> SourceError {
        SourceError { message: message.into() }
    }
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<std::io::Error> for SourceError {
    fn from(e: std::io::Error) -> SourceError {
        SourceError::new(e.to_string())
    }
}

/// A forward-only byte source.
///
/// The reader polls [`Source::poll_read`] with buffers of at most a few hundred KiB and, when it
/// does not need the next `n` bytes, calls [`Source::skip`]. A source that cannot jump returns
/// `Ok(false)` from `skip` and the reader reads the bytes and throws them away instead.
// `len` is the size of the whole source, not of what is left: an `is_empty` would mislead.
#[allow(clippy::len_without_is_empty)]
pub trait Source {
    /// Fills the start of `buf` and returns how many bytes were written; `Ok(0)` only at the end
    /// of the source (or when `buf` is empty). `Poll::Pending` when the bytes are on their way:
    /// the source then wakes `cx`'s waker when they have come, and the reader polls again with
    /// the same request.
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<Result<usize, SourceError>>;

    /// Moves forward by `n` bytes without reading them. Returns `Ok(false)` when this source
    /// cannot jump (nothing moved). Skipping past the end leaves the source at its end.
    fn skip(&mut self, n: u64) -> Result<bool, SourceError> {
        let _ = n;
        Ok(false)
    }

    /// Total size in bytes, when known (used for progress and for the facts' `archive_bytes`).
    fn len(&self) -> Option<u64> {
        None
    }
}

/// A seekable file (or anything `Read + Seek`): skips become seeks.
pub struct SeekableSource<R> {
    inner: R,
    len: Option<u64>,
    position: u64,
}

impl<R: Read + Seek> SeekableSource<R> {
    /// Measures the length by seeking to the end and back.
    pub fn new(mut inner: R) -> Result<SeekableSource<R>, SourceError> {
        let position = inner.stream_position()?;
        let end = inner.seek(SeekFrom::End(0))?;
        inner.seek(SeekFrom::Start(position))?;
        Ok(SeekableSource { inner, len: Some(end.saturating_sub(position)), position: 0 })
    }
}

/// `Read::read`, retried when interrupted by a signal.
fn read_retrying(inner: &mut impl Read, buf: &mut [u8]) -> Result<usize, SourceError> {
    loop {
        match inner.read(buf) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        }
    }
}

impl<R: Read + Seek> Source for SeekableSource<R> {
    fn poll_read(&mut self, _: &mut Context<'_>, buf: &mut [u8]) -> Poll<Result<usize, SourceError>> {
        let n = read_retrying(&mut self.inner, buf);
        if let Ok(n) = n {
            self.position += n as u64;
        }
        Poll::Ready(n)
    }

    fn skip(&mut self, n: u64) -> Result<bool, SourceError> {
        // Seeking past the end is allowed by `Seek`; clamp so the next read reports the end.
        let target = match self.len {
            Some(len) => self.position.saturating_add(n).min(len),
            None => self.position.saturating_add(n),
        };
        let delta = i64::try_from(target - self.position).map_err(|_| SourceError::new("skip too large"))?;
        self.inner.seek(SeekFrom::Current(delta))?;
        self.position = target;
        Ok(true)
    }

    fn len(&self) -> Option<u64> {
        self.len
    }
}

/// A stream that can only be read (stdin, a pipe, a socket): skips are reads.
pub struct StreamSource<R> {
    inner: R,
    len: Option<u64>,
}

impl<R: Read> StreamSource<R> {
    /// `len`, when the caller knows it (a `Content-Length`), improves progress reports only.
    pub fn new(inner: R, len: Option<u64>) -> StreamSource<R> {
        StreamSource { inner, len }
    }
}

impl<R: Read> Source for StreamSource<R> {
    fn poll_read(&mut self, _: &mut Context<'_>, buf: &mut [u8]) -> Poll<Result<usize, SourceError>> {
        Poll::Ready(read_retrying(&mut self.inner, buf))
    }

    fn len(&self) -> Option<u64> {
        self.len
    }
}

/// Bytes already in memory (tests, fuzzing, small uploads). Seekable.
pub struct SliceSource<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> SliceSource<'a> {
    pub fn new(bytes: &'a [u8]) -> SliceSource<'a> {
        SliceSource { bytes, position: 0 }
    }
}

impl Source for SliceSource<'_> {
    fn poll_read(&mut self, _: &mut Context<'_>, buf: &mut [u8]) -> Poll<Result<usize, SourceError>> {
        let rest = self.bytes.get(self.position..).unwrap_or(&[]);
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.position += n;
        Poll::Ready(Ok(n))
    }

    fn skip(&mut self, n: u64) -> Result<bool, SourceError> {
        let n = usize::try_from(n).unwrap_or(usize::MAX);
        self.position = self.position.saturating_add(n).min(self.bytes.len());
        Ok(true)
    }

    fn len(&self) -> Option<u64> {
        Some(self.bytes.len() as u64)
    }
}

/// A source made of a synchronous random-access reader function: `read_at(offset, buf)` fills
/// `buf` from `offset` and returns how many bytes it wrote (fewer only at the end); seeking is
/// free because every read names its offset. Tests use it for sparse multi-gigabyte archives.
pub struct RandomAccessSource<F> {
    read_at: F,
    len: u64,
    position: u64,
}

impl<F: FnMut(u64, &mut [u8]) -> Result<usize, SourceError>> RandomAccessSource<F> {
    pub fn new(len: u64, read_at: F) -> RandomAccessSource<F> {
        RandomAccessSource { read_at, len, position: 0 }
    }
}

impl<F: FnMut(u64, &mut [u8]) -> Result<usize, SourceError>> Source for RandomAccessSource<F> {
    fn poll_read(&mut self, _: &mut Context<'_>, buf: &mut [u8]) -> Poll<Result<usize, SourceError>> {
        let left = self.len.saturating_sub(self.position);
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        if want == 0 {
            return Poll::Ready(Ok(0));
        }
        let n = match (self.read_at)(self.position, &mut buf[..want]) {
            Ok(n) => n.min(want),
            Err(e) => return Poll::Ready(Err(e)),
        };
        self.position += n as u64;
        Poll::Ready(Ok(n))
    }

    fn skip(&mut self, n: u64) -> Result<bool, SourceError> {
        self.position = self.position.saturating_add(n).min(self.len);
        Ok(true)
    }

    fn len(&self) -> Option<u64> {
        Some(self.len)
    }
}
