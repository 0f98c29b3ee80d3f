//! The page's one state and everything that can happen to it. Side effects (posting to the
//! worker, reading files) live in the app's hooks and callbacks; `reduce` only computes.

use std::rc::Rc;

use web_sys::File;
use yew::Reducible;

use crate::protocol::{ImageSpec, ProgressUpdate, ReportMessage, Stage, TextInput};
use crate::report_view::ReportView;

/// How long typing pauses before the inputs are checked again.
pub const TYPING_PAUSE_MS: u32 = 350;

#[derive(Debug, Clone, PartialEq)]
pub enum WorkerStatus {
    Starting,
    Ready,
    /// It failed before it was ever ready (scripts blocked, no WebAssembly): not restarted.
    Broken,
}

/// The image archive to check: a dropped file or the bundled demo.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageInput {
    pub spec: ImageSpec,
    /// The dropped file (posted to the worker with each check); `None` for the demo.
    pub file: Option<File>,
}

impl ImageInput {
    pub fn name(&self) -> &str {
        match &self.spec {
            ImageSpec::File { name, .. } => name,
            ImageSpec::Demo => smic_engine::demo::ARCHIVE_NAME,
        }
    }
}

/// A file from a drop or the file picker, recognised by its content.
#[derive(Debug, Clone, PartialEq)]
pub enum Recognised {
    Archive(File),
    Dockerfile(TextInput),
    Config(TextInput),
    /// Not one of the three inputs: the file name and why.
    Unknown {
        name: String,
        why: String,
    },
}

/// A check the worker is working on.
#[derive(Debug, Clone, PartialEq)]
pub struct Running {
    pub job: u32,
    /// The archive being read, when there is one.
    pub image_name: Option<String>,
    pub progress: Option<ProgressUpdate>,
}

/// The report on screen, with the exports made by the worker.
#[derive(Debug, Clone, PartialEq)]
pub struct ShownReport {
    pub job: u32,
    pub stage: Stage,
    pub view: ReportView,
    pub json: String,
    pub markdown: String,
    pub sarif: String,
    pub elapsed_ms: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// Compact layout for iframes (`?embed=1`).
    pub embed: bool,
    pub worker: WorkerStatus,
    /// Counts worker starts, so a restarted worker gets the current inputs.
    pub worker_epoch: u32,
    /// Counts crashes of a worker that had been ready; each one restarts it.
    pub crashes: u32,
    pub image: Option<ImageInput>,
    pub dockerfile: Option<TextInput>,
    pub config: Option<TextInput>,
    pub build_args_text: String,
    /// The "Target stage" field as typed (see `target`).
    pub target_text: String,
    pub image_ref: Option<String>,
    /// The user cancelled reading the archive: checks leave it out until asked again.
    pub image_paused: bool,
    /// Bumped on every change of the inputs; each revision is checked once.
    pub revision: u32,
    /// Delay before the revision is posted (typing gets a pause, drops none).
    pub debounce_ms: u32,
    pub notices: Vec<String>,
    pub running: Option<Running>,
    pub report: Option<Rc<ShownReport>>,
    pub peak_worker_memory: u64,
    /// A bug: the worker panicked (it is restarted) or the report could not be read.
    pub crash: Option<String>,
}

impl State {
    pub fn new(embed: bool) -> State {
        State {
            embed,
            worker: WorkerStatus::Starting,
            worker_epoch: 0,
            crashes: 0,
            image: None,
            dockerfile: None,
            config: None,
            build_args_text: String::new(),
            target_text: String::new(),
            image_ref: None,
            image_paused: false,
            revision: 0,
            debounce_ms: 0,
            notices: Vec::new(),
            running: None,
            report: None,
            peak_worker_memory: 0,
            crash: None,
        }
    }

    pub fn has_inputs(&self) -> bool {
        self.image.is_some() || self.dockerfile.is_some() || self.config.is_some()
    }

    /// The image as the next check should see it (none while paused).
    pub fn image_to_check(&self) -> Option<&ImageInput> {
        self.image.as_ref().filter(|_| !self.image_paused)
    }

