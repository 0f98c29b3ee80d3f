//! Checks in the worker: the small inputs first (their report is posted at once, so the page
//! fills in while a big archive is still being read), then the image archive, streamed from the
//! dropped `File` by a task that waits for the browser's slices. The worker stays free while
//! the archive is read: a new check for the same archive (the user edits the Dockerfile) is
//! answered at once without the image and gets the final report when the reading ends; a check
//! for another archive stops the reading. The archive's reading is kept, so later edits are
//! checked at once instead of reading the archive again.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use web_sys::File;

use smic_engine::{Chunks, Control, GzipChunking, ImageRead, NamedBytes, OpenSource, Progress, Request, SliceSource, Source};
use smic_rules::render;

use crate::protocol::{CheckRequest, FromWorker, ImageSpec, ProgressUpdate, ReportMessage, Stage};

use super::file_source::FileSource;
use super::pool::{self, PoolRunner};
use super::to_page::post;

/// How often progress is posted to the page.
pub(super) const PROGRESS_EVERY_MS: f64 = 100.0;

/// Which archive, and which image of it.
#[derive(Clone, PartialEq)]
struct Which {
    spec: ImageSpec,
    image_ref: Option<String>,
}

impl Which {
    /// `None` when the request has no image.
    fn of(request: &CheckRequest) -> Option<Which> {
        request.image.clone().map(|spec| Which { spec, image_ref: request.image_ref.clone() })
    }
}

/// An archive already read, kept so that later checks of it need no second reading.
struct KeptImage {
    which: Which,
    image: Rc<ImageRead>,
}

/// An archive being read by a task.
struct ReadInProgress {
    which: Which,
    /// The latest check that waits for this archive: it gets the final report.
    latest: CheckRequest,
    /// The job of `latest`, for progress posted while reading.
    job: Rc<Cell<u32>>,
    started: f64,
    stop: Rc<Cell<bool>>,
}

#[derive(Default)]
struct WorkerState {
    kept: Option<KeptImage>,
    in_progress: Option<ReadInProgress>,
}

impl WorkerState {
    fn stop_reading(&mut self) {
        if let Some(read) = self.in_progress.take() {
            read.stop.set(true);
        }
    }
}

thread_local! {
    static STATE: RefCell<WorkerState> = RefCell::new(WorkerState::default());
}

/// Answers one check request (`file`: the dropped archive posted with it).
pub fn run(request: CheckRequest, file: Option<File>) {
    let started = now_ms();
    // The reading task is started once the state is no longer borrowed: its end borrows it.
    let task = STATE.with(|state| {
        let mut state = state.borrow_mut();
        let Some(which) = Which::of(&request) else {
            state.stop_reading();
            state.kept = None;
            post_report(&request, Stage::Final, None, started);
            return None;
        };
        if let Some(kept) = state.kept.as_ref().filter(|k| k.which == which) {
            let image = kept.image.clone();
            state.stop_reading();
            post_report(&request, Stage::Final, Some(&image), started);
            return None;
        }
        post_report(&request, Stage::WithoutImage, None, started);
        if let Some(read) = state.in_progress.as_mut().filter(|r| r.which == which) {
            read.job.set(request.job);
            read.latest = request;
            return None;
        }
        state.stop_reading();
        let read = ReadInProgress {
            which: which.clone(),
            job: Rc::new(Cell::new(request.job)),
            latest: request,
            started,
            stop: Rc::new(Cell::new(false)),
        };
        let task = read_archive(which, file, read.job.clone(), read.stop.clone(), started);
        state.in_progress = Some(read);
        Some(task)
    });
    if let Some(task) = task {
        wasm_bindgen_futures::spawn_local(task);
    }
}

