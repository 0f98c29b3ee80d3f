//! The logic, without I/O: what the walk found ([`ArchiveContents`]) and the user's choice of
//! image become the inspection — the images in the archive, the chosen one, its layout, its facts
//! (layers merged in manifest order) and every problem, in the order users read them. A pure
//! function: tested from plain values, no tar bytes needed.

use std::collections::HashMap;

use smic_rules::facts::{ImageFacts, ImageSource, LayerFacts};
use smic_rules::InputError;

use crate::contents::{ArchiveContents, Member, WalkEnd};
use crate::error::{ArchiveError, Location, Problem};
use crate::layer::{LayerSummary, Odd, ODD_KEEP};
use crate::layout::{layout, missing_index, prefix};
use crate::manifest::{blob_path, candidate_matches, docker_candidates, image_config, oci_candidates, Candidate, IndexProblem};
use crate::merge::{DanglingLinks, Merger};
use crate::sniff::Compression;
use crate::tar::{Ending, TarError};
use crate::walk::MAX_JSON_BYTES;

/// The inspection but for the byte counts, which only the reading knows.
#[derive(Debug)]
pub(crate) struct Outcome {
    pub facts: Option<ImageFacts>,
    pub errors: Vec<InputError>,
    pub images: Vec<String>,
}

/// Problems (part of the image could not be read) and warnings (it was, with a doubt).
#[derive(Default)]
struct Notes {
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
    /// Odd entries listed so far in the image, and those counted but not listed.
    odd_listed: usize,
    odd_more: u64,
}

impl Notes {
    fn problem(&mut self, error: ArchiveError, at: Option<Location>) {
        self.problems.push(Problem::new(error, at));
    }

    fn warning(&mut self, error: ArchiveError, at: Option<Location>) {
        self.warnings.push(Problem::new(error, at));
    }

    /// An entry `docker load` would refuse: listed while fewer than [`ODD_KEEP`] were, then
    /// counted. One left out of the facts is a problem, one kept a warning.
    fn odd(&mut self, error: ArchiveError, at: Location) {
        if self.odd_listed == ODD_KEEP {
            self.odd_more += 1;
            return;
        }
        self.odd_listed += 1;
        match error {
            ArchiveError::PathTooLong { .. } => self.problem(error, Some(at)),
            _ => self.warning(error, Some(at)),
        }
    }
}

/// Turns what the walk found into the inspection. `image_ref` picks the image (`None`: the
/// first); `file_name` is used in messages and in the facts.
pub(crate) fn assemble(mut contents: ArchiveContents, image_ref: Option<&str>, file_name: &str) -> Outcome {
    let mut notes = Notes::default();
    let complete = walk_notes(&contents, file_name, &mut notes);
    let (facts, images) = match complete {
        true if !contents.cancelled => build(&mut contents, image_ref, file_name, &mut notes),
        _ => (None, Vec::new()),
    };
    if contents.cancelled {
        notes.problem(ArchiveError::CancelledBeforeEnd, None);
    }
    let mut errors: Vec<InputError> = notes.problems.iter().map(|p| p.input_error(file_name)).collect();
    if facts.is_none() {
        for e in &mut errors {
            e.fatal = true;
        }
        if errors.is_empty() {
            let mut e = Problem::new(ArchiveError::NoImage, None).input_error(file_name);
            e.fatal = true;
            errors.push(e);
        }
    }
    errors.extend(notes.warnings.iter().map(|p| p.input_error(file_name)));
    Outcome { facts, errors, images }
}

/// Notes on how the walk ended; `true` when the archive was read far enough to look for images.
fn walk_notes(contents: &ArchiveContents, file_name: &str, notes: &mut Notes) -> bool {
    let after = contents.last_member.clone();
    let outer = |offset: u64| Location::Outer { offset, decompressed: contents.compression != Compression::None, after: after.clone() };
    match &contents.end {
        WalkEnd::Complete { ending, damaged_compression } => {
            if *ending != Some(Ending::EndBlocks) && !contents.has_index_member() {
                let after = contents.last_member.as_ref().map(|(name, _)| name.clone());
                notes.warning(ArchiveError::MissingEndMarker { after }, None);
            }
            if let Some((error, offset)) = damaged_compression {
                notes.problem(ArchiveError::Read(error.clone()), Some(outer(*offset)));
            }
            return true;
        }
        WalkEnd::Empty => notes.problem(ArchiveError::Empty, Some(Location::Start)),
        WalkEnd::Unsupported(compression) => notes.problem(
            ArchiveError::UnsupportedCompression { compression: *compression, file_name: file_name.to_string() },
            Some(Location::Start),
        ),
        WalkEnd::Read { error, member } => {
            let at = member.as_ref().map(|(name, offset)| Location::Member { name: name.clone(), offset: *offset });
            notes.problem(ArchiveError::Read(error.clone()), at);
        }
        // A file shorter than one tar block is not a tar either.
        WalkEnd::Tar { error: TarError::Header { offset: 0, .. } | TarError::Short { offset: 0 }, head } if contents.member_count == 0 => {
            notes.problem(ArchiveError::NotAnArchive(*head), Some(Location::Start));
        }
        WalkEnd::Tar { error, .. } => notes.problem(ArchiveError::OuterTar(error.clone()), Some(outer(error.offset()))),
    }
    false
}

