//! Spec section "Image size": limited to 25 GB, as `docker image ls` reports it.

pub mod caches_in_image;
pub mod image_near_size_limit;
pub mod image_too_large;

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use crate::facts::{FileKind, ImageFacts, LayerFacts};
use crate::report::Location;

/// Spec: "Limited to 25 GB." — decimal, as `docker image ls` prints sizes.
pub const SIZE_LIMIT_BYTES: u64 = 25_000_000_000;
/// Warn above 80 % of the limit.
pub const SIZE_WARNING_BYTES: u64 = SIZE_LIMIT_BYTES / 5 * 4;

pub(crate) const SPEC_SIZE: &str = "Limited to 25 GB. To view the size of your image, run docker image ls.";

/// Total file bytes and file count of every directory down to `max_depth` levels.
pub(crate) fn directory_sizes(image: &ImageFacts, max_depth: usize) -> BTreeMap<String, (u64, u64)> {
    let mut sizes: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    // The sums of the last file's directories, one per depth, added to `sizes` when a file of
    // another directory comes: the files of a directory mostly come together, so the map is
    // looked up once per run of them instead of once per file and depth.
    let mut runs: Vec<(&str, u64, u64)> = Vec::new();
    for entry in image.files.iter().filter(|e| e.kind == FileKind::Regular) {
        let mut end = 0;
        for depth in 0..max_depth {
            let Some(next) = entry.path[end + 1..].find('/') else {
                break;
            };
            end += 1 + next;
            let directory = &entry.path[..end];
            match runs.get_mut(depth) {
                Some(run) if run.0 == directory => {
                    run.1 += entry.size;
                    run.2 += 1;
                }
                Some(run) => add_run(&mut sizes, core::mem::replace(run, (directory, entry.size, 1))),
                None => runs.push((directory, entry.size, 1)),
            }
        }
    }
    runs.into_iter().for_each(|run| add_run(&mut sizes, run));
    sizes
}

fn add_run(sizes: &mut BTreeMap<String, (u64, u64)>, (directory, bytes, files): (&str, u64, u64)) {
    // Looked up by `&str` first: a key is allocated once per directory.
    let slot = match sizes.get_mut(directory) {
        Some(slot) => slot,
        None => sizes.entry(String::from(directory)).or_insert((0, 0)),
    };
    slot.0 += bytes;
    slot.1 += files;
}

/// The largest layers and the largest directories (depth 3) as evidence.
pub(crate) fn largest(image: &ImageFacts) -> Vec<Location> {
    let mut layers: Vec<&LayerFacts> = image.layers.iter().collect();
    layers.sort_by_key(|l| core::cmp::Reverse(l.size_bytes));
    let mut out: Vec<Location> = layers
        .iter()
        .take(3)
        .map(|l| Location::ImageLayer {
            layer: l.index,
            digest: l.digest.clone(),
            size_bytes: l.size_bytes,
            created_by: l.created_by.clone(),
        })
        .collect();
    let sizes = directory_sizes(image, 3);
    let mut dirs: Vec<(&String, &(u64, u64))> = sizes.iter().filter(|(p, _)| p.matches('/').count() == 3).collect();
    dirs.sort_by_key(|d| core::cmp::Reverse(d.1 .0));
    out.extend(dirs.iter().take(5).map(|(p, (bytes, files))| Location::ImageTree { path: (*p).clone(), bytes: *bytes, files: *files }));
    out
}

#[cfg(test)]
mod tests {
    use alloc::vec::Vec;

    use crate::testkit::*;

    #[test]
    fn directory_sizes_add_up_files_that_come_in_any_order() {
        let image = ImageBuilder::good()
            .file("/a/b/one", 1)
            .file("/a/c/two", 2)
            .file("/a/b/three", 4)
            .file("/top", 8)
            .file("/a/b/d/e/four", 16)
            .file("/x/five", 32)
            .file("/a/b/six", 64)
            .build();
        let sizes = super::directory_sizes(&image, 2);
        let got: Vec<(&str, (u64, u64))> =
            sizes.iter().map(|(p, s)| (p.as_str(), *s)).filter(|(p, _)| p.starts_with("/a") || p.starts_with("/x")).collect();
        assert_eq!(got, [("/a", (87, 5)), ("/a/b", (85, 4)), ("/a/c", (2, 1)), ("/x", (32, 1))]);
    }
}
