//! A pool worker's one job: read a compressed layer of the dropped `File` — only its byte range,
//! with the same slice reader as the archive's worker — and post back its outcome as bytes
//! (their buffer transferred, not copied), with progress every `PROGRESS_EVERY_MS` meanwhile.
//! The worker that reads the archive (`pool`) merges the outcomes; this side knows nothing of
//! the archive around the layer.

use js_sys::{Array, Uint8Array};
use wasm_bindgen::JsValue;
use web_sys::File;

use smic_engine::{Control, LayerJob, LayerOutcome};

use crate::protocol::{self, FromPool};

use super::check::{now_ms, PROGRESS_EVERY_MS};
use super::file_source::FileSource;
use super::to_page::{post_json, scope};

/// Reads layer `id` (`job`: `LayerJob::encode`) of `file` and answers the worker that asked.
pub fn run(id: u32, job: String, file: Option<File>) {
    wasm_bindgen_futures::spawn_local(async move {
        let (outcome, bytes_read) = match (LayerJob::decode(&job), file) {
            (Some(job), Some(file)) => {
                let mut source = FileSource::new(file);
                let mut last_post = now_ms();
                let mut progress = |done: u64| {
                    let now = now_ms();
                    if now - last_post >= PROGRESS_EVERY_MS {
                        last_post = now;
                        post_json(&FromPool::LayerProgress { id, done });
                    }
                    Control::Continue
                };
                smic_engine::read_layer(&mut source, &job, &mut progress).await
            }
            (None, _) => (LayerOutcome::failed("the layer to read was not understood"), 0),
            (_, None) => (LayerOutcome::failed("no file came with the layer to read"), 0),
        };
        // One copy out of this worker's memory; the buffer then moves to the other worker.
        let bytes = Uint8Array::from(outcome.encode().as_slice());
        let message = Array::of2(&JsValue::from_str(&protocol::encode(&FromPool::LayerRead { id, bytes_read })), &bytes);
        let _ = scope().post_message_with_transfer(&message, &Array::of1(&bytes.buffer()));
    });
}
