//! The page: inputs, progress and report, in that order. Owns the state and the worker.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::build_args_editor::BuildArgsEditor;
use super::crash_banner::CrashBanner;
use super::drop_zone::DropZone;
use super::header::Header;
use super::image_choice::ImageChoice;
use super::input_list::InputList;
use super::notices::Notices;
use super::progress_panel::ProgressPanel;
use super::report_panel::ReportPanel;
use super::rule_catalog::RuleCatalog;
use super::text_editor::TextEditor;
use crate::app::recognise::recognise;
use crate::app::state::{Action, State, WorkerStatus};
use crate::app::timeout::Timeout;
use crate::app::worker_link::WorkerLink;
use crate::protocol::{CheckRequest, ImageSpec, ToWorker};

fn embedded() -> bool {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    web_sys::UrlSearchParams::new_with_str(&search).ok().and_then(|p| p.get("embed")).is_some_and(|v| v != "0")
}

/// A User Timing mark, so tests and benchmarks can read when the page became usable.
pub(crate) fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| State::new(embedded()));
    let link: Rc<RefCell<Option<WorkerLink>>> = use_mut_ref(|| None);
    let posted_revision = use_mut_ref(|| 0u32);

    {
        let link = link.clone();
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            mark("smic-app-rendered");
            *link.borrow_mut() = Some(WorkerLink::start(dispatch));
        });
    }
    {
        let link = link.clone();
        use_effect_with(state.crashes, move |crashes| {
            if *crashes > 0 {
                if let Some(link) = link.borrow_mut().as_mut() {
                    link.restart();
                }
            }
        });
    }
    {
        // Each revision of the inputs is checked once, after the typing pause it asks for.
        let link = link.clone();
        let state = state.clone();
        use_effect_with((state.revision, state.worker_epoch), move |_| {
            let due = state.worker == WorkerStatus::Ready && state.has_inputs() && *posted_revision.borrow() != state.revision;
            let timer = due.then(|| {
                let dispatch = state.dispatcher();
                Timeout::new(state.debounce_ms, move || {
                    let image = state.image_to_check();
                    let (build_args, _) = crate::build_args::parse(&state.build_args_text);
                    let request = CheckRequest {
                        job: state.revision,
                        image: image.map(|i| i.spec.clone()),
                        image_ref: state.image_ref.clone(),
                        dockerfile: state.dockerfile.clone(),
                        app_image_config: state.config.clone(),
                        build_args,
                        target: state.target(),
                    };
                    if let Some(link) = link.borrow().as_ref() {
                        link.post(&ToWorker::Check(request), image.and_then(|i| i.file.as_ref()));
                    }
                    *posted_revision.borrow_mut() = state.revision;
                    let image_name = image.filter(|i| matches!(i.spec, ImageSpec::File { .. })).map(|i| i.name().to_string());
                    dispatch.dispatch(Action::Posted { job: state.revision, image_name });
                })
            });
            move || drop(timer)
        });
    }

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
    let on_cancel = {
        let link = link.clone();
        let dispatch = state.dispatcher();
        Callback::from(move |_| {
            if let Some(link) = link.borrow_mut().as_mut() {
                link.restart();
            }
            dispatch.dispatch(Action::Cancelled);
        })
    };
    let act = |make: fn(String) -> Action| {
        let dispatch = state.dispatcher();
        Callback::from(move |text: String| dispatch.dispatch(make(text)))
    };
    let on = |action: fn() -> Action| {
        let dispatch = state.dispatcher();
        Callback::from(move |_: ()| dispatch.dispatch(action()))
    };

    let ready = match state.worker {
        WorkerStatus::Starting => "starting",
        WorkerStatus::Ready => "ready",
        WorkerStatus::Broken => "broken",
    };
    let images = state.images_in_archive();
    let current_image = state
        .image_ref
        .clone()
        .or_else(|| state.report.as_ref().and_then(|r| r.view.inputs.image.as_ref()).and_then(|i| i.reference.clone()));
    let dockerfile_text = state.dockerfile.as_ref().map(|d| d.text.clone()).unwrap_or_default();
    let config_text = state.config.as_ref().map(|c| c.text.clone()).unwrap_or_default();

    html! {
        <div class={classes!("page", state.embed.then_some("embed"))} data-worker={ready} data-peak-worker-memory={state.peak_worker_memory.to_string()}>
            if !state.embed { <Header /> }
            <main id="main">
                <CrashBanner crash={state.crash.clone()} broken={state.worker == WorkerStatus::Broken} />
                <section class="inputs" aria-labelledby="inputs-heading">
                    <h2 id="inputs-heading" class="visually-hidden">{ "Inputs" }</h2>
                    <DropZone on_files={on_files} on_demo={on(|| Action::LoadDemo)} />
                    <InputList
                        image={state.image.clone()}
                        image_paused={state.image_paused}
                        dockerfile={state.dockerfile.as_ref().map(|d| d.name.clone())}
                        config={state.config.as_ref().map(|c| c.name.clone())}
                        on_remove_image={on(|| Action::RemoveImage)}
                        on_remove_dockerfile={on(|| Action::RemoveDockerfile)}
                        on_remove_config={on(|| Action::RemoveConfig)}
                        on_check_image_again={on(|| Action::CheckImageAgain)}
                    />
                    <Notices notices={state.notices.clone()} on_dismiss={on(|| Action::DismissNotices)} />
                    if images.len() > 1 {
                        <ImageChoice images={images} current={current_image} on_choose={act(Action::ChooseImage)} />
                    }
                </section>
                if let Some(running) = state.running.clone() {
                    <ProgressPanel running={running} peak_memory={state.peak_worker_memory} on_cancel={on_cancel} />
                }
                if let Some(report) = state.report.clone() {
                    <ReportPanel report={report} />
                }
                <section class="editing" aria-label="Edit the inputs">
                    <details class="editors" open={!state.embed}>
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
                            <BuildArgsEditor value={state.build_args_text.clone()} on_input={act(Action::EditBuildArgs)} />
                            <TextEditor
                                id="target-stage"
                                label="Target stage"
                                hint={html! { <>{ "The " }<code>{ "--target" }</code>{ " stage that becomes the image; empty = the last stage." }</> }}
                                placeholder="runtime"
                                value={state.target_text.clone()}
                                on_input={act(Action::EditTarget)}
                                single_line=true
                            />
                        </div>
                    </details>
                </section>
                if !state.embed { <RuleCatalog /> }
            </main>
            if !state.embed {
                <footer class="footer">
                    <p>{ "Everything happens in this page: your files are read by your browser and never uploaded. The same engine runs as a command-line tool (" }<code>{ "sm-image-check check" }</code>{ ")." }</p>
                </footer>
            }
        </div>
    }
}
