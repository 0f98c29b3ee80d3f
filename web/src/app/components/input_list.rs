//! What will be checked: one line per input, each removable.

use yew::prelude::*;

use crate::app::state::ImageInput;
use crate::display::bytes;
use crate::protocol::ImageSpec;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub image: Option<ImageInput>,
    pub image_paused: bool,
    pub dockerfile: Option<String>,
    pub config: Option<String>,
    pub on_remove_image: Callback<()>,
    pub on_remove_dockerfile: Callback<()>,
    pub on_remove_config: Callback<()>,
    pub on_check_image_again: Callback<()>,
}

fn item(kind: &'static str, name: String, detail: Option<Html>, on_remove: &Callback<()>) -> Html {
    let on_remove = on_remove.clone();
    let label = format!("Remove the {kind} {name}");
    html! {
        <li class="input-item">
            <span class="input-kind">{ kind }</span>
            <span class="input-name">{ name }</span>
            { detail.unwrap_or_default() }
            <button type="button" class="link-button" aria-label={label} onclick={Callback::from(move |_: MouseEvent| on_remove.emit(()))}>{ "Remove" }</button>
        </li>
    }
}

#[function_component(InputList)]
pub fn input_list(props: &Props) -> Html {
    if props.image.is_none() && props.dockerfile.is_none() && props.config.is_none() {
        return html! {};
    }
    let image = props.image.as_ref().map(|image| {
        let size = match &image.spec {
            ImageSpec::File { size, .. } => bytes(*size),
            ImageSpec::Demo => String::from("bundled example"),
        };
        let again = props.on_check_image_again.clone();
        let detail = html! {
            <>
                <span class="input-detail">{ format!("({size})") }</span>
                if props.image_paused {
                    <span class="input-detail">{ "left out" }</span>
                    <button type="button" class="link-button" onclick={Callback::from(move |_: MouseEvent| again.emit(()))}>{ "Check it again" }</button>
                }
            </>
        };
        item("Image archive", image.name().to_string(), Some(detail), &props.on_remove_image)
    });
    html! {
        <ul class="input-list" aria-label="Inputs to check">
            { image.unwrap_or_default() }
            { props.dockerfile.clone().map(|n| item("Dockerfile", n, None, &props.on_remove_dockerfile)).unwrap_or_default() }
            { props.config.clone().map(|n| item("AppImageConfig", n, None, &props.on_remove_config)).unwrap_or_default() }
        </ul>
    }
}
