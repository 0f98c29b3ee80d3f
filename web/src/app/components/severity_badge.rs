//! A severity as an icon and a word (never colour alone).

use smic_rules::Severity;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub severity: Severity,
}

#[function_component(SeverityBadge)]
pub fn severity_badge(props: &Props) -> Html {
    let (icon, class) = match props.severity {
        Severity::Error => ("✖", "badge badge-error"),
        Severity::Warning => ("▲", "badge badge-warning"),
        Severity::Info => ("ℹ", "badge badge-info"),
    };
    html! {
        <span class={class}><span class="icon" aria-hidden="true">{ icon }</span>{ props.severity.label() }</span>
    }
}
