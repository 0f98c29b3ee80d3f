//! A button that puts a text on the clipboard and says so ("Copied"), or says it could not.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub text: AttrValue,
    /// What the button copies, for its label ("Copy the diff").
    pub label: AttrValue,
}

#[derive(Clone, Copy, PartialEq)]
enum Outcome {
    Ready,
    Copied,
    Failed,
}

#[function_component(CopyButton)]
pub fn copy_button(props: &Props) -> Html {
    let outcome = use_state(|| Outcome::Ready);
    let onclick = {
        let outcome = outcome.clone();
        let text = props.text.clone();
        Callback::from(move |_: MouseEvent| {
            let outcome = outcome.clone();
            let text = text.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let written = match web_sys::window() {
                    Some(window) => wasm_bindgen_futures::JsFuture::from(window.navigator().clipboard().write_text(&text)).await.is_ok(),
                    None => false,
                };
                outcome.set(if written { Outcome::Copied } else { Outcome::Failed });
            });
        })
    };
    let (label, state) = match *outcome {
        Outcome::Ready => (props.label.to_string(), "ready"),
        Outcome::Copied => (String::from("Copied"), "copied"),
        Outcome::Failed => (String::from("Copy failed: select the text instead"), "failed"),
    };
    html! {
        <button type="button" class="button secondary copy-button" data-copy={state} {onclick}>{ label }</button>
    }
}
