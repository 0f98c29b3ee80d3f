//! A dropped `File` as a [`Source`] that makes the reader wait: the [`Prefetch`] plan's requests
//! become reads of `file.slice(a, b)` (by the fetch workers, into buffers given back, or
//! `arrayBuffer()` promises on this thread), several in flight at once, and the reader is woken
//! when the one it waits for has come. A reader that never has to wait (a small gzip file
//! that inflates to gigabytes) is made to step aside every `YIELD_EVERY_MS`, so the worker still
//! takes the page's messages (a new check, an edited Dockerfile) while it reads.

use std::cell::RefCell;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, MessageChannel};

use smic_engine::{Source, SourceError};

use super::fetchers;
use crate::prefetch::{Bytes, Fetch, Prefetch};

/// A slice's bytes where the browser put them; once the reader is done with them, their buffer
/// goes back to the fetch workers (`fetchers::give_back`) for a later slice.
struct Lent(Uint8Array);

impl Bytes for Lent {
    fn len(&self) -> usize {
        self.0.length() as usize
    }
    fn copy_out(&self, from: usize, buf: &mut [u8]) {
        self.0.subarray(from as u32, (from + buf.len()) as u32).copy_to(buf);
    }
}

impl Drop for Lent {
    fn drop(&mut self) {
        fetchers::give_back(&self.0.buffer());
    }
}

/// The longest the reader runs without letting the worker take its messages.
const YIELD_EVERY_MS: f64 = 50.0;

struct Shared {
    prefetch: Prefetch<Lent>,
    /// When the reader last let the worker take its messages.
    last_yield: f64,
    /// The reader, waiting for bytes.
    waker: Option<Waker>,
    /// When the reader started waiting, if it is waiting.
    waiting_since: Option<f64>,
    /// Time the reader spent waiting for bytes, in milliseconds, and how many times it waited.
    waited_ms: f64,
    waits: u64,
    /// Requests a fetch worker was asked for.
    by_fetch_workers: u64,
    /// `fetchers::reused()` when this source began.
    reused_before: u64,
}

pub struct FileSource {
    file: File,
    /// Slices are moved by fetch workers (`fetchers`), not on this thread.
    by_fetch_workers: bool,
    shared: Rc<RefCell<Shared>>,
    /// A message to oneself through this channel wakes the reader after the messages already
    /// queued (a timer would be clamped to 4 ms; a promise would run before them).
    channel: Option<(MessageChannel, Closure<dyn FnMut()>)>,
}

impl FileSource {
    /// A source whose slices are asked for on this thread.
    pub fn new(file: File) -> FileSource {
        FileSource::with_fetch_workers(file, false)
    }

    /// A source whose slices are moved by fetch workers when `by_fetch_workers` and they can
    /// start, so this thread only reads (the worker that reads an archive).
    pub fn with_fetch_workers(file: File, by_fetch_workers: bool) -> FileSource {
        let len = file.size().max(0.0) as u64;
        let shared = Rc::new(RefCell::new(Shared {
            prefetch: Prefetch::new(len),
            last_yield: js_sys::Date::now(),
            waker: None,
            waiting_since: None,
            waited_ms: 0.0,
            waits: 0,
            by_fetch_workers: 0,
            reused_before: fetchers::reused(),
        }));
        let channel = MessageChannel::new().ok().map(|channel| {
            let woken = shared.clone();
            let wake = Closure::<dyn FnMut()>::new(move || {
                let waker = woken.borrow_mut().waker.take();
                if let Some(waker) = waker {
                    waker.wake();
                }
            });
            channel.port2().set_onmessage(Some(wake.as_ref().unchecked_ref()));
            (channel, wake)
        });
        FileSource { file, by_fetch_workers, shared, channel }
    }

    /// A gauge of the bytes of the file held in the worker for the reader (see [`Prefetch::held`]).
    pub fn held_gauge(&self) -> impl Fn() -> u64 {
        let shared = self.shared.clone();
        move || shared.try_borrow().map(|s| s.prefetch.held()).unwrap_or(0)
    }

    /// What the reading cost: bytes asked of the browser, requests, and the reader's waits.
    pub fn summary(&self) -> String {
        let s = self.shared.borrow();
        format!(
            "{} bytes fetched in {} requests ({} by fetch workers, {} into buffers given back); the reader waited {:.0} ms in {} waits",
            s.prefetch.fetched,
            s.prefetch.fetches,
            s.by_fetch_workers,
            fetchers::reused().saturating_sub(s.reused_before),
            s.waited_ms,
            s.waits
        )
    }

    fn start(&self, fetches: Vec<Fetch>) {
        for fetch in fetches {
            let shared = self.shared.clone();
            let deliver = move |bytes: fetchers::Delivered| {
                let bytes = bytes.map(Lent).map_err(|e| unreadable_at(fetch.start, &e));
                let waker = {
                    let mut shared = shared.borrow_mut();
                    shared.prefetch.arrived(fetch.id, bytes);
                    shared.waker.take()
                };
                if let Some(waker) = waker {
                    waker.wake();
                }
            };
            let end = fetch.start + fetch.len;
            if fetchers::fetch(&self.file, fetch.start as f64, end as f64, self.by_fetch_workers, Box::new(deliver)) {
                self.shared.borrow_mut().by_fetch_workers += 1;
            }
        }
    }
}

/// Why the bytes at `byte` of the dropped file could not be had, in the browser's words `why`.
pub fn unreadable_at(byte: u64, why: &str) -> String {
    format!("cannot read the file at byte {byte} (was it moved or changed?): {why}")
}

impl Drop for FileSource {
    /// A message still on its way must not call the closure once it is gone; the buffers kept
    /// for its slices are let go.
    fn drop(&mut self) {
        fetchers::drop_spares();
        if let Some((channel, _)) = &self.channel {
            channel.port2().set_onmessage(None);
            channel.port1().close();
            channel.port2().close();
        }
    }
}

impl Source for FileSource {
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<Result<usize, SourceError>> {
        let (read, fetches) = {
            let mut shared = self.shared.borrow_mut();
            let now = js_sys::Date::now();
            if now - shared.last_yield >= YIELD_EVERY_MS {
                if let Some((channel, _)) = &self.channel {
                    shared.last_yield = now;
                    shared.waker = Some(cx.waker().clone());
                    if channel.port1().post_message(&JsValue::NULL).is_ok() {
                        return Poll::Pending;
                    }
                }
            }
            let read = shared.prefetch.read(buf);
            if read.is_none() {
                shared.waker = Some(cx.waker().clone());
                if shared.waiting_since.is_none() {
                    shared.waiting_since = Some(now);
                    shared.waits += 1;
                }
            } else if let Some(since) = shared.waiting_since.take() {
                shared.waited_ms += now - since;
            }
            (read, shared.prefetch.plan())
        };
        self.start(fetches);
        match read {
            Some(result) => Poll::Ready(result.map_err(SourceError::new)),
            None => Poll::Pending,
        }
    }

    fn skip(&mut self, n: u64) -> Result<bool, SourceError> {
        let fetches = {
            let mut shared = self.shared.borrow_mut();
            shared.prefetch.skip(n);
            shared.prefetch.plan()
        };
        self.start(fetches);
        Ok(true)
    }

    fn len(&self) -> Option<u64> {
        Some(self.shared.borrow().prefetch.len())
    }
}
