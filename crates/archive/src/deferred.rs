//! Compressed layers read apart from the walk, by whoever can: the driver shared by the CLI's
//! threads (`parallel`) and the page's pool of workers. The walk passes over each compressed
//! layer of a seekable, uncompressed archive and records its byte range as a [`LayerJob`]; a
//! [`LayerRunner`] reads each job (on a thread, in another worker) with [`read_layer_job`] and
//! answers its [`LayerOutcome`]; the outcomes are put where the walk would have put the layers,
//! and the pure `assemble` gets the same `ArchiveContents` as after a single pass, so the
//! inspection is the same whatever reads the layers and however many readers there are. The
//! driver is a future that needs no threads: it waits for the runner's futures and reports
//! progress when woken. A job and an outcome travel between workers as bytes
//! ([`LayerJob::encode`], [`LayerOutcome::encode`]); a message that does not decode is a failed
//! reading of that layer, never a panic.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::task::Poll;

use serde::{Deserialize, Serialize};

use crate::contents::{ArchiveContents, Deferred, Member, WalkEnd};
use crate::inspect::{conclude, walk_to_end};
use crate::layer::{LayerSummary, Selector};
use crate::pgzip::consumer::Parallel;
use crate::pgzip::{ChunkRunner, GzipChunking};
use crate::sniff::Compression;
use crate::source::{Source, SourceError};
use crate::stream::{ReadError, SourceReader, Stream, Window};
use crate::walk::read_layer;
use crate::{Control, InspectOptions, Inspection, Progress};

/// One compressed layer to read: its byte range in the archive and how it is compressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerJob {
    offset: u64,
    len: u64,
    compression: Compression,
}

impl LayerJob {
    /// Offset of the layer's first byte in the archive.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The layer's size in the archive.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// A gzip layer large enough to be inflated in parallel chunks cut as `chunking` says.
    pub fn splits(&self, chunking: GzipChunking) -> bool {
        self.compression == Compression::Gzip && self.len >= chunking.chunk_bytes.saturating_mul(chunking.min_chunks.max(2))
    }

    /// Never true: the walk defers only layers with data.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The job as text, for another worker.
    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A job from [`LayerJob::encode`]'s text; `None` for anything else.
    pub fn decode(text: &str) -> Option<LayerJob> {
        serde_json::from_str(text).ok()
    }
}

/// What reading one layer gave: its summary, or why the stream under it failed (the source
/// failed or ended, the reading was cancelled), which ends the reading there as in one pass.
#[derive(Debug)]
pub struct LayerOutcome(Result<LayerSummary, ReadError>);

impl LayerOutcome {
    /// The reader of the layer failed before it could say anything (a thread or worker died).
    pub fn failed(message: impl Into<String>) -> LayerOutcome {
        LayerOutcome(Err(ReadError::Source(SourceError::new(message))))
    }

    /// The outcome as bytes, for another worker.
    pub fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(&self.0).unwrap_or_default()
    }

    /// An outcome from [`LayerOutcome::encode`]'s bytes; bytes that are not one are a failed
    /// reading of the layer.
    pub fn decode(bytes: &[u8]) -> LayerOutcome {
        match serde_json::from_slice(bytes) {
            Ok(outcome) => LayerOutcome(outcome),
            Err(e) => LayerOutcome::failed(format!("the answer of a layer's reader could not be read: {e}")),
        }
    }
}

/// Counters a runner keeps for the driver: bytes of layer data handled (for progress), bytes
/// read from the source, and whether the driver asked to stop.
#[derive(Debug, Default)]
pub struct JobCounters {
    done: AtomicU64,
    read: AtomicU64,
    cancel: AtomicBool,
}

impl JobCounters {
    /// `n` more bytes of layer data handled (read or skipped).
    pub fn add_done(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }

    /// `n` more bytes read from the source.
    pub fn add_read(&self, n: u64) {
        self.read.fetch_add(n, Ordering::Relaxed);
    }

    /// The driver asked the readers to stop.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// A reading of one layer on its way.
pub type LayerFuture<'a> = Pin<Box<dyn Future<Output = LayerOutcome> + 'a>>;

/// Reads the layers the walk passed over, each from its own view of the same archive.
pub trait LayerRunner {
    /// Starts reading `job`. Called for every deferred layer once the walk has ended, the
    /// largest first. The future wakes its waker when it is ready, and should also wake it now
    /// and then (every 100 ms or so) while [`LayerRunner::counters`] move, so progress is
    /// reported.
    fn start(&self, job: LayerJob) -> LayerFuture<'_>;

