//! The pool of workers that read an archive's compressed layers, as seen from the worker that
//! reads the archive (the coordinator): the `LayerRunner` of the archive reader's shared driver.
//! Each layer the walk passed over becomes a job; a pool worker (the same worker program, started
//! from the coordinator's own script, lazily, up to `size`) is posted the job and the dropped
//! `File` itself, reads only that layer's byte range (`layer_reader`) and answers its outcome as
//! bytes. The driver merges the outcomes in layer order, so the report is the same whatever the
//! size of the pool. Pool workers are kept for the next archive; a cancel terminates them. If no
//! pool worker can start, the coordinator reads the layers itself: slower, the same report. That
//! is the single-file build's case: opened from file://, its coordinator runs from a `blob:` URL
//! of the opaque origin `null`, and Chromium refuses a worker that such a worker starts from it
//! ("cannot be accessed from origin 'null'"); a browser test checks that it still gives the
//! CLI's report, read by the coordinator.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::{Rc, Weak};
use std::task::{Poll, Waker};

use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, File, MessageEvent, Worker, WorkerOptions};

use smic_engine::{Control, JobCounters, LayerFuture, LayerJob, LayerOutcome, LayerRunner};

use crate::protocol::{self, FromPool, FromWorker, ToWorker};

use super::file_source::FileSource;
use super::to_page::scope;

thread_local! {
    /// Pool workers started and idle, kept between archives.
    static IDLE: RefCell<Vec<Worker>> = const { RefCell::new(Vec::new()) };
}

/// How many pool workers to use for this coordinator (see `protocol::pool_size`).
pub fn size() -> usize {
    protocol::pool_size(&scope().name(), scope().navigator().hardware_concurrency())
}

/// A pool worker in use, and the handlers that live as long as it does.
struct Member {
    id: u32,
    worker: Worker,
    ready: bool,
    busy: Option<u32>,
    layers: u32,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl Member {
    /// Stops the handlers: events of this worker no longer reach this pool.
    fn detach(&self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
    }
}

/// Where a job's answer is: `Some(Ok)` the outcome, `Some(Err)` read it in the coordinator.
struct Job {
    job: LayerJob,
    done: u64,
    answer: Option<Result<LayerOutcome, ()>>,
    waker: Option<Waker>,
}

struct State {
    file: File,
    size: usize,
    members: Vec<Member>,
    next_member: u32,
    queue: VecDeque<u32>,
    jobs: HashMap<u32, Job>,
    next_job: u32,
    counters: Rc<JobCounters>,
    /// Why pool workers cannot be used (then the coordinator reads every layer).
    broken: Option<String>,
    read_here: u32,
    me: Weak<RefCell<State>>,
}

pub struct PoolRunner {
    state: Rc<RefCell<State>>,
    counters: Rc<JobCounters>,
}

impl PoolRunner {
    pub fn new(file: File, size: usize) -> PoolRunner {
        let counters = Rc::new(JobCounters::default());
        let state = Rc::new_cyclic(|me| {
            RefCell::new(State {
                file,
                size: size.max(1),
                members: Vec::new(),
                next_member: 0,
                queue: VecDeque::new(),
                jobs: HashMap::new(),
                next_job: 0,
                counters: counters.clone(),
                broken: None,
                read_here: 0,
                me: me.clone(),
            })
        });
        PoolRunner { state, counters }
    }

