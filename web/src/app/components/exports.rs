//! The report as files: JSON (the CLI's `--format json`, byte for byte), Markdown and SARIF —
//! made in the page, saved by the browser.

use std::rc::Rc;

use yew::prelude::*;

use crate::app::download;
use crate::app::state::ShownReport;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: Rc<ShownReport>,
}

#[function_component(Exports)]
pub fn exports(props: &Props) -> Html {
    let button = |id: &'static str, label: &'static str, file: &'static str, mime: &'static str, pick: fn(&ShownReport) -> &String| {
        let report = props.report.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            if let Err(e) = download::save(file, mime, pick(&report)) {
                web_sys::console::error_1(&e);
            }
        });
        html! { <button type="button" id={id} class="button secondary" {onclick}>{ label }</button> }
    };
    html! {
        <section class="exports" aria-labelledby="exports-heading">
            <h3 id="exports-heading">{ "Save the report" }</h3>
            <div class="export-buttons">
                { button("export-json", "JSON", "sm-image-check-report.json", "application/json", |r| &r.json) }
                { button("export-markdown", "Markdown", "sm-image-check-report.md", "text/markdown", |r| &r.markdown) }
                { button("export-sarif", "SARIF", "sm-image-check-report.sarif", "application/sarif+json", |r| &r.sarif) }
            </div>
            <p class="hint">{ "The JSON is what " }<code>{ "sm-image-check check --format json" }</code>{ " prints for the same files." }</p>
        </section>
    }
}
