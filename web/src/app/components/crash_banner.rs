//! Says when the checker itself failed: a bug (the worker died and was restarted, or its report
//! could not be read) or a browser that cannot run it.

use yew::prelude::*;

use crate::app::state::Crash;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub crash: Option<Crash>,
    /// The worker never started.
    pub broken: bool,
}

#[function_component(CrashBanner)]
pub fn crash_banner(props: &Props) -> Html {
    let Some(crash) = &props.crash else {
        return html! {};
    };
    let what = match crash {
        Crash::WorkerDied(_) if props.broken => "The checker could not start in this browser",
        Crash::WorkerDied(_) => "The checker hit a bug and was restarted; the archive it was reading is left out until you ask again",
        Crash::UnreadableReport(_) => "The checker hit a bug: its latest report could not be shown, and the report below is from before",
    };
    html! {
        <div class="banner banner-error" role="alert">
            <p><strong>{ what }</strong>{ ": " }<code>{ crash.message().to_owned() }</code></p>
        </div>
    }
}
