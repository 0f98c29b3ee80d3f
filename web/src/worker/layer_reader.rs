//! A pool worker's jobs: read a compressed layer of the dropped `File` — only its byte range,
//! with the same slice reader as the archive's worker — or inflate one chunk of a large gzip
//! layer from its byte range, and post back the outcome as bytes (their buffer transferred, not
//! copied), with progress every `PROGRESS_EVERY_MS` meanwhile for a layer. The worker that reads
//! the archive (`pool`) merges the outcomes; this side knows nothing of the archive around them.

use std::cell::RefCell;

use js_sys::{Array, ArrayBuffer, Uint8Array};
use wasm_bindgen::JsValue;
use web_sys::File;

use smic_engine::{Buffers, ChunkJob, ChunkResult, Control, LayerJob, LayerOutcome, Source, SourceError};

use crate::protocol::{self, FromPool};

use super::check::{memory_bytes, now_ms, PROGRESS_EVERY_MS};
use super::fetchers;
use super::file_source::{unreadable_at, FileSource};
use super::to_page::{post_json, scope};

/// Reads layer `id` (`job`: `LayerJob::encode`) of `file` and answers the worker that asked.
pub fn run(id: u32, job: String, file: Option<File>) {
    wasm_bindgen_futures::spawn_local(async move {
        let (outcome, bytes_read) = match (LayerJob::decode(&job), file) {
            (Some(job), Some(file)) => {
                let mut last_post = now_ms();
                let mut progress = |done: u64| {
                    let now = now_ms();
                    if now - last_post >= PROGRESS_EVERY_MS {
                        last_post = now;
                        post_json(&FromPool::LayerProgress { id, done });
                    }
                    Control::Continue
                };
                let mut open = || Ok(Box::new(FileSource::new(file.clone())) as Box<dyn Source>);
                smic_engine::read_layer(&mut open, &job, None, &mut progress).await
            }
            (None, _) => (LayerOutcome::failed("the layer to read was not understood"), 0),
            (_, None) => (LayerOutcome::failed("no file came with the layer to read"), 0),
        };
        answer(&FromPool::LayerRead { id, bytes_read, memory_bytes: memory_bytes() }, &outcome.encode());
    });
}

thread_local! {
    /// The memory this worker's chunks are read and inflate into, reused from chunk to chunk
    /// (no zeroing).
    static BUFFERS: Buffers = Buffers::default();
    /// The buffer of an earlier answer, given back by the worker that took its bytes (`spare`).
    static SPARE: RefCell<Option<ArrayBuffer>> = const { RefCell::new(None) };
}

/// A new answer's buffer is this much larger than asked for (its pages are only faulted in when
/// written), so that the next, slightly larger answer still fits.
const SPARE_ROOM: u32 = 8 * 1024 * 1024;

/// Takes back the buffer of an answer for the next, keeping the larger of it and the spare held:
/// one is enough, since the other worker takes a chunk's bytes, and gives their buffer back, as
/// soon as they come.
pub fn spare(buffer: Option<ArrayBuffer>) {
    SPARE.with(|spare| {
        let mut spare = spare.borrow_mut();
        if buffer.as_ref().map(ArrayBuffer::byte_length) > spare.as_ref().map(ArrayBuffer::byte_length) {
            *spare = buffer;
        }
    });
}

/// `len` bytes to answer in: the spare buffer if it is large enough, or a new one with room.
fn answer_buffer(len: u32) -> Uint8Array {
    let spare = SPARE.with(|spare| spare.borrow_mut().take_if(|b| b.byte_length() >= len));
    match spare {
        Some(buffer) => Uint8Array::new_with_byte_offset_and_length(&buffer, 0, len),
        None => Uint8Array::new(&ArrayBuffer::new(len.saturating_add(SPARE_ROOM))).subarray(0, len),
    }
}

/// Inflates chunk `id` (`job`: `ChunkJob::to_bytes`) from its byte range of `file`.
pub fn decode_chunk(id: u32, job: Option<Uint8Array>, file: Option<File>) {
    wasm_bindgen_futures::spawn_local(async move {
        let mut input_reused = false;
        let result = match (job.and_then(|bytes| ChunkJob::from_bytes(&bytes.to_vec())), file) {
            (Some(job), Some(file)) => match slice(&file, job.range.start, job.range.end).await {
                Ok((bytes, reused)) => BUFFERS.with(|buffers| {
                    input_reused = reused;
                    let result = smic_engine::decode_chunk_with(&job, &bytes, buffers);
                    buffers.give_input(bytes);
                    result
                }),
                Err(error) => ChunkResult::failed(&error.message),
            },
            _ => ChunkResult::failed("the chunk to inflate was not understood"),
        };
        let (head, plain) = result.to_parts();
        let bytes = answer_buffer((head.len() + plain.len()) as u32);
        post_parts(&FromPool::ChunkDecoded { id, memory_bytes: memory_bytes(), input_reused }, bytes, &[&head, plain]);
        BUFFERS.with(|buffers| result.recycle(buffers));
    });
}

/// The bytes `start..end` of `file`, in one read into a buffer given back (the last chunk's:
/// `fetchers::give_back`), then copied into memory lent by `BUFFERS` (give it back); and whether
/// they went into a buffer given back.
async fn slice(file: &File, start: u64, end: u64) -> Result<(Vec<u8>, bool), SourceError> {
    let read = fetchers::read_slice_reusing(file, start as f64, end as f64).await;
    let (bytes, reused) = read.map_err(|why| SourceError::new(unreadable_at(start, &why)))?;
    let mut copy = BUFFERS.with(|buffers| buffers.input_of(bytes.length() as usize));
    bytes.copy_to(&mut copy);
    fetchers::give_back(&bytes.buffer());
    Ok((copy, reused))
}

/// Posts `message` with `bytes` beside it: one copy out of this worker's memory, then the buffer
/// moves to the other worker.
fn answer(message: &FromPool, bytes: &[u8]) {
    post_parts(message, Uint8Array::new_with_length(bytes.len() as u32), &[bytes]);
}

/// Posts `message` with `parts` copied one after the other into `bytes` (as long as they are
/// together), whose whole buffer moves to the other worker.
fn post_parts(message: &FromPool, bytes: Uint8Array, parts: &[&[u8]]) {
    let mut at = 0u32;
    for part in parts {
        let end = at + part.len() as u32;
        bytes.subarray(at, end).copy_from(part);
        at = end;
    }
    let envelope = Array::of2(&JsValue::from_str(&protocol::encode(message)), &bytes);
    let _ = scope().post_message_with_transfer(&envelope, &Array::of1(&bytes.buffer()));
}
