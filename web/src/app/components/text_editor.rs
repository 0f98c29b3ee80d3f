//! A labelled text area for a small input (the Dockerfile, the AppImageConfig, the build args),
//! or a one-line field (the target stage), checked again as the user types.

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
    /// A one-line `<input>` instead of a text area (`rows` is then ignored).
    #[prop_or(false)]
    pub single_line: bool,
    /// Shown under the text area (e.g. what is wrong with it).
    #[prop_or_default]
    pub children: Html,
}

#[function_component(TextEditor)]
pub fn text_editor(props: &Props) -> Html {
    let hint_id = format!("{}-hint", props.id);
    let single_line = props.single_line;
    let on_input = {
        let on_input = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            let value = if single_line {
                e.target_unchecked_into::<web_sys::HtmlInputElement>().value()
            } else {
                e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value()
            };
            on_input.emit(value);
        })
    };
    let small = single_line || props.rows < 6;
    html! {
        <div class={classes!("editor", small.then_some("editor-small"))}>
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <p class="hint" id={hint_id.clone()}>{ props.hint.clone() }</p>
            <@{ if single_line { "input" } else { "textarea" } }
                id={props.id.clone()}
                type={single_line.then_some("text")}
                rows={(!single_line).then(|| props.rows.to_string())}
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
