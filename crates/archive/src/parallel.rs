//! Layers on several threads (the CLI's `--jobs`): the [`LayerRunner`] of the shared driver
//! (`deferred`) made of worker threads, each reading the layers it takes from a queue through a
//! source of its own (the same archive, opened again); a large gzip member (a layer, or the
//! archive when it is gzip as a whole) is inflated in parallel chunks, a scoped thread each
//! (`pgzip::runner`). Memory: one reader (input buffer,
//! decoder, output buffer) per thread, plus the summaries, as in one pass.

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex};
use std::task::{Poll, Waker};
use std::time::{Duration, Instant};

use crate::deferred::{inspect_with_runner, read_layer_job, Chunks, JobCounters, LayerFuture, LayerJob, LayerOutcome, LayerRunner};
use crate::pgzip::runner::ThreadRunner;
use crate::pgzip::Buffers;
use crate::source::{Source, SourceError};
use crate::{block_on, Control, InspectOptions, Inspection, Progress};

/// Opens the archive again, for one worker thread.
pub type OpenFn<'a> = &'a (dyn Fn() -> Result<Box<dyn Source + Send>, SourceError> + Sync);

/// How often the threads wake the driver to report progress while they read.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);

/// [`crate::inspect`] with the compressed layers read by up to `jobs` threads, each through a
/// source from `open` (the same archive, opened again). The archive in `source` must be the
/// one `open` opens. With `jobs` ≤ 1 it is `inspect`.
pub fn inspect_parallel(
    source: &mut dyn Source,
    open: OpenFn<'_>,
    jobs: usize,
    file_name: &str,
    options: &InspectOptions,
    progress: &mut dyn FnMut(Progress) -> Control,
) -> Inspection {
    if jobs <= 1 {
        return crate::inspect(source, file_name, options, progress);
    }
    let runner = Threads {
        queue: Mutex::new(Queue { jobs: VecDeque::new(), closed: false, idle: 0, started: 0 }),
        ready: Condvar::new(),
        counters: JobCounters::default(),
        driver: Mutex::new(None),
        last_wake: Mutex::new(Instant::now()),
        most: jobs,
    };
    let chunking = options.gzip_chunking.unwrap_or_default();
    let buffers = Buffers::default();
    std::thread::scope(|scope| {
        let (runner, buffers) = (&runner, &buffers);
        let threads = ScopedThreads {
            runner,
            spawn: &|| drop(scope.spawn(move || runner.work(open, options, ThreadRunner { scope, open, buffers }))),
        };
        let chunks = ThreadRunner { scope, open, buffers };
        let outer = Chunks { runner: &chunks, chunking, ahead: jobs };
        let mut reopen = || open().map(|source| source as Box<dyn Source>);
        let inspection = block_on(inspect_with_runner(source, &threads, Some((outer, &mut reopen)), file_name, options, progress));
        if let Ok(mut queue) = runner.queue.lock() {
            queue.closed = true;
        }
        runner.ready.notify_all();
        inspection
    })
}

/// The layers waiting for a thread, each with the slot its outcome goes to.
struct Queue {
    jobs: VecDeque<(LayerJob, Arc<Slot>)>,
    closed: bool,
    /// Threads waiting for a job, and threads started.
    idle: usize,
    started: usize,
}

#[derive(Default)]
struct Slot {
    outcome: Mutex<Option<LayerOutcome>>,
}

struct Threads {
    queue: Mutex<Queue>,
    ready: Condvar,
    counters: JobCounters,
    /// The driver's waker, woken when a layer is read and now and then for progress.
    driver: Mutex<Option<Waker>>,
    last_wake: Mutex<Instant>,
    most: usize,
}

impl Threads {
    fn wake_driver(&self) {
        if let Ok(waker) = self.driver.lock() {
            if let Some(waker) = waker.as_ref() {
                waker.wake_by_ref();
            }
        }
    }

