//! The check engine: the one function the CLI and the page's worker both call. It takes the
//! user's inputs as bytes (or, for the image archive, a byte source it streams), hands each to
//! its reader, and runs the rule core over the facts. Unreadable input becomes an
//! [`InputError`]; everything that can still be checked is checked.
//!
//! An image archive is read once ([`read_image`]) and can then be checked with any Dockerfile and
//! AppImageConfig ([`check`]): the page re-checks as the user edits the Dockerfile without reading
//! a 20 GB archive again.

pub mod build_context;
pub mod classify;
pub mod demo;

pub use build_context::BuildContext;
#[cfg(not(target_arch = "wasm32"))]
pub use build_context::DirContext;
pub use classify::{classify, SNIFF_BYTES};
#[cfg(not(target_arch = "wasm32"))]
pub use smic_archive::open_file;
pub use smic_archive::pgzip::{decode_chunk_with, Buffers, ChunkJob, ChunkResult, ChunkRunner, GzipChunking, PendingChunk};
pub use smic_archive::Chunks;
pub use smic_archive::{
    Control, Inspection, JobCounters, LayerFuture, LayerJob, LayerOutcome, LayerRunner, OpenSource, Progress, SeekableSource, SliceSource,
    Source, SourceError, StreamSource,
};
pub use smic_dockerfile::build_arg;
pub use smic_rules::facts::InputKind;

use std::borrow::Cow;

use smic_rules::facts::Facts;
use smic_rules::suggest::Suggestion;
use smic_rules::{InputError, Options, Report};

/// A small input the user gave: its name (path on the CLI, file name in the page) and bytes.
#[derive(Debug, Clone, Copy)]
pub struct NamedBytes<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// An image archive, read once.
#[derive(Debug, Clone)]
pub struct ImageRead {
    pub inspection: Inspection,
}

/// Reads an image archive in one streaming pass. `image_ref` picks one image of a multi-image
/// archive (`None`: the first); `progress` is called as the reading advances and can cancel it.
pub fn read_image(
    name: &str,
    source: &mut dyn Source,
    image_ref: Option<&str>,
    progress: &mut dyn FnMut(Progress) -> Control,
) -> ImageRead {
    smic_archive::block_on(read_image_async(name, source, image_ref, progress))
}

/// [`read_image`] with the compressed layers of an archive file read on up to `jobs` threads,
/// each through its own source from `open` (the same file, opened again); the result is the
/// same as [`read_image`]'s whatever `jobs` is. Not for the page: it has no threads.
#[cfg(not(target_arch = "wasm32"))]
pub fn read_image_parallel(
    name: &str,
    source: &mut dyn Source,
    open: smic_archive::OpenFn<'_>,
    jobs: usize,
    image_ref: Option<&str>,
    progress: &mut dyn FnMut(Progress) -> Control,
) -> ImageRead {
    let options = smic_archive::InspectOptions { image_ref: image_ref.map(String::from), ..Default::default() };
    ImageRead { inspection: smic_archive::inspect_parallel(source, open, jobs, name, &options, progress) }
}

/// [`read_image`] as a future: the page's worker awaits it while the browser delivers the
/// dropped file's bytes, so it can read ahead and answer messages in the meantime.
pub async fn read_image_async(
    name: &str,
    source: &mut dyn Source,
    image_ref: Option<&str>,
    progress: &mut dyn FnMut(Progress) -> Control,
) -> ImageRead {
    let options = smic_archive::InspectOptions { image_ref: image_ref.map(String::from), ..Default::default() };
    ImageRead { inspection: smic_archive::inspect_async(source, name, &options, progress).await }
}

/// [`read_image_async`] with the compressed layers of a seekable, uncompressed archive read by
/// `runner` (the page's pool of workers), and, with `outer`, an archive that is gzip as a whole
/// inflated in parallel chunks (read again from `outer`'s opener if that ends in an error); the
/// result is the same as [`read_image`]'s.
pub async fn read_image_with_runner(
    name: &str,
    source: &mut dyn Source,
    runner: &dyn LayerRunner,
    outer: Option<(Chunks<'_>, OpenSource<'_>)>,
    image_ref: Option<&str>,
    progress: &mut dyn FnMut(Progress) -> Control,
) -> ImageRead {
    let options = smic_archive::InspectOptions { image_ref: image_ref.map(String::from), ..Default::default() };
    ImageRead { inspection: smic_archive::inspect_with_runner(source, runner, outer, name, &options, progress).await }
}

