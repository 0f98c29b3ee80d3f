//! Build arguments for the Dockerfile, one `NAME=value` per line, like `--build-arg`.

use yew::prelude::*;

use super::text_editor::TextEditor;
use crate::build_args;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub value: String,
    pub on_input: Callback<String>,
}

#[function_component(BuildArgsEditor)]
pub fn build_args_editor(props: &Props) -> Html {
    let (_, bad) = build_args::parse(&props.value);
    let hint = html! { <>{ "One NAME=value per line, as given to " }<code>{ "docker build --build-arg" }</code>{ "." }</> };
    html! {
        <TextEditor id="build-args" label="Build args" hint={hint} placeholder="NB_UID=1000" rows={3}
            value={props.value.clone()} on_input={props.on_input.clone()}>
            if !bad.is_empty() {
                <ul class="field-errors" role="status">
                    { for bad.iter().map(|b| html! { <li>{ format!("Line {}: {:?} is not NAME=value; it is ignored.", b.line, b.text) }</li> }) }
                </ul>
            }
        </TextEditor>
    }
}
