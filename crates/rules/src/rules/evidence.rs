//! Building blocks for findings shared by many rules: locations for each kind of input, and
//! capped lists of paths.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::context::Context;
use crate::facts::{FileEntry, Span};
use crate::report::{dockerfile_location, Location};
use crate::text::{bytes, plural};

/// At most this many paths are listed as locations of one finding; the message gives the total.
pub const MAX_LOCATIONS: usize = 10;

pub fn dockerfile(ctx: &Context<'_>, span: Span) -> Option<Location> {
    ctx.dockerfile().map(|d| dockerfile_location(d, span))
}

/// The FROM line of the base image whose facts were assumed from the table.
pub fn base_image_from(ctx: &Context<'_>) -> Option<Location> {
    ctx.base_from_span().and_then(|span| dockerfile(ctx, span))
}

pub fn app_image_config(ctx: &Context<'_>, pointer: &str, value: Option<String>) -> Option<Location> {
    ctx.app_image_config().map(|c| Location::app_image_config(&c.file_name, pointer, value))
}

/// The first [`MAX_LOCATIONS`] entries as locations.
pub fn files<'a>(entries: impl IntoIterator<Item = &'a FileEntry>) -> Vec<Location> {
    entries.into_iter().take(MAX_LOCATIONS).map(Location::image_file).collect()
}

/// "3 files (12.0 MB)" for a set of entries.
pub fn count_and_size(entries: &[&FileEntry]) -> String {
    let total: u64 = entries.iter().map(|e| e.size).sum();
    format!("{} ({})", plural(entries.len(), "file", "files"), bytes(total))
}

/// `["a", "b c"]` → `a "b c"`: words as a user would type them.
pub fn command_line(words: &[String]) -> String {
    let quoted: Vec<String> =
        words.iter().map(|w| if w.is_empty() || w.contains(char::is_whitespace) { format!("{w:?}") } else { w.clone() }).collect();
    quoted.join(" ")
}
