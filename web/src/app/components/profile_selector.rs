//! The profile selector beside the inputs: which Studio app to check the image for (`--profile`),
//! Auto reading it from the inputs.

use smic_rules::{Profile, ProfileChoice};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub current: ProfileChoice,
    pub on_choose: Callback<ProfileChoice>,
}

#[function_component(ProfileSelector)]
pub fn profile_selector(props: &Props) -> Html {
    let on_change = {
        let on_choose = props.on_choose.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Some(choice) = ProfileChoice::parse(&select.value()) {
                on_choose.emit(choice);
            }
        })
    };
    let choices =
        [(ProfileChoice::Auto, "Auto (from the inputs)")].into_iter().chain(Profile::ALL.map(|p| (ProfileChoice::Fixed(p), p.name())));
    html! {
        <div class="profile-selector">
            <label for="profile-select">{ "Studio app (profile)" }</label>
            <select id="profile-select" aria-describedby="profile-select-hint" onchange={on_change}>
                { for choices.map(|(choice, label)| html! {
                    <option value={choice.id()} selected={props.current == choice}>{ label }</option>
                }) }
            </select>
            <p id="profile-select-hint" class="hint">
                { "Auto takes it from the AppImageConfig's app block, else from the start command, else Studio Classic; the command line's " }
                <code>{ "--profile" }</code>{ "." }
            </p>
        </div>
    }
}
