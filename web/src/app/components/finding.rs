//! One finding: what was observed, the evidence, the fix (with the Dockerfile patch when the rule
//! makes one), and the rule's page one click away.

use yew::prelude::*;

use super::evidence::Evidence;
use super::patch_diff::PatchDiff;
use super::rule_page::RulePage;
use super::severity_badge::SeverityBadge;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub finding: smic_rules::Finding,
}

#[function_component(Finding)]
pub fn finding(props: &Props) -> Html {
    let f = &props.finding;
    let severity = f.severity;
    html! {
        <article class={classes!("finding", format!("finding-{}", severity.label()))} data-rule={f.rule.clone()}>
            <header class="finding-header">
                <SeverityBadge severity={severity} />
                <code class="rule-id">{ f.rule.clone() }</code>
                <span class="rule-name">{ f.name.clone() }</span>
            </header>
            <p class="message">{ f.message.clone() }</p>
            if !f.locations.is_empty() {
                <ul class="evidence" aria-label="Evidence">
                    { for f.locations.iter().map(|l| html! { <Evidence location={l.clone()} /> }) }
                </ul>
            }
            <p class="fix"><strong>{ "Fix: " }</strong>{ f.fix.clone() }</p>
            if let Some(patch) = &f.patch {
                <PatchDiff patch={patch.clone()} title="Patch" />
            }
            <RulePage id={f.rule.clone()} summary_prefix="Why this matters" />
        </article>
    }
}
