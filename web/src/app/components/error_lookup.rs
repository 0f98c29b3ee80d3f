//! The error look-up box: the user pastes an error from Studio or CloudWatch and sees the rules
//! that explain it, ranked by the core's look-up (`smic_rules::explain::rank`) over the rule
//! pages' declared messages, each with what the loaded inputs say about it and a link to its
//! rule page.

use std::rc::Rc;

use yew::prelude::*;

use smic_rules::explain::account_side;
use smic_rules::explain::{inputs_say, rank, Match};
use smic_rules::render::explain::{account_side as account_in_words, inputs_say as in_words, NOTHING_MATCHED};
use smic_rules::Report;

use crate::catalog;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The report of the loaded inputs, if any: each candidate says what it shows.
    pub report: Option<Rc<Report>>,
}

#[function_component(ErrorLookup)]
pub fn error_lookup(props: &Props) -> Html {
    let message = use_state(String::new);
    let on_input = {
        let message = message.clone();
        Callback::from(move |e: InputEvent| message.set(e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value()))
    };
    let rules = catalog::rules();
    let found: Vec<Match<'_>> =
        rank(&message, rules.iter().map(|r| (r.id.as_str(), r.explains.iter().map(|m| (m.text.as_str(), m.seen_in)))));
    let searched = !message.trim().is_empty();
    let account = account_side(&message);
    html! {
        <section class="error-lookup" id="error-lookup" aria-labelledby="error-lookup-heading">
            <h2 id="error-lookup-heading">{ "What does this error mean?" }</h2>
            <label for="error-lookup-text">{ "Paste an error from Studio or CloudWatch" }</label>
            <textarea id="error-lookup-text" rows="3" spellcheck="false" autocomplete="off" value={(*message).clone()} oninput={on_input}
                placeholder="Kernel with name [myenv] does not exist in image …" />
            if searched && found.is_empty() && account.is_none() {
                <p class="lookup-none" role="status">{ format!("No rule explains this message. {NOTHING_MATCHED}") }</p>
            }
            if let Some(account) = account {
                <p class="lookup-account" role="status">
                    { if found.is_empty() { "No rule explains this message: it is " } else { "It may also be " } }
                    { account_in_words(account) }
                </p>
            }
            if !found.is_empty() {
                <ol class="lookup-results" aria-label="Rules that explain it">
                    { for found.iter().filter_map(|m| {
                        let rule = catalog::rule(m.rule)?;
                        let say = props.report.as_deref().and_then(|r| inputs_say(r, m.rule));
                        Some(html! {
                            <li class="lookup-result" data-rule={rule.id.clone()} data-strength={m.strength.label()}>
                                <a class="rule-id" href={format!("#rule-{}", rule.id)}>{ rule.id.clone() }</a>
                                { " " }<span class="rule-name">{ rule.name.clone() }</span>{ " — " }{ rule.summary.clone() }
                                <p class="lookup-why">
                                    { format!("{} with ", m.strength.label()) }<code>{ m.message }</code>
                                    { format!(" (seen in {}); launch stage: {}", m.seen_in.label(), rule.stage.describe()) }
                                </p>
                                if !m.captures.is_empty() {
                                    <p class="lookup-captures">{ format!("Read from your message: {}", m.captures.iter().map(|(n, v)| format!("{n} = {v}")).collect::<Vec<_>>().join(", ")) }</p>
                                }
                                if let Some(say) = say {
                                    <p class={classes!("lookup-inputs", format!("status-{}", status_class(&say)))}>{ in_words(&say) }</p>
                                }
                            </li>
                        })
                    }) }
                </ol>
            }
        </section>
    }
}

fn status_class(say: &smic_rules::explain::InputsSay) -> &'static str {
    match say.status {
        smic_rules::report::RuleStatus::Failed => "failed",
        smic_rules::report::RuleStatus::Passed => "passed",
        smic_rules::report::RuleStatus::NotChecked => "not-checked",
        smic_rules::report::RuleStatus::NotApplicable => "not-applicable",
    }
}
