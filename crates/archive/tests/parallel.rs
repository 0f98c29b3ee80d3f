//! Layers read on several threads (`inspect_parallel`, the CLI's `--jobs`) give the same
//! inspection as one pass: on every synthetic layout and compression, on damaged and cut
//! archives, on a source that fails part-way, and on every real archive — also with gzip members
//! cut into tiny chunks inflated in parallel (`pgzip`), so the small fixtures take that path, and
//! through runners whose jobs and answers cross as bytes, as between the page's workers.

mod common;

use common::builder::{archive, dir, file, Compress, Image, Item, Layout};
use common::{
    fixture, inspect_bytes, inspect_file, inspect_parallel_bytes, inspect_parallel_file, inspect_parallel_with, options, real_archives,
};
use std::sync::Arc;

use smic_archive::pgzip::{decode_chunk, ChunkJob, ChunkResult, ChunkRunner, GzipChunking, PendingChunk};
use smic_archive::{
    block_on, inspect, inspect_parallel, inspect_with_runner, read_layer_job, Chunks, Control, InspectOptions, Inspection, JobCounters,
    LayerFuture, LayerJob, LayerOutcome, LayerRunner, RandomAccessSource, SliceSource, Source, SourceError,
};

/// Chunks so small that every gzip member of the tests is inflated in parallel chunks.
fn tiny_chunks() -> InspectOptions {
    InspectOptions { gzip_chunking: Some(GzipChunking { chunk_bytes: 2048, min_chunks: 1, layer_readers: 1 }), ..options() }
}

