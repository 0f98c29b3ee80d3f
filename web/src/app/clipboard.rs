//! Copies a text the page made (the suggested AppImageConfig) to the clipboard through the
//! browser's asynchronous Clipboard API: nothing leaves the machine.

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// Writes `text` to the clipboard; `Err` when the browser refuses (no permission, not a secure
/// context).
pub async fn copy(text: &str) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    JsFuture::from(window.navigator().clipboard().write_text(text)).await.map(|_| ())
}
