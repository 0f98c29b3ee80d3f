//! The findings, grouped by the specification's sections in the specification's order.

use std::rc::Rc;

use yew::prelude::*;

use super::finding::Finding;
use smic_rules::Report;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: Rc<Report>,
}

#[function_component(Findings)]
pub fn findings(props: &Props) -> Html {
    let sections = props.report.findings_by_section();
    if sections.is_empty() {
        return html! {};
    }
    html! {
        <div class="findings">
            { for sections.into_iter().map(|(section, found)| {
                let heading_id = format!("section-{}", section.heading().to_ascii_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
                html! {
                    <section class="spec-section" aria-labelledby={heading_id.clone()}>
                        <h3 id={heading_id}>{ section.heading() }</h3>
                        { for found.into_iter().map(|f| html! { <Finding finding={f.clone()} /> }) }
                    </section>
                }
            }) }
        </div>
    }
}
