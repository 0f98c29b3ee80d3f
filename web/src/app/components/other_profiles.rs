//! Under the headline: the verdict the same inputs get under each profile not chosen (computed by
//! the engine, in the report), each with a button that checks for that profile at once.

use std::rc::Rc;

use smic_rules::report::Verdict;
use smic_rules::{Profile, ProfileChoice, Report};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: Rc<Report>,
    pub on_switch: Callback<ProfileChoice>,
}

#[function_component(OtherProfiles)]
pub fn other_profiles(props: &Props) -> Html {
    if props.report.other_profiles.is_empty() {
        return html! {};
    }
    let switch = |profile: Profile| {
        let on_switch = props.on_switch.clone();
        Callback::from(move |_: MouseEvent| {
            on_switch.emit(ProfileChoice::Fixed(profile));
            focus_the_selector();
        })
    };
    html! {
        <section class="other-profiles" aria-labelledby="other-profiles-heading">
            <h3 id="other-profiles-heading">{ "Under the other profiles" }</h3>
            <ul>
                { for props.report.other_profiles.iter().map(|other| {
                    let (icon, word) = match other.verdict {
                        Verdict::Pass => ("✔", "Pass"),
                        Verdict::Fail => ("✖", "Fail"),
                    };
                    html! {
                        <li class={classes!("other-profile", format!("other-profile-{}", other.verdict.label()))}
                            data-profile={other.id.id()} data-verdict={other.verdict.label()}>
                            <span class="other-profile-verdict"><span class="icon" aria-hidden="true">{ icon }</span>{ word }</span>
                            <span class="other-profile-name">{ other.id.name() }</span>
                            <span class="other-profile-headline">{ other.headline.clone() }</span>
                            <button type="button" class="button secondary switch-profile" data-profile={other.id.id()} onclick={switch(other.id)}>
                                { format!("Check for {}", other.id.name()) }
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

/// The pressed button goes with its line once the report is for its profile: keyboard focus
/// moves to the profile selector, which now names that profile, rather than to the page's start.
fn focus_the_selector() {
    use wasm_bindgen::JsCast;
    let selector = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("profile-select"));
    if let Some(selector) = selector.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = selector.focus();
    }
}
