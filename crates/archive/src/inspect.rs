//! The one pass: sniff the outer compression, walk the outer tar, classify each member from its
//! first bytes (a layer: tar, gzip or zstd; a JSON document worth keeping; anything else is
//! skipped), then, at the end, find the image index, pick the image and merge its layers.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;
use smic_rules::facts::{ImageFacts, ImageSource, Input as InputKind, LayerFacts};
use smic_rules::InputError;

use crate::decompress::{Compression, Decompressed};
use crate::header::HeaderProblem;
use crate::layer::{summarise, LayerSummary, Selector};
use crate::manifest::{blob_path, candidate_matches, docker_candidates, image_config, member_key, oci_candidates, Candidate, IndexProblem};
use crate::merge::Merger;
use crate::source::Source;
use crate::stream::{read_into, read_up_to, Input, Prefixed, ReadError, Stream};
use crate::tar::{looks_like_header, Ending, TarError, TarReader, BLOCK_SIZE};
use crate::{Control, InspectOptions, Inspection, Progress};

/// JSON members up to this size are kept (configs with long histories reach a few hundred KB).
const MAX_JSON_BYTES: u64 = 16 * 1024 * 1024;
/// Top-level names remembered to recognise a `docker export`.
const MAX_TOP_LEVEL_NAMES: usize = 256;
/// Symlinked members followed at most this many times.
const MAX_MEMBER_LINKS: usize = 16;

/// What a member of the outer tar turned out to be.
enum Member {
    Json(Vec<u8>),
    // Boxed: a docker export has thousands of `Other` members next to a few layers.
    Layer {
        summary: Box<LayerSummary>,
        blob_bytes: u64,
        compression: Compression,
        offset: u64,
    },
    /// A 0-byte regular file: a valid (empty) layer if a manifest names it.
    Empty,
    Link(String),
    /// Anything else; `what` says what it looked like.
    Other {
        what: &'static str,
    },
}

/// Why the pass stopped early.
struct Stop {
    message: String,
    at: Option<String>,
}

struct Pass<'o> {
    options: &'o InspectOptions,
    selector: Selector,
    file_name: String,
    members: HashMap<String, Member>,
    top_level: BTreeSet<String>,
    last_member: Option<(String, u64)>,
    member_count: u64,
    problems: Vec<InputError>,
    warnings: Vec<InputError>,
    cancelled: bool,
}

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
    let mut input = Input::new(source, progress);
    let mut pass = Pass {
        options,
        selector: Selector::new(options.capture),
        file_name: file_name.to_string(),
        members: HashMap::new(),
        top_level: BTreeSet::new(),
        last_member: None,
        member_count: 0,
        problems: Vec::new(),
        warnings: Vec::new(),
        cancelled: false,
    };
    let layout_prefix = pass.read_archive(&mut input).await;
    if layout_prefix.is_some() {
        // What follows the end blocks is padding: jump to the end so the progress reaches it.
        if let Some(total) = input.total() {
            let rest = total.saturating_sub(input.position());
            let _ = input.skip(rest).await;
        }
    }
    pass.cancelled |= input.cancelled();
    input.report(true);
    let archive_bytes = input.total().unwrap_or_else(|| input.position());
    let bytes_read = input.bytes_read;
    let bytes_skipped = input.bytes_skipped;
    drop(input);

    let (facts, images) = match (&layout_prefix, pass.cancelled) {
        (Some(prefix), false) => pass.build(prefix, archive_bytes),
        _ => (None, Vec::new()),
    };
    if pass.cancelled {
        pass.problems.push(pass.error(None, "The inspection was cancelled before the archive was read to the end.".into()));
    }
    let mut errors = pass.problems;
    if facts.is_none() {
        for e in &mut errors {
            e.fatal = true;
        }
        if errors.is_empty() {
            errors.push(InputError {
                input: InputKind::Image,
                file: pass.file_name.clone(),
                at: None,
                message: "No image could be read from this archive.".into(),
                fatal: true,
            });
        }
    }
    errors.extend(pass.warnings);
    Inspection { facts, errors, images, bytes_read, bytes_skipped, cancelled: pass.cancelled }
}

