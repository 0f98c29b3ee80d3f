//! Fetch workers: small workers (`worker-boot.js` started with the name `fetch`, no
//! WebAssembly) that move slices of a dropped `File` out of the browser for the worker that reads
//! the archive, and post each slice's buffer back transferred, not copied.
//!
//! Why: the browser hands a `file.slice(a, b).arrayBuffer()` over on the thread that asked for
//! it, and that is most of the cost of moving a file's bytes (the fresh buffer's pages, the copy
//! out of the browser's pipe). Asked on the archive's own worker, that work and the reader took
//! turns on one thread, and the reader waited for bytes (2.0 of 3.1 s on the 1.46 GB
//! docker-archive, with four 8 MiB slices in flight and none come). Asked by fetch workers, it
//! runs beside the reader.
//!
//! A fetch worker reads each slice into a buffer given back once the reader is done with an
//! earlier one (`give_back`), so moving a file's bytes costs no fresh pages.
//!
//! If no fetch worker can start (the single-file build, whose worker runs from a `blob:` URL of
//! origin `null`, cannot start workers) or one fails, its slices are asked for on this thread
//! instead, with the same byob reader into buffers given back: slower, the same bytes.

use std::cell::RefCell;
use std::collections::HashMap;

use js_sys::{Array, ArrayBuffer, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, File, MessageEvent, Worker, WorkerOptions};

use super::to_page::scope;
use crate::{js_error, protocol};

/// A slice's bytes, or why the browser could not read them (its words).
pub type Delivered = Result<Uint8Array, String>;

/// Where a slice's answer goes.
type Deliver = Box<dyn FnOnce(Delivered)>;

struct Request {
    file: File,
    start: f64,
    end: f64,
    deliver: Deliver,
}

#[derive(Default)]
struct Fetchers {
    /// Started: `None` until the first request, then the workers that started (maybe none).
    workers: Option<Vec<Worker>>,
    /// Requests posted to a fetch worker and not answered yet, by id.
    waiting: HashMap<u32, Request>,
    next_id: u32,
    /// Round robin over the workers.
    turn: usize,
    /// Slices read into a buffer given back (`give_back`), since this worker began.
    reused: u64,
    /// Buffers given back while no fetch worker takes them, for the slices read on this thread.
    spares: Vec<ArrayBuffer>,
}

/// Buffers kept for the slices read on this thread (as a fetch worker keeps its own).
const MOST_SPARES: usize = 4;

thread_local! {
    static FETCHERS: RefCell<Fetchers> = RefCell::new(Fetchers::default());
}

/// Asks for the bytes `start..end` of `file`, by a fetch worker if `by_fetch_workers` and one
/// can, else on this thread; `deliver` is called once with them (or the browser's error), on
/// this thread, later. `true` when a fetch worker was asked.
pub fn fetch(file: &File, start: f64, end: f64, by_fetch_workers: bool, deliver: Deliver) -> bool {
    let request = Request { file: file.clone(), start, end, deliver };
    let direct = if by_fetch_workers { FETCHERS.with(|fetchers| fetchers.borrow_mut().post(request)) } else { Some(request) };
    let asked_a_worker = direct.is_none();
    if let Some(request) = direct {
        fetch_here(request);
    }
    asked_a_worker
}

impl Fetchers {
    /// Posts `request` to a fetch worker, or gives it back when there is none.
    fn post(&mut self, request: Request) -> Option<Request> {
        if self.workers.is_none() {
            self.start();
        }
        let workers = self.workers.as_ref()?;
        if workers.is_empty() {
            return Some(request);
        }
        let index = self.turn % workers.len();
        self.turn = self.turn.wrapping_add(1);
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1);
        let message = Array::of4(&JsValue::from(id), &request.file, &JsValue::from(request.start), &JsValue::from(request.end));
        if workers[index].post_message(&message).is_err() {
            return Some(request);
        }
        self.waiting.insert(id, request);
        None
    }

    fn start(&mut self) {
        let mut workers = Vec::new();
        for _ in 0..protocol::fetch_workers(&scope().name()) {
            let options = WorkerOptions::new();
            options.set_name("fetch");
            let Ok(worker) = Worker::new_with_options(&scope().location().href(), &options) else {
                break;
            };
            let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| answered(event.data()));
            let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(|event: ErrorEvent| {
                // Handled here (its slices are asked for again on this thread): not an uncaught error.
                event.prevent_default();
                lost();
            });
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            // Started once for the life of this worker: the handlers live as long.
            on_message.forget();
            on_error.forget();
            workers.push(worker);
        }
        self.workers = Some(workers);
    }
}

/// A fetch worker's answer: `[id, ArrayBuffer]` or `[id, error text]`.
fn answered(data: JsValue) {
    let Ok(parts) = data.dyn_into::<Array>() else {
        return;
    };
    let Some(id) = parts.get(0).as_f64().map(|id| id as u32) else {
        return;
    };
    let reused = parts.get(2).as_bool() == Some(true);
    let Some(request) = FETCHERS.with(|fetchers| {
        let mut fetchers = fetchers.borrow_mut();
        fetchers.reused += u64::from(reused);
        fetchers.waiting.remove(&id)
    }) else {
        return;
    };
    let answer = parts.get(1);
    let delivered = match answer.dyn_into::<Uint8Array>() {
        Ok(bytes) => Ok(bytes),
        Err(other) => Err(js_error::describe(&other)),
    };
    (request.deliver)(delivered);
}

