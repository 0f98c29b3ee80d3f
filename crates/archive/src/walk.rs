//! The reading: one forward pass over the outer tar that only records what the bytes say. The
//! outer compression is sniffed, each member is classified from its first bytes (a layer: tar,
//! gzip or zstd, summarised as it streams by; a JSON document worth keeping; a link; anything
//! else is skipped, a seek when the source can jump) and the result is an [`ArchiveContents`].
//! Choosing the image and writing messages is `assemble`'s job, done after the walk.
//!
//! A driver that can read byte ranges of the archive on other threads (`parallel`) may ask the
//! walk to defer compressed layers: their range is recorded instead and they are read later
//! with [`read_layer`], the same code, so the contents come out the same.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::contents::{ArchiveContents, Deferred, Member, WalkEnd};
use crate::decompress::Decompressed;
use crate::header::EntryType;
use crate::layer::{summarise, LayerProblem, LayerSummary, Selector};
use crate::manifest::member_key;
use crate::pgzip::consumer::Parallel;
use crate::sniff::{is_tar_header, looks_like_json, sniff, Compression};
use crate::stream::{read_into, read_up_to, Prefixed, ReadError, SourceReader, Stream};
use crate::tar::{Entry, TarError, TarReader, BLOCK_SIZE};

/// JSON members up to this size are kept (configs with long histories reach a few hundred KB).
pub(crate) const MAX_JSON_BYTES: u64 = 16 * 1024 * 1024;
/// Top-level names remembered to recognise a `docker export`.
const MAX_TOP_LEVEL_NAMES: usize = 256;

/// Which layers the walk leaves for later: `None`, none. `Some(deferred)`: the compressed layers
/// of an archive that is not compressed as a whole, when all of their bytes are in the source;
/// their sizes are added to `deferred` as they are passed over.
pub(crate) type Defer<'a> = Option<&'a AtomicU64>;

/// Reads the archive from `input` to the end of its outer tar.
/// `parallel`: inflate an archive that is gzip as a whole in parallel chunks (its size known).
pub(crate) async fn walk(
    input: &mut SourceReader<'_>,
    selector: &Selector,
    defer: Defer<'_>,
    parallel: Option<Parallel<'_>>,
) -> ArchiveContents {
    let mut contents = ArchiveContents::new();
    let total = input.total();
    contents.end = read_outer(&mut contents, input, selector, defer, parallel, total).await;
    contents
}

async fn read_outer(
    contents: &mut ArchiveContents,
    input: &mut SourceReader<'_>,
    selector: &Selector,
    defer: Defer<'_>,
    parallel: Option<Parallel<'_>>,
    total: Option<u64>,
) -> WalkEnd {
    let head: Vec<u8> = match input.peek(BLOCK_SIZE).await {
        Ok(bytes) => bytes.to_vec(),
        Err(error) => return WalkEnd::Read { error, member: None },
    };
    if head.is_empty() {
        return WalkEnd::Empty;
    }
    let compression = Compression::of(&head);
    contents.compression = compression;
    if matches!(compression, Compression::Xz | Compression::Bzip2) {
        return WalkEnd::Unsupported(compression);
    }
    // Offsets in a compressed archive are not offsets in the file.
    let defer = match (compression, total) {
        (Compression::None, Some(total)) => defer.map(|deferred| (deferred, total)),
        _ => None,
    };
    let start = input.position();
    let outer = match (parallel, total) {
        (Some(parallel), Some(total)) => Decompressed::with(compression, &mut *input, Some(parallel), start, total - start),
        _ => Decompressed::new(compression, &mut *input),
    };
    let mut outer = TarReader::new(outer);
    loop {
        match outer.next_entry().await {
            Ok(Some(entry)) => {
                let name = member_key(&String::from_utf8_lossy(&entry.path));
                contents.member_count += 1;
                contents.last_member = Some((name.clone(), entry.offset));
                if let Err(end) = take_member(contents, &mut outer, entry, name, selector, defer).await {
                    return end;
                }
            }
            Ok(None) => {
                let ending = outer.ending();
                // The gzip trailer (CRC-32 and length) follows the tar's end. The rest of any
                // other archive is left to the caller (a seek, or nothing).
                let mut stream = outer.into_inner();
                let damaged_compression = match compression {
                    Compression::Gzip => match stream.skip(u64::MAX).await {
                        Err(ReadError::Cancelled) | Ok(_) => None,
                        Err(error) => Some((error, stream.position().unwrap_or_default())),
                    },
                    _ => None,
                };
                return WalkEnd::Complete { ending, damaged_compression };
            }
            Err(error) => return WalkEnd::Tar { error, head: sniff(&head) },
        }
    }
}

