//! The consumer: a gzip stream whose first member is inflated in parallel chunks. It reads the
//! member's header itself, submits chunk jobs a few ahead, takes their results strictly in
//! order, replaces each chunk's markers with the 32 KiB before it, and accepts a chunk only if it
//! starts exactly where the output so far ends. A chunk that does not join (the finder found no
//! start in it, or a chunk failed) is bridged: a job from the exact end of the output, with the
//! window known, to a later chunk's start. The member's CRC-32 and length are checked as `gzip`
//! does, and whatever follows the member (more members, padding) is read by the sequential
//! [`GzipDecoder`]. Any error raises the caller's `failed` flag: the caller then reads the same
//! bytes again sequentially and keeps that outcome.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};

use crc32fast::Hasher;

use super::plan::{resolve, slide, Plan};
use super::{Chunk, ChunkRunner, GzipChunking, Outcome, PendingChunk};
use crate::decompress::Decoded;
use crate::error::Corruption;
use crate::gzip::{check_trailer, read_header, GzipDecoder, TRAILER};
use crate::stream::{read_up_to, skip_by_filling, ReadError, Stream};

/// How a member is read in parallel.
#[derive(Clone, Copy)]
pub(crate) struct Parallel<'r> {
    pub(crate) runner: &'r dyn ChunkRunner,
    pub(crate) chunking: GzipChunking,
    /// Chunks submitted and not yet taken, at most.
    pub(crate) ahead: usize,
    /// Raised when the parallel reading ended in an error.
    pub(crate) failed: &'r AtomicBool,
}

impl Parallel<'_> {
    /// A member of `bytes` compressed bytes is worth reading in parallel.
    pub(crate) fn worth_it(&self, bytes: u64) -> bool {
        bytes >= self.chunking.chunk_bytes.saturating_mul(self.chunking.min_chunks.max(2))
    }
}

enum Phase<'r, S> {
    Header,
    Chunks { plan: Plan, pending: VecDeque<(usize, PendingChunk<'r>)>, next: usize },
    Trailer,
    Tail(Box<Decoded<GzipDecoder<S>>>),
    Failed(ReadError),
}

pub(crate) struct ParallelGzip<'r, S> {
    inner: Option<S>,
    parallel: Parallel<'r>,
    /// Absolute offset in the source of `inner`'s first byte, and how many bytes it has.
    base: u64,
    len: u64,
    /// Bytes of `inner` consumed or skipped.
    consumed: u64,
    phase: Phase<'r, S>,
    /// Absolute bit where the output so far ends.
    bit: u64,
    window: Vec<u8>,
    crc: Hasher,
    inflated: u32,
    /// The current chunk's bytes, `parts[0]` (its resolved markers) then `parts[1][plain]`, and
    /// how far into `parts[part]` they were handed out.
    parts: [Vec<u8>; 2],
    part: usize,
    at: usize,
    plain: core::ops::Range<usize>,
    /// Decoded bytes handed out before the tail.
    delivered: u64,
}

fn invalid() -> ReadError {
    ReadError::Corrupt(Corruption::Deflate("a chunk inflated in parallel does not join".into()))
}