    /// A thread's life: takes layers from the queue until it is closed.
    fn work(&self, open: OpenFn<'_>, options: &InspectOptions, chunks: ThreadRunner<'_, '_>) {
        let chunking = options.gzip_chunking.unwrap_or_default();
        let chunks = (self.most >= chunking.layer_readers).then_some(Chunks { runner: &chunks, chunking, ahead: self.most });
        loop {
            let Some((job, slot)) = self.next_job() else { return };
            // A panic becomes its layer's failure rather than a panic of the whole reading.
            let outcome = catch_unwind(AssertUnwindSafe(|| self.read(&job, open, options, chunks)))
                .unwrap_or_else(|_| LayerOutcome::failed("a reading thread failed"));
            if let Ok(mut place) = slot.outcome.lock() {
                *place = Some(outcome);
            }
            self.wake_driver();
        }
    }

    fn next_job(&self) -> Option<(LayerJob, Arc<Slot>)> {
        let mut queue = self.queue.lock().ok()?;
        loop {
            if let Some(next) = queue.jobs.pop_front() {
                return Some(next);
            }
            if queue.closed {
                return None;
            }
            queue.idle += 1;
            queue = self.ready.wait(queue).ok()?;
            queue.idle -= 1;
        }
    }

    /// One layer, from its own source; a large gzip layer inflated in parallel `chunks`.
    fn read(&self, job: &LayerJob, open: OpenFn<'_>, options: &InspectOptions, chunks: Option<Chunks<'_>>) -> LayerOutcome {
        let mut counted = 0u64;
        let mut progress = |now: u64| {
            self.counters.add_done(now.saturating_sub(counted));
            counted = counted.max(now);
            if let Ok(mut last) = self.last_wake.lock() {
                if last.elapsed() >= PROGRESS_INTERVAL {
                    *last = Instant::now();
                    self.wake_driver();
                }
            }
            if self.counters.cancelled() {
                Control::Cancel
            } else {
                Control::Continue
            }
        };
        let mut open = || open().map(|source| source as Box<dyn Source>);
        let (outcome, read) = block_on(read_layer_job(&mut open, job, options, chunks, &mut progress));
        self.counters.add_read(read);
        outcome
    }
}

/// The runner as the driver sees it: queues each job, starting a thread for it while fewer
/// than `most` are started and none is idle.
struct ScopedThreads<'a> {
    runner: &'a Threads,
    spawn: &'a dyn Fn(),
}

impl LayerRunner for ScopedThreads<'_> {
    fn start(&self, job: LayerJob) -> LayerFuture<'_> {
        let slot = Arc::new(Slot::default());
        let spawn = match self.runner.queue.lock() {
            Ok(mut queue) => {
                queue.jobs.push_back((job, slot.clone()));
                let spawn = queue.idle == 0 && queue.started < self.runner.most;
                queue.started += usize::from(spawn);
                spawn
            }
            Err(_) => return Box::pin(std::future::ready(LayerOutcome::failed("a reading thread failed"))),
        };
        if spawn {
            (self.spawn)();
        }
        self.runner.ready.notify_one();
        let runner = self.runner;
        Box::pin(std::future::poll_fn(move |cx| {
            // The waker first, then the slot: a thread that fills the slot meanwhile wakes it.
            if let Ok(mut waker) = runner.driver.lock() {
                if !waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                    *waker = Some(cx.waker().clone());
                }
            }
            match slot.outcome.lock() {
                Ok(mut outcome) => match outcome.take() {
                    Some(outcome) => Poll::Ready(outcome),
                    None => Poll::Pending,
                },
                Err(_) => Poll::Ready(LayerOutcome::failed("a reading thread failed")),
            }
        }))
    }

    fn counters(&self) -> &JobCounters {
        &self.runner.counters
    }
}

/// Opens a file again for each worker: the CLI's `open`.
pub fn open_file(path: &std::path::Path) -> impl Fn() -> Result<Box<dyn Source + Send>, SourceError> + Sync + '_ {
    move || {
        let file = std::fs::File::open(path)?;
        Ok(Box::new(crate::SeekableSource::new(file)?) as Box<dyn Source + Send>)
    }
}