    /// Who read the layers, for the worker's log line (the browser tests read it).
    pub fn summary(&self) -> String {
        let s = self.state.borrow();
        let by_pool: u32 = s.members.iter().map(|m| m.layers).sum();
        let workers = s.members.iter().filter(|m| m.layers > 0).count();
        let mut text = format!("{by_pool} layers read by {workers} pool workers of {}", s.size);
        if s.read_here > 0 {
            text += &format!("; {} read by this worker ({})", s.read_here, s.broken.as_deref().unwrap_or("no pool"));
        }
        text
    }
}

impl LayerRunner for PoolRunner {
    fn start(&self, job: LayerJob) -> LayerFuture<'_> {
        let id = {
            let mut s = self.state.borrow_mut();
            let id = s.next_job;
            s.next_job += 1;
            s.jobs.insert(id, Job { job: job.clone(), done: 0, answer: None, waker: None });
            s.queue.push_back(id);
            s.dispatch();
            id
        };
        let state = self.state.clone();
        Box::pin(async move {
            let answer = std::future::poll_fn(|cx| {
                let mut s = state.borrow_mut();
                let Some(slot) = s.jobs.get_mut(&id) else { return Poll::Ready(Err(())) };
                match slot.answer.take() {
                    Some(answer) => Poll::Ready(answer),
                    None => {
                        slot.waker = Some(cx.waker().clone());
                        Poll::Pending
                    }
                }
            })
            .await;
            match answer {
                Ok(outcome) => outcome,
                Err(()) => read_here(&state, &job).await,
            }
        })
    }

    fn counters(&self) -> &JobCounters {
        &self.counters
    }

    fn cancel(&self) {
        let wakers = {
            let mut s = self.state.borrow_mut();
            for member in s.members.drain(..) {
                member.detach();
                member.worker.terminate();
            }
            s.queue.clear();
            let mut wakers = Vec::new();
            for slot in s.jobs.values_mut().filter(|j| j.answer.is_none()) {
                slot.answer = Some(Ok(LayerOutcome::failed("cancelled")));
                wakers.extend(slot.waker.take());
            }
            wakers
        };
        wakers.into_iter().for_each(Waker::wake);
    }
}

impl Drop for PoolRunner {
    /// Idle pool workers wait for the next archive; busy ones (a reading given up) stop.
    fn drop(&mut self) {
        let members: Vec<Member> = self.state.borrow_mut().members.drain(..).collect();
        for member in members {
            member.detach();
            if member.ready && member.busy.is_none() {
                IDLE.with(|idle| idle.borrow_mut().push(member.worker.clone()));
            } else {
                member.worker.terminate();
            }
        }
    }
}

/// A layer read by the coordinator itself, when no pool worker could.
async fn read_here(state: &Rc<RefCell<State>>, job: &LayerJob) -> LayerOutcome {
    let (file, counters) = {
        let mut s = state.borrow_mut();
        s.read_here += 1;
        (s.file.clone(), s.counters.clone())
    };
    let mut source = FileSource::new(file);
    let mut counted = 0u64;
    let mut progress = |now: u64| {
        counters.add_done(now.saturating_sub(counted));
        counted = counted.max(now);
        if counters.cancelled() {
            Control::Cancel
        } else {
            Control::Continue
        }
    };
    let (outcome, read) = smic_engine::read_layer(&mut source, job, &mut progress).await;
    counters.add_read(read);
    counters.add_done(job.len().saturating_sub(counted));
    outcome
}

impl State {
    /// Posts waiting jobs to ready, free pool workers, starting workers while fewer than `size`.
    fn dispatch(&mut self) {
        while let Some(&id) = self.queue.front() {
            if self.broken.is_some() {
                self.queue.pop_front();
                self.answer(id, Err(()));
                continue;
            }
            if let Some(member) = self.members.iter_mut().find(|m| m.ready && m.busy.is_none()) {
                self.queue.pop_front();
                let Some(job) = self.jobs.get(&id).map(|j| j.job.encode()) else { continue };
                let message = ToWorker::ReadLayer { id, job };
                let envelope = Array::of2(&JsValue::from_str(&protocol::encode(&message)), &self.file);
                match member.worker.post_message(&envelope) {
                    Ok(()) => member.busy = Some(id),
                    Err(e) => self.broken = Some(format!("a pool worker cannot be reached: {e:?}")),
                }
                continue;
            }
            if self.members.len() >= self.size || !self.spawn() {
                return;
            }
        }
    }

