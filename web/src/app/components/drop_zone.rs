//! One place for every input: drop files on it or choose them; each is recognised by its content.
//! Also the "try an example" button.

use wasm_bindgen::JsCast;
use web_sys::{DragEvent, File, FileList, HtmlInputElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub on_files: Callback<Vec<File>>,
    pub on_demo: Callback<()>,
}

fn files_of(list: Option<FileList>) -> Vec<File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

#[function_component(DropZone)]
pub fn drop_zone(props: &Props) -> Html {
    let dragging = use_state(|| false);

    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if let Some(dt) = e.data_transfer() {
                dt.set_drop_effect("copy");
            }
            dragging.set(true);
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let on_drop = {
        let dragging = dragging.clone();
        let on_files = props.on_files.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            let files = files_of(e.data_transfer().and_then(|dt| dt.files()));
            if !files.is_empty() {
                on_files.emit(files);
            }
        })
    };
    let on_change = {
        let on_files = props.on_files.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else {
                return;
            };
            let files = files_of(input.files());
            // Cleared, so choosing the same file again is a change too.
            input.set_value("");
            if !files.is_empty() {
                on_files.emit(files);
            }
        })
    };
    let on_demo = {
        let on_demo = props.on_demo.clone();
        Callback::from(move |_: MouseEvent| on_demo.emit(()))
    };

    html! {
        <div
            id="drop-zone"
            class={classes!("drop-zone", (*dragging).then_some("dragging"))}
            ondragenter={on_drag_over.clone()}
            ondragover={on_drag_over}
            ondragleave={on_drag_leave}
            ondrop={on_drop}
        >
            <p class="drop-title">{ "Drop the image archive, the Dockerfile and the AppImageConfig here" }</p>
            <p class="hint">
                { "Any of the three, in any combination — recognised by content, not name. Archives from " }
                <code>{ "docker save" }</code>{ ", " }<code>{ "podman save" }</code>{ ", skopeo, containerd, kaniko or jib (.tar, .tar.gz, .tar.zst), of any size." }
            </p>
            <div class="drop-actions">
                <input type="file" id="file-input" class="visually-hidden" multiple=true onchange={on_change} />
                <label for="file-input" class="button">{ "Choose files…" }</label>
                <button type="button" id="demo-button" class="button secondary" onclick={on_demo}>{ "Try an example" }</button>
            </div>
        </div>
    }
}
