//! Image-archive reader of sm-image-check.
//!
//! Contract: [`inspect`] reads one image archive — any `docker save`-like layout (Docker ≤ 24
//! legacy, Docker ≥ 25 OCI-in-tar, the containerd image store, podman/skopeo docker-archive and
//! oci-archive, go-containerregistry/kaniko and jib tarballs), optionally compressed as a whole
//! with gzip or zstd, with uncompressed, gzip or zstd layers — from a [`Source`] in **one forward
//! pass in archive order**, and returns the [`smic_rules::facts::ImageFacts`] the rule core
//! needs, or precise [`smic_rules::InputError`]s saying what is wrong and where. The manifest
//! usually comes after the layers, so every layer is summarised as it streams by (entries,
//! owners, whiteouts, the few file contents the rules declared through
//! [`smic_rules::capture::CaptureSet`]) and the summaries are merged in manifest order at the end.
//! File data nobody needs is skipped: with a source that can jump (a file, a browser `File`)
//! skipping a file inside an uncompressed layer of an uncompressed archive is a seek, so a header
//! walk reads a small part of the archive. Memory grows with the number of entries, never with
//! the number of bytes. The reader never panics on its input and uses no `std::fs` itself: the
//! same code runs in the CLI and, compiled to `wasm32-unknown-unknown`, in the page's worker.
//! Inside, the reading only records what the bytes say (`walk` → `contents`); choosing the image,
//! naming the layout, building the facts and wording every problem (`assemble`, `error`) is done
//! afterwards without I/O. [`sniff`] is the one place that tells what a file is from its first
//! bytes; the engine uses it to recognise dropped files.
//!
//! Driving it:
//! - a file on disk: `inspect(&mut SeekableSource::new(File::open(p)?)?, name, &options, &mut |_| Control::Continue)`;
//! - a pipe or stdin: [`StreamSource`] (skips become reads);
//! - a browser `File` in a worker: [`inspect_async`] over a source whose `poll_read` asks the
//!   browser for `file.slice(offset, offset + len)` and answers `Pending` until it has come;
//! - bytes in memory: [`SliceSource`];
//! - large gzip members inflated on several cores: [`inspect_parallel`] (the CLI's threads) or
//!   [`inspect_with_runner`] with a [`LayerRunner`] that is also a [`pgzip::ChunkRunner`] (the
//!   page's pool of workers).

#![forbid(unsafe_code)]

mod assemble;
mod block_on;
mod contents;
mod decompress;
mod deferred;
mod error;
mod gzip;
mod header;
mod inspect;
mod layer;
mod layout;
mod manifest;
mod merge;
#[cfg(not(target_arch = "wasm32"))]
mod parallel;
pub mod pgzip;
pub mod sniff;
mod source;
mod stream;
mod tar;
#[doc(hidden)]
pub mod testkit;
mod walk;
mod zstd;

pub use block_on::block_on;
pub use deferred::{
    inspect_with_runner, read_layer_job, Chunks, JobCounters, LayerFuture, LayerJob, LayerOutcome, LayerRunner, OpenSource,
};
pub use inspect::{inspect, inspect_async};
pub use layer::CaptureFn;
#[cfg(not(target_arch = "wasm32"))]
pub use parallel::{inspect_parallel, open_file, OpenFn};
pub use source::{RandomAccessSource, SeekableSource, SliceSource, Source, SourceError, StreamSource};

use smic_rules::facts::ImageFacts;
use smic_rules::InputError;

/// Choices for one inspection. The default checks the first image and keeps what the rules need.
#[derive(Debug, Clone, Default)]
pub struct InspectOptions {
    /// Which image to check when the archive holds several: a tag in any usual spelling
    /// (`name`, `name:tag`, `docker.io/library/name:tag`) or a config/manifest digest (a prefix of
    /// at least 12 hex digits will do). `None`: the first image of the archive's manifest.
    pub image_ref: Option<String>,
    /// Which file contents to keep, and how many bytes of each. `None` (the default): what the
    /// rules declared ([`smic_rules::capture::CaptureSet`]).
    pub capture: Option<CaptureFn>,
    /// How [`inspect_parallel`] cuts a large gzip member into chunks inflated in parallel
    /// (`None`: the measured default). Tests make the chunks tiny so small archives use it.
    pub gzip_chunking: Option<pgzip::GzipChunking>,
}

/// Where the reading is, passed to the progress callback at least every 4 MiB of the source and
/// once at the end (`done`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Bytes of the source behind us (read or skipped).
    pub position: u64,
    /// The source's size, when known.
    pub total: Option<u64>,
    /// Bytes actually read from the source so far.
    pub bytes_read: u64,
    /// Bytes jumped over without reading.
    pub bytes_skipped: u64,
    pub done: bool,
}

/// The progress callback's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Continue,
    /// Stop as soon as possible: [`inspect`] returns with `cancelled` set and no facts.
    Cancel,
}

/// The result of [`inspect`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// The facts of the checked image; `None` when nothing usable could be read (then at least
    /// one error is `fatal`).
    pub facts: Option<ImageFacts>,
    /// Problems, each with the archive entry and offset where it was found. Non-fatal ones are
    /// warnings or partial failures (a corrupt layer: facts hold the other layers).
    pub errors: Vec<InputError>,
    /// Every image in the archive, in manifest order (first tag, or config digest if untagged).
    pub images: Vec<String>,
    /// Bytes read from the source.
    pub bytes_read: u64,
    /// Bytes skipped by seeking (never read).
    pub bytes_skipped: u64,
    /// The progress callback cancelled the inspection.
    pub cancelled: bool,
}