/// Finds the images, picks one, merges its layers.
fn build(contents: &mut ArchiveContents, image_ref: Option<&str>, file_name: &str, notes: &mut Notes) -> (Option<ImageFacts>, Vec<String>) {
    let has_manifest = matches!(contents.resolve("manifest.json"), Some((_, Member::Json(_))));
    let has_index = matches!(contents.resolve("index.json"), Some((_, Member::Json(_))));
    let mut candidates = Vec::new();
    if has_manifest {
        match contents.json("manifest.json") {
            Some(Ok(value)) => match docker_candidates(&value) {
                Ok(c) => candidates = c,
                Err(why) => notes.problem(ArchiveError::ManifestUnusable(why), Some(Location::Entry("manifest.json".into()))),
            },
            Some(Err(why)) => notes.problem(ArchiveError::ManifestNotJson(why), Some(Location::Entry("manifest.json".into()))),
            None => {}
        }
    }
    // Docker 25 saving an untagged image wrote `"manifests": null` in index.json but a good
    // manifest.json: index.json is the fallback, not the first choice.
    if candidates.is_empty() && has_index {
        match contents.json("index.json") {
            Some(Ok(index)) => {
                let mut index_problems: Vec<IndexProblem> = Vec::new();
                let blob = |digest: &str| blob_path(digest).and_then(|p| contents.json(&p)).and_then(Result::ok);
                candidates = oci_candidates(&index, &blob, &mut index_problems);
                for p in index_problems {
                    notes.warning(ArchiveError::Index(p.message), Some(Location::Entry(p.member)));
                }
            }
            Some(Err(why)) => notes.problem(ArchiveError::IndexNotJson(why), Some(Location::Entry("index.json".into()))),
            None => {}
        }
    }
    if !has_manifest && !has_index {
        notes.problem(missing_index(contents), None);
        return (None, Vec::new());
    }
    let images: Vec<String> = candidates.iter().map(|c| c.display.clone()).collect();
    if candidates.is_empty() {
        if notes.problems.is_empty() {
            notes.problem(ArchiveError::NoImageListed, None);
        }
        return (None, images);
    }
    let chosen = match image_ref {
        None => 0,
        Some(wanted) => match candidates.iter().position(|c| candidate_matches(c, wanted)) {
            Some(i) => i,
            None => {
                notes.problem(ArchiveError::NoSuchImage { wanted: wanted.to_string(), images: images.clone() }, None);
                return (None, images);
            }
        },
    };
    let layout = format!("{}{}", prefix(contents.compression), layout(contents, has_manifest, has_index, &candidates));
    let candidate = candidates.swap_remove(chosen);
    let source = ImageSource {
        file_name: file_name.to_string(),
        layout,
        reference: candidate.reference.clone(),
        images_in_archive: images.clone(),
        archive_bytes: contents.archive_bytes,
    };
    (Some(facts(contents, candidate, source, notes)), images)
}