fn at_member(name: &str, offset: u64) -> String {
    format!("entry {name} at offset {offset}")
}

impl Pass<'_> {
    fn error(&self, at: Option<String>, message: String) -> InputError {
        InputError { input: InputKind::Image, file: self.file_name.clone(), at, message, fatal: false }
    }

    fn fail(&mut self, stop: Stop) {
        let e = self.error(stop.at, stop.message);
        self.problems.push(e);
    }

    /// The whole pass over the archive. Returns the layout prefix (`""`, `"gzip+"`, `"zstd+"`)
    /// when the archive was read far enough to look for images.
    async fn read_archive(&mut self, input: &mut Input<'_>) -> Option<String> {
        let head: Vec<u8> = match input.peek(BLOCK_SIZE).await {
            Ok(bytes) => bytes.to_vec(),
            Err(e) => {
                let stop = self.read_failure(&e, None);
                self.fail(stop);
                return None;
            }
        };
        if head.is_empty() {
            let message = "This is not an image archive: the file is empty.".to_string();
            self.fail(Stop { message, at: Some("offset 0".into()) });
            return None;
        }
        let compression = Compression::sniff(&head);
        let prefix = match compression {
            Compression::None => "",
            Compression::Gzip => "gzip+",
            Compression::Zstd => "zstd+",
            Compression::Xz | Compression::Bzip2 => {
                let name = compression.label();
                let tool = if compression == Compression::Xz { "xz -d" } else { "bunzip2" };
                let message = format!(
                    "The archive is compressed with {name}, which this checker does not read. Decompress it first \
                     (`{tool} {}`) or compress it with gzip instead (`docker save IMAGE | gzip > image.tar.gz`).",
                    self.file_name
                );
                self.fail(Stop { message, at: Some("offset 0".into()) });
                return None;
            }
        };
        let mut outer = TarReader::new(Decompressed::new(compression, &mut *input));
        loop {
            match outer.next_entry().await {
                Ok(Some(entry)) => {
                    let name = member_key(&String::from_utf8_lossy(&entry.path));
                    self.member_count += 1;
                    self.last_member = Some((name.clone(), entry.offset));
                    if let Err(stop) = self.take_member(&mut outer, entry, name).await {
                        self.fail(stop);
                        return None;
                    }
                }
                Ok(None) => {
                    if outer.ending() != Some(Ending::EndBlocks) && !self.has_index() {
                        let after = self.last_member.as_ref().map(|(n, _)| format!(" after entry {n}")).unwrap_or_default();
                        let w = self
                            .error(None, format!("The archive ends without the end-of-archive marker{after}: it is probably truncated."));
                        self.warnings.push(w);
                    }
                    return Some(prefix.to_string());
                }
                Err(error) => {
                    let stop = self.outer_failure(&error, compression, &head);
                    self.fail(stop);
                    return None;
                }
            }
        }
    }

    fn has_index(&self) -> bool {
        matches!(self.members.get("manifest.json"), Some(Member::Json(_)))
            || matches!(self.members.get("index.json"), Some(Member::Json(_)))
    }

    async fn take_member<S: Stream>(&mut self, outer: &mut TarReader<S>, entry: crate::tar::Entry, name: String) -> Result<(), Stop> {
        if self.top_level.len() < MAX_TOP_LEVEL_NAMES {
            if let Some(first) = name.split('/').next().filter(|f| !f.is_empty()) {
                self.top_level.insert(first.to_string());
            }
        }
        match entry.kind {
            crate::header::EntryType::Regular => {}
            crate::header::EntryType::Symlink => {
                let link = String::from_utf8_lossy(&entry.link);
                let parent = match name.rsplit_once('/') {
                    Some((dir, _)) => dir,
                    None => "",
                };
                let target = if link.starts_with('/') { member_key(&link) } else { member_key(&format!("{parent}/{link}")) };
                self.members.insert(name, Member::Link(target));
                return Ok(());
            }
            crate::header::EntryType::HardLink => {
                let target = member_key(&String::from_utf8_lossy(&entry.link));
                self.members.insert(name, Member::Link(target));
                return Ok(());
            }
            _ => return Ok(()),
        }
        if entry.size == 0 {
            self.members.insert(name, Member::Empty);
            return Ok(());
        }
        let offset = outer.data_offset();
        let mut head = vec![0u8; entry.size.min(BLOCK_SIZE as u64) as usize];
        let n = read_up_to(&mut outer.data(), &mut head).await.map_err(|e| self.read_failure(&e, Some(at_member(&name, offset))))?;
        head.truncate(n);
        let compression = Compression::sniff(&head);
        match compression {
            Compression::Gzip | Compression::Zstd => {}
            Compression::Xz | Compression::Bzip2 => {
                self.members.insert(name, Member::Other { what: "xz or bzip2 data" });
                return Ok(());
            }
            Compression::None if head.len() == BLOCK_SIZE && (looks_like_header(&head) || head.iter().all(|b| *b == 0)) => {}
            Compression::None => {
                if looks_like_json(&head) && entry.size <= MAX_JSON_BYTES {
                    let mut bytes = head;
                    read_into(&mut outer.data(), &mut bytes, MAX_JSON_BYTES)
                        .await
                        .map_err(|e| self.read_failure(&e, Some(at_member(&name, offset))))?;
                    self.members.insert(name, Member::Json(bytes));
                } else {
                    let what = if looks_like_json(&head) { "a JSON document too large to be a config" } else { "neither a tar nor JSON" };
                    self.members.insert(name, Member::Other { what });
                }
                return Ok(());
            }
        }
        let summary = summarise(Decompressed::new(compression, Prefixed::new(head, outer.data())), &self.selector).await;
        if let Some(problem) = &summary.problem {
            // The stream under the layer failed: not the layer's fault, the whole pass stops.
            if let TarError::Read { error: error @ (ReadError::SourceEnded | ReadError::Source(_) | ReadError::Cancelled), .. } =
                &problem.error
            {
                return Err(self.read_failure(error, Some(at_member(&name, offset))));
            }
        }
        self.members.insert(name, Member::Layer { summary: Box::new(summary), blob_bytes: entry.size, compression, offset });
        Ok(())
    }

    fn read_failure(&mut self, error: &ReadError, at: Option<String>) -> Stop {
        let message = match error {
            ReadError::SourceEnded => truncated_message(),
            ReadError::Source(e) => format!("The file could not be read: {e}."),
            ReadError::Corrupt(what) => {
                format!("The archive's compressed data is corrupt: {what}.")
            }
            ReadError::Cancelled => {
                self.cancelled = true;
                "The inspection was cancelled.".into()
            }
        };
        Stop { message, at }
    }

    fn outer_failure(&mut self, error: &TarError, compression: Compression, head: &[u8]) -> Stop {
        let after = match &self.last_member {
            Some((name, offset)) => format!("entry {name} (header at offset {offset})"),
            None => "the start".into(),
        };
        let where_ = |offset: u64| {
            let stream = if compression == Compression::None { "" } else { " of the decompressed archive" };
            Some(format!("offset {offset}{stream}, after {after}"))
        };
        match error {
            // A file shorter than one tar block is not a tar either.
            TarError::Header { offset: 0, .. } | TarError::Short { offset: 0 } if self.member_count == 0 => {
                let what = if compression == Compression::None {
                    describe_content(head)
                } else {
                    format!("{}-compressed data that is not a tar archive", compression.label())
                };
                Stop {
                    message: format!(
                        "This is not an image archive: it looks like {what}. Give the file written by `docker save IMAGE -o image.tar` (or `podman save`)."
                    ),
                    at: Some("offset 0".into()),
                }
            }
            TarError::Header { problem: HeaderProblem::Checksum { stored, computed }, offset } => Stop {
                message: format!(
                    "A tar header is corrupt: its checksum is {} but its bytes add up to {computed}. The file is damaged; save or download it again.",
                    stored.map_or("unreadable".to_string(), |s| s.to_string())
                ),
                at: where_(*offset),
            },
            TarError::Header { problem: HeaderProblem::Number { field }, offset } => Stop {
                message: format!("A tar header is corrupt: its {field} field is not a number. The file is damaged; save or download it again."),
                at: where_(*offset),
            },
            TarError::Extension { message, offset } => {
                Stop { message: format!("A tar extended header is corrupt: {message}."), at: where_(*offset) }
            }
            TarError::Short { offset } => Stop { message: truncated_message(), at: where_(*offset) },
            TarError::Read { error, offset } => {
                let mut stop = self.read_failure(error, None);
                stop.at = where_(*offset);
                stop
            }
        }
    }

    /// Follows symlinked members (`<v1id>/layer.tar -> ../<other>/layer.tar`).
    fn resolve(&self, key: &str) -> Option<(&str, &Member)> {
        let mut key = key;
        for _ in 0..MAX_MEMBER_LINKS {
            match self.members.get_key_value(key) {
                Some((_, Member::Link(target))) => key = target.as_str(),
                Some((k, member)) => return Some((k.as_str(), member)),
                None => return None,
            }
        }
        None
    }

    fn json(&self, key: &str) -> Option<Result<Value, String>> {
        match self.resolve(key) {
            Some((_, Member::Json(bytes))) => Some(serde_json::from_slice(bytes).map_err(|e| e.to_string())),
            _ => None,
        }
    }

    /// Finds the images, picks one, merges its layers.
    fn build(&mut self, prefix: &str, archive_bytes: u64) -> (Option<ImageFacts>, Vec<String>) {
        let has_manifest = matches!(self.resolve("manifest.json"), Some((_, Member::Json(_))));
        let has_index = matches!(self.resolve("index.json"), Some((_, Member::Json(_))));
        let mut candidates = Vec::new();
        if has_manifest {
            match self.json("manifest.json") {
                Some(Ok(value)) => match docker_candidates(&value) {
                    Ok(c) => candidates = c,
                    Err(message) => {
                        let e = self.error(Some("entry manifest.json".into()), format!("manifest.json cannot be used: {message}."));
                        self.problems.push(e);
                    }
                },
                Some(Err(message)) => {
                    let e = self.error(Some("entry manifest.json".into()), format!("manifest.json is not valid JSON: {message}."));
                    self.problems.push(e);
                }
                None => {}
            }
        }
        // Docker 25 saving an untagged image wrote `"manifests": null` in index.json but a good
        // manifest.json: index.json is the fallback, not the first choice.
        if candidates.is_empty() && has_index {
            match self.json("index.json") {
                Some(Ok(index)) => {
                    let mut index_problems: Vec<IndexProblem> = Vec::new();
                    let blob = |digest: &str| blob_path(digest).and_then(|p| self.json(&p)).and_then(Result::ok);
                    candidates = oci_candidates(&index, &blob, &mut index_problems);
                    for p in index_problems {
                        let e = self.error(Some(format!("entry {}", p.member)), format!("{}.", p.message));
                        self.warnings.push(e);
                    }
                }
                Some(Err(message)) => {
                    let e = self.error(Some("entry index.json".into()), format!("index.json is not valid JSON: {message}."));
                    self.problems.push(e);
                }
                None => {}
            }
        }
        if !has_manifest && !has_index {
            let message = self.diagnose_missing_index();
            let e = self.error(None, message);
            self.problems.push(e);
            return (None, Vec::new());
        }
        let images: Vec<String> = candidates.iter().map(|c| c.display.clone()).collect();
        if candidates.is_empty() {
            if self.problems.is_empty() {
                let e = self.error(None, "The archive's manifest lists no image.".into());
                self.problems.push(e);
            }
            return (None, images);
        }
        let chosen = match &self.options.image_ref {
            None => 0,
            Some(wanted) => match candidates.iter().position(|c| candidate_matches(c, wanted)) {
                Some(i) => i,
                None => {
                    let e = self.error(None, format!("The archive holds no image named {wanted:?}; it holds: {}.", images.join(", ")));
                    self.problems.push(e);
                    return (None, images);
                }
            },
        };
        let layout = format!("{prefix}{}", self.layout(has_manifest, has_index, &candidates));
        let candidate = candidates.swap_remove(chosen);
        let facts = self.facts(candidate, layout, images.clone(), archive_bytes);
        (Some(facts), images)
    }

    fn layout(&self, has_manifest: bool, has_index: bool, candidates: &[Candidate]) -> &'static str {
        let first = candidates.first();
        if has_manifest && has_index {
            let docker = self.members.contains_key("repositories")
                || matches!(self.json("manifest.json"), Some(Ok(Value::Array(ref entries))) if entries.iter().any(|e| e.get("LayerSources").is_some()));
            return if docker { "docker-oci" } else { "containerd" };
        }
        if !has_manifest {
            return "oci-archive";
        }
        let Some(first) = first else { return "tarball" };
        if !first.layers.is_empty() && first.layers.iter().all(|l| l.member.ends_with("/layer.tar")) {
            return "docker-legacy";
        }
        let root_hex =
            |member: &str, ext: &str| member.strip_suffix(ext).is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()));
        if root_hex(&first.config.member, ".json") && first.layers.iter().all(|l| root_hex(&l.member, ".tar")) {
            return "docker-archive";
        }
        "tarball"
    }

    fn diagnose_missing_index(&self) -> String {
        let has_v1_layers = self.members.keys().any(|k| k.ends_with("/layer.tar")) && self.members.keys().any(|k| k.ends_with("/json"));
        if has_v1_layers && self.members.contains_key("repositories") {
            return "This archive was written by Docker older than 1.10 (it has `repositories` and per-layer `json` files but no \
                    manifest.json): that format is too old to check. Load it and save it again with a current Docker \
                    (`docker load -i OLD.tar && docker save IMAGE -o image.tar`)."
                .into();
        }
        const ROOTFS: [&str; 9] = ["etc", "usr", "bin", "lib", "var", "sbin", "root", "tmp", ".dockerenv"];
        let rootfs_names = self.top_level.iter().filter(|n| ROOTFS.contains(&n.as_str())).count();
        if rootfs_names >= 2 {
            return "This is a flat root file system (what `docker export` writes, or a single layer), not an image: it has no \
                    manifest, config, user or layers. Save the image instead: `docker save IMAGE -o image.tar`."
                .into();
        }
        "This tar archive has neither manifest.json nor index.json, so it is not an image archive. Give the file written by \
         `docker save IMAGE -o image.tar` (or `podman save`)."
            .into()
    }

    fn facts(&mut self, candidate: Candidate, layout: String, images: Vec<String>, archive_bytes: u64) -> ImageFacts {
        let config_member = candidate.config.member.clone();
        let (config, diff_ids) = match self.json(&config_member) {
            Some(Ok(value)) => image_config(&value),
            Some(Err(message)) => {
                let e = self.error(Some(format!("entry {config_member}")), format!("The image config is not valid JSON: {message}."));
                self.problems.push(e);
                Default::default()
            }
            None => {
                let e = self.error(
                    Some(format!("entry {config_member}")),
                    format!("The manifest names the image config {config_member}, which is not in the archive (or is not JSON)."),
                );
                self.problems.push(e);
                Default::default()
            }
        };
        let mut created_by = config.history.iter().filter(|h| !h.empty_layer).map(|h| h.created_by.clone());

        // Resolve members first, then hand each summary to the merger and drop it after its last
        // use, so the summaries and the merged tree are not both held in full.
        let keys: Vec<Option<String>> = candidate.layers.iter().map(|l| self.resolve(&l.member).map(|(k, _)| k.to_string())).collect();
        let mut uses: HashMap<String, usize> = HashMap::new();
        for key in keys.iter().flatten() {
            *uses.entry(key.clone()).or_default() += 1;
        }
        let mut merger = Merger::default();
        let mut layers = Vec::with_capacity(candidate.layers.len());
        for (index, (layer_ref, key)) in candidate.layers.iter().zip(&keys).enumerate() {
            let index = index as u32;
            let mut facts = LayerFacts {
                index,
                digest: layer_ref.digest.clone().or_else(|| diff_ids.get(index as usize).cloned()),
                compression: "none".into(),
                blob_bytes: 0,
                size_bytes: 0,
                entry_count: 0,
                created_by: created_by.next(),
            };
            let Some(key) = key else {
                let e = self.error(
                    Some(format!("entry {}", layer_ref.member)),
                    format!("The manifest names layer {index} as {}, which is not in the archive.", layer_ref.member),
                );
                self.problems.push(e);
                layers.push(facts);
                continue;
            };
            match self.members.get(key) {
                Some(Member::Layer { summary, blob_bytes, compression, offset }) => {
                    facts.compression = compression.label().into();
                    facts.blob_bytes = *blob_bytes;
                    facts.size_bytes = summary.size_bytes;
                    facts.entry_count = summary.entry_count;
                    merger.apply(summary, index);
                    let notes = self.layer_notes(summary, index, key, *offset);
                    for (fatal_to_layer, e) in notes {
                        if fatal_to_layer {
                            self.problems.push(e);
                        } else {
                            self.warnings.push(e);
                        }
                    }
                }
                Some(Member::Empty) => {}
                Some(Member::Json(_)) | Some(Member::Other { .. }) | Some(Member::Link(_)) | None => {
                    let what = match self.members.get(key) {
                        Some(Member::Json(_)) => "a JSON document",
                        Some(Member::Other { what }) => what,
                        _ => "a link loop",
                    };
                    let e = self.error(
                        Some(format!("entry {key}")),
                        format!("The manifest names {key} as layer {index}, but it is not a layer tar: it is {what}."),
                    );
                    self.problems.push(e);
                }
            }
            layers.push(facts);
            if let Some(count) = uses.get_mut(key) {
                *count -= 1;
                if *count == 0 {
                    self.members.remove(key);
                }
            }
        }
        let merged = merger.finish();
        ImageFacts {
            source: ImageSource {
                file_name: self.file_name.clone(),
                layout,
                reference: candidate.reference.clone(),
                images_in_archive: images,
                archive_bytes,
            },
            config,
            layers,
            files: merged.files,
            uids_seen: merged.uids,
            gids_seen: merged.gids,
            high_id_entries: merged.high_ids,
            high_id_entries_total: merged.high_id_total,
            captured: merged.captured,
        }
    }

    /// Problems inside one layer (true: part of it is missing) and warnings about how it ended.
    fn layer_notes(&self, summary: &LayerSummary, index: u32, key: &str, offset: u64) -> Vec<(bool, InputError)> {
        let mut notes = Vec::new();
        if let Some(problem) = &summary.problem {
            let inner = match &problem.entry {
                Some(path) => format!(", file {path}"),
                None => String::new(),
            };
            let at = Some(format!("{}, offset {} inside the layer{inner}", at_member(key, offset), problem.offset));
            let what = match &problem.error {
                TarError::Header { offset: 0, .. } if summary.entry_count == 0 => "it is not a tar archive".to_string(),
                TarError::Header { problem: HeaderProblem::Checksum { .. }, .. } => "a tar header in it is corrupt (checksum)".into(),
                TarError::Header { problem: HeaderProblem::Number { field }, .. } => format!("a tar header in it has a bad {field} field"),
                TarError::Extension { message, .. } => {
                    format!("an extended tar header in it is corrupt: {message}")
                }
                TarError::Short { .. } => "its tar data ends in the middle of an entry".into(),
                TarError::Read { error: ReadError::Corrupt(what), .. } => format!("its compressed data is corrupt: {what}"),
                TarError::Read { error, .. } => format!("it could not be read ({error:?})"),
            };
            let message = format!(
                "Layer {index} could not be read to the end: {what}. The checks use the {} entries read before that point.",
                summary.entry_count
            );
            notes.push((true, self.error(at, message)));
        }
        if matches!(summary.ending, Some(Ending::NoPadding | Ending::NoEndBlocks)) {
            let message = format!(
                "Layer {index} ends without the tar end-of-archive blocks (umoci 0.4.7 `insert` writes layers so); it was read as \
                 complete. If the image was cut short, files may be missing."
            );
            notes.push((false, self.error(Some(at_member(key, offset)), message)));
        }
        notes
    }
}