/// Reads one layer the walk of [`read_image_with_runner`] passed over, from `source` (the same
/// archive, from its first byte), as that reading would have: the page's pool workers do this.
/// `open` opens the archive again (a large gzip layer may be read twice: see
/// `smic_archive::read_layer_job`); with `chunks`, a large gzip layer is inflated in parallel
/// chunks run by it. `progress` gets the bytes of the layer handled so far. Returns the outcome
/// and the bytes read.
pub async fn read_layer(
    open: OpenSource<'_>,
    job: &LayerJob,
    chunks: Option<Chunks<'_>>,
    progress: &mut dyn FnMut(u64) -> Control,
) -> (LayerOutcome, u64) {
    smic_archive::read_layer_job(open, job, &smic_archive::InspectOptions::default(), chunks, progress).await
}

/// Everything one check needs.
#[derive(Debug, Clone, Default)]
pub struct Request<'a> {
    pub image: Option<&'a ImageRead>,
    pub dockerfile: Option<NamedBytes<'a>>,
    /// `--build-arg NAME=VALUE` values for the Dockerfile, in the order given.
    pub build_args: Vec<(String, String)>,
    /// `--target STAGE`: the Dockerfile stage that becomes the image (default: the last).
    pub target: Option<String>,
    pub app_image_config: Option<NamedBytes<'a>>,
    pub options: Options,
}

/// Runs every reader and the rules.
pub fn check(request: &Request<'_>) -> Report {
    check_in_context(request, None)
}

/// [`check`] with the Dockerfile's build context (`--context DIR`): the start scripts the
/// Dockerfile COPYs from it are read so the start command can be followed into them.
pub fn check_in_context(request: &Request<'_>, context: Option<&dyn BuildContext>) -> Report {
    let (facts, errors) = read(request, context);
    smic_rules::check(&facts, errors, &request.options)
}

/// The check's report and the AppImageConfig suggested for its profile (see
/// [`smic_rules::suggest`]) with its changes to the given AppImageConfig, from one reading of
/// the inputs (with the build context, when there is one).
pub fn suggest(request: &Request<'_>, context: Option<&dyn BuildContext>) -> (Report, Suggestion) {
    let (facts, errors) = read(request, context);
    let report = smic_rules::check(&facts, errors, &request.options);
    let mut suggestion = smic_rules::suggest::suggest(&facts, &report);
    suggestion.changes = request.app_image_config.and_then(|c| smic_rules::suggest::changes(c.bytes, &suggestion.config));
    (report, suggestion)
}

/// Hands each input to its reader: the facts, and what could not be read.
fn read<'a>(request: &Request<'a>, context: Option<&dyn BuildContext>) -> (Facts<'a>, Vec<InputError>) {
    let mut facts = Facts::default();
    let mut errors: Vec<InputError> = Vec::new();
    if let Some(image) = request.image {
        facts.image = image.inspection.facts.as_ref().map(Cow::Borrowed);
        errors.extend(image.inspection.errors.iter().cloned());
    }
    if let Some(dockerfile) = request.dockerfile {
        let options = smic_dockerfile::ReadOptions { build_args: request.build_args.clone(), target: request.target.clone() };
        match smic_dockerfile::read(dockerfile.name, dockerfile.bytes, &options) {
            Ok(mut reading) => {
                if let Some(context) = context {
                    reading.facts.context_files = build_context::context_files(&reading.facts, context);
                }
                facts.dockerfile = Some(reading.facts);
                errors.extend(reading.errors);
            }
            Err(e) => errors.push(e),
        }
    }
    if let Some(config) = request.app_image_config {
        match smic_rules::app_image_config::parse(config.name, config.bytes) {
            Ok(f) => facts.app_image_config = Some(f),
            Err(e) => errors.push(e),
        }
    }
    (facts, errors)
}