    /// The `--target` stage for the Dockerfile: `None` (the last stage) when the field is blank.
    pub fn target(&self) -> Option<String> {
        Some(self.target_text.trim()).filter(|t| !t.is_empty()).map(str::to_string)
    }

    /// Images of a multi-image archive, from the last report.
    pub fn images_in_archive(&self) -> Vec<String> {
        self.report.as_ref().and_then(|r| r.view.inputs.image.as_ref()).map(|i| i.images_in_archive.clone()).unwrap_or_default()
    }
}

pub enum Action {
    WorkerReady,
    /// The worker died (a panic, or it could not start); the app restarts it.
    WorkerCrashed(String),
    /// The user stopped reading the archive; the app has already stopped the worker.
    Cancelled,
    /// Files from a drop or the picker, in the order given.
    Recognised(Vec<Recognised>),
    EditDockerfile(String),
    EditConfig(String),
    EditBuildArgs(String),
    EditTarget(String),
    ChooseImage(String),
    RemoveImage,
    RemoveDockerfile,
    RemoveConfig,
    /// Read the archive again after a cancel.
    CheckImageAgain,
    /// The bundled example: archive, Dockerfile and AppImageConfig.
    LoadDemo,
    /// The app posted this revision to the worker.
    Posted {
        job: u32,
        image_name: Option<String>,
    },
    Progress(ProgressUpdate),
    Report(ReportMessage),
    DismissNotices,
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::WorkerReady => {
                next.worker = WorkerStatus::Ready;
                next.worker_epoch += 1;
            }
            Action::WorkerCrashed(message) => {
                if next.worker == WorkerStatus::Ready {
                    next.worker = WorkerStatus::Starting;
                    next.crashes += 1;
                } else {
                    next.worker = WorkerStatus::Broken;
                }
                // What was being read may be what broke it: leave the archive out until asked.
                if next.running.as_ref().is_some_and(|r| r.image_name.is_some()) {
                    next.image_paused = true;
                }
                next.running = None;
                next.crash = Some(message);
            }
            Action::Cancelled => {
                next.worker = WorkerStatus::Starting;
                next.running = None;
                next.image_paused = true;
                if let Some(image) = &next.image {
                    next.notices.push(format!("Stopped reading {}. The report below leaves the image out.", image.name()));
                }
                next.changed(0);
            }
            Action::Recognised(files) => {
                for file in files {
                    match file {
                        Recognised::Archive(file) => {
                            if let Some(old) = next.image.as_ref().filter(|i| i.file.is_some()) {
                                next.notices.push(format!("{} replaces {} as the image archive.", file.name(), old.name()));
                            }
                            let spec = ImageSpec::File {
                                name: file.name(),
                                size: file.size().max(0.0) as u64,
                                last_modified: file.last_modified(),
                            };
                            next.image = Some(ImageInput { spec, file: Some(file) });
                            next.image_ref = None;
                            next.image_paused = false;
                        }
                        Recognised::Dockerfile(text) => next.dockerfile = Some(text),
                        Recognised::Config(text) => next.config = Some(text),
                        Recognised::Unknown { name, why } => next.notices.push(format!("{name}: {why}")),
                    }
                }
                next.changed(0);
            }
            Action::EditDockerfile(text) => {
                next.dockerfile = edited(next.dockerfile.take(), text, smic_engine::demo::DOCKERFILE_NAME);
                next.changed(TYPING_PAUSE_MS);
            }
            Action::EditConfig(text) => {
                next.config = edited(next.config.take(), text, smic_engine::demo::CONFIG_NAME);
                next.changed(TYPING_PAUSE_MS);
            }
            Action::EditBuildArgs(text) => {
                next.build_args_text = text;
                next.changed(TYPING_PAUSE_MS);
            }
            Action::EditTarget(text) => {
                next.target_text = text;
                next.changed(TYPING_PAUSE_MS);
            }
            Action::ChooseImage(reference) => {
                next.image_ref = Some(reference);
                next.image_paused = false;
                next.changed(0);
            }
            Action::RemoveImage => {
                next.image = None;
                next.image_ref = None;
                next.image_paused = false;
                next.changed(0);
            }
            Action::RemoveDockerfile => {
                next.dockerfile = None;
                next.changed(0);
            }
            Action::RemoveConfig => {
                next.config = None;
                next.changed(0);
            }
            Action::CheckImageAgain => {
                next.image_paused = false;
                next.changed(0);
            }
            Action::LoadDemo => {
                next.image = Some(ImageInput { spec: ImageSpec::Demo, file: None });
                next.image_ref = None;
                next.image_paused = false;
                next.dockerfile =
                    Some(TextInput { name: smic_engine::demo::DOCKERFILE_NAME.into(), text: smic_engine::demo::DOCKERFILE.into() });
                next.config = Some(TextInput { name: smic_engine::demo::CONFIG_NAME.into(), text: smic_engine::demo::CONFIG.into() });
                next.build_args_text.clear();
                next.target_text.clear();
                next.changed(0);
            }
            Action::Posted { job, image_name } => {
                next.running = Some(Running { job, image_name, progress: None });
            }
            Action::Progress(update) => {
                next.peak_worker_memory = next.peak_worker_memory.max(update.worker_memory_bytes);
                if let Some(running) = next.running.as_mut().filter(|r| update.job >= r.job || r.progress.is_none()) {
                    running.progress = Some(update);
                }
            }
            Action::Report(message) => {
                next.peak_worker_memory = next.peak_worker_memory.max(message.worker_memory_bytes);
                if !next.has_inputs() || next.report.as_ref().is_some_and(|shown| shown.job > message.job) {
                    return self;
                }
                if message.stage == Stage::Final && next.running.as_ref().is_some_and(|r| r.job <= message.job) {
                    next.running = None;
                }
                match ReportView::parse(&message.json) {
                    Ok(view) => {
                        next.report = Some(Rc::new(ShownReport {
                            job: message.job,
                            stage: message.stage,
                            view,
                            json: message.json,
                            markdown: message.markdown,
                            sarif: message.sarif,
                            elapsed_ms: message.elapsed_ms,
                        }))
                    }
                    Err(e) => next.crash = Some(e),
                }
            }
            Action::DismissNotices => next.notices.clear(),
        }
        Rc::new(next)
    }
}

