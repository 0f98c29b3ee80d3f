//! Layers on several threads (the CLI's `--jobs`): the walk passes over each compressed layer
//! of a seekable, uncompressed archive and records its byte range; worker threads then read
//! those ranges, each through a source of its own, with the walk's own [`read_layer`]; the
//! summaries are put where the walk would have put them, and the pure `assemble` gets the same
//! `ArchiveContents` as after a single pass, so the inspection is the same whatever the number
//! of threads. Memory: one reader (input buffer, decoder, output buffer) per thread, plus the
//! summaries, as in one pass.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use crate::contents::{ArchiveContents, Deferred, Member, WalkEnd};
use crate::inspect::{conclude, walk_to_end};
use crate::layer::{LayerSummary, Selector};
use crate::pgzip::consumer::Parallel;
use crate::pgzip::runner::ThreadRunner;
use crate::pgzip::{ChunkRunner, GzipChunking};
use crate::source::{Source, SourceError};
use crate::stream::{ReadError, SourceReader, Stream, Window};
use crate::walk::read_layer;
use crate::{block_on, Control, InspectOptions, Inspection, Progress};

/// Opens the archive again, for one worker thread.
pub type OpenFn<'a> = &'a (dyn Fn() -> Result<Box<dyn Source + Send>, SourceError> + Sync);

/// How often the calling thread reports progress while the workers read.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);

/// [`crate::inspect`] with the compressed layers read by up to `jobs` threads, each through a
/// source from `open` (the same archive, opened again). The archive in `source` must be the
/// one `open` opens. With `jobs` ≤ 1, or when there is nothing to share out, it is `inspect`.
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
    std::thread::scope(|scope| {
        let runner = ThreadRunner { scope, open };
        let failed = AtomicBool::new(false);
        let chunking = options.gzip_chunking.unwrap_or_default();
        let chunks = Chunks { runner: &runner, chunking, ahead: jobs };
        let inspection = inspect_sharing(source, open, chunks.with(&failed), chunks, jobs, file_name, options, progress);
        if !failed.load(Ordering::Relaxed) {
            return inspection;
        }
        // The archive inflated in parallel chunks ended in an error: the sequential reading
        // decides what it is, so a guess of the block finder can never change a report.
        match open() {
            Ok(mut again) => crate::inspect(&mut *again, file_name, options, progress),
            Err(_) => inspection,
        }
    })
}

/// How the CLI inflates one gzip member in parallel chunks.
#[derive(Clone, Copy)]
struct Chunks<'r> {
    runner: &'r (dyn ChunkRunner + Sync),
    chunking: GzipChunking,
    ahead: usize,
}

impl<'r> Chunks<'r> {
    fn with<'f>(self, failed: &'f AtomicBool) -> Parallel<'f>
    where
        'r: 'f,
    {
        Parallel { runner: self.runner, chunking: self.chunking, ahead: self.ahead, failed }
    }
}

/// The inspection with layers on `jobs` threads and large gzip members in parallel chunks
/// (`outer`: the archive's own, when it is gzip as a whole).
#[allow(clippy::too_many_arguments)]
fn inspect_sharing(
    source: &mut dyn Source,
    open: OpenFn<'_>,
    outer: Parallel<'_>,
    chunks: Chunks<'_>,
    jobs: usize,
    file_name: &str,
    options: &InspectOptions,
    progress: &mut dyn FnMut(Progress) -> Control,
) -> Inspection {
    let selector = Selector::new(options.capture);
    let deferred_bytes = AtomicU64::new(0);
    // During the walk the progress leaves out the layers passed over, so it never goes back.
    let mut walk_progress = |mut p: Progress| {
        p.position = p.position.saturating_sub(deferred_bytes.load(Ordering::Relaxed));
        p.done = false;
        progress(p)
    };
    let mut input = SourceReader::new(source, &mut walk_progress);
    let mut contents = block_on(walk_to_end(&mut input, &selector, Some(&deferred_bytes), Some(outer)));
    // The walk's jumps over the deferred layers are not skips: the workers read those bytes.
    let walk_skipped = input.bytes_skipped.saturating_sub(deferred_bytes.load(Ordering::Relaxed));
    let (walk_read, total) = (input.bytes_read, input.total());
    let walked = input.position().saturating_sub(deferred_bytes.load(Ordering::Relaxed));
    drop(input);
    let shared = Shared { done: AtomicU64::new(0), cancel: AtomicBool::new(contents.cancelled), read: AtomicU64::new(0) };
    let jobs_taken = core::mem::take(&mut contents.deferred);
    let results = if contents.cancelled {
        Vec::new()
    } else {
        run(&jobs_taken, jobs, open, chunks, &selector, &shared, &mut |done| {
            let p = Progress { position: walked + done, total, bytes_read: walk_read + done, bytes_skipped: walk_skipped, done: false };
            progress(p)
        })
    };
    merge(&mut contents, jobs_taken, results, shared.cancel.load(Ordering::Relaxed));
    let bytes_read = walk_read + shared.read.load(Ordering::Relaxed);
    let position = total.unwrap_or(walked + shared.done.load(Ordering::Relaxed));
    // As in one pass: a request to stop that comes with the last report stops nothing.
    let _ = progress(Progress { position, total, bytes_read, bytes_skipped: walk_skipped, done: true });
    conclude(contents, options, file_name, bytes_read, walk_skipped)
}

/// What the workers share: bytes of layer data handled, a request to stop, bytes read.
struct Shared {
    done: AtomicU64,
    cancel: AtomicBool,
    read: AtomicU64,
}