    /// Adds a pool worker: an idle one kept from before (ready at once) or a new one (ready when
    /// it says so). `false` when a new one is on its way or none could start.
    fn spawn(&mut self) -> bool {
        let kept = IDLE.with(|idle| idle.borrow_mut().pop());
        let ready = kept.is_some();
        let worker = match kept {
            Some(worker) => worker,
            None => {
                let url = scope().location().href();
                let options = WorkerOptions::new();
                options.set_name("pool");
                match Worker::new_with_options(&url, &options) {
                    Ok(worker) => worker,
                    Err(e) => {
                        self.broken = Some(format!("a pool worker could not start: {e:?}"));
                        return true;
                    }
                }
            }
        };
        let id = self.next_member;
        self.next_member += 1;
        let me = self.me.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(state) = me.upgrade() {
                let wake = state.borrow_mut().heard(id, event.data());
                wake.into_iter().for_each(Waker::wake);
            }
        });
        let me = self.me.clone();
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            if let Some(state) = me.upgrade() {
                let wake = state.borrow_mut().lost(id, &event.message());
                wake.into_iter().for_each(Waker::wake);
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        self.members.push(Member { id, worker, ready, busy: None, layers: 0, _on_message: on_message, _on_error: on_error });
        ready
    }

    /// A message from pool worker `member`; returns the wakers to wake once `self` is released.
    fn heard(&mut self, member: u32, data: JsValue) -> Vec<Waker> {
        let (text, bytes) = match data.dyn_into::<Array>() {
            Ok(parts) => (parts.get(0).as_string(), parts.get(1).dyn_into::<Uint8Array>().ok()),
            Err(data) => (data.as_string(), None),
        };
        let Some(text) = text else { return Vec::new() };
        if let Some(message) = protocol::decode::<FromWorker>(&text) {
            return match message {
                FromWorker::Ready => {
                    if let Some(m) = self.members.iter_mut().find(|m| m.id == member) {
                        m.ready = true;
                    }
                    self.dispatch();
                    self.take_wakers()
                }
                FromWorker::Crashed { message } => self.lost(member, &message),
                _ => Vec::new(),
            };
        }
        match protocol::decode::<FromPool>(&text) {
            Some(FromPool::LayerProgress { id, done }) => {
                if let Some(job) = self.jobs.get_mut(&id) {
                    self.counters.add_done(done.saturating_sub(job.done));
                    job.done = job.done.max(done);
                    return job.waker.take().into_iter().collect();
                }
            }
            Some(FromPool::LayerRead { id, bytes_read }) => {
                let outcome = match bytes {
                    Some(bytes) => LayerOutcome::decode(&bytes.to_vec()),
                    None => LayerOutcome::failed("a pool worker answered without the layer's summary"),
                };
                self.counters.add_read(bytes_read);
                if let Some(m) = self.members.iter_mut().find(|m| m.id == member && m.busy == Some(id)) {
                    m.busy = None;
                    m.layers += 1;
                }
                self.answer(id, Ok(outcome));
                self.dispatch();
                return self.take_wakers();
            }
            None => {}
        }
        Vec::new()
    }

    /// Pool worker `member` stopped (it crashed, or could not start): its layer fails as a
    /// reader that died; a worker that never started means the pool cannot be used.
    fn lost(&mut self, member: u32, message: &str) -> Vec<Waker> {
        let Some(at) = self.members.iter().position(|m| m.id == member) else { return Vec::new() };
        let gone = self.members.remove(at);
        gone.detach();
        gone.worker.terminate();
        if !gone.ready {
            self.broken = Some(format!("a pool worker could not start: {message}"));
        }
        if let Some(id) = gone.busy {
            self.answer(id, Ok(LayerOutcome::failed(format!("a worker reading the layer stopped: {message}"))));
        }
        self.dispatch();
        self.take_wakers()
    }

    /// Records job `id`'s answer; its bytes of progress are now all done.
    fn answer(&mut self, id: u32, answer: Result<LayerOutcome, ()>) {
        if let Some(job) = self.jobs.get_mut(&id) {
            if answer.is_ok() {
                self.counters.add_done(job.job.len().saturating_sub(job.done));
                job.done = job.job.len();
            }
            job.answer = Some(answer);
        }
    }

    /// The wakers of jobs with an answer, to wake once `self` is no longer borrowed.
    fn take_wakers(&mut self) -> Vec<Waker> {
        self.jobs.values_mut().filter(|j| j.answer.is_some()).filter_map(|j| j.waker.take()).collect()
    }
}
