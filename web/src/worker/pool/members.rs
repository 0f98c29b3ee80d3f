//! The pool's state: its workers (started, ready, busy), the tasks waiting for one, and the
//! answers come back. Every change happens in a message handler or a poll, on the coordinator's
//! one thread; wakers are handed out to be woken once the state is no longer borrowed.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::{Rc, Weak};
use std::task::{Poll, Waker};

use js_sys::{Array, ArrayBuffer, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, File, MessageEvent, Worker};

use smic_engine::{Buffers, JobCounters, LayerJob, LayerOutcome};

use crate::js_error;
use crate::protocol::{self, FromPool, FromWorker, ToWorker};

use super::workers;

/// A pool worker whose WebAssembly memory grew past this is not kept for the next archive.
const KEEP_MEMORY_BYTES: u64 = 64 * 1024 * 1024;

/// What a pool worker is asked to do.
pub(super) enum Task {
    Layer(LayerJob),
    /// `ChunkJob::to_bytes`.
    Chunk(Vec<u8>),
}

/// What came back: a layer's outcome, a chunk's `ChunkResult::to_bytes`, or "no pool worker
/// can do it: do it yourself".
pub(super) enum Answer {
    Layer(Box<LayerOutcome>),
    Chunk(Vec<u8>),
    ReadHere,
}

/// A pool worker in use, and the handlers that live as long as it does.
struct Member {
    id: u32,
    worker: Worker,
    ready: bool,
    busy: Option<u32>,
    tasks: u32,
    /// Its WebAssembly memory, as its last answer said (it never shrinks).
    memory_bytes: u64,
    /// It inflated chunks, and keeps their buffers for the next (`layer_reader::BUFFERS`).
    inflated: bool,
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

struct Job {
    task: Task,
    /// Bytes of a layer handled so far (progress).
    done: u64,
    answer: Option<Answer>,
    waker: Option<Waker>,
}

impl Job {
    fn layer_len(&self) -> u64 {
        match &self.task {
            Task::Layer(job) => job.len(),
            Task::Chunk(_) => 0,
        }
    }
}

pub(super) struct State {
    pub(super) file: File,
    pub(super) size: usize,
    members: Vec<Member>,
    next_member: u32,
    queue: VecDeque<u32>,
    jobs: HashMap<u32, Job>,
    next_job: u32,
    pub(super) counters: Rc<JobCounters>,
    /// Where chunks' bytes are copied (memory given back by the gzip reader, so no fresh pages).
    buffers: Rc<Buffers>,
    /// Why pool workers cannot be used (then the coordinator reads every layer).
    broken: Option<String>,
    /// Layers read by the coordinator, and layers and chunks done by pool workers.
    pub(super) read_here: u32,
    layers_by_pool: u32,
    chunks_by_pool: u32,
    /// Chunks a pool worker read into the buffer of its last chunk.
    chunks_read_into_reused: u32,
    me: Weak<RefCell<State>>,
}

impl State {
    pub(super) fn new(file: File, size: usize, counters: Rc<JobCounters>, buffers: Rc<Buffers>) -> Rc<RefCell<State>> {
        Rc::new_cyclic(|me| {
            RefCell::new(State {
                file,
                size: size.max(1),
                members: Vec::new(),
                next_member: 0,
                queue: VecDeque::new(),
                jobs: HashMap::new(),
                next_job: 0,
                counters,
                buffers,
                broken: None,
                read_here: 0,
                layers_by_pool: 0,
                chunks_by_pool: 0,
                chunks_read_into_reused: 0,
                me: me.clone(),
            })
        })
    }

    pub(super) fn summary(&self) -> String {
        let workers = self.members.iter().filter(|m| m.tasks > 0).count();
        let mut text = format!(
            "{} layers read by {workers} pool workers of {} ({} chunks inflated, {} read into buffers used again)",
            self.layers_by_pool, self.size, self.chunks_by_pool, self.chunks_read_into_reused
        );
        if self.read_here > 0 {
            text += &format!("; {} read by this worker ({})", self.read_here, self.broken.as_deref().unwrap_or("large gzip"));
        }
        text
    }

    pub(super) fn submit(&mut self, task: Task) -> u32 {
        let id = self.next_job;
        self.next_job += 1;
        self.jobs.insert(id, Job { task, done: 0, answer: None, waker: None });
        self.queue.push_back(id);
        self.dispatch();
        id
    }

