//! The driver, in the manner of a sans-I/O protocol's event loop: read the archive once
//! (`walk`, the only part that touches the source), then hand what was found to `assemble`,
//! which decides everything else without I/O.

use crate::assemble::assemble;
use crate::contents::{ArchiveContents, WalkEnd};
use crate::layer::Selector;
use crate::pgzip::consumer::Parallel;
use crate::source::Source;
use crate::stream::{SourceReader, Stream};
use crate::walk::{walk, Defer};
use crate::{Control, InspectOptions, Inspection, Progress};

/// Reads the archive in `source` and returns the facts of one image in it. `file_name` is only
/// used in messages and in the facts. `progress` is called at least every 4 MiB of the source
/// and once at the end; returning [`Control::Cancel`] stops the reading. Blocks the thread while
/// the source waits; a source that never waits (a file, a pipe, bytes) never blocks it.
pub fn inspect(
    source: &mut dyn Source,
    file_name: &str,
    options: &InspectOptions,
    progress: &mut dyn FnMut(Progress) -> Control,
) -> Inspection {
    crate::block_on(inspect_async(source, file_name, options, progress))
}

/// [`inspect`] as a future, for a source that makes the reader wait (the page's worker reading a
/// browser `File`): the reading is suspended while bytes are on their way, and the thread is
/// free to do other work (answer messages, run other checks) in the meantime.
pub async fn inspect_async(
    source: &mut dyn Source,
    file_name: &str,
    options: &InspectOptions,
    progress: &mut dyn FnMut(Progress) -> Control,
) -> Inspection {
    let mut input = SourceReader::new(source, progress);
    let contents = walk_to_end(&mut input, &Selector::new(options.capture), None, None).await;
    input.report(true);
    let (bytes_read, bytes_skipped) = (input.bytes_read, input.bytes_skipped);
    drop(input);
    conclude(contents, options, file_name, bytes_read, bytes_skipped)
}

/// The walk, then a jump to the end of the archive: what follows the end blocks is padding, and
/// the progress should reach the end.
pub(crate) async fn walk_to_end(
    input: &mut SourceReader<'_>,
    selector: &Selector,
    defer: Defer<'_>,
    parallel: Option<Parallel<'_>>,
) -> ArchiveContents {
    let mut contents = walk(input, selector, defer, parallel).await;
    if matches!(contents.end, WalkEnd::Complete { .. }) {
        if let Some(total) = input.total() {
            let rest = total.saturating_sub(input.position());
            let _ = input.skip(rest).await;
        }
    }
    contents.cancelled = input.cancelled();
    contents.archive_bytes = input.total().unwrap_or_else(|| input.position());
    contents
}

/// What was found, assembled into the inspection.
pub(crate) fn conclude(
    contents: ArchiveContents,
    options: &InspectOptions,
    file_name: &str,
    bytes_read: u64,
    bytes_skipped: u64,
) -> Inspection {
    let cancelled = contents.cancelled;
    let outcome = assemble(contents, options.image_ref.as_deref(), file_name);
    Inspection { facts: outcome.facts, errors: outcome.errors, images: outcome.images, bytes_read, bytes_skipped, cancelled }
}
