//! The main thread: renders the inputs, the progress and the report (`components`); the page's
//! state (`state`) and the hook that runs the checks with the worker (`use_checker`).

mod address;
mod clipboard;
mod components;
mod download;
mod recognise;
pub(crate) mod state;
mod timing;
mod use_checker;
mod worker_link;

use wasm_bindgen::JsValue;

/// Entry point of the `app` binary: mounts the page into `#app`.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let message = crate::panic_report::describe(info);
        web_sys::console::error_1(&JsValue::from_str(&message));
        show_fatal(&message);
    }));
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => {
            yew::Renderer::<components::app::App>::with_root(root).render();
        }
        None => show_fatal("the page has no #app element to mount into"),
    }
}

/// Writes a last message into the page's static error banner (Yew may be gone by now).
fn show_fatal(message: &str) {
    let Some(banner) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("fatal")) else {
        return;
    };
    banner.set_text_content(Some(&format!("The page stopped because of a bug: {message}. Reload to start again; please report it.")));
    let _ = banner.remove_attribute("hidden");
}
