//! A labelled text area for a small input (the Dockerfile, the AppImageConfig, the build args),
//! checked again as the user types.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: AttrValue,
    pub label: AttrValue,
    pub hint: Html,
    pub placeholder: AttrValue,
    pub value: String,
    pub on_input: Callback<String>,
    #[prop_or(12)]
    pub rows: u32,
    /// Shown under the text area (e.g. what is wrong with it).
    #[prop_or_default]
    pub children: Html,
}

#[function_component(TextEditor)]
pub fn text_editor(props: &Props) -> Html {
    let hint_id = format!("{}-hint", props.id);
    let on_input = {
        let on_input = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            on_input.emit(area.value());
        })
    };
    html! {
        <div class={classes!("editor", (props.rows < 6).then_some("editor-small"))}>
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <p class="hint" id={hint_id.clone()}>{ props.hint.clone() }</p>
            <textarea
                id={props.id.clone()}
                rows={props.rows.to_string()}
                spellcheck="false"
                autocomplete="off"
                aria-describedby={hint_id}
                placeholder={props.placeholder.clone()}
                value={props.value.clone()}
                oninput={on_input}
            />
            { props.children.clone() }
        </div>
    }
}
