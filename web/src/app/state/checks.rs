//! The worker as the page sees it, the checks sent to it, and the effects `reduce` leaves for
//! `use_checker` to perform (post a check after its pause, restart the worker).

use std::rc::Rc;

use web_sys::File;

use crate::protocol::{CheckRequest, ProgressUpdate};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WorkerStatus {
    Starting,
    Ready,
    /// It failed before it was ever ready (scripts blocked, no WebAssembly): not restarted.
    Broken,
}

/// How the worker is doing.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerHealth {
    pub status: WorkerStatus,
    /// The largest the worker's memory has been, in bytes.
    pub peak_memory: u64,
    /// A bug in the checker, as the page says it.
    pub crash: Option<Crash>,
}

/// How the checker failed: the banner's wording depends on it.
#[derive(Debug, Clone, PartialEq)]
pub enum Crash {
    /// The worker died (a panic, or it could not start): `message` is what it said.
    WorkerDied(String),
    /// The worker answered with a report this page cannot read; the worker goes on and the
    /// report shown before stays.
    UnreadableReport(String),
}

impl Crash {
    pub fn message(&self) -> &str {
        match self {
            Crash::WorkerDied(m) | Crash::UnreadableReport(m) => m,
        }
    }
}

impl Default for WorkerHealth {
    fn default() -> WorkerHealth {
        WorkerHealth { status: WorkerStatus::Starting, peak_memory: 0, crash: None }
    }
}

/// Which revision of the inputs is checked, and when.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checks {
    /// Bumped on every change of the inputs; each revision is checked once.
    pub revision: u32,
    /// Delay before the revision is posted (typing gets a pause, drops none).
    pub debounce_ms: u32,
    /// The last revision posted to the worker (0: none yet).
    pub posted: u32,
    pub in_progress: Option<CheckInProgress>,
}

/// A check the worker is working on.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckInProgress {
    pub job: u32,
    /// The archive being read, when there is one.
    pub image_name: Option<String>,
    pub progress: Option<ProgressUpdate>,
}

/// What must happen outside the state: recorded by `reduce`, performed by `use_checker`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pending {
    /// Stop the worker (whatever it is doing) and start a fresh one: after a crash of a worker
    /// that had been ready, or when the user cancels. Cleared by `Action::WorkerRestarted`.
    pub restart_worker: bool,
    /// The check to post once its pause is over; gone once it is posted (`Action::Posted`).
    pub post: Option<Rc<PendingPost>>,
}

/// A check due to be posted to the worker.
#[derive(Debug, PartialEq)]
pub struct PendingPost {
    pub request: CheckRequest,
    /// The dropped archive, posted beside the request.
    pub file: Option<File>,
    /// The dropped archive's name, when the check reads one (the progress panel shows it).
    pub image_name: Option<String>,
    /// How long to wait before posting (typing gets a pause, drops none).
    pub delay_ms: u32,
}