    pub(super) fn poll_answer(&mut self, id: u32, waker: &Waker) -> Poll<Answer> {
        let Some(job) = self.jobs.get_mut(&id) else { return Poll::Ready(Answer::ReadHere) };
        if job.answer.is_none() {
            job.waker = Some(waker.clone());
            return Poll::Pending;
        }
        match self.jobs.remove(&id).and_then(|job| job.answer) {
            Some(answer) => Poll::Ready(answer),
            None => Poll::Ready(Answer::ReadHere),
        }
    }

    /// A task nobody waits for any more: not started if it still waits; its answer dropped.
    pub(super) fn forget(&mut self, id: u32) {
        self.jobs.remove(&id);
        self.queue.retain(|&queued| queued != id);
    }

    /// Stops every pool worker and answers every task: the reading was cancelled.
    pub(super) fn cancel(&mut self) -> Vec<Waker> {
        for member in self.members.drain(..) {
            member.detach();
            member.worker.terminate();
        }
        self.queue.clear();
        let mut wakers = Vec::new();
        for job in self.jobs.values_mut().filter(|j| j.answer.is_none()) {
            job.answer = Some(match job.task {
                Task::Layer(_) => Answer::Layer(Box::new(LayerOutcome::failed("cancelled"))),
                Task::Chunk(_) => Answer::ReadHere,
            });
            wakers.extend(job.waker.take());
        }
        wakers
    }

    /// The reading is over: idle pool workers wait for the next archive, unless they inflated
    /// chunks (whose buffers they keep: 170–200 MiB of WebAssembly memory on the realistic image)
    /// or their memory grew past `KEEP_MEMORY_BYTES` otherwise, since WebAssembly memory is never
    /// given back: such a worker stops, and the browser frees its memory. Busy ones (a reading
    /// given up) stop.
    pub(super) fn release(&mut self) {
        for member in self.members.drain(..) {
            member.detach();
            let small = !member.inflated && member.memory_bytes <= KEEP_MEMORY_BYTES;
            if member.ready && member.busy.is_none() && small {
                workers::keep(member.worker.clone());
            } else {
                member.worker.terminate();
            }
        }
    }

    /// Posts waiting tasks to ready, free pool workers, starting workers while fewer than `size`.
    fn dispatch(&mut self) {
        while let Some(&id) = self.queue.front() {
            if self.broken.is_some() {
                self.queue.pop_front();
                self.answer(id, Answer::ReadHere);
                continue;
            }
            if let Some(member) = self.members.iter_mut().find(|m| m.ready && m.busy.is_none()) {
                self.queue.pop_front();
                let Some(job) = self.jobs.get(&id) else { continue };
                let envelope = match &job.task {
                    Task::Layer(layer) => {
                        let message = ToWorker::ReadLayer { id, job: layer.encode() };
                        Array::of2(&JsValue::from_str(&protocol::encode(&message)), &self.file)
                    }
                    Task::Chunk(bytes) => {
                        let message = ToWorker::DecodeChunk { id };
                        Array::of3(&JsValue::from_str(&protocol::encode(&message)), &self.file, &Uint8Array::from(bytes.as_slice()))
                    }
                };
                match member.worker.post_message(&envelope) {
                    Ok(()) => member.busy = Some(id),
                    Err(e) => self.broken = Some(format!("a pool worker cannot be reached: {}", js_error::describe(&e))),
                }
                continue;
            }
            if self.members.len() >= self.size || !self.spawn() {
                return;
            }
        }
    }

