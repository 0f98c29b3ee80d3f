//! The state's transitions, one situation each.

use super::*;
use smic_engine::{NamedBytes, Request};

fn state() -> Rc<State> {
    Rc::new(State::default())
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
        suggestion: String::new(),
        elapsed_ms: 1.0,
        worker_memory_bytes: 2 << 20,
    })
}

const BAD_NAME: &str = r#"{"AppImageConfigName": "not ok!", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}]}}"#;
const GOOD: &str = r#"{"AppImageConfigName": "ok", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}]}}"#;

#[test]
fn typing_waits_for_a_pause_but_the_example_does_not() {
    let s = after(state(), [Action::EditConfig(GOOD.into())]);
    assert_eq!((s.checks.revision, s.checks.debounce_ms), (1, TYPING_PAUSE_MS));
    assert_eq!(s.texts.config.as_ref().map(|c| c.name.as_str()), Some(smic_engine::demo::CONFIG_NAME));
    let s = after(s, [Action::LoadDemo]);
    assert_eq!((s.checks.revision, s.checks.debounce_ms), (2, 0));
    assert!(s.image.to_check().is_some() && s.texts.dockerfile.is_some());
}

#[test]
fn a_blank_target_stage_is_the_last_stage_and_a_typed_one_is_trimmed() {
    let s = after(state(), [Action::EditTarget("  \t ".into())]);
    assert_eq!((s.texts.target(), s.checks.revision, s.checks.debounce_ms), (None, 1, TYPING_PAUSE_MS));
    let s = after(s, [Action::EditTarget(" builder \n".into())]);
    assert_eq!((s.texts.target(), s.checks.revision), (Some("builder".to_string()), 2), "checked again with the stage");
    let s = after(s, [Action::LoadDemo]);
    assert_eq!(s.texts.target(), None, "the example is checked as it is built: its last stage");
}

#[test]
fn a_report_of_an_older_check_never_replaces_a_newer_one() {
    let s = after(state(), [Action::EditConfig(GOOD.into()), Action::EditConfig(BAD_NAME.into())]);
    let s = after(s, [Action::Posted { job: 2, image_name: None }, report(2, Stage::Final, BAD_NAME), report(1, Stage::Final, GOOD)]);
    let shown = s.report.as_ref().map(|r| (r.job, r.report.verdict == smic_rules::report::Verdict::Pass));
    assert_eq!(shown, Some((2, false)));
    assert!(s.checks.in_progress.is_none(), "the final report of the running job ends it");
}

