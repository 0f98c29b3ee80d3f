//! Spec section "File system": `/opt/.sagemakerinternal` and `/opt/ml` are reserved, and in the
//! new Studio `/var/log/studio` too. How content under a reserved directory is found, in the
//! image and in the Dockerfile, lives here once for both rules.

pub mod reserved_path_used;
pub mod studio_log_dir_used;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::context::Context;
use crate::facts::fs::is_within;
use crate::facts::FileEntry;
use crate::report::Findings;
use crate::rules::evidence;
use crate::text::and_list;

/// Spec: the reserved directories.
pub(crate) const RESERVED_DIRS: [&str; 2] = ["/opt/.sagemakerinternal", "/opt/ml"];

/// How a rule words content found under a reserved directory.
pub(crate) struct Wording {
    /// (count and size, directory, layers as words) → message for files the image ships.
    pub shipped: fn(&str, &str, &str) -> String,
    /// (instruction, path, directory) → message for a path the Dockerfile writes.
    pub written: fn(&str, &str, &str) -> String,
}

/// Reports the files the image ships under each of `dirs`, and the paths the final stage writes
/// there. Directories alone are no content (Studio's own images create some of these empty), and
/// `except` is a path another rule owns.
pub(crate) fn report_content(ctx: &Context<'_>, out: &mut Findings, dirs: &[&str], except: Option<&str>, wording: &Wording) {
    let owned_elsewhere = |path: &str| except == Some(path);
    if let Some(model) = &ctx.image {
        for dir in dirs {
            let shipped: Vec<&FileEntry> =
                model.facts.files.under(dir).iter().filter(|e| !e.is_dir() && !owned_elsewhere(&e.path)).collect();
            if shipped.is_empty() {
                continue;
            }
            let mut layers: Vec<u32> = shipped.iter().map(|e| e.layer).collect();
            layers.sort_unstable();
            layers.dedup();
            let layers: Vec<String> = layers.iter().map(|l| format!("{l}")).collect();
            out.report((wording.shipped)(&evidence::count_and_size(&shipped), dir, &and_list(&layers)))
                .at_all(evidence::files(shipped.iter().copied()));
        }
    }
    if let Some(stage) = ctx.stage() {
        for write in &stage.writes {
            let Some(dir) = dirs.iter().find(|d| is_within(&write.path, d)) else {
                continue;
            };
            if owned_elsewhere(&write.path) || write.path == *dir {
                continue; // only the (empty) directory
            }
            out.report((wording.written)(write.via.label(), &write.path, dir)).at_all(evidence::dockerfile(ctx, write.span));
        }
    }
}
