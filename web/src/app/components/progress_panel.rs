//! Reading a big archive: how far, how fast, how long still, and a way to stop.

use yew::prelude::*;

use crate::app::state::CheckInProgress;
use crate::display::{bytes, duration, megabytes_per_second, percent, seconds_left};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub check: CheckInProgress,
    /// The largest the worker's memory has been, in bytes.
    pub peak_memory: u64,
    pub on_cancel: Callback<()>,
}

#[function_component(ProgressPanel)]
pub fn progress_panel(props: &Props) -> Html {
    let Some(image_name) = props.check.image_name.clone() else {
        return html! { <p class="checking" role="status">{ "Checking…" }</p> };
    };
    let progress = props.check.progress.unwrap_or_default();
    let total = progress.total.max(1);
    let pct = percent(progress.position, progress.total);
    let rate = megabytes_per_second(progress.position, progress.elapsed_ms).map(|r| format!("{r:.0} MB/s")).unwrap_or_else(|| "—".into());
    let left = seconds_left(progress.position, progress.total, progress.elapsed_ms).map(duration).unwrap_or_else(|| "—".into());
    let on_cancel = props.on_cancel.clone();
    html! {
        <section class="progress-panel" aria-labelledby="progress-heading"
            data-position={progress.position.to_string()} data-total={progress.total.to_string()}>
            <h2 id="progress-heading">{ "Reading " }<span class="file-name">{ image_name }</span></h2>
            <progress id="read-progress" max={total.to_string()} value={progress.position.to_string()} aria-describedby="progress-figures">
                { format!("{pct:.0} %") }
            </progress>
            <p id="progress-figures" class="figures" aria-live="off">
                <span>{ format!("{} of {} ({pct:.1} %)", bytes(progress.position), bytes(progress.total)) }</span>
                <span>{ rate }</span>
                <span>{ format!("{left} left") }</span>
                <span>{ format!("{} read, {} skipped", bytes(progress.bytes_read), bytes(progress.bytes_skipped)) }</span>
                <span>{ format!("worker memory {}", bytes(props.peak_memory)) }</span>
            </p>
            <button type="button" id="cancel-button" class="button secondary" onclick={Callback::from(move |_: MouseEvent| on_cancel.emit(()))}>{ "Cancel" }</button>
        </section>
    }
}