impl<'r, S: Stream> ParallelGzip<'r, S> {
    pub(crate) fn new(inner: S, parallel: Parallel<'r>, base: u64, len: u64) -> ParallelGzip<'r, S> {
        ParallelGzip {
            inner: Some(inner),
            parallel,
            base,
            len,
            consumed: 0,
            phase: Phase::Header,
            bit: 0,
            window: Vec::new(),
            crc: Hasher::new(),
            inflated: 0,
            parts: [Vec::new(), Vec::new()],
            part: 2,
            at: 0,
            plain: 0..0,
            delivered: 0,
        }
    }

    /// Decoded bytes handed out so far.
    pub(crate) fn position(&self) -> u64 {
        match &self.phase {
            Phase::Tail(tail) => self.delivered + tail.position,
            _ => self.delivered,
        }
    }

    fn remaining(&self) -> usize {
        current(&self.parts, self.part, self.at, &self.plain).len()
    }

    /// Until there are bytes to hand out, the tail has begun, or an error.
    async fn ready(&mut self) -> Result<(), ReadError> {
        loop {
            if let Phase::Failed(error) = &self.phase {
                return Err(error.clone());
            }
            if matches!(self.phase, Phase::Tail(_)) || self.remaining() > 0 {
                return Ok(());
            }
            if self.part == 0 {
                (self.part, self.at) = (1, self.plain.start);
                continue;
            }
            if let Err(error) = self.advance().await {
                if error != ReadError::Cancelled {
                    self.parallel.failed.store(true, Ordering::Relaxed);
                }
                self.phase = Phase::Failed(error);
            }
        }
    }

    async fn advance(&mut self) -> Result<(), ReadError> {
        match &mut self.phase {
            Phase::Header => {
                let inner = self.inner.as_mut().ok_or_else(invalid)?;
                self.consumed = read_header(inner).await? as u64;
                let start = self.base + self.consumed;
                let plan = Plan::new(start, self.base + self.len, self.parallel.chunking);
                self.bit = start * 8;
                self.phase = Phase::Chunks { plan, pending: VecDeque::new(), next: 0 };
            }
            Phase::Chunks { plan, pending, next } => {
                let chunk = next_chunk(self.parallel, plan, pending, next, self.bit).await?;
                self.take(chunk)?;
                // Keeps the source's position (and so the progress) with the output.
                let inner = self.inner.as_mut().ok_or_else(invalid)?;
                let behind = (self.bit / 8).saturating_sub(self.base).saturating_sub(self.consumed);
                self.consumed += inner.pass(behind).await?;
            }
            Phase::Trailer => {
                let inner = self.inner.as_mut().ok_or_else(invalid)?;
                let trailer_at = self.bit.div_ceil(8).saturating_sub(self.base);
                self.consumed += inner.pass(trailer_at.saturating_sub(self.consumed)).await?;
                let mut trailer = [0u8; TRAILER];
                if read_up_to(inner, &mut trailer).await? < TRAILER {
                    return Err(ReadError::Corrupt(Corruption::GzipEndsInTrailer));
                }
                check_trailer(trailer, core::mem::take(&mut self.crc).finalize(), self.inflated)?;
                let inner = self.inner.take().ok_or_else(invalid)?;
                self.phase = Phase::Tail(Box::new(Decoded::new(GzipDecoder::after_member(inner))));
            }
            Phase::Tail(_) | Phase::Failed(_) => {}
        }
        Ok(())
    }

    /// Makes `chunk` the current bytes; the memory of the chunk before goes back to the runner.
    fn take(&mut self, chunk: Chunk) -> Result<(), ReadError> {
        let mut resolved = core::mem::take(&mut self.parts[0]);
        resolved.clear();
        if !resolve(&chunk.marked, &self.window, &mut resolved) {
            return Err(invalid());
        }
        self.crc.update(&resolved);
        // The plain bytes' CRC came with the chunk, computed on its thread.
        let plain = chunk.plain();
        self.crc.combine(&Hasher::new_with_initial_len(chunk.plain_crc, plain.len() as u64));
        for bytes in [resolved.as_slice(), plain] {
            self.inflated = self.inflated.wrapping_add(bytes.len() as u32);
            slide(&mut self.window, bytes);
        }
        let before = core::mem::replace(&mut self.parts, [resolved, chunk.plain]);
        if let Some(buffers) = self.parallel.runner.buffers() {
            let [_, plain] = before;
            buffers.give_bytes(plain);
            buffers.give_symbols(chunk.marked);
        }
        (self.part, self.at) = (0, 0);
        self.plain = chunk.plain_range;
        self.bit = chunk.end_bit;
        if chunk.member_end {
            self.phase = Phase::Trailer;
        }
        Ok(())
    }
}

/// The bytes of the current chunk not handed out yet: `parts[part]` from `at` (to the end of
/// the plain bytes in `parts[1]`).
fn current<'a>(parts: &'a [Vec<u8>; 2], part: usize, at: usize, plain: &core::ops::Range<usize>) -> &'a [u8] {
    let end = if part == 1 { plain.end } else { parts[0].len() };
    parts.get(part).and_then(|p| p.get(at..end)).unwrap_or(&[])
}

/// The next chunk in order: the speculative one if it starts at `bit`, else a bridge from `bit`
/// to the next chunk start after it (the chunks submitted from there on stay valid).
async fn next_chunk<'r>(
    parallel: Parallel<'r>,
    plan: &Plan,
    pending: &mut VecDeque<(usize, PendingChunk<'r>)>,
    next: &mut usize,
    bit: u64,
) -> Result<Chunk, ReadError> {
    while pending.len() < parallel.ahead.max(1) && *next < plan.count {
        pending.push_back((*next, parallel.runner.submit(plan.speculative(*next))));
        *next += 1;
    }
    if let Some((_, future)) = pending.pop_front() {
        if let Outcome::Decoded(chunk) = future.await.0 {
            if chunk.start_bit == bit {
                return Ok(chunk);
            }
        }
    }
    // Each bridge reaches twice as far as the one before; the last runs to the member's end.
    let mut k = plan.first_after(bit);
    let mut step = 1;
    loop {
        k = k.min(plan.count);
        // Chunks before `k` are covered by the bridge.
        while pending.front().is_some_and(|(j, _)| *j < k) {
            pending.pop_front();
        }
        *next = (*next).max(k);
        if let Outcome::Decoded(chunk) = parallel.runner.submit(plan.bridge(bit, k)).await.0 {
            if chunk.start_bit == bit {
                return Ok(chunk);
            }
        }
        if k == plan.count {
            return Err(invalid());
        }
        k += step;
        step *= 2;
    }
}

impl<S: Stream> Stream for ParallelGzip<'_, S> {
    async fn fill(&mut self) -> Result<&[u8], ReadError> {
        self.ready().await?;
        if let Phase::Tail(tail) = &mut self.phase {
            return tail.fill().await;
        }
        Ok(current(&self.parts, self.part, self.at, &self.plain))
    }

    fn consume(&mut self, n: usize) {
        if let Phase::Tail(tail) = &mut self.phase {
            return tail.consume(n);
        }
        let n = n.min(self.remaining());
        self.at += n;
        self.delivered += n as u64;
    }

    async fn skip(&mut self, n: u64) -> Result<u64, ReadError> {
        skip_by_filling(self, n).await
    }
}
