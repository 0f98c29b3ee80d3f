//! A JavaScript error in words: what the browser said (`NotReadableError: The requested file
//! could not be read…`), not a Rust debug dump of the value.

use wasm_bindgen::{JsCast, JsValue};

/// `name: message` of an `Error` (a `DOMException` is one), the text of a string, else what the
/// value prints as.
pub fn describe(error: &JsValue) -> String {
    if let Some(text) = error.as_string() {
        return text;
    }
    if let Some(error) = error.dyn_ref::<js_sys::Error>() {
        return format!("{}: {}", String::from(error.name()), String::from(error.message()));
    }
    String::from(js_sys::JsString::from(error.clone()))
}
