//! The worker: runs the engine on what the page posts and answers with progress and reports.
//! The same program is also a pool worker, started by the worker that reads an archive to read
//! some of its layers (`pool`, `layer_reader`).
//! Checking the small inputs is synchronous; reading an archive is a task that waits for the
//! browser's slices of the file, so this thread stays free to take the next message. Nothing
//! here ever blocks the page's thread. A panic is reported to the page (which restarts the
//! worker) instead of dying silently.

mod check;
mod fetchers;
mod file_source;
mod layer_reader;
mod pool;
mod to_page;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::MessageEvent;

use crate::protocol::{self, FromWorker, ToWorker};
use to_page::{post, scope};

/// Entry point of the `worker` binary.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let message = crate::panic_report::describe(info);
        web_sys::console::error_1(&JsValue::from_str(&message));
        post(&FromWorker::Crashed { message });
    }));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(on_message);
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&FromWorker::Ready);
}

/// A message is `[json, file-or-null]`.
fn on_message(event: MessageEvent) {
    let data = event.data();
    let parts: js_sys::Array = match data.dyn_into() {
        Ok(a) => a,
        Err(_) => return,
    };
    let Some(text) = parts.get(0).as_string() else {
        return;
    };
    let file = parts.get(1).dyn_into::<web_sys::File>().ok();
    match protocol::decode::<ToWorker>(&text) {
        Some(ToWorker::Check(request)) => check::run(request, file),
        Some(ToWorker::ReadLayer { id, job }) => layer_reader::run(id, job, file),
        Some(ToWorker::DecodeChunk { id }) => layer_reader::decode_chunk(id, parts.get(2).dyn_into().ok(), file),
        Some(ToWorker::Spare) => layer_reader::spare(parts.get(2).dyn_into().ok()),
        None => {}
    }
}
