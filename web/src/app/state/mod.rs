//! The page's one state and everything that can happen to it. `reduce` only computes: what must
//! happen outside (post a check to the worker, restart it) it records in `pending`, and the
//! `use_checker` hook performs it.

mod checks;
mod inputs;
mod report;
#[cfg(test)]
mod tests;

use std::rc::Rc;

use yew::Reducible;

pub use checks::{CheckInProgress, Checks, Crash, Pending, PendingPost, WorkerHealth, WorkerStatus};
pub use inputs::{ImageInput, ImageSlot, Recognised, TextInputs};
pub use report::ShownReport;

use smic_rules::ProfileChoice;

use crate::protocol::{CheckRequest, ImageSpec, ProgressUpdate, ReportMessage, Stage, TextInput};
use inputs::edited;

/// How long typing pauses before the inputs are checked again.
pub const TYPING_PAUSE_MS: u32 = 350;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    pub image: ImageSlot,
    pub texts: TextInputs,
    /// The Studio app to check for: the profile selector, `--profile` on the command line.
    pub profile: ProfileChoice,
    pub worker: WorkerHealth,
    pub checks: Checks,
    pub report: Option<Rc<ShownReport>>,
    pub notices: Vec<String>,
    pub pending: Pending,
}

impl State {
    pub fn has_inputs(&self) -> bool {
        self.image.archive.is_some() || self.texts.dockerfile.is_some() || self.texts.config.is_some()
    }

    /// Images of a multi-image archive, from the last report.
    pub fn images_in_archive(&self) -> Vec<String> {
        self.report.as_ref().and_then(|r| r.report.inputs.image.as_ref()).map(|i| i.images_in_archive.clone()).unwrap_or_default()
    }

    /// The current revision, when it is due to be posted: the worker is ready, there is something
    /// to check, and this revision has not been posted yet.
    fn post_due(&self) -> Option<PendingPost> {
        let due = self.worker.status == WorkerStatus::Ready && self.has_inputs() && self.checks.posted != self.checks.revision;
        if !due {
            return None;
        }
        let image = self.image.to_check();
        let (build_args, _) = crate::build_args::parse(&self.texts.build_args);
        let request = CheckRequest {
            job: self.checks.revision,
            image: image.map(|i| i.spec.clone()),
            image_ref: self.image.reference.clone(),
            dockerfile: self.texts.dockerfile.clone(),
            app_image_config: self.texts.config.clone(),
            build_args,
            target: self.texts.target(),
            profile: self.profile,
        };
        Some(PendingPost {
            request,
            file: image.and_then(|i| i.file.clone()),
            image_name: image.filter(|i| matches!(i.spec, ImageSpec::File { .. })).map(|i| i.name().to_string()),
            delay_ms: self.checks.debounce_ms,
        })
    }

    fn changed(&mut self, debounce_ms: u32) {
        self.checks.revision += 1;
        self.checks.debounce_ms = debounce_ms;
        if !self.has_inputs() {
            self.report = None;
        }
    }
}