/// Reads the archive, then posts the final report of the latest check waiting for it.
async fn read_archive(which: Which, file: Option<File>, job: Rc<Cell<u32>>, stop: Rc<Cell<bool>>, started: f64) {
    let pool_size = pool::size();
    let pool = file.clone().filter(|_| pool_size > 0);
    let mut source = match (&which.spec, file) {
        (ImageSpec::File { .. }, Some(file)) => Some(FileSource::with_fetch_workers(file, true)),
        _ => None,
    };
    let held = source.as_ref().map(FileSource::held_gauge);
    let mut last_post = f64::MIN;
    let mut on_progress = |p: Progress| {
        if stop.get() {
            return Control::Cancel;
        }
        let now = now_ms();
        if p.done || now - last_post >= PROGRESS_EVERY_MS {
            last_post = now;
            post(&FromWorker::Progress(ProgressUpdate {
                job: job.get(),
                position: p.position,
                total: p.total.unwrap_or(0),
                bytes_read: p.bytes_read,
                bytes_skipped: p.bytes_skipped,
                elapsed_ms: now - started,
                worker_memory_bytes: memory_bytes() + held.as_ref().map_or(0, |held| held()),
            }));
        }
        Control::Continue
    };
    let image_ref = which.image_ref.as_deref();
    let read = match (&which.spec, source.as_mut()) {
        (ImageSpec::File { name, .. }, Some(source)) => {
            // The compressed layers go to the pool of workers, each reading its layer's range.
            let reopen_file = pool.clone();
            let pool = pool.map(|file| PoolRunner::new(file, pool_size));
            let read = match (&pool, &reopen_file) {
                (Some(runner), Some(file)) => {
                    // An archive gzipped as a whole: its chunks inflated by the pool, taken here.
                    let chunking = GzipChunking::default();
                    let chunks = Chunks { runner, chunking, ahead: pool_size + 1 };
                    let mut reopen = || Ok(Box::new(FileSource::new(file.clone())) as Box<dyn Source>);
                    let outer = (pool_size >= chunking.layer_readers).then_some((chunks, &mut reopen as OpenSource<'_>));
                    smic_engine::read_image_with_runner(name, source, runner, outer, image_ref, &mut on_progress).await
                }
                _ => smic_engine::read_image_async(name, source, image_ref, &mut on_progress).await,
            };
            let who = pool.as_ref().map_or_else(|| "no pool".to_string(), PoolRunner::summary);
            web_sys::console::debug_1(
                &format!("sm-image-check: {}: read in {:.0} ms; {}; {who}", name, now_ms() - started, source.summary()).into(),
            );
            Ok(read)
        }
        (ImageSpec::File { .. }, None) => Err("the page sent no file with the check".to_string()),
        (ImageSpec::Demo, _) => {
            let bytes = smic_engine::demo::archive();
            let mut source = SliceSource::new(&bytes);
            Ok(smic_engine::read_image_async(smic_engine::demo::ARCHIVE_NAME, &mut source, image_ref, &mut on_progress).await)
        }
    };
    if stop.get() {
        return;
    }
    STATE.with(|state| {
        let mut state = state.borrow_mut();
        let Some(finished) = state.in_progress.take() else { return };
        match read {
            Ok(read) => {
                let image = Rc::new(read);
                post_report(&finished.latest, Stage::Final, Some(&image), finished.started);
                state.kept = Some(KeptImage { which, image });
            }
            Err(message) => post(&FromWorker::Crashed { message }),
        }
    });
}

/// Checks what the request carries (with `image` when it has been read) and posts the report.
fn post_report(request: &CheckRequest, stage: Stage, image: Option<&ImageRead>, started: f64) {
    let engine_request = Request {
        image,
        dockerfile: request.dockerfile.as_ref().map(|d| NamedBytes { name: &d.name, bytes: d.text.as_bytes() }),
        build_args: request.build_args.clone(),
        target: request.target.clone(),
        app_image_config: request.app_image_config.as_ref().map(|c| NamedBytes { name: &c.name, bytes: c.text.as_bytes() }),
        options: smic_rules::Options { profile: request.profile, ..Default::default() },
    };
    let (report, suggestion) = smic_engine::suggest(&engine_request, None);
    let exports = stage == Stage::Final;
    post(&FromWorker::Report(ReportMessage {
        job: request.job,
        stage,
        json: report.to_json(),
        markdown: if exports { render::markdown::render(&report) } else { String::new() },
        sarif: if exports { render::sarif::render(&report) } else { String::new() },
        suggestion: serde_json::to_string(&suggestion).unwrap_or_default(),
        elapsed_ms: now_ms() - started,
        worker_memory_bytes: memory_bytes(),
    }));
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The worker's WebAssembly memory, in bytes.
pub fn memory_bytes() -> u64 {
    use wasm_bindgen::JsCast;
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| m.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as u64)
        .unwrap_or(0)
}
