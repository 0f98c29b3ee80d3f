//! The pool of workers that read an archive's compressed layers, as seen from the worker that
//! reads the archive (the coordinator): the `LayerRunner` of the archive reader's shared driver,
//! and the `ChunkRunner` of the parallel gzip reader. Each layer the walk passed over becomes a
//! job; a pool worker (the same worker program, started from the coordinator's own script and
//! sent its compiled module, lazily, up to `size`: `workers`) is posted the job and the dropped `File` itself, reads only that
//! layer's byte range (`layer_reader`) and answers its outcome as bytes. With a pool of at least
//! `GzipChunking::layer_readers`, a large gzip layer is read by the coordinator instead, its deflate
//! data inflated in chunks by the pool workers (each reads its chunk's byte range of the
//! `File`), taken in order; so is an archive gzipped as a whole (`check`). The driver merges the
//! outcomes in layer order, so the report is the same whatever the size of the pool. Pool
//! workers are kept for the next archive; a cancel terminates them.
//!
//! If no pool worker can start, the coordinator reads the layers itself: slower, the same
//! report. That is the single-file build's case: opened from file://, its coordinator runs from
//! a `blob:` URL of the opaque origin `null`, and Chromium refuses a worker that such a worker
//! starts from it ("cannot be accessed from origin 'null'"); a browser test checks that it still
//! gives the CLI's report, read by the coordinator.

mod members;
mod workers;

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use web_sys::File;

use smic_engine::{
    Buffers, ChunkJob, ChunkResult, ChunkRunner, Chunks, Control, GzipChunking, JobCounters, LayerFuture, LayerJob, LayerOutcome,
    LayerRunner, PendingChunk, Source,
};

use members::{Answer, State, Task};

use super::file_source::FileSource;
use super::to_page::scope;

/// How many pool workers to use for this coordinator (see `protocol::pool_size`).
pub fn size() -> usize {
    crate::protocol::pool_size(&scope().name(), scope().navigator().hardware_concurrency())
}

pub struct PoolRunner {
    state: Rc<RefCell<State>>,
    counters: Rc<JobCounters>,
    /// The memory chunks' bytes are copied into as they come, given back by the gzip reader.
    buffers: Rc<Buffers>,
}

impl PoolRunner {
    pub fn new(file: File, size: usize) -> PoolRunner {
        let (counters, buffers) = (Rc::new(JobCounters::default()), Rc::new(Buffers::default()));
        PoolRunner { state: State::new(file, size, counters.clone(), buffers.clone()), counters, buffers }
    }

    /// Who read the layers, for the worker's log line (the browser tests read it).
    pub fn summary(&self) -> String {
        self.state.borrow().summary()
    }

    /// Queues `task` and returns the future of its answer.
    fn submit(&self, task: Task) -> Waiting {
        let id = self.state.borrow_mut().submit(task);
        Waiting { state: self.state.clone(), id }
    }
}

/// The answer to one task. Dropped before it comes (the gzip reader no longer needs a chunk),
/// the task is forgotten.
struct Waiting {
    state: Rc<RefCell<State>>,
    id: u32,
}

impl Future for Waiting {
    type Output = Answer;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Answer> {
        self.state.borrow_mut().poll_answer(self.id, cx.waker())
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        if let Ok(mut state) = self.state.try_borrow_mut() {
            state.forget(self.id);
        }
    }
}

impl LayerRunner for PoolRunner {
    fn start(&self, job: LayerJob) -> LayerFuture<'_> {
        // A large gzip layer: read here, its chunks inflated by the pool, when the pool is large
        // enough to gain from it.
        let chunking = GzipChunking::default();
        if self.state.borrow().size >= chunking.layer_readers && job.splits(chunking) {
            let chunks = Chunks { runner: self, chunking, ahead: self.state.borrow().size + 1 };
            return Box::pin(async move { read_here(&self.state, &job, Some(chunks)).await });
        }
        let waiting = self.submit(Task::Layer(job.clone()));
        Box::pin(async move {
            match waiting.await {
                Answer::Layer(outcome) => *outcome,
                Answer::Chunk(_) => LayerOutcome::failed("a pool worker answered another question"),
                Answer::ReadHere => read_here(&self.state, &job, None).await,
            }
        })
    }

    fn counters(&self) -> &JobCounters {
        &self.counters
    }

    fn cancel(&self) {
        let wakers = self.state.borrow_mut().cancel();
        wakers.into_iter().for_each(Waker::wake);
    }
}

impl ChunkRunner for PoolRunner {
    fn submit(&self, job: ChunkJob) -> PendingChunk<'_> {
        let waiting = PoolRunner::submit(self, Task::Chunk(job.to_bytes()));
        Box::pin(async move {
            match waiting.await {
                Answer::Chunk(bytes) => ChunkResult::from_vec(bytes),
                Answer::Layer(_) => ChunkResult::failed("a pool worker answered another question"),
                // No pool: the gzip reader then reads the layer sequentially.
                Answer::ReadHere => ChunkResult::failed("no pool worker"),
            }
        })
    }

    fn buffers(&self) -> Option<&Buffers> {
        Some(&self.buffers)
    }
}

impl Drop for PoolRunner {
    fn drop(&mut self) {
        self.state.borrow_mut().release();
    }
}

/// A layer read by the coordinator itself: a large gzip layer (its chunks inflated by the pool,
/// `chunks`), or any layer when no pool worker could.
async fn read_here(state: &Rc<RefCell<State>>, job: &LayerJob, chunks: Option<Chunks<'_>>) -> LayerOutcome {
    let (file, counters) = {
        let mut s = state.borrow_mut();
        s.read_here += 1;
        (s.file.clone(), s.counters.clone())
    };
    let mut counted = 0u64;
    let mut progress = |now: u64| {
        counters.add_done(now.saturating_sub(counted));
        counted = counted.max(now);
        if counters.cancelled() {
            Control::Cancel
        } else {
            Control::Continue
        }
    };
    let mut open = || Ok(Box::new(FileSource::new(file.clone())) as Box<dyn Source>);
    let (outcome, read) = smic_engine::read_layer(&mut open, job, chunks, &mut progress).await;
    counters.add_read(read);
    counters.add_done(job.len().saturating_sub(counted));
    outcome
}