    /// The counters the runner's readers update.
    fn counters(&self) -> &JobCounters;

    /// The driver's progress callback asked to stop (the counters say so too): readers may be
    /// stopped at once; their futures must still end (with any outcome: none is used).
    fn cancel(&self) {}
}

/// How a large gzip layer is inflated in parallel chunks: who runs them, how they are cut, and
/// how many may be on their way at once.
#[derive(Clone, Copy)]
pub struct Chunks<'a> {
    pub runner: &'a dyn ChunkRunner,
    pub chunking: GzipChunking,
    pub ahead: usize,
}

/// Opens the archive again (from its first byte), for one reading of a layer.
pub type OpenSource<'a> = &'a mut (dyn FnMut() -> Result<Box<dyn Source + 'a>, SourceError> + 'a);

/// Reads one layer from a source `open` gives (the archive, from its first byte) with the walk's
/// own reading. With `chunks`, a large gzip layer is inflated in parallel chunks, and read again sequentially if that ended in an error: the sequential
/// reading decides what the error is, so a guess of the block finder never changes a report.
/// `progress` gets the bytes of the layer handled so far (it starts again from 0 for a second
/// reading) and can cancel. Returns the outcome and the bytes read from the source.
pub async fn read_layer_job<'s>(
    open: OpenSource<'s>,
    job: &LayerJob,
    options: &InspectOptions,
    chunks: Option<Chunks<'_>>,
    progress: &mut dyn FnMut(u64) -> Control,
) -> (LayerOutcome, u64) {
    let failed = AtomicBool::new(false);
    let parallel = chunks.map(|Chunks { runner, chunking, ahead }| Parallel { runner, chunking, ahead: ahead.max(1), failed: &failed });
    let (outcome, mut read) = read_once(&mut *open, job, options, parallel, progress).await;
    if !failed.load(Ordering::Relaxed) {
        return (outcome, read);
    }
    let (outcome, again) = read_once(open, job, options, None, progress).await;
    read += again;
    (outcome, read)
}

async fn read_once<'s>(
    open: &mut (dyn FnMut() -> Result<Box<dyn Source + 's>, SourceError> + 's),
    job: &LayerJob,
    options: &InspectOptions,
    parallel: Option<Parallel<'_>>,
    progress: &mut dyn FnMut(u64) -> Control,
) -> (LayerOutcome, u64) {
    let mut source = match open() {
        Ok(source) => source,
        Err(error) => return (LayerOutcome(Err(ReadError::Source(error))), 0),
    };
    let selector = Selector::new(options.capture);
    let mut on_progress = |p: Progress| progress(p.position.saturating_sub(job.offset).min(job.len));
    let mut input = SourceReader::new(&mut *source, &mut on_progress);
    let outcome = async {
        if input.skip(job.offset).await? < job.offset {
            return Err(ReadError::SourceEnded);
        }
        let mut remaining = job.len;
        let parallel = parallel.map(|parallel| (parallel, job.offset, job.len));
        read_layer(Window::new(&mut input, &mut remaining), job.compression, &selector, parallel).await
    }
    .await;
    (LayerOutcome(outcome), input.bytes_read)
}

/// [`crate::inspect_async`] with the compressed layers of a seekable, uncompressed archive read
/// by `runner`. The inspection is the same as one pass's. With `outer`, an archive that is gzip
/// as a whole is inflated in parallel chunks; if that ends in an error, the archive (opened
/// again by `outer`'s function) is read again in one pass, which decides what the error is.
pub async fn inspect_with_runner(
    source: &mut dyn Source,
    runner: &dyn LayerRunner,
    outer: Option<(Chunks<'_>, OpenSource<'_>)>,
    file_name: &str,
    options: &InspectOptions,
    progress: &mut dyn FnMut(Progress) -> Control,
) -> Inspection {
    let failed = AtomicBool::new(false);
    let (chunks, reopen) = outer.unzip();
    let parallel = chunks.map(|Chunks { runner, chunking, ahead }| Parallel { runner, chunking, ahead: ahead.max(1), failed: &failed });
    let inspection = inspect_sharing(source, runner, parallel, file_name, options, progress).await;
    match reopen.filter(|_| failed.load(Ordering::Relaxed)).map(|open| open()) {
        Some(Ok(mut again)) => crate::inspect_async(&mut *again, file_name, options, progress).await,
        _ => inspection,
    }
}