fn facts(contents: &mut ArchiveContents, candidate: Candidate, source: ImageSource, notes: &mut Notes) -> ImageFacts {
    let config_member = candidate.config.member.clone();
    let config_at = || Some(Location::Entry(config_member.clone()));
    let (config, diff_ids) = match contents.json(&config_member) {
        Some(Ok(value)) => image_config(&value),
        Some(Err(why)) => {
            notes.problem(ArchiveError::ConfigNotJson(why), config_at());
            Default::default()
        }
        None => {
            let error = match contents.resolve(&config_member) {
                Some((_, Member::LargeJson { bytes })) => {
                    ArchiveError::ConfigTooLarge { member: config_member.clone(), bytes: *bytes, limit: MAX_JSON_BYTES }
                }
                _ => ArchiveError::ConfigMissing { member: config_member.clone() },
            };
            notes.problem(error, config_at());
            Default::default()
        }
    };
    let mut created_by = config.history.iter().filter(|h| !h.empty_layer).map(|h| h.created_by.clone());

    // Resolve members first, then hand each summary to the merger and drop it after its last
    // use, so the summaries and the merged tree are not both held in full.
    let keys: Vec<Option<String>> = candidate.layers.iter().map(|l| contents.resolve(&l.member).map(|(k, _)| k.to_string())).collect();
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
            let member = layer_ref.member.clone();
            notes.problem(ArchiveError::LayerMissing { index, member: member.clone() }, Some(Location::Entry(member)));
            layers.push(facts);
            continue;
        };
        match contents.members.get(key) {
            Some(Member::Layer { summary, blob_bytes, compression, offset }) => {
                facts.compression = compression.label().into();
                facts.blob_bytes = *blob_bytes;
                facts.size_bytes = summary.size_bytes;
                facts.entry_count = summary.entry_count;
                let dangling = merger.apply(summary, index);
                layer_notes(summary, index, key, *offset, notes);
                odd_notes(summary, &dangling, index, key, *offset, notes);
            }
            Some(Member::Empty) => {}
            other => {
                let what = match other {
                    Some(Member::Json(_)) => "a JSON document",
                    Some(Member::LargeJson { .. }) => "a JSON document too large to be a config",
                    Some(Member::Other { what }) => what,
                    _ => "a link loop",
                };
                notes.problem(ArchiveError::NotALayer { member: key.clone(), index, what }, Some(Location::Entry(key.clone())));
            }
        }
        layers.push(facts);
        if let Some(count) = uses.get_mut(key) {
            *count -= 1;
            if *count == 0 {
                contents.members.remove(key);
            }
        }
    }
    if notes.odd_more > 0 {
        notes.warning(ArchiveError::MoreOddEntries { count: notes.odd_more }, None);
    }
    let merged = merger.finish();
    ImageFacts {
        source,
        image_config: config,
        layers,
        files: merged.files,
        uids_seen: merged.uids,
        gids_seen: merged.gids,
        high_id_entries: merged.high_ids,
        high_id_entries_total: merged.high_id_total,
        captured: merged.captured,
    }
}

/// A layer that stopped early (a problem: part of it is missing) or ended without end blocks (a
/// warning).
fn layer_notes(summary: &LayerSummary, index: u32, key: &str, offset: u64, notes: &mut Notes) {
    if let Some(problem) = &summary.problem {
        let at = Location::InLayer { name: key.to_string(), offset, inner: problem.offset, file: problem.entry.clone() };
        notes.problem(ArchiveError::LayerCut { index, error: problem.error.clone(), entries: summary.entry_count }, Some(at));
    }
    if matches!(summary.ending, Some(Ending::NoPadding | Ending::NoEndBlocks)) {
        notes.warning(ArchiveError::LayerWithoutEnd { index }, Some(Location::Member { name: key.to_string(), offset }));
    }
}

/// The layer's entries that `docker load` would refuse or Linux cannot hold.
fn odd_notes(summary: &LayerSummary, dangling: &DanglingLinks, index: u32, key: &str, offset: u64, notes: &mut Notes) {
    for odd in &summary.odd {
        let path = odd.path.clone();
        let at = Location::InLayer { name: key.to_string(), offset, inner: odd.offset, file: Some(path.clone()) };
        let error = match &odd.odd {
            Odd::TooLong(bytes) => ArchiveError::PathTooLong { index, path, bytes: *bytes },
            Odd::Escapes(name) => ArchiveError::PathEscapes { index, name: name.clone(), path },
            Odd::LinkEscapes(target) => ArchiveError::LinkEscapes { index, path, target: target.clone() },
        };
        notes.odd(error, at);
    }
    for (path, target) in &dangling.first {
        let error = ArchiveError::HardLinkNowhere { index, path: path.clone(), target: target.clone() };
        notes.odd(error, Location::Member { name: key.to_string(), offset });
    }
    let unlisted = |total: u64, listed: usize| total.saturating_sub(listed as u64);
    notes.odd_more += unlisted(summary.odd_total, summary.odd.len()) + unlisted(dangling.total, dangling.first.len());
}

#[cfg(test)]
mod tests;
