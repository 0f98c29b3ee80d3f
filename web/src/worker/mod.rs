//! The worker: runs the engine on what the page posts and answers with progress and reports.
//! Everything here is synchronous — a check blocks this thread, never the page's. A panic is
//! reported to the page (which restarts the worker) instead of dying silently.

mod check;
mod file_window;

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::protocol::{self, FromWorker, ToWorker};

thread_local! {
    static STATE: RefCell<check::WorkerState> = RefCell::new(check::WorkerState::default());
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Posts one message to the page.
pub(crate) fn post(message: &FromWorker) {
    let _ = scope().post_message(&JsValue::from_str(&protocol::encode(message)));
}

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
        Some(ToWorker::Check(request)) => STATE.with(|state| state.borrow_mut().run(&request, file)),
        None => {}
    }
}
