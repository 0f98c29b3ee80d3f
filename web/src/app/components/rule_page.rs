//! A rule's page — the spec sentence it enforces, why it matters, what it needs, how to fix, an
//! input that fires it and one that does not —
//! behind one click, generated from the rule's declaration.

use yew::prelude::*;

use crate::catalog;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: AttrValue,
    /// What the summary line says before the rule ID ("Why this matters").
    #[prop_or_default]
    pub summary_prefix: Option<AttrValue>,
    /// The element id, so `#rule-UID001` links here.
    #[prop_or_default]
    pub anchor: bool,
}

#[function_component(RulePage)]
pub fn rule_page(props: &Props) -> Html {
    let Some(rule) = catalog::rule(&props.id) else {
        return html! {};
    };
    let summary = match &props.summary_prefix {
        Some(prefix) => {
            html! { <>{ format!("{prefix} ") }<span class="visually-hidden">{ format!("({})", rule.id) }</span></> }
        }
        None => {
            html! { <><code class="rule-id">{ rule.id.clone() }</code>{ " " }<span class="rule-name">{ rule.name.clone() }</span>{ " — " }{ rule.summary.clone() }</> }
        }
    };
    html! {
        <details class="rule-page" id={props.anchor.then(|| format!("rule-{}", rule.id))}>
            <summary>{ summary }</summary>
            <dl>
                <dt>{ "The specification says" }</dt>
                <dd><blockquote>{ rule.spec.clone() }</blockquote><span class="section-ref">{ format!("— {}", rule.section) }</span></dd>
                <dt>{ "Why it matters" }</dt>
                <dd>{ rule.explanation.clone() }</dd>
                <dt>{ "How to fix" }</dt>
                <dd>{ rule.fix.clone() }</dd>
                { for rule.examples.iter().map(|example| html! { <>
                    <dt>{ example.kind.label() }</dt>
                    <dd class={classes!("rule-example", example.kind.label().to_ascii_lowercase())}>
                        { for example.inputs().into_iter().map(|(label, text)| html! {
                            <><span class="example-input">{ label }</span><pre><code>{ text }</code></pre></>
                        }) }
                    </dd>
                </> }) }
                <dt>{ "Launch stage" }</dt>
                <dd class="rule-stage" data-stage-id={rule.stage.id()}>{ rule.stage.describe() }</dd>
                if !rule.explains.is_empty() {
                    <dt>{ "Explains these errors" }</dt>
                    <dd>
                        <ul class="rule-explains">
                            { for rule.explains.iter().map(|m| html! { <li><code>{ m.text.clone() }</code>{ format!(" — seen in {}", m.seen_in.label()) }</li> }) }
                        </ul>
                    </dd>
                }
                <dt>{ "Profiles" }</dt>
                <dd class="rule-profiles">{ rule.profiles.join(", ") }</dd>
                <dt>{ "Checked from" }</dt>
                <dd>{ format!("{} · default severity {} · {} {}", rule.needs(), rule.severity, rule.id, rule.name) }</dd>
            </dl>
        </details>
    }
}
