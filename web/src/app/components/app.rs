//! The page: inputs, progress and report, in that order. Lays them out; `use_checker` runs the checks.

use yew::prelude::*;

use super::build_args_editor::BuildArgsEditor;
use super::crash_banner::CrashBanner;
use super::drop_zone::DropZone;
use super::error_lookup::ErrorLookup;
use super::header::Header;
use super::image_choice::ImageChoice;
use super::input_list::InputList;
use super::notices::Notices;
use super::profile_selector::ProfileSelector;
use super::progress_panel::ProgressPanel;
use super::report_panel::ReportPanel;
use super::rule_catalog::RuleCatalog;
use super::text_editor::TextEditor;
use crate::app::address;
use crate::app::recognise::recognise;
use crate::app::state::{Action, WorkerStatus};
use crate::app::timing::mark;
use crate::app::use_checker::use_checker;

#[function_component(App)]
pub fn app() -> Html {
    // Compact layout for iframes (`?embed=1`), read once.
    let embed = *use_state(address::embedded);
    use_effect_with((), |_| mark("smic-app-rendered"));
    let state = use_checker(address::profile());

    let on_files = {
        let dispatch = state.dispatcher();
        Callback::from(move |files: Vec<web_sys::File>| {
            let dispatch = dispatch.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let recognised = recognise(files).await;
                dispatch.dispatch(Action::Recognised(recognised));
            });
        })
    };
    let act = |make: fn(String) -> Action| {
        let dispatch = state.dispatcher();
        Callback::from(move |text: String| dispatch.dispatch(make(text)))
    };
    let choose_profile = {
        let dispatch = state.dispatcher();
        Callback::from(move |choice| dispatch.dispatch(Action::ChooseProfile(choice)))
    };
    let on = |action: fn() -> Action| {
        let dispatch = state.dispatcher();
        Callback::from(move |_: ()| dispatch.dispatch(action()))
    };

    let ready = match state.worker.status {
        WorkerStatus::Starting => "starting",
        WorkerStatus::Ready => "ready",
        WorkerStatus::Broken => "broken",
    };
    let images = state.images_in_archive();
    let current_image = state
        .image
        .reference
        .clone()
        .or_else(|| state.report.as_ref().and_then(|r| r.report.inputs.image.as_ref()).and_then(|i| i.reference.clone()));
    let dockerfile_text = state.texts.dockerfile.as_ref().map(|d| d.text.clone()).unwrap_or_default();
    let config_text = state.texts.config.as_ref().map(|c| c.text.clone()).unwrap_or_default();

    html! {
        <div class={classes!("page", embed.then_some("embed"))} data-worker={ready} data-peak-worker-memory={state.worker.peak_memory.to_string()}>
            if !embed { <Header /> }
            <main id="main">
                <CrashBanner crash={state.worker.crash.clone()} broken={state.worker.status == WorkerStatus::Broken} />
                <section class="inputs" aria-labelledby="inputs-heading">
                    <h2 id="inputs-heading" class="visually-hidden">{ "Inputs" }</h2>
                    <DropZone on_files={on_files} on_demo={on(|| Action::LoadDemo)} />
                    <InputList
                        image={state.image.archive.clone()}
                        image_paused={state.image.paused}
                        dockerfile={state.texts.dockerfile.as_ref().map(|d| d.name.clone())}
                        config={state.texts.config.as_ref().map(|c| c.name.clone())}
                        on_remove_image={on(|| Action::RemoveImage)}
                        on_remove_dockerfile={on(|| Action::RemoveDockerfile)}
                        on_remove_config={on(|| Action::RemoveConfig)}
                        on_check_image_again={on(|| Action::CheckImageAgain)}
                    />
                    <ProfileSelector current={state.profile} on_choose={choose_profile.clone()} />
                    <Notices notices={state.notices.clone()} on_dismiss={on(|| Action::DismissNotices)} />
                    if images.len() > 1 {
                        <ImageChoice images={images} current={current_image} on_choose={act(Action::ChooseImage)} />
                    }
                </section>
                if let Some(check) = state.checks.in_progress.clone() {
                    <ProgressPanel check={check} peak_memory={state.worker.peak_memory} on_cancel={on(|| Action::Cancelled)} />
                }
                if let Some(report) = state.report.clone() {
                    <ReportPanel report={report} on_switch_profile={choose_profile} />
                }
                <section class="editing" aria-label="Edit the inputs">
                    <details class="editors" open={!embed}>
                        <summary>{ "Edit or paste the Dockerfile, build args, target stage and AppImageConfig" }</summary>
                        <div class="editor-grid">
                            <TextEditor
                                id="dockerfile-text"
                                label="Dockerfile"
                                hint={html! { "Checked again as you type." }}
                                placeholder="FROM python:3.11-slim\n…"
                                value={dockerfile_text}
                                on_input={act(Action::EditDockerfile)}
                            />
                            <TextEditor
                                id="config-text"
                                label="AppImageConfig (JSON)"
                                hint={html! { "CreateAppImageConfig input or DescribeAppImageConfig output." }}
                                placeholder="{\"AppImageConfigName\": \"…\", \"KernelGatewayImageConfig\": {…}}"
                                value={config_text}
                                on_input={act(Action::EditConfig)}
                            />
                            <BuildArgsEditor value={state.texts.build_args.clone()} on_input={act(Action::EditBuildArgs)} />
                            <TextEditor
                                id="target-stage"
                                label="Target stage"
                                hint={html! { <>{ "The " }<code>{ "--target" }</code>{ " stage that becomes the image; empty = the last stage." }</> }}
                                placeholder="runtime"
                                value={state.texts.target.clone()}
                                on_input={act(Action::EditTarget)}
                                single_line=true
                            />
                        </div>
                    </details>
                </section>
                <ErrorLookup report={state.report.as_ref().map(|r| r.report.clone())} />
                if !embed { <RuleCatalog /> }
            </main>
            if !embed {
                <footer class="footer">
                    <p>{ "Everything happens in this page: your files are read by your browser and never uploaded. The same engine runs as a command-line tool (" }<code>{ "sm-image-check check" }</code>{ ")." }</p>
                </footer>
            }
        </div>
    }
}
