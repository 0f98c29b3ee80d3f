//! Where pool workers come from and go: one kept idle from an earlier archive, or a new one,
//! sent this worker's compiled module; and, once an archive is read, kept for the next or
//! stopped.

use std::cell::RefCell;

use wasm_bindgen::JsValue;
use web_sys::{Worker, WorkerOptions};

use crate::js_error;
use crate::worker::to_page::scope;

thread_local! {
    /// Pool workers started and idle, kept between archives.
    static IDLE: RefCell<Vec<Worker>> = const { RefCell::new(Vec::new()) };
}

/// A pool worker kept idle from an earlier archive: ready at once.
pub(super) fn kept() -> Option<Worker> {
    IDLE.with(|idle| idle.borrow_mut().pop())
}

/// Keeps an idle pool worker for the next archive.
pub(super) fn keep(worker: Worker) {
    IDLE.with(|idle| idle.borrow_mut().push(worker));
}

/// Starts a pool worker (ready when it says so), or says why it could not start.
pub(super) fn start() -> Result<Worker, String> {
    let options = WorkerOptions::new();
    options.set_name("pool");
    let worker = Worker::new_with_options(&scope().location().href(), &options)
        .map_err(|e| format!("a pool worker could not start: {}", js_error::describe(&e)))?;
    // This worker's compiled module, which the pool worker instantiates as it is (`worker-boot.js`)
    // instead of fetching and compiling its own; null if it cannot be sent: then it does.
    if worker.post_message(&wasm_bindgen::module()).is_err() {
        let _ = worker.post_message(&JsValue::NULL);
    }
    Ok(worker)
}
