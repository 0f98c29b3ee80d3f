//! `use_checker`: the one owner of the worker and of when checks run. It holds the page's state,
//! starts the worker, turns the worker's messages into actions, and performs the effects
//! `reduce` records in `State::pending`: posts the due check once its pause is over, and
//! restarts the worker after a crash or a cancel.

use gloo_timers::callback::Timeout;
use smic_rules::ProfileChoice;
use yew::prelude::*;

use super::state::{Action, State};
use super::timing::mark;
use super::worker_link::WorkerLink;
use crate::protocol::{FromWorker, ToWorker};

/// `profile`: the profile selector's first choice (the page's address may preset it).
#[hook]
pub fn use_checker(profile: ProfileChoice) -> UseReducerHandle<State> {
    let state = use_reducer(move || State { profile, ..State::default() });
    let link = use_mut_ref(|| None::<WorkerLink>);

    {
        let link = link.clone();
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            *link.borrow_mut() = Some(WorkerLink::start(Callback::from(move |message| dispatch.dispatch(action_for(message)))));
        });
    }
    {
        let link = link.clone();
        let dispatch = state.dispatcher();
        use_effect_with(state.pending.restart_worker, move |restart| {
            if *restart {
                if let Some(link) = link.borrow_mut().as_mut() {
                    link.restart();
                }
                dispatch.dispatch(Action::WorkerRestarted);
            }
        });
    }
    {
        // A new revision (or a worker that became ready) replaces the timer: dropping it clears it.
        let dispatch = state.dispatcher();
        use_effect_with(state.pending.post.clone(), move |post| {
            let timer = post.clone().map(|post| {
                Timeout::new(post.delay_ms, move || {
                    if let Some(link) = link.borrow().as_ref() {
                        link.post(&ToWorker::Check(post.request.clone()), post.file.as_ref());
                    }
                    dispatch.dispatch(Action::Posted { job: post.request.job, image_name: post.image_name.clone() });
                })
            });
            move || drop(timer)
        });
    }
    state
}

fn action_for(message: FromWorker) -> Action {
    match message {
        FromWorker::Ready => {
            mark("smic-worker-ready");
            Action::WorkerReady
        }
        FromWorker::Progress(update) => Action::Progress(update),
        FromWorker::Report(report) => Action::Report(report),
        FromWorker::Crashed { message } => Action::WorkerCrashed(message),
    }
}