fn image() -> Image {
    let big: String = (0..20_000).map(|i| format!("line {i}\n")).collect();
    Image {
        tag: Some("parallel:1"),
        user: "1000:100",
        entrypoint: vec!["jupyter-lab"],
        layers: vec![
            vec![dir("/etc"), file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"), file("/etc/motd", "old\n"), file("/big", &big)],
            vec![file("/etc/motd", "new\n"), Item::Whiteout { path: "/big" }, file("/opt/a", "a")],
            vec![dir("/opt/conda"), file("/opt/conda/x", &big)],
            vec![Item::Symlink { path: "/home/py", target: "/usr/bin/python3" }],
        ],
    }
}

fn layouts() -> Vec<(Layout, Compress)> {
    let mut all = Vec::new();
    for layout in
        [Layout::Legacy, Layout::Docker25, Layout::Containerd, Layout::DockerArchive, Layout::OciArchive, Layout::Ggcr, Layout::Jib]
    {
        for compress in [Compress::None, Compress::Gzip, Compress::Zstd] {
            all.push((layout, compress));
        }
    }
    all
}

fn assert_same(one: &Inspection, many: &Inspection, what: &str) {
    assert_eq!(many.facts, one.facts, "{what}");
    assert_eq!(many.errors, one.errors, "{what}");
    assert_eq!(many.images, one.images, "{what}");
    assert_eq!(many.cancelled, one.cancelled, "{what}");
}

#[test]
fn every_layout_and_compression_reads_the_same_on_four_threads() {
    for (layout, compress) in layouts() {
        let bytes = archive(&image(), layout, compress);
        let one = inspect_bytes(&bytes, &options());
        for jobs in [2, 4] {
            assert_same(&one, &inspect_parallel_bytes(&bytes, &options(), jobs), &format!("{layout:?} {compress:?} jobs {jobs}"));
            let what = format!("{layout:?} {compress:?} jobs {jobs}, tiny gzip chunks");
            assert_same(&one, &inspect_parallel_bytes(&bytes, &tiny_chunks(), jobs), &what);
        }
    }
}

#[test]
fn an_archive_gzipped_as_a_whole_read_in_chunks_counts_its_bytes_as_read() {
    // Hard to compress, so each chunk's compressed bytes are more than the reader reads through.
    let noise: String = (0..60_000u64).map(|i| format!("{:016x}\n", i.wrapping_mul(0x9E37_79B9_7F4A_7C15))).collect();
    let mut with_noise = image();
    with_noise.layers[2].push(file("/opt/conda/noise", &noise));
    let bytes = common::builder::gzip(&archive(&with_noise, Layout::DockerArchive, Compress::None));
    let one = inspect_bytes(&bytes, &options());
    let chunks =
        InspectOptions { gzip_chunking: Some(GzipChunking { chunk_bytes: 64 << 10, min_chunks: 1, layer_readers: 1 }), ..options() };
    let many = inspect_parallel_bytes(&bytes, &chunks, 4);
    assert_same(&one, &many, "docker-archive | gzip");
    // The chunks' readers read the bytes the walk passes over: none of them is a skip.
    assert_eq!((many.bytes_read, many.bytes_skipped), (one.bytes_read, one.bytes_skipped));
    assert_eq!(one.bytes_read, bytes.len() as u64);
}

#[test]
fn damaged_and_cut_archives_read_the_same_on_four_threads() {
    for (layout, compress) in [(Layout::OciArchive, Compress::Gzip), (Layout::Containerd, Compress::Zstd), (Layout::Ggcr, Compress::Gzip)] {
        let clean = archive(&image(), layout, compress);
        for step in 1..24 {
            let at = clean.len() * step / 24;
            let mut damaged = clean.clone();
            for byte in &mut damaged[at..(at + 24).min(clean.len())] {
                *byte = 0x5a;
            }
            let what = format!("{layout:?} {compress:?} damaged at {at}");
            let one = inspect_bytes(&damaged, &options());
            assert_same(&one, &inspect_parallel_bytes(&damaged, &options(), 4), &what);
            assert_same(&one, &inspect_parallel_bytes(&damaged, &tiny_chunks(), 4), &format!("{what}, tiny gzip chunks"));
            let cut = &clean[..at];
            let what = format!("{layout:?} {compress:?} cut at {at}");
            let one = inspect_bytes(cut, &options());
            assert_same(&one, &inspect_parallel_bytes(cut, &options(), 4), &what);
            assert_same(&one, &inspect_parallel_bytes(cut, &tiny_chunks(), 4), &format!("{what}, tiny gzip chunks"));
        }
    }
}

#[test]
fn every_real_archive_reads_the_same_on_four_threads() {
    for name in real_archives() {
        let path = fixture(&name);
        let one = inspect_file(&path, &options());
        assert_same(&one, &inspect_parallel_file(&path, &options(), 4), &name);
        assert_same(&one, &inspect_parallel_file(&path, &tiny_chunks(), 4), &format!("{name}, tiny gzip chunks"));
    }
}

#[test]
fn a_cancelled_reading_on_threads_is_cancelled() {
    let bytes = archive(&image(), Layout::OciArchive, Compress::Gzip);
    let mut calls = 0;
    let inspection = inspect_parallel_with(&bytes, &options(), 4, &mut |_| {
        calls += 1;
        Control::Cancel
    });
    assert!(inspection.cancelled && inspection.facts.is_none(), "{:?}", inspection.errors);
    assert!(calls >= 1);
}

#[test]
fn one_job_is_the_single_pass() {
    let bytes = archive(&image(), Layout::OciArchive, Compress::Zstd);
    let one = inspect_bytes(&bytes, &options());
    assert!(one.facts.is_some() && one.errors.is_empty(), "{:?}", one.errors);
    assert_same(&one, &inspect_parallel_bytes(&bytes, &options(), 1), "jobs 1");
}

#[test]
fn progress_on_threads_only_goes_forward_and_ends_at_the_end() {
    let bytes = archive(&image(), Layout::OciArchive, Compress::Gzip);
    let mut seen = Vec::new();
    let inspection = inspect_parallel_with(&bytes, &options(), 4, &mut |p| {
        seen.push((p.position, p.done, p.total));
        Control::Continue
    });
    assert!(inspection.facts.is_some(), "{:?}", inspection.errors);
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "{seen:?}");
    let total = bytes.len() as u64;
    assert_eq!(seen.last(), Some(&(total, true, Some(total))), "{seen:?}");
    assert_eq!(seen.iter().filter(|(_, done, _)| *done).count(), 1, "{seen:?}");
}

