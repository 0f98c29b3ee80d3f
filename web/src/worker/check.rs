//! One check in the worker: the small inputs first (their report is posted at once, so the page
//! fills in while a big archive is still being read), then the image archive, streamed from the
//! dropped `File`. The archive's reading is kept, so editing the Dockerfile or the config checks
//! again at once instead of reading the archive again.

use web_sys::File;

use smic_engine::{Control, ImageRead, NamedBytes, Progress, RandomAccessSource, Request, SliceSource, Source, SourceError};
use smic_rules::render;

use crate::protocol::{CheckRequest, FromWorker, ImageSpec, ProgressUpdate, ReportMessage, Stage};

use super::{file_window, post};

/// How often progress is posted to the page.
const PROGRESS_EVERY_MS: f64 = 100.0;

#[derive(Default)]
pub struct WorkerState {
    /// The last archive read, and which image of it.
    image: Option<(ImageSpec, Option<String>, ImageRead)>,
}

impl WorkerState {
    pub fn run(&mut self, request: &CheckRequest, file: Option<File>) {
        let started = now_ms();
        let Some(spec) = &request.image else {
            self.image = None;
            return post_report(request, Stage::Final, None, started);
        };
        let cached = self.image.as_ref().filter(|(s, r, _)| s == spec && *r == request.image_ref);
        if cached.is_none() {
            post_report(request, Stage::WithoutImage, None, started);
            let read = match read_image(request, spec, file, started) {
                Ok(read) => read,
                Err(message) => {
                    post(&FromWorker::Crashed { message });
                    return;
                }
            };
            self.image = Some((spec.clone(), request.image_ref.clone(), read));
        }
        let image = self.image.as_ref().map(|(_, _, read)| read);
        post_report(request, Stage::Final, image, started);
    }
}

fn read_image(request: &CheckRequest, spec: &ImageSpec, file: Option<File>, started: f64) -> Result<ImageRead, String> {
    let mut last_post = f64::MIN;
    let job = request.job;
    let mut on_progress = |p: Progress| {
        let now = now_ms();
        if p.done || now - last_post >= PROGRESS_EVERY_MS {
            last_post = now;
            post(&FromWorker::Progress(ProgressUpdate {
                job,
                position: p.position,
                total: p.total.unwrap_or(0),
                bytes_read: p.bytes_read,
                bytes_skipped: p.bytes_skipped,
                elapsed_ms: now - started,
                worker_memory_bytes: memory_bytes(),
            }));
        }
        // The page cancels by stopping this worker: nothing to decide here.
        Control::Continue
    };
    let image_ref = request.image_ref.as_deref();
    match spec {
        ImageSpec::File { name, .. } => {
            let file = file.ok_or("the page sent no file with the check")?;
            let mut window = file_window::open(file)?;
            let len = window.len();
            let mut source = RandomAccessSource::new(len, |offset, buf: &mut [u8]| window.read_at(offset, buf).map_err(SourceError::new));
            Ok(smic_engine::read_image(name, &mut source as &mut dyn Source, image_ref, &mut on_progress))
        }
        ImageSpec::Demo => {
            let bytes = smic_engine::demo::archive();
            let mut source = SliceSource::new(&bytes);
            Ok(smic_engine::read_image(smic_engine::demo::ARCHIVE_NAME, &mut source, image_ref, &mut on_progress))
        }
    }
}

/// Checks what the request carries (with `image` when it has been read) and posts the report.
fn post_report(request: &CheckRequest, stage: Stage, image: Option<&ImageRead>, started: f64) {
    let engine_request = Request {
        image,
        dockerfile: request.dockerfile.as_ref().map(|d| NamedBytes { name: &d.name, bytes: d.text.as_bytes() }),
        build_args: request.build_args.clone(),
        target: request.target.clone(),
        app_image_config: request.app_image_config.as_ref().map(|c| NamedBytes { name: &c.name, bytes: c.text.as_bytes() }),
        options: Default::default(),
    };
    let report = smic_engine::check(&engine_request);
    let exports = stage == Stage::Final;
    post(&FromWorker::Report(ReportMessage {
        job: request.job,
        stage,
        json: report.to_json(),
        markdown: if exports { render::markdown::render(&report) } else { String::new() },
        sarif: if exports { render::sarif::render(&report) } else { String::new() },
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
