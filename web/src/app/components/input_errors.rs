//! Input that could not be (fully) read: not findings, but said plainly, with where and why.

use std::rc::Rc;

use yew::prelude::*;

use smic_rules::Report;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: Rc<Report>,
}

#[function_component(InputErrors)]
pub fn input_errors(props: &Props) -> Html {
    let errors = &props.report.input_errors;
    if errors.is_empty() {
        return html! {};
    }
    html! {
        <section class="input-errors" aria-labelledby="input-errors-heading">
            <h3 id="input-errors-heading">{ "Input that could not be read" }</h3>
            <ul>
                { for errors.iter().map(|e| html! {
                    <li class={classes!(e.fatal.then_some("fatal"))}>
                        <span class="icon" aria-hidden="true">{ "⚠" }</span>
                        <strong>{ if e.fatal { "Not usable: " } else { "Partly read: " } }</strong>
                        <span class="file-name">{ e.file.clone() }</span>
                        { e.at.as_ref().map(|at| html! { <span class="at">{ format!(" ({at})") }</span> }).unwrap_or_default() }
                        { ": " }{ e.message.clone() }
                    </li>
                }) }
            </ul>
        </section>
    }
}