/// Records one member; `Err` when the archive cannot be read further.
async fn take_member<S: Stream>(
    contents: &mut ArchiveContents,
    outer: &mut TarReader<S>,
    entry: Entry,
    name: String,
    selector: &Selector,
    defer: Option<(&AtomicU64, u64)>,
) -> Result<(), WalkEnd> {
    if contents.top_level.len() < MAX_TOP_LEVEL_NAMES {
        if let Some(first) = name.split('/').next().filter(|f| !f.is_empty()) {
            contents.top_level.insert(first.to_string());
        }
    }
    match entry.kind {
        EntryType::Regular => {}
        EntryType::Symlink => {
            let link = String::from_utf8_lossy(&entry.link);
            let parent = match name.rsplit_once('/') {
                Some((dir, _)) => dir,
                None => "",
            };
            let target = if link.starts_with('/') { member_key(&link) } else { member_key(&format!("{parent}/{link}")) };
            contents.members.insert(name, Member::Link(target));
            return Ok(());
        }
        EntryType::HardLink => {
            let target = member_key(&String::from_utf8_lossy(&entry.link));
            contents.members.insert(name, Member::Link(target));
            return Ok(());
        }
        _ => return Ok(()),
    }
    if entry.size == 0 {
        contents.members.insert(name, Member::Empty);
        return Ok(());
    }
    let offset = outer.data_offset();
    let failed = |error: ReadError, name: &str| WalkEnd::Read { error, member: Some((name.to_string(), offset)) };
    let mut head = vec![0u8; entry.size.min(BLOCK_SIZE as u64) as usize];
    let n = read_up_to(&mut outer.data(), &mut head).await.map_err(|e| failed(e, &name))?;
    head.truncate(n);
    let compression = Compression::of(&head);
    match compression {
        Compression::Gzip | Compression::Zstd => {}
        Compression::Xz | Compression::Bzip2 => {
            contents.members.insert(name, Member::Other { what: "xz or bzip2 data" });
            return Ok(());
        }
        Compression::None if head.len() == BLOCK_SIZE && (is_tar_header(&head) || head.iter().all(|b| *b == 0)) => {}
        Compression::None => {
            let json = looks_like_json(&head);
            if json && entry.size <= MAX_JSON_BYTES {
                let mut bytes = head;
                read_into(&mut outer.data(), &mut bytes, MAX_JSON_BYTES).await.map_err(|e| failed(e, &name))?;
                contents.members.insert(name, Member::Json(bytes));
            } else if json {
                contents.members.insert(name, Member::LargeJson { bytes: entry.size });
            } else {
                contents.members.insert(name, Member::Other { what: "neither a tar nor JSON" });
            }
            return Ok(());
        }
    }
    if let Some((deferred, total)) = defer {
        let whole = offset.checked_add(entry.size).is_some_and(|end| end <= total);
        if compression != Compression::None && whole {
            deferred.fetch_add(entry.size, Ordering::Relaxed);
            let order = contents.member_count;
            contents.deferred.push(Deferred { name, header_offset: entry.offset, order, offset, blob_bytes: entry.size, compression });
            return Ok(());
        }
    }
    let summary = read_layer(Prefixed::new(head, outer.data()), compression, selector, None).await.map_err(|e| failed(e, &name))?;
    contents.members.insert(name, Member::Layer { summary: Box::new(summary), blob_bytes: entry.size, compression, offset });
    Ok(())
}

/// Summarises one layer from `data`, its member's bytes from the first; `Err` when the stream
/// under the layer failed (the source ended or failed, or the reading was cancelled): not the
/// layer's fault, so the whole walk stops there. `parallel`: inflate a gzip layer in parallel
/// chunks, with the layer's offset in the source and its length.
pub(crate) async fn read_layer<S: Stream>(
    data: S,
    compression: Compression,
    selector: &Selector,
    parallel: Option<(Parallel<'_>, u64, u64)>,
) -> Result<LayerSummary, ReadError> {
    let mut layer = match parallel {
        Some((parallel, base, len)) => Decompressed::with(compression, data, Some(parallel), base, len),
        None => Decompressed::new(compression, data),
    };
    let mut summary = summarise(&mut layer, selector).await;
    // The gzip trailer (CRC-32 and length) comes after the tar's end blocks. zstd is not read
    // past them: the zstd decoder, as set up, does not verify a frame's checksum, so it would
    // only find padding.
    if summary.problem.is_none() && compression == Compression::Gzip {
        if let Err(error) = layer.skip(u64::MAX).await {
            let at = layer.position().unwrap_or_default();
            summary.problem = Some(LayerProblem { offset: at, entry: None, error: TarError::Read { error, offset: at } });
        }
    }
    if let Some(problem) = &summary.problem {
        if let TarError::Read { error: error @ (ReadError::SourceEnded | ReadError::Source(_) | ReadError::Cancelled), .. } = &problem.error
        {
            return Err(error.clone());
        }
    }
    Ok(summary)
}
