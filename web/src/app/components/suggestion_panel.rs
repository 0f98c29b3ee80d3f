//! The suggested AppImageConfig: the CreateAppImageConfig input the worker's engine made for the
//! report's profile (what `sm-image-check suggest-config` prints for the same files), a copy
//! button, why each value is what it is, and what differs from the AppImageConfig the user gave.

use std::rc::Rc;

use yew::prelude::*;

use super::evidence::Evidence;
use crate::app::clipboard;
use smic_rules::suggest::{FieldChange, Suggestion};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub suggestion: Rc<Suggestion>,
}

/// What the copy button last did.
#[derive(Clone, Copy, PartialEq)]
enum Copied {
    Not,
    Done,
    Refused,
}

#[function_component(SuggestionPanel)]
pub fn suggestion_panel(props: &Props) -> Html {
    let suggestion = &props.suggestion;
    let json = suggestion.to_json();
    let copied = use_state(|| Copied::Not);
    {
        // A new suggestion has not been copied yet.
        let copied = copied.clone();
        use_effect_with(json.clone(), move |_| copied.set(Copied::Not));
    }
    let onclick = {
        let (copied, json) = (copied.clone(), json.clone());
        Callback::from(move |_: MouseEvent| {
            let (copied, json) = (copied.clone(), json.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match clipboard::copy(&json).await {
                    Ok(()) => copied.set(Copied::Done),
                    Err(e) => {
                        web_sys::console::warn_1(&e);
                        copied.set(Copied::Refused);
                    }
                }
            });
        })
    };
    let status = match *copied {
        Copied::Not => "",
        Copied::Done => "Copied.",
        Copied::Refused => "The browser did not allow copying: select the text and copy it.",
    };
    html! {
        <section id="suggestion" class="suggestion-panel" aria-labelledby="suggestion-heading" data-profile={suggestion.profile.id()}>
            <h3 id="suggestion-heading">{ "Suggested AppImageConfig" }</h3>
            <p class="hint">
                { format!("The CreateAppImageConfig input for {}, from what the check found; ", suggestion.profile.app()) }
                <code>{ "sm-image-check suggest-config" }</code>{ " prints the same for the same files." }
            </p>
            <div class="suggestion-actions">
                <button type="button" id="copy-suggestion" class="button secondary" {onclick}>{ "Copy" }</button>
                <span id="copy-status" class="copy-status" role="status">{ status }</span>
            </div>
            <pre id="suggested-config" class="suggested-config"><code>{ json }</code></pre>
            { changes(suggestion.changes.as_deref()) }
            <details class="suggestion-notes" open=true>
                <summary>{ "Why these values" }</summary>
                <ul class="notes">
                    { for suggestion.notes.iter().map(|note| html! {
                        <li class="note" data-field={note.field.clone()}>
                            <code class="pointer">{ if note.field.is_empty() { "(whole config)".to_string() } else { note.field.clone() } }</code>
                            { " " }{ note.text.clone() }
                            if !note.evidence.is_empty() {
                                <ul class="evidence">{ for note.evidence.iter().map(|l| html! { <Evidence location={l.clone()} /> }) }</ul>
                            }
                        </li>
                    }) }
                </ul>
            </details>
        </section>
    }
}

/// The field-by-field difference from the given AppImageConfig (nothing when none was given).
fn changes(changes: Option<&[FieldChange]>) -> Html {
    let Some(changes) = changes else {
        return html! {};
    };
    if changes.is_empty() {
        return html! { <p id="suggestion-changes" class="suggestion-same">{ "Your AppImageConfig already has these values." }</p> };
    }
    let value = |v: &Option<String>, missing: &'static str| match v {
        Some(v) => html! { <code>{ v.clone() }</code> },
        None => html! { <span class="absent">{ missing }</span> },
    };
    html! {
        <div class="table-scroll">
            <table id="suggestion-changes" class="suggestion-changes">
                <caption>{ "What differs from your AppImageConfig" }</caption>
                <thead><tr><th scope="col">{ "Field" }</th><th scope="col">{ "Yours" }</th><th scope="col">{ "Suggested" }</th></tr></thead>
                <tbody>
                    { for changes.iter().map(|c| html! {
                        <tr class="change" data-pointer={c.pointer.clone()}>
                            <td><code class="pointer">{ c.pointer.clone() }</code></td>
                            <td class="given">{ value(&c.given, "absent") }</td>
                            <td class="suggested">{ value(&c.suggested, "left out") }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}