fn truncated_message() -> String {
    "The archive ends in the middle of an entry: the file is truncated (an incomplete download or copy). Save or download it again.".into()
}

fn looks_like_json(head: &[u8]) -> bool {
    matches!(head.iter().find(|b| !b.is_ascii_whitespace()), Some(b'{') | Some(b'['))
}

/// A few words on what a file that is not a tar seems to be.
fn describe_content(head: &[u8]) -> String {
    if head.is_empty() {
        return "an empty file".into();
    }
    let text = String::from_utf8_lossy(head);
    if looks_like_json(head) {
        if text.contains("KernelGatewayImageConfig") || text.contains("AppImageConfigName") {
            return "an AppImageConfig JSON document (give it as the AppImageConfig input)".into();
        }
        return "a JSON document".into();
    }
    if head.starts_with(b"PK\x03\x04") {
        return "a zip file".into();
    }
    if head.starts_with(b"\x7fELF") {
        return "an executable program".into();
    }
    let lower = text.to_ascii_lowercase();
    if lower.trim_start().starts_with("<!doctype") || lower.trim_start().starts_with("<html") {
        return "an HTML page (a failed download?)".into();
    }
    let instruction = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#'));
    if let Some(line) = instruction {
        let word = line.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
        if ["FROM", "ARG"].contains(&word.as_str()) {
            return "a Dockerfile (give it as the Dockerfile input; the image archive comes from `docker save`)".into();
        }
    }
    // UTF-8 text (the sniffed head may end inside a multi-byte character) without control bytes.
    let valid = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    };
    if valid && !head.iter().any(|b| b.is_ascii_control() && !b.is_ascii_whitespace()) {
        return "a text file".into();
    }
    "binary data of an unknown kind".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_a_tar_is_described() {
        assert!(describe_content(b"FROM python:3.11\nRUN pip install x\n").contains("Dockerfile"));
        assert!(describe_content(b"# syntax=docker/dockerfile:1\nARG X\nFROM y\n").contains("Dockerfile"));
        assert!(describe_content(b"  {\"AppImageConfigName\": \"x\"}").contains("AppImageConfig"));
        assert!(describe_content(b"PK\x03\x04rest").contains("zip"));
        assert!(describe_content(b"<!DOCTYPE html><html>").contains("HTML"));
        assert_eq!(describe_content(b""), "an empty file");
        assert_eq!(describe_content("# Notes \u{2014} caf\u{e9}\n".as_bytes()), "a text file");
        assert_eq!(describe_content(&"\u{e9}".as_bytes()[..1]), "a text file", "cut inside a character");
        assert_eq!(describe_content(b"\x00\x01\x02binary"), "binary data of an unknown kind");
    }
}
