//! The report: verdict first, then the launch stage by stage, unreadable input, the findings by
//! spec section, the patch of them all, what passed, the image, the suggested AppImageConfig, and
//! the exports.

use std::rc::Rc;

use yew::prelude::*;

use super::all_patches::AllPatches;
use super::exports::Exports;
use super::findings::Findings;
use super::image_panel::ImagePanel;
use super::input_errors::InputErrors;
use super::launch_stages::LaunchStages;
use super::other_profiles::OtherProfiles;
use super::passed_rules::PassedRules;
use super::suggestion_panel::SuggestionPanel;
use super::verdict::Verdict;
use crate::app::state::ShownReport;
use crate::protocol::Stage;
use smic_rules::ProfileChoice;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: Rc<ShownReport>,
    /// A click on another profile's line: check for that profile.
    pub on_switch_profile: Callback<ProfileChoice>,
}

#[function_component(ReportPanel)]
pub fn report_panel(props: &Props) -> Html {
    let report = &props.report;
    let shown = &report.report;
    let stage = match report.stage {
        Stage::WithoutImage => "partial",
        Stage::Final => "final",
    };
    html! {
        <section id="report" class="report" aria-labelledby="report-heading" data-stage={stage} data-job={report.job.to_string()}>
            <Verdict report={shown.clone()} stage={report.stage} />
            <LaunchStages report={shown.clone()} />
            <OtherProfiles report={shown.clone()} on_switch={props.on_switch_profile.clone()} />
            <InputErrors report={shown.clone()} />
            <Findings report={shown.clone()} />
            <AllPatches report={shown.clone()} />
            <PassedRules report={shown.clone()} />
            <ImagePanel report={shown.clone()} />
            if let Some(suggestion) = &report.suggestion {
                <SuggestionPanel suggestion={suggestion.clone()} />
            }
            if report.stage == Stage::Final {
                <Exports report={report.clone()} />
            }
        </section>
    }
}