type Outcome = Result<LayerSummary, ReadError>;

/// Reads every deferred layer on up to `jobs` threads, the largest first; the calling thread
/// reports progress meanwhile. The outcomes are in the order of `deferred`.
fn run(
    deferred: &[Deferred],
    jobs: usize,
    open: OpenFn<'_>,
    chunks: Chunks<'_>,
    selector: &Selector,
    shared: &Shared,
    progress: &mut dyn FnMut(u64) -> Control,
) -> Vec<Outcome> {
    let mut order: Vec<usize> = (0..deferred.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(deferred[i].blob_bytes));
    let next = AtomicUsize::new(0);
    let outcomes: Mutex<Vec<Option<Outcome>>> = Mutex::new((0..deferred.len()).map(|_| None).collect());
    let threads = jobs.min(deferred.len());
    let finished = AtomicUsize::new(0);
    let caller = std::thread::current();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let outcome = read_range(&deferred[i], open, selector, shared, chunks);
                        if let Ok(mut outcomes) = outcomes.lock() {
                            outcomes[i] = Some(outcome);
                        }
                    }
                    // Wakes the caller at once rather than at its next progress report.
                    finished.fetch_add(1, Ordering::Release);
                    caller.unpark();
                })
            })
            .collect();
        while finished.load(Ordering::Acquire) < threads && workers.iter().any(|w| !w.is_finished()) {
            std::thread::park_timeout(PROGRESS_INTERVAL);
            if progress(shared.done.load(Ordering::Relaxed)) == Control::Cancel {
                shared.cancel.store(true, Ordering::Relaxed);
            }
        }
        // Joined here, so a worker's panic becomes its layers' failure below rather than a
        // panic of the whole reading.
        for worker in workers {
            let _ = worker.join();
        }
    });
    let outcomes = outcomes.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    // A worker that panicked left its layer without an outcome: read as a failed source.
    outcomes.into_iter().map(|o| o.unwrap_or_else(|| Err(ReadError::Source(SourceError::new("a reading thread failed"))))).collect()
}

/// One layer; a large gzip layer is inflated in parallel chunks, and read again sequentially if
/// that ended in an error: the sequential reading decides what the error is.
fn read_range(layer: &Deferred, open: OpenFn<'_>, selector: &Selector, shared: &Shared, chunks: Chunks<'_>) -> Outcome {
    let failed = AtomicBool::new(false);
    let outcome = read_range_once(layer, open, selector, shared, Some(chunks.with(&failed)));
    if failed.load(Ordering::Relaxed) {
        return read_range_once(layer, open, selector, shared, None);
    }
    outcome
}

/// One layer, from its own source positioned at the layer's first byte.
fn read_range_once(layer: &Deferred, open: OpenFn<'_>, selector: &Selector, shared: &Shared, parallel: Option<Parallel<'_>>) -> Outcome {
    let mut source = open().map_err(ReadError::Source)?;
    let mut counted = 0u64;
    let mut progress = |p: Progress| {
        let now = p.position.saturating_sub(layer.offset).min(layer.blob_bytes);
        shared.done.fetch_add(now.saturating_sub(counted), Ordering::Relaxed);
        counted = counted.max(now);
        if shared.cancel.load(Ordering::Relaxed) {
            Control::Cancel
        } else {
            Control::Continue
        }
    };
    let mut input = SourceReader::new(&mut *source, &mut progress);
    let outcome = block_on(async {
        if input.skip(layer.offset).await? < layer.offset {
            return Err(ReadError::SourceEnded);
        }
        let mut remaining = layer.blob_bytes;
        let parallel = parallel.map(|parallel| (parallel, layer.offset, layer.blob_bytes));
        read_layer(Window::new(&mut input, &mut remaining), layer.compression, selector, parallel).await
    });
    shared.read.fetch_add(input.bytes_read, Ordering::Relaxed);
    outcome
}

/// Puts each layer's summary where the walk would have; the first layer (in archive order)
/// whose reading failed ends the walk there, as a single pass would have ended. The members the
/// walk or other threads read after it stay in `contents`, but a failed reading is fatal, so
/// `conclude` draws no facts from them either way (a test compares it with one pass).
fn merge(contents: &mut ArchiveContents, deferred: Vec<Deferred>, outcomes: Vec<Outcome>, cancelled: bool) {
    let mut failed = false;
    // No outcomes when the walk was cancelled: the layers were never read.
    for (layer, outcome) in deferred.into_iter().zip(outcomes) {
        match outcome {
            Ok(summary) => {
                let Deferred { name, offset, blob_bytes, compression, .. } = layer;
                contents.members.insert(name, Member::Layer { summary: Box::new(summary), blob_bytes, compression, offset });
            }
            Err(error) if !failed => {
                failed = true;
                contents.member_count = layer.order;
                contents.last_member = Some((layer.name.clone(), layer.header_offset));
                contents.end = WalkEnd::Read { error, member: Some((layer.name, layer.offset)) };
            }
            Err(_) => {}
        }
    }
    contents.cancelled |= cancelled;
}

/// Opens a file again for each worker: the CLI's `open`.
pub fn open_file(path: &std::path::Path) -> impl Fn() -> Result<Box<dyn Source + Send>, SourceError> + Sync + '_ {
    move || {
        let file = std::fs::File::open(path)?;
        Ok(Box::new(crate::SeekableSource::new(file)?) as Box<dyn Source + Send>)
    }
}