    /// Adds a pool worker: an idle one kept from before (ready at once) or a new one (ready when
    /// it says so). `false` when a new one is on its way.
    fn spawn(&mut self) -> bool {
        let kept = workers::kept();
        let ready = kept.is_some();
        let worker = match kept.map_or_else(workers::start, Ok) {
            Ok(worker) => worker,
            Err(why) => {
                self.broken = Some(why);
                return true;
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
            // Handled here (the worker's task fails over): not an uncaught error of this worker.
            event.prevent_default();
            if let Some(state) = me.upgrade() {
                let wake = state.borrow_mut().lost(id, &event.message());
                wake.into_iter().for_each(Waker::wake);
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let (memory_bytes, inflated) = (0, false);
        let member =
            Member { id, worker, ready, busy: None, tasks: 0, memory_bytes, inflated, _on_message: on_message, _on_error: on_error };
        self.members.push(member);
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
        let (id, answer) = match protocol::decode::<FromPool>(&text) {
            Some(FromPool::LayerProgress { id, done }) => {
                let Some(job) = self.jobs.get_mut(&id) else { return Vec::new() };
                self.counters.add_done(done.saturating_sub(job.done));
                job.done = job.done.max(done);
                return job.waker.take().into_iter().collect();
            }
            Some(FromPool::LayerRead { id, bytes_read, memory_bytes }) => {
                self.grew(member, memory_bytes, false);
                self.counters.add_read(bytes_read);
                self.layers_by_pool += 1;
                let outcome = match &bytes {
                    Some(bytes) => LayerOutcome::decode(&bytes.to_vec()),
                    None => LayerOutcome::failed("a pool worker answered without the layer's summary"),
                };
                (id, Answer::Layer(Box::new(outcome)))
            }
            Some(FromPool::ChunkDecoded { id, memory_bytes, input_reused }) => {
                self.grew(member, memory_bytes, true);
                self.chunks_by_pool += 1;
                self.chunks_read_into_reused += u32::from(input_reused);
                let chunk = bytes.map(|bytes| {
                    let mut chunk = self.buffers.bytes_of(bytes.length() as usize);
                    bytes.copy_to(&mut chunk);
                    self.give_back(member, bytes.buffer());
                    chunk
                });
                (id, Answer::Chunk(chunk.unwrap_or_default()))
            }
            None => return Vec::new(),
        };
        if let Some(m) = self.members.iter_mut().find(|m| m.id == member && m.busy == Some(id)) {
            m.busy = None;
            m.tasks += 1;
        }
        self.answer(id, answer);
        self.dispatch();
        self.take_wakers()
    }

    /// Gives the buffer of a chunk's answer back to the pool worker that wrote it, for its next.
    fn give_back(&self, member: u32, buffer: ArrayBuffer) {
        if let Some(m) = self.members.iter().find(|m| m.id == member) {
            let message = Array::of3(&JsValue::from_str(&protocol::encode(&ToWorker::Spare)), &JsValue::NULL, &buffer);
            // Lost with the worker if it is gone: then it is only garbage.
            let _ = m.worker.post_message_with_transfer(&message, &Array::of1(&buffer));
        }
    }

    fn grew(&mut self, member: u32, memory_bytes: u64, inflated: bool) {
        if let Some(m) = self.members.iter_mut().find(|m| m.id == member) {
            m.memory_bytes = memory_bytes;
            m.inflated |= inflated;
        }
    }

    /// Pool worker `member` stopped (it crashed, or could not start): its task fails as a reader
    /// that died; a worker that never started means the pool cannot be used.
    fn lost(&mut self, member: u32, message: &str) -> Vec<Waker> {
        let Some(at) = self.members.iter().position(|m| m.id == member) else { return Vec::new() };
        let gone = self.members.remove(at);
        gone.detach();
        gone.worker.terminate();
        if !gone.ready {
            self.broken = Some(format!("a pool worker could not start: {message}"));
        }
        if let Some(id) = gone.busy {
            let failed = match self.jobs.get(&id).map(|j| &j.task) {
                Some(Task::Chunk(_)) => Answer::ReadHere,
                _ => Answer::Layer(Box::new(LayerOutcome::failed(format!("a worker reading the layer stopped: {message}")))),
            };
            self.answer(id, failed);
        }
        self.dispatch();
        self.take_wakers()
    }

    /// Records task `id`'s answer; a layer's bytes of progress are now all done.
    fn answer(&mut self, id: u32, answer: Answer) {
        if let Some(job) = self.jobs.get_mut(&id) {
            if matches!(answer, Answer::Layer(_)) {
                self.counters.add_done(job.layer_len().saturating_sub(job.done));
                job.done = job.layer_len();
            }
            job.answer = Some(answer);
        }
    }

    /// The wakers of tasks with an answer, to wake once `self` is no longer borrowed.
    fn take_wakers(&mut self) -> Vec<Waker> {
        self.jobs.values_mut().filter(|j| j.answer.is_some()).filter_map(|j| j.waker.take()).collect()
    }
}
