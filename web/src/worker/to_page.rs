//! The worker's one way to the page (or, for a pool worker, to the worker that started it): its
//! global scope, and a message posted as JSON text.

use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::DedicatedWorkerGlobalScope;

use crate::protocol::{self, FromWorker};

pub(super) fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Posts one message to the page.
pub(super) fn post(message: &FromWorker) {
    post_json(message);
}

/// Posts any protocol message as JSON text.
pub(super) fn post_json<T: Serialize>(message: &T) {
    let _ = scope().post_message(&JsValue::from_str(&protocol::encode(message)));
}