async fn inspect_sharing(
    source: &mut dyn Source,
    runner: &dyn LayerRunner,
    outer: Option<Parallel<'_>>,
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
    let mut contents = walk_to_end(&mut input, &selector, Some(&deferred_bytes), outer).await;
    // The walk's jumps over the deferred layers are not skips: the readers read those bytes.
    let deferred_total = deferred_bytes.load(Ordering::Relaxed);
    let walk_skipped = input.bytes_skipped.saturating_sub(deferred_total);
    let (walk_read, total) = (input.bytes_read, input.total());
    let walked = input.position().saturating_sub(deferred_total);
    drop(input);
    let counters = runner.counters();
    let deferred = core::mem::take(&mut contents.deferred);
    let outcomes = if contents.cancelled || deferred.is_empty() {
        Vec::new()
    } else {
        run(&deferred, runner, &mut |done| {
            progress(Progress { position: walked + done, total, bytes_read: walk_read + done, bytes_skipped: walk_skipped, done: false })
        })
        .await
    };
    merge(&mut contents, deferred, outcomes, counters.cancelled());
    let bytes_read = walk_read + counters.read.load(Ordering::Relaxed);
    let position = total.unwrap_or(walked + counters.done.load(Ordering::Relaxed));
    // As in one pass: a request to stop that comes with the last report stops nothing.
    let _ = progress(Progress { position, total, bytes_read, bytes_skipped: walk_skipped, done: true });
    conclude(contents, options, file_name, bytes_read, walk_skipped)
}

/// Starts every deferred layer, the largest first, and waits for them all, reporting the bytes
/// handled whenever woken. The outcomes are in the order of `deferred`.
async fn run(deferred: &[Deferred], runner: &dyn LayerRunner, progress: &mut dyn FnMut(u64) -> Control) -> Vec<LayerOutcome> {
    let mut order: Vec<usize> = (0..deferred.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(deferred[i].blob_bytes));
    let mut pending: Vec<Option<LayerFuture<'_>>> = (0..deferred.len()).map(|_| None).collect();
    for i in order {
        let Deferred { offset, blob_bytes, compression, .. } = deferred[i];
        pending[i] = Some(runner.start(LayerJob { offset, len: blob_bytes, compression }));
    }
    let mut outcomes: Vec<Option<LayerOutcome>> = (0..deferred.len()).map(|_| None).collect();
    let counters = runner.counters();
    std::future::poll_fn(|cx| {
        for (slot, outcome) in pending.iter_mut().zip(outcomes.iter_mut()) {
            if let Some(future) = slot {
                if let Poll::Ready(done) = future.as_mut().poll(cx) {
                    *outcome = Some(done);
                    *slot = None;
                }
            }
        }
        if pending.iter().all(Option::is_none) {
            return Poll::Ready(());
        }
        if progress(counters.done.load(Ordering::Relaxed)) == Control::Cancel && !counters.cancelled() {
            counters.cancel.store(true, Ordering::Relaxed);
            runner.cancel();
        }
        Poll::Pending
    })
    .await;
    outcomes.into_iter().map(|o| o.unwrap_or_else(|| LayerOutcome::failed("a layer's reader gave no answer"))).collect()
}

/// Puts each layer's summary where the walk would have; the first layer (in archive order)
/// whose reading failed ends the walk there, as a single pass would have ended. The members the
/// walk or other readers read after it stay in `contents`, but a failed reading is fatal, so
/// `conclude` draws no facts from them either way (a test compares it with one pass).
fn merge(contents: &mut ArchiveContents, deferred: Vec<Deferred>, outcomes: Vec<LayerOutcome>, cancelled: bool) {
    let mut failed = false;
    // No outcomes when the walk was cancelled: the layers were never read.
    for (layer, LayerOutcome(outcome)) in deferred.into_iter().zip(outcomes) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_that_are_not_an_outcome_are_a_failed_reading() {
        for bytes in [&b""[..], b"{", b"[1,2]", b"{\"Ok\":{\"names\":3}}", b"\xff\xfe"] {
            let LayerOutcome(outcome) = LayerOutcome::decode(bytes);
            assert!(matches!(outcome, Err(ReadError::Source(_))), "{bytes:?}");
        }
        assert_eq!(LayerJob::decode("{\"offset\":1}"), None);
    }

    #[test]
    fn an_outcome_survives_the_trip() {
        let failed = LayerOutcome(Err(ReadError::Cancelled));
        assert!(matches!(LayerOutcome::decode(&failed.encode()).0, Err(ReadError::Cancelled)));
        let job = LayerJob { offset: 512, len: 9000, compression: Compression::Zstd };
        assert_eq!(LayerJob::decode(&job.encode()), Some(job));
    }
}
