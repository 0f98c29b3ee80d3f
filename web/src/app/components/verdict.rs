//! The answer first: will Studio start this image, for which app (the profile) and why that one,
//! and the counts behind it.

use std::rc::Rc;

use yew::prelude::*;

use crate::protocol::Stage;
use smic_rules::report::Verdict as Answer;
use smic_rules::text::plural;
use smic_rules::Report;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: Rc<Report>,
    pub stage: Stage,
}

#[function_component(Verdict)]
pub fn verdict(props: &Props) -> Html {
    let view = &props.report;
    let (icon, class, word, verdict) = match view.verdict {
        Answer::Pass => ("✔", "verdict verdict-pass", "Pass", "pass"),
        Answer::Fail => ("✖", "verdict verdict-fail", "Fail", "fail"),
    };
    let s = view.summary;
    let counts = format!(
        "{}, {}, {} · {} passed, {} failed, {} not checked",
        plural(s.errors as usize, "error", "errors"),
        plural(s.warnings as usize, "warning", "warnings"),
        plural(s.infos as usize, "note", "notes"),
        plural(s.rules_passed as usize, "rule", "rules"),
        s.rules_failed,
        s.rules_not_checked,
    );
    html! {
        <div class={class} data-verdict={verdict} aria-live="polite">
            <h2 id="report-heading">
                <span class="verdict-word"><span class="icon" aria-hidden="true">{ icon }</span>{ word }</span>
                <span class="headline">{ view.headline.clone() }</span>
            </h2>
            <p class="profile" data-profile={view.profile.id.id()}>{ format!("Profile: {}", view.profile.describe()) }</p>
            <p class="counts">{ counts }</p>
            if props.stage == Stage::WithoutImage {
                <p class="partial-note" role="status">{ "These results come from the Dockerfile and the AppImageConfig; the image archive is still being read, its findings follow." }</p>
            }
        </div>
    }
}
