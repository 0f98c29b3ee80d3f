//! What was checked and found fine, and what could not be checked without another input —
//! collapsed, so the failures come first but nothing is hidden.

use std::rc::Rc;

use yew::prelude::*;

use super::rule_page::RulePage;
use smic_rules::report::{RuleOutcome, RuleStatus};
use smic_rules::{Report, Section};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: Rc<Report>,
}

/// The rules that did not fail, each section in the specification's order; empty sections are
/// left out.
fn unfailed_rules_by_section(report: &Report) -> Vec<(Section, Vec<&RuleOutcome>)> {
    Section::ALL
        .into_iter()
        .map(|section| {
            (section, report.rules.iter().filter(|r| r.section == section && r.status != RuleStatus::Failed).collect::<Vec<_>>())
        })
        .filter(|(_, rules)| !rules.is_empty())
        .collect()
}

#[function_component(PassedRules)]
pub fn passed_rules(props: &Props) -> Html {
    let s = props.report.summary;
    let suppressed = &props.report.suppressed;
    html! {
        <details class="passed-rules" id="passed-rules">
            <summary>
                <span class="icon" aria-hidden="true">{ "✔" }</span>
                { format!("{} rules passed, {} not checked", s.rules_passed, s.rules_not_checked) }
                { if s.rules_not_applicable == 0 { String::new() } else { format!(", {} not part of the {} profile", s.rules_not_applicable, props.report.profile.id.id()) } }
                { if suppressed.is_empty() { String::new() } else { format!(", {} findings silenced", suppressed.len()) } }
            </summary>
            { for unfailed_rules_by_section(&props.report).into_iter().map(|(section, rules)| html! {
                <section class="spec-section">
                    <h4>{ section.heading() }</h4>
                    <ul>
                        { for rules.into_iter().map(|r| {
                            let (class, icon, status) = match r.status {
                                RuleStatus::Passed => ("rule-passed", "✔", "passed"),
                                RuleStatus::NotApplicable => ("rule-not-applicable", "–", "not applicable"),
                                _ => ("rule-not-checked", "○", "not checked"),
                            };
                            html! {
                                <li class={class} data-rule={r.id.clone()}>
                                    <span class="icon" aria-hidden="true">{ icon }</span>
                                    <span class="status">{ status }</span>{ " " }
                                    <RulePage id={r.id.clone()} />
                                    { r.reason.as_ref().map(|why| html! { <span class="reason">{ format!("({why})") }</span> }).unwrap_or_default() }
                                </li>
                            }
                        }) }
                    </ul>
                </section>
            }) }
            if !suppressed.is_empty() {
                <section class="suppressed">
                    <h4>{ "Silenced in the Dockerfile" }</h4>
                    <ul>
                        { for suppressed.iter().map(|s| html! {
                            <li>
                                <code class="rule-id">{ s.rule.clone() }</code>{ " " }{ s.message.clone() }
                                <span class="reason">{ format!(" — silenced on line {}: {}", s.comment_line, s.reason) }</span>
                            </li>
                        }) }
                    </ul>
                </section>
            }
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use smic_engine::{NamedBytes, Request};

    #[test]
    fn sections_come_in_the_specs_order_and_every_rule_that_did_not_fail_is_listed() {
        let config = r#"{"AppImageConfigName": "ok", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "Python3"}], "FileSystemConfig": {"DefaultUid": 5}}}"#;
        let request = Request { app_image_config: Some(NamedBytes { name: "c.json", bytes: config.as_bytes() }), ..Request::default() };
        let report = smic_engine::check(&request);
        let order: Vec<Section> = report.findings_by_section().iter().map(|(s, _)| *s).collect();
        assert!(!order.is_empty() && order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
        let unfailed = unfailed_rules_by_section(&report);
        assert!(unfailed.windows(2).all(|w| w[0].0 < w[1].0));
        let listed: usize = unfailed.iter().map(|(_, r)| r.len()).sum();
        let s = report.summary;
        assert_eq!(listed as u32, s.rules_passed + s.rules_not_checked + s.rules_not_applicable);
    }
}