/// The archive's bytes through a source that fails to read `bad` (a bad sector): every open of it.
fn failing_open(bytes: &[u8], bad: std::ops::Range<u64>) -> impl Fn() -> Result<Box<dyn Source + Send>, SourceError> + Sync {
    let shared: Arc<[u8]> = bytes.into();
    move || {
        let bytes = Arc::clone(&shared);
        let len = bytes.len() as u64;
        let bad = bad.clone();
        let read_at = move |offset: u64, buf: &mut [u8]| {
            if bad.contains(&offset) || (offset < bad.start && offset + buf.len() as u64 > bad.start) {
                return Err(SourceError::new("input/output error"));
            }
            let from = usize::try_from(offset).unwrap_or(usize::MAX).min(bytes.len());
            let n = buf.len().min(bytes.len() - from);
            buf[..n].copy_from_slice(&bytes[from..from + n]);
            Ok(n)
        };
        Ok(Box::new(RandomAccessSource::new(len, read_at)) as Box<dyn Source + Send>)
    }
}

#[test]
fn a_source_that_fails_in_a_layer_ends_the_reading_there_on_threads_too() {
    // A failing source is not the layer's fault: one pass stops at that layer, and so must the
    // threads — the members other threads read after it change nothing (the reading is fatal).
    for (layout, compress) in
        [(Layout::OciArchive, Compress::Gzip), (Layout::DockerArchive, Compress::Zstd), (Layout::Ggcr, Compress::Gzip)]
    {
        let bytes = archive(&image(), layout, compress);
        for step in 1..16 {
            let at = bytes.len() as u64 * step / 16;
            let open = failing_open(&bytes, at..at + 512);
            let mut source = open().unwrap();
            let one = inspect(&mut *source, "test.tar", &options(), &mut |_| Control::Continue);
            let mut source = open().unwrap();
            let many = inspect_parallel(&mut *source, &open, 4, "test.tar", &options(), &mut |_| Control::Continue);
            assert_same(&one, &many, &format!("{layout:?} {compress:?} failing at {at}"));
        }
    }
}

/// The page's way, without a browser: each layer read by another "worker" (its own source, no
/// thread) whose answer crosses as bytes, as the pool's messages carry it; with `chunking`, a
/// gzip layer large enough is read here, its chunks inflated by "workers" whose jobs and
/// answers cross as bytes too.
struct BytesRunner<'a> {
    bytes: &'a [u8],
    counters: JobCounters,
    started: std::cell::Cell<usize>,
    chunking: Option<GzipChunking>,
    chunks: std::cell::Cell<usize>,
}

impl LayerRunner for BytesRunner<'_> {
    fn start(&self, job: LayerJob) -> LayerFuture<'_> {
        self.started.set(self.started.get() + 1);
        let job = LayerJob::decode(&job.encode()).unwrap();
        let mut open = || Ok(Box::new(SliceSource::new(self.bytes)) as Box<dyn Source>);
        let chunks = self.chunking.filter(|c| job.splits(*c)).map(|chunking| Chunks { runner: self, chunking, ahead: 3 });
        let (outcome, read) = block_on(read_layer_job(&mut open, &job, &options(), chunks, &mut |_| Control::Continue));
        self.counters.add_read(read);
        Box::pin(std::future::ready(LayerOutcome::decode(&outcome.encode())))
    }
    fn counters(&self) -> &JobCounters {
        &self.counters
    }
}

