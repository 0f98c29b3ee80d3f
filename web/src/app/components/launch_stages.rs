//! "Will it start?" stage by stage, at the top of the report: a compact stepper of the launch
//! (registration → image pull → container start → server start → kernels), each stage with its
//! verdict and the rules that fired there, the first failing one marked, later ones "not reached".

use std::rc::Rc;

use yew::prelude::*;

use smic_rules::launch::StageVerdict;
use smic_rules::Report;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: Rc<Report>,
}

fn mark(verdict: StageVerdict) -> &'static str {
    match verdict {
        StageVerdict::Pass => "✔",
        StageVerdict::Warn => "!",
        StageVerdict::Fail => "✖",
        StageVerdict::NotReached => "–",
        StageVerdict::NotChecked => "?",
    }
}

#[function_component(LaunchStages)]
pub fn launch_stages(props: &Props) -> Html {
    let stages = &props.report.stages;
    if stages.is_empty() {
        return html! {};
    }
    html! {
        <ol class="launch-stages" aria-label="Launch stages">
            { for stages.iter().map(|stage| {
                let verdict = stage.verdict.label().replace(' ', "-");
                html! {
                    <li class={classes!("launch-stage", format!("stage-{verdict}"))} data-stage-id={stage.id.id()} data-verdict={verdict.clone()}>
                        <span class="stage-mark" aria-hidden="true">{ mark(stage.verdict) }</span>
                        <span class="stage-label">{ stage.label.clone() }</span>
                        <span class="stage-verdict">{ stage.verdict.label() }</span>
                        if !stage.rules.is_empty() {
                            <span class="stage-rules">
                                { for stage.rules.iter().map(|id| html! { <a class="rule-id" href={format!("#rule-{id}")}>{ id.clone() }</a> }) }
                            </span>
                        }
                    </li>
                }
            }) }
        </ol>
    }
}
