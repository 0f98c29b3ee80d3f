//! A pending `setTimeout` that is cleared when dropped (used to wait for a pause in typing).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub struct Timeout {
    id: Option<i32>,
    _callback: Closure<dyn FnMut()>,
}

impl Timeout {
    pub fn new(ms: u32, run: impl FnOnce() + 'static) -> Timeout {
        let mut run = Some(run);
        let callback = Closure::<dyn FnMut()>::new(move || {
            if let Some(run) = run.take() {
                run();
            }
        });
        let id = web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(callback.as_ref().unchecked_ref(), ms.min(i32::MAX as u32) as i32).ok()
        });
        Timeout { id, _callback: callback }
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        if let (Some(id), Some(window)) = (self.id, web_sys::window()) {
            window.clear_timeout_with_handle(id);
        }
    }
}
