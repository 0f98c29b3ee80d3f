//! The page's end of the worker: starts it (from `./worker-boot.js`, or from the blob URL the
//! single-file build provides), hands its messages to a callback, and stops it for good when
//! restarted (the surest stop: the reading, the slices in flight and its memory go at once).
//! Knows nothing of the page's state: its failures reach the callback as `FromWorker::Crashed`.

use std::cell::Cell;
use std::collections::VecDeque;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, File, MessageEvent, Worker, WorkerOptions};
use yew::Callback;

use crate::protocol::{self, FromWorker, ToWorker};

const WORKER_SCRIPT: &str = "./worker-boot.js";

pub struct WorkerLink {
    on_message: Callback<FromWorker>,
    generations: u32,
    /// The generation whose events count (0: none); events of a replaced or dead worker are ignored.
    live: Rc<Cell<u32>>,
    current: Option<LiveWorker>,
    /// Workers stopped by a restart, kept with their handlers: an event a stopped worker still
    /// delivers (Chromium reports one now and then when it stops a worker whose own workers are
    /// busy) then reaches a handler that ignores it and marks it handled, instead of being
    /// reported as an uncaught error of the page. The last few suffice.
    retired: VecDeque<LiveWorker>,
}

/// How many stopped workers' handlers are kept.
const RETIRED_KEPT: usize = 4;

/// A started worker and the handlers that must live as long as it does.
struct LiveWorker {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl WorkerLink {
    pub fn start(on_message: Callback<FromWorker>) -> WorkerLink {
        let mut link = WorkerLink { on_message, generations: 0, live: Rc::new(Cell::new(0)), current: None, retired: VecDeque::new() };
        link.spawn();
        link
    }

    /// Stops the worker (whatever it is doing) and starts a fresh one.
    pub fn restart(&mut self) {
        if let Some(old) = self.current.take() {
            old.worker.terminate();
            if self.retired.len() == RETIRED_KEPT {
                self.retired.pop_front();
            }
            self.retired.push_back(old);
        }
        self.spawn();
    }

    pub fn post(&self, message: &ToWorker, file: Option<&File>) {
        let Some(current) = &self.current else { return };
        let envelope =
            js_sys::Array::of2(&JsValue::from_str(&protocol::encode(message)), &file.map(JsValue::from).unwrap_or(JsValue::NULL));
        if let Err(e) = current.worker.post_message(&envelope) {
            self.on_message.emit(FromWorker::Crashed { message: format!("cannot reach the worker: {}", crate::js_error::describe(&e)) });
        }
    }

    fn spawn(&mut self) {
        self.generations += 1;
        let generation = self.generations;
        self.live.set(generation);
        let url = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("__smicWorkerUrl"))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_else(|| WORKER_SCRIPT.to_string());
        let options = WorkerOptions::new();
        options.set_name(&super::address::worker_name());
        let worker = match Worker::new_with_options(&url, &options) {
            Ok(w) => w,
            Err(e) => {
                self.on_message
                    .emit(FromWorker::Crashed { message: format!("the checker could not start: {}", crate::js_error::describe(&e)) });
                return;
            }
        };
        let on_message = {
            let on_message = self.on_message.clone();
            let live = self.live.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                if live.get() != generation {
                    return;
                }
                let Some(message) = event.data().as_string().and_then(|text| protocol::decode::<FromWorker>(&text)) else {
                    return;
                };
                if matches!(message, FromWorker::Crashed { .. }) {
                    // The trap that follows a panic also fires `error`: one report is enough.
                    live.set(0);
                }
                on_message.emit(message);
            })
        };
        let on_error = {
            let on_message = self.on_message.clone();
            let live = self.live.clone();
            Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
                // Handled here (reported as a crash, or ignored for a replaced worker): not an
                // uncaught error of the page.
                event.prevent_default();
                if live.get() == generation {
                    live.set(0);
                    on_message.emit(FromWorker::Crashed { message: format!("the checker stopped: {}", event.message()) });
                }
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        self.current = Some(LiveWorker { worker, _on_message: on_message, _on_error: on_error });
    }
}