impl State {
    fn changed(&mut self, debounce_ms: u32) {
        self.revision += 1;
        self.debounce_ms = debounce_ms;
        if !self.has_inputs() {
            self.report = None;
        }
    }
}

/// An edited text input keeps its name; an emptied one is removed.
fn edited(old: Option<TextInput>, text: String, default_name: &str) -> Option<TextInput> {
    if text.trim().is_empty() {
        return None;
    }
    let name = old.map(|o| o.name).unwrap_or_else(|| default_name.to_string());
    Some(TextInput { name, text })
}

#[cfg(test)]
mod tests {
    use super::*;
    use smic_engine::{NamedBytes, Request};

    fn state() -> Rc<State> {
        Rc::new(State::new(false))
    }

    fn after(state: Rc<State>, actions: impl IntoIterator<Item = Action>) -> Rc<State> {
        actions.into_iter().fold(state, |s, a| s.reduce(a))
    }

    fn report(job: u32, stage: Stage, config: &str) -> Action {
        let request = Request { app_image_config: Some(NamedBytes { name: "c.json", bytes: config.as_bytes() }), ..Request::default() };
        let report = smic_engine::check(&request);
        Action::Report(ReportMessage {
            job,
            stage,
            json: report.to_json(),
            markdown: String::new(),
            sarif: String::new(),
            elapsed_ms: 1.0,
            worker_memory_bytes: 2 << 20,
        })
    }

    const BAD_NAME: &str = r#"{"AppImageConfigName": "not ok!", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}]}}"#;
    const GOOD: &str = r#"{"AppImageConfigName": "ok", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}]}}"#;

    #[test]
    fn typing_waits_for_a_pause_but_the_example_does_not() {
        let s = after(state(), [Action::EditConfig(GOOD.into())]);
        assert_eq!((s.revision, s.debounce_ms), (1, TYPING_PAUSE_MS));
        assert_eq!(s.config.as_ref().map(|c| c.name.as_str()), Some(smic_engine::demo::CONFIG_NAME));
        let s = after(s, [Action::LoadDemo]);
        assert_eq!((s.revision, s.debounce_ms), (2, 0));
        assert!(s.image_to_check().is_some() && s.dockerfile.is_some());
    }

