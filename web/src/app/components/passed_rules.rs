//! What was checked and found fine, and what could not be checked without another input —
//! collapsed, so the failures come first but nothing is hidden.

use yew::prelude::*;

use super::rule_page::RulePage;
use crate::report_view::ReportView;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub view: ReportView,
}

#[function_component(PassedRules)]
pub fn passed_rules(props: &Props) -> Html {
    let s = props.view.summary;
    let suppressed = &props.view.suppressed;
    html! {
        <details class="passed-rules" id="passed-rules">
            <summary>
                <span class="icon" aria-hidden="true">{ "✔" }</span>
                { format!("{} rules passed, {} not checked", s.rules_passed, s.rules_not_checked) }
                { if suppressed.is_empty() { String::new() } else { format!(", {} findings silenced", suppressed.len()) } }
            </summary>
            { for props.view.unfailed_rules_by_section().into_iter().map(|(section, rules)| html! {
                <section class="spec-section">
                    <h4>{ section.heading() }</h4>
                    <ul>
                        { for rules.into_iter().map(|r| {
                            let passed = r.status == "passed";
                            html! {
                                <li class={if passed { "rule-passed" } else { "rule-not-checked" }} data-rule={r.id.clone()}>
                                    <span class="icon" aria-hidden="true">{ if passed { "✔" } else { "○" } }</span>
                                    <span class="status">{ if passed { "passed" } else { "not checked" } }</span>{ " " }
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
