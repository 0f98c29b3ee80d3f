//! Every rule, by section of the specification: the page's rule reference.

use yew::prelude::*;

use super::rule_page::RulePage;
use crate::catalog;

#[function_component(RuleCatalog)]
pub fn rule_catalog() -> Html {
    let rules = catalog::rules();
    html! {
        <details class="rule-catalog" id="rules">
            <summary>{ format!("All {} rules, by section of the specification", rules.len()) }</summary>
            { for smic_rules::Section::ALL.iter().map(|section| html! {
                <section class="spec-section">
                    <h3>{ section.heading() }</h3>
                    <ul>
                        { for rules.iter().filter(|r| r.section == section.heading()).map(|r| html! {
                            <li><RulePage id={r.id.clone()} anchor=true /></li>
                        }) }
                    </ul>
                </section>
            }) }
        </details>
    }
}
