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
    for entry in image.files.iter().filter(|e| e.kind == FileKind::Regular) {
        let mut end = 0;
        for _ in 0..max_depth {
            let Some(next) = entry.path[end + 1..].find('/') else {
                break;
            };
            end += 1 + next;
            let slot = sizes.entry(String::from(&entry.path[..end])).or_insert((0, 0));
            slot.0 += entry.size;
            slot.1 += 1;
        }
    }
    sizes
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