/// How many slices fetch workers have read into a buffer given back, since this worker began.
pub fn reused() -> u64 {
    FETCHERS.with(|fetchers| fetchers.borrow().reused)
}

/// Gives the buffer of a slice the reader is done with to a fetch worker, to read a later slice
/// into (see `worker-boot.js`), or, when there is none, keeps it for a slice read on this thread.
pub fn give_back(buffer: &ArrayBuffer) {
    FETCHERS.with(|fetchers| {
        let mut fetchers = fetchers.borrow_mut();
        let Some(workers) = fetchers.workers.as_ref().filter(|w| !w.is_empty()) else {
            fetchers.spares.push(buffer.clone());
            if fetchers.spares.len() > MOST_SPARES {
                fetchers.spares.sort_by_key(|b| std::cmp::Reverse(b.byte_length()));
                fetchers.spares.truncate(MOST_SPARES);
            }
            return;
        };
        let worker = workers[fetchers.turn % workers.len()].clone();
        fetchers.turn = fetchers.turn.wrapping_add(1);
        // Lost if the worker is gone: then it is only garbage.
        let _ = worker.post_message_with_transfer(&Array::of1(buffer), &Array::of1(buffer));
    });
}

/// Lets go of the buffers kept for slices read on this thread (the reading is over).
pub fn drop_spares() {
    FETCHERS.with(|fetchers| fetchers.borrow_mut().spares.clear());
}

/// A fetch worker failed (it could not load, or died): the slices still waiting are asked for
/// here, and no fetch worker is used any more.
fn lost() {
    let orphans: Vec<Request> = FETCHERS.with(|fetchers| {
        let mut fetchers = fetchers.borrow_mut();
        if let Some(workers) = fetchers.workers.take() {
            workers.iter().for_each(Worker::terminate);
        }
        fetchers.workers = Some(Vec::new());
        fetchers.waiting.drain().map(|(_, request)| request).collect()
    });
    orphans.into_iter().for_each(fetch_here);
}

/// Asks for a slice on this thread.
fn fetch_here(request: Request) {
    wasm_bindgen_futures::spawn_local(async move {
        let read = read_slice_reusing(&request.file, request.start, request.end).await;
        (request.deliver)(read.map(|(bytes, _)| bytes));
    });
}

/// The bytes `start..end` of `file`, read on this thread with a byob reader of the slice's stream
/// (`worker-boot.js`'s `__smicReadSlice`, which the fetch workers use too) into the smallest
/// buffer given back (`give_back`) that is large enough, else into a new one (with room for a
/// slightly larger slice later); without that function, or if it fails to start, a fresh
/// [`read_slice`]. Also says whether the bytes went into a buffer given back.
pub async fn read_slice_reusing(file: &File, start: f64, end: f64) -> Result<(Uint8Array, bool), String> {
    let len = (end - start).max(0.0);
    let spare = FETCHERS.with(|fetchers| {
        let mut fetchers = fetchers.borrow_mut();
        let fits = fetchers.spares.iter().enumerate().filter(|(_, b)| f64::from(b.byte_length()) >= len);
        let at = fits.min_by_key(|(_, b)| b.byte_length()).map(|(at, _)| at);
        at.map(|at| fetchers.spares.swap_remove(at))
    });
    let read = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("__smicReadSlice"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let blob = file.slice_with_f64_and_f64(start, end).map_err(|e| js_error::describe(&e))?;
    let Some(promise) = read.and_then(|read| read.call2(&JsValue::NULL, &blob, &spare.map_or(JsValue::NULL, JsValue::from)).ok()) else {
        return read_slice(file, start, end).await.map(|bytes| (bytes, false));
    };
    let answer = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&promise)).await.map_err(|e| js_error::describe(&e))?;
    let answer: Array = answer.dyn_into().map_err(|e| js_error::describe(&e))?;
    let bytes = answer.get(0).dyn_into::<Uint8Array>().map_err(|e| js_error::describe(&e))?;
    let reused = answer.get(1).as_bool() == Some(true);
    if reused {
        FETCHERS.with(|fetchers| fetchers.borrow_mut().reused += 1);
    }
    Ok((bytes, reused))
}

/// The bytes `start..end` of `file`, asked of the browser on this thread, or its error in words.
pub async fn read_slice(file: &File, start: f64, end: f64) -> Delivered {
    let promise = file.slice_with_f64_and_f64(start, end).map(|blob| blob.array_buffer()).map_err(|e| js_error::describe(&e))?;
    let buffer = wasm_bindgen_futures::JsFuture::from(promise).await.map_err(|e| js_error::describe(&e))?;
    Ok(Uint8Array::new(&buffer))
}
