//! Says when the checker itself failed: a bug (the worker was restarted) or a browser that cannot
//! run it.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub crash: Option<String>,
    /// The worker never started.
    pub broken: bool,
}

#[function_component(CrashBanner)]
pub fn crash_banner(props: &Props) -> Html {
    let Some(crash) = &props.crash else {
        return html! {};
    };
    let what = if props.broken {
        "The checker could not start in this browser"
    } else {
        "The checker hit a bug and was restarted; the archive it was reading is left out until you ask again"
    };
    html! {
        <div class="banner banner-error" role="alert">
            <p><strong>{ what }</strong>{ ": " }<code>{ crash.clone() }</code></p>
        </div>
    }
}
