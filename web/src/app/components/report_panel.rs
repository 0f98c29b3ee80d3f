//! The report: verdict first, then unreadable input, the findings by spec section, what passed,
//! the image, the suggested AppImageConfig, and the exports.

use std::rc::Rc;

use yew::prelude::*;

use super::exports::Exports;
use super::findings::Findings;
use super::image_panel::ImagePanel;
use super::input_errors::InputErrors;
use super::passed_rules::PassedRules;
use super::suggestion_panel::SuggestionPanel;
use super::verdict::Verdict;
use crate::app::state::ShownReport;
use crate::protocol::Stage;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: Rc<ShownReport>,
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
            <InputErrors report={shown.clone()} />
            <Findings report={shown.clone()} />
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