    #[test]
    fn a_blank_target_stage_is_the_last_stage_and_a_typed_one_is_trimmed() {
        let s = after(state(), [Action::EditTarget("  \t ".into())]);
        assert_eq!((s.target(), s.revision, s.debounce_ms), (None, 1, TYPING_PAUSE_MS));
        let s = after(s, [Action::EditTarget(" builder \n".into())]);
        assert_eq!((s.target(), s.revision), (Some("builder".to_string()), 2), "checked again with the stage");
        let s = after(s, [Action::LoadDemo]);
        assert_eq!(s.target(), None, "the example is checked as it is built: its last stage");
    }

    #[test]
    fn a_report_of_an_older_check_never_replaces_a_newer_one() {
        let s = after(state(), [Action::EditConfig(GOOD.into()), Action::EditConfig(BAD_NAME.into())]);
        let s = after(s, [Action::Posted { job: 2, image_name: None }, report(2, Stage::Final, BAD_NAME), report(1, Stage::Final, GOOD)]);
        let shown = s.report.as_ref().map(|r| (r.job, r.view.passed()));
        assert_eq!(shown, Some((2, false)));
        assert!(s.running.is_none(), "the final report of the running job ends it");
    }

    #[test]
    fn a_partial_report_shows_while_the_archive_is_still_read() {
        let s = after(
            state(),
            [Action::LoadDemo, Action::Posted { job: 1, image_name: Some("demo.tar".into()) }, report(1, Stage::WithoutImage, GOOD)],
        );
        assert_eq!(s.report.as_ref().map(|r| r.stage), Some(Stage::WithoutImage));
        assert!(s.running.is_some(), "still reading");
    }

    #[test]
    fn a_crash_while_reading_an_archive_leaves_it_out_and_restarts_the_worker() {
        let s = after(state(), [Action::WorkerReady, Action::LoadDemo, Action::Posted { job: 1, image_name: Some("demo.tar".into()) }]);
        let s = after(s, [Action::WorkerCrashed("panicked at x".into())]);
        assert_eq!((s.crashes, s.worker.clone(), s.image_paused), (1, WorkerStatus::Starting, true));
        assert!(s.image_to_check().is_none() && s.image.is_some(), "kept, but left out of the next checks");
        let s = after(s, [Action::CheckImageAgain]);
        assert!(s.image_to_check().is_some());
    }

    #[test]
    fn a_worker_that_never_started_is_not_restarted() {
        let s = after(state(), [Action::WorkerCrashed("could not start".into())]);
        assert_eq!((s.crashes, s.worker.clone()), (0, WorkerStatus::Broken));
    }

    #[test]
    fn cancel_keeps_the_inputs_checks_the_rest_and_says_so() {
        let s = after(state(), [Action::WorkerReady, Action::LoadDemo, Action::Posted { job: 1, image_name: Some("demo.tar".into()) }]);
        let revision = s.revision;
        let s = after(s, [Action::Cancelled]);
        assert!(s.running.is_none() && s.image_paused && s.config.is_some());
        assert_eq!(s.revision, revision + 1, "the other inputs are checked again without the archive");
        assert!(s.notices.iter().any(|n| n.contains("Stopped reading")));
    }

    #[test]
    fn removing_every_input_clears_the_report_and_ignores_late_ones() {
        let s = after(state(), [Action::EditConfig(GOOD.into()), report(1, Stage::Final, GOOD), Action::RemoveConfig]);
        assert!(s.report.is_none());
        let s = after(s, [report(1, Stage::Final, GOOD)]);
        assert!(s.report.is_none(), "a late report for removed inputs is dropped");
    }

    #[test]
    fn the_peak_worker_memory_is_kept() {
        let s = after(state(), [Action::EditConfig(GOOD.into()), report(1, Stage::Final, GOOD)]);
        assert_eq!(s.peak_worker_memory, 2 << 20);
    }
}
