//! The worker's one way to the page: its global scope, and a message posted as JSON text.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::DedicatedWorkerGlobalScope;

use crate::protocol::{self, FromWorker};

pub(super) fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Posts one message to the page.
pub(super) fn post(message: &FromWorker) {
    let _ = scope().post_message(&JsValue::from_str(&protocol::encode(message)));
}