impl ChunkRunner for BytesRunner<'_> {
    fn submit(&self, job: ChunkJob) -> PendingChunk<'_> {
        self.chunks.set(self.chunks.get() + 1);
        let job = ChunkJob::from_bytes(&job.to_bytes()).unwrap();
        let range = job.range.start as usize..(job.range.end as usize).min(self.bytes.len());
        let result = decode_chunk(&job, &self.bytes[range]);
        Box::pin(std::future::ready(ChunkResult::from_bytes(&result.to_bytes())))
    }
}

fn through_bytes(bytes: &[u8], chunking: Option<GzipChunking>) -> (Inspection, usize, usize) {
    let runner = BytesRunner { bytes, counters: JobCounters::default(), started: Default::default(), chunking, chunks: Default::default() };
    let inspection =
        block_on(inspect_with_runner(&mut SliceSource::new(bytes), &runner, None, "test.tar", &options(), &mut |_| Control::Continue));
    (inspection, runner.started.get(), runner.chunks.get())
}

/// The gzip oci-archive with 24 bytes overwritten at 23 places, each with where.
fn damaged_oci_gzip() -> impl Iterator<Item = (usize, Vec<u8>)> {
    let clean = archive(&image(), Layout::OciArchive, Compress::Gzip);
    (1..24).map(move |step| {
        let at = clean.len() * step / 24;
        let mut damaged = clean.clone();
        for byte in &mut damaged[at..(at + 24).min(clean.len())] {
            *byte = 0x5a;
        }
        (at, damaged)
    })
}

fn inspect_through_bytes(bytes: &[u8]) -> (Inspection, usize) {
    let (inspection, started, _) = through_bytes(bytes, None);
    (inspection, started)
}

#[test]
fn gzip_layers_inflated_in_chunks_that_cross_as_bytes_read_the_same_as_one_pass() {
    let tiny = GzipChunking { chunk_bytes: 2048, min_chunks: 2, layer_readers: 1 };
    let mut chunked = 0;
    for (layout, compress) in layouts() {
        let bytes = archive(&image(), layout, compress);
        let (many, _, chunks) = through_bytes(&bytes, Some(tiny));
        assert_same(&inspect_bytes(&bytes, &options()), &many, &format!("{layout:?} {compress:?}"));
        chunked += chunks;
    }
    assert!(chunked > 0, "no layer was inflated in chunks");
    for (at, damaged) in damaged_oci_gzip() {
        assert_same(&inspect_bytes(&damaged, &options()), &through_bytes(&damaged, Some(tiny)).0, &format!("damaged at {at}"));
    }
}

#[test]
fn layers_whose_summaries_cross_as_bytes_read_the_same_as_one_pass() {
    for (layout, compress) in layouts() {
        let bytes = archive(&image(), layout, compress);
        let (many, started) = inspect_through_bytes(&bytes);
        assert_same(&inspect_bytes(&bytes, &options()), &many, &format!("{layout:?} {compress:?}"));
        if compress != Compress::None && layout == Layout::OciArchive {
            assert!(started > 0, "{layout:?} {compress:?}: no layer was deferred");
        }
    }
    for (at, damaged) in damaged_oci_gzip() {
        assert_same(&inspect_bytes(&damaged, &options()), &inspect_through_bytes(&damaged).0, &format!("damaged at {at}"));
    }
    for name in real_archives() {
        let bytes = std::fs::read(fixture(&name)).unwrap();
        let one = inspect_bytes(&bytes, &options());
        assert_same(&one, &inspect_through_bytes(&bytes).0, &name);
        // Gzip layers cut into many chunks, each job and answer crossing as bytes.
        for chunk_bytes in [1024, 8192] {
            let chunking = GzipChunking { chunk_bytes, min_chunks: 1, layer_readers: 1 };
            assert_same(&one, &through_bytes(&bytes, Some(chunking)).0, &format!("{name}, chunks of {chunk_bytes}"));
        }
    }
}