#[test]
fn a_report_whose_json_does_not_read_is_said_and_the_shown_report_stays() {
    let s = after(state(), [Action::EditConfig(GOOD.into()), Action::Posted { job: 1, image_name: None }, report(1, Stage::Final, GOOD)]);
    let Action::Report(mut unreadable) = report(2, Stage::Final, GOOD) else { unreachable!() };
    unreadable.json = String::from(r#"{"verdict": "maybe"}"#);
    let s = after(s, [Action::EditConfig(BAD_NAME.into()), Action::Report(unreadable)]);
    assert_eq!(s.report.as_ref().map(|r| r.job), Some(1));
    assert!(
        s.worker.crash.as_ref().is_some_and(
            |c| matches!(c, Crash::UnreadableReport(m) if m.starts_with("the worker's report is not the JSON this page reads"))
        ),
        "{:?}",
        s.worker.crash
    );
}

#[test]
fn a_partial_report_shows_while_the_archive_is_still_read() {
    let s = after(
        state(),
        [Action::LoadDemo, Action::Posted { job: 1, image_name: Some("demo.tar".into()) }, report(1, Stage::WithoutImage, GOOD)],
    );
    assert_eq!(s.report.as_ref().map(|r| r.stage), Some(Stage::WithoutImage));
    assert!(s.checks.in_progress.is_some(), "still reading");
}

#[test]
fn a_crash_while_reading_an_archive_leaves_it_out_and_restarts_the_worker() {
    let s = after(state(), [Action::WorkerReady, Action::LoadDemo, Action::Posted { job: 1, image_name: Some("demo.tar".into()) }]);
    let s = after(s, [Action::WorkerCrashed("panicked at x".into())]);
    assert_eq!((s.pending.restart_worker, s.worker.status, s.image.paused), (true, WorkerStatus::Starting, true));
    assert!(s.image.to_check().is_none() && s.image.archive.is_some(), "kept, but left out of the next checks");
    let s = after(s, [Action::CheckImageAgain]);
    assert!(s.image.to_check().is_some());
}

#[test]
fn a_worker_that_never_started_is_not_restarted() {
    let s = after(state(), [Action::WorkerCrashed("could not start".into())]);
    assert_eq!((s.pending.restart_worker, s.worker.status), (false, WorkerStatus::Broken));
}

#[test]
fn cancel_keeps_the_inputs_checks_the_rest_and_says_so() {
    let s = after(state(), [Action::WorkerReady, Action::LoadDemo, Action::Posted { job: 1, image_name: Some("demo.tar".into()) }]);
    let revision = s.checks.revision;
    let s = after(s, [Action::Cancelled]);
    assert!(s.checks.in_progress.is_none() && s.image.paused && s.texts.config.is_some());
    assert_eq!(s.checks.revision, revision + 1, "the other inputs are checked again without the archive");
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
    assert_eq!(s.worker.peak_memory, 2 << 20);
}

fn posted_job(s: &State) -> Option<(u32, u32)> {
    s.pending.post.as_ref().map(|p| (p.request.job, p.delay_ms))
}

#[test]
fn each_revision_is_posted_once_when_the_worker_is_ready_after_its_pause() {
    let s = after(state(), [Action::EditConfig(GOOD.into())]);
    assert_eq!(posted_job(&s), None, "the worker is still starting");
    let s = after(s, [Action::WorkerReady]);
    assert_eq!(posted_job(&s), Some((1, TYPING_PAUSE_MS)));
    let request = s.pending.post.as_ref().map(|p| p.request.clone());
    assert_eq!(request.and_then(|r| r.app_image_config).map(|c| c.text), Some(GOOD.to_string()));
    let s = after(s, [Action::Posted { job: 1, image_name: None }]);
    assert_eq!(posted_job(&s), None, "posted once");
    let s = after(s, [Action::LoadDemo]);
    assert_eq!(posted_job(&s), Some((2, 0)));
    assert_eq!(s.pending.post.as_ref().map(|p| p.request.image.clone()), Some(Some(ImageSpec::Demo)));
}

#[test]
fn nothing_is_posted_without_inputs() {
    let s = after(state(), [Action::WorkerReady, Action::EditConfig(GOOD.into()), Action::RemoveConfig]);
    assert_eq!(posted_job(&s), None);
}

#[test]
fn cancel_restarts_the_worker_and_checks_the_rest_once_it_is_ready() {
    let s = after(state(), [Action::WorkerReady, Action::LoadDemo, Action::Posted { job: 1, image_name: Some("demo.tar".into()) }]);
    let s = after(s, [Action::Cancelled]);
    assert!(s.pending.restart_worker);
    assert_eq!(posted_job(&s), None, "not to the worker being stopped");
    let s = after(s, [Action::WorkerRestarted, Action::WorkerReady]);
    assert!(!s.pending.restart_worker);
    let post = s.pending.post.clone();
    assert_eq!(post.as_ref().map(|p| (p.request.job, p.request.image.is_none(), p.request.dockerfile.is_some())), Some((2, true, true)));
}

#[test]
fn a_crash_does_not_post_its_check_again() {
    let s = after(state(), [Action::WorkerReady, Action::EditConfig(GOOD.into()), Action::Posted { job: 1, image_name: None }]);
    let s = after(s, [Action::WorkerCrashed("panicked at x".into()), Action::WorkerRestarted, Action::WorkerReady]);
    assert_eq!(posted_job(&s), None, "what crashed it waits for the next change");
}

#[test]
fn choosing_a_profile_checks_the_same_inputs_again_at_once_for_it() {
    let s = after(state(), [Action::WorkerReady, Action::LoadDemo, Action::Posted { job: 1, image_name: Some("demo.tar".into()) }]);
    assert_eq!(s.profile, ProfileChoice::Auto);
    assert!(s.pending.post.is_none());
    let code_editor = ProfileChoice::Fixed(smic_rules::Profile::CodeEditor);
    let s = after(s, [Action::ChooseProfile(code_editor)]);
    let post = s.pending.post.as_ref().map(|p| (p.request.job, p.delay_ms, p.request.profile, p.request.image.clone()));
    assert_eq!(post, Some((2, 0, code_editor, Some(ImageSpec::Demo))), "the same archive, for Code Editor, without a pause");
    let s = after(s, [Action::LoadDemo]);
    assert_eq!(s.pending.post.as_ref().map(|p| p.request.profile), Some(code_editor), "the choice outlives the inputs");
}
