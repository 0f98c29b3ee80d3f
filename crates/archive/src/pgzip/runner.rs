//! The CLI's [`ChunkRunner`]: each chunk on a thread of its own (scoped, so it may borrow the
//! function that opens the archive), which opens the archive, reads the job's byte range and
//! inflates it. The consumer submits at most `ahead` jobs at a time, so that many threads run.

use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};
use std::thread::Scope;

use super::{decode_chunk_with, Buffers, ChunkJob, ChunkResult, ChunkRunner, PendingChunk};
use crate::parallel::OpenFn;
use crate::source::{Source, SourceError};

pub(crate) struct ThreadRunner<'scope, 'env> {
    pub(crate) scope: &'scope Scope<'scope, 'env>,
    pub(crate) open: OpenFn<'env>,
    /// The memory chunks read into and inflate into, lent and given back.
    pub(crate) buffers: &'env Buffers,
}

/// A result on its way, and who to wake when it comes.
type Slot = Mutex<(Option<ChunkResult>, Option<Waker>)>;

/// Puts the thread's result in its slot when the thread ends, a failure if it panicked.
struct Deliver(Arc<Slot>, Option<ChunkResult>);

impl Drop for Deliver {
    fn drop(&mut self) {
        let result = self.1.take().unwrap_or_else(|| ChunkResult::failed("a chunk's thread failed"));
        if let Ok(mut slot) = self.0.lock() {
            slot.0 = Some(result);
            if let Some(waker) = slot.1.take() {
                waker.wake();
            }
        }
    }
}

impl ChunkRunner for ThreadRunner<'_, '_> {
    fn submit(&self, job: ChunkJob) -> PendingChunk<'_> {
        let slot: Arc<Slot> = Arc::new(Mutex::new((None, None)));
        let deliver = Deliver(Arc::clone(&slot), None);
        let (open, buffers) = (self.open, self.buffers);
        self.scope.spawn(move || {
            let mut deliver = deliver;
            let Ok(len) = usize::try_from(job.range.end.saturating_sub(job.range.start)) else {
                deliver.1 = Some(ChunkResult::failed("a chunk too large"));
                return;
            };
            let mut bytes = buffers.input_of(len);
            deliver.1 = Some(match read_range(open, &job, &mut bytes) {
                Ok(()) => decode_chunk_with(&job, &bytes, buffers),
                Err(error) => ChunkResult::failed(&error.message),
            });
            buffers.give_input(bytes);
            drop(deliver);
        });
        Box::pin(std::future::poll_fn(move |cx| {
            let Ok(mut slot) = slot.lock() else {
                return Poll::Ready(ChunkResult::failed("a chunk's thread failed"));
            };
            match slot.0.take() {
                Some(result) => Poll::Ready(result),
                None => {
                    slot.1 = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        }))
    }

    fn buffers(&self) -> Option<&Buffers> {
        Some(self.buffers)
    }
}

/// The job's bytes into `bytes` (a lent buffer of their length), from a source of the thread's own.
fn read_range(open: OpenFn<'_>, job: &ChunkJob, bytes: &mut [u8]) -> Result<(), SourceError> {
    let mut source = open()?;
    let len = bytes.len();
    let mut skipped = 0;
    if !source.skip(job.range.start)? {
        // A source that cannot jump: read up to the range.
        let mut scratch = vec![0u8; 1 << 16];
        while skipped < job.range.start {
            let want = (job.range.start - skipped).min(scratch.len() as u64) as usize;
            match read_some(&mut *source, &mut scratch[..want])? {
                0 => return Err(SourceError::new("the archive ended before a chunk")),
                n => skipped += n as u64,
            }
        }
    }
    let mut filled = 0;
    while filled < len {
        match read_some(&mut *source, &mut bytes[filled..])? {
            0 => return Err(SourceError::new("the archive ended inside a chunk")),
            n => filled += n,
        }
    }
    Ok(())
}

fn read_some(source: &mut dyn Source, buf: &mut [u8]) -> Result<usize, SourceError> {
    crate::block_on(std::future::poll_fn(|cx| source.poll_read(cx, buf)))
}