pub enum Action {
    WorkerReady,
    /// The worker died (a panic, or it could not start); one that had been ready is restarted.
    WorkerCrashed(String),
    /// `use_checker` has started a fresh worker, as `pending.restart_worker` asked.
    WorkerRestarted,
    /// The user stopped reading the archive: the worker is restarted (the surest stop).
    Cancelled,
    /// Files from a drop or the picker, in the order given.
    Recognised(Vec<Recognised>),
    EditDockerfile(String),
    EditConfig(String),
    EditBuildArgs(String),
    EditTarget(String),
    ChooseImage(String),
    /// The profile selector, or a switch to another profile under the headline: checked again
    /// at once (the worker keeps the archive's reading).
    ChooseProfile(ProfileChoice),
    RemoveImage,
    RemoveDockerfile,
    RemoveConfig,
    /// Read the archive again after a cancel.
    CheckImageAgain,
    /// The bundled example: archive, Dockerfile and AppImageConfig.
    LoadDemo,
    /// `use_checker` posted this revision to the worker.
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
            Action::WorkerReady => next.worker.status = WorkerStatus::Ready,
            Action::WorkerCrashed(message) => {
                if next.worker.status == WorkerStatus::Ready {
                    next.worker.status = WorkerStatus::Starting;
                    next.pending.restart_worker = true;
                } else {
                    next.worker.status = WorkerStatus::Broken;
                }
                // What was being read may be what broke it: leave the archive out until asked.
                if next.checks.in_progress.as_ref().is_some_and(|c| c.image_name.is_some()) {
                    next.image.paused = true;
                }
                next.checks.in_progress = None;
                next.worker.crash = Some(Crash::WorkerDied(message));
            }
            Action::WorkerRestarted => next.pending.restart_worker = false,
            Action::Cancelled => {
                next.worker.status = WorkerStatus::Starting;
                next.pending.restart_worker = true;
                next.checks.in_progress = None;
                next.image.paused = true;
                if let Some(image) = &next.image.archive {
                    next.notices.push(format!("Stopped reading {}. The report below leaves the image out.", image.name()));
                }
                next.changed(0);
            }
            Action::Recognised(files) => {
                for file in files {
                    match file {
                        Recognised::Archive(file) => {
                            if let Some(old) = next.image.archive.as_ref().filter(|i| i.file.is_some()) {
                                next.notices.push(format!("{} replaces {} as the image archive.", file.name(), old.name()));
                            }
                            let spec = ImageSpec::File {
                                name: file.name(),
                                size: file.size().max(0.0) as u64,
                                last_modified: file.last_modified(),
                            };
                            next.image.replace(Some(ImageInput { spec, file: Some(file) }));
                        }
                        Recognised::Dockerfile(text) => next.texts.dockerfile = Some(text),
                        Recognised::Config(text) => next.texts.config = Some(text),
                        Recognised::Unknown { name, why } => next.notices.push(format!("{name}: {why}")),
                    }
                }
                next.changed(0);
            }
            Action::EditDockerfile(text) => {
                next.texts.dockerfile = edited(next.texts.dockerfile.take(), text, smic_engine::demo::DOCKERFILE_NAME);
                next.changed(TYPING_PAUSE_MS);
            }
            Action::EditConfig(text) => {
                next.texts.config = edited(next.texts.config.take(), text, smic_engine::demo::CONFIG_NAME);
                next.changed(TYPING_PAUSE_MS);
            }
            Action::EditBuildArgs(text) => {
                next.texts.build_args = text;
                next.changed(TYPING_PAUSE_MS);
            }
            Action::EditTarget(text) => {
                next.texts.target = text;
                next.changed(TYPING_PAUSE_MS);
            }
            Action::ChooseImage(reference) => {
                next.image.reference = Some(reference);
                next.image.paused = false;
                next.changed(0);
            }
            Action::ChooseProfile(choice) => {
                next.profile = choice;
                next.changed(0);
            }
            Action::RemoveImage => {
                next.image.replace(None);
                next.changed(0);
            }
            Action::RemoveDockerfile => {
                next.texts.dockerfile = None;
                next.changed(0);
            }
            Action::RemoveConfig => {
                next.texts.config = None;
                next.changed(0);
            }
            Action::CheckImageAgain => {
                next.image.paused = false;
                next.changed(0);
            }
            Action::LoadDemo => {
                next.image.replace(Some(ImageInput { spec: ImageSpec::Demo, file: None }));
                next.texts = TextInputs {
                    dockerfile: Some(TextInput {
                        name: smic_engine::demo::DOCKERFILE_NAME.into(),
                        text: smic_engine::demo::DOCKERFILE.into(),
                    }),
                    config: Some(TextInput { name: smic_engine::demo::CONFIG_NAME.into(), text: smic_engine::demo::CONFIG.into() }),
                    build_args: String::new(),
                    target: String::new(),
                };
                next.changed(0);
            }
            Action::Posted { job, image_name } => {
                next.checks.posted = job;
                next.checks.in_progress = Some(CheckInProgress { job, image_name, progress: None });
            }
            Action::Progress(update) => {
                next.worker.peak_memory = next.worker.peak_memory.max(update.worker_memory_bytes);
                if let Some(check) = next.checks.in_progress.as_mut().filter(|c| update.job >= c.job || c.progress.is_none()) {
                    check.progress = Some(update);
                }
            }
            Action::Report(message) => {
                next.worker.peak_memory = next.worker.peak_memory.max(message.worker_memory_bytes);
                if !next.has_inputs() || next.report.as_ref().is_some_and(|shown| shown.job > message.job) {
                    return self;
                }
                if message.stage == Stage::Final && next.checks.in_progress.as_ref().is_some_and(|c| c.job <= message.job) {
                    next.checks.in_progress = None;
                }
                match ShownReport::of(message) {
                    Ok(shown) => next.report = Some(Rc::new(shown)),
                    Err(e) => next.worker.crash = Some(Crash::UnreadableReport(e)),
                }
            }
            Action::DismissNotices => next.notices.clear(),
        }
        next.pending.post = next.post_due().map(Rc::new);
        Rc::new(next)
    }
}
