//! The check engine: the one function the CLI and the page's worker both call. It takes the
//! user's inputs as bytes (or, for the image archive, a byte source it streams), hands each to
//! its reader, and runs the rule core over the facts. Unreadable input becomes an
//! [`InputError`]; everything that can still be checked is checked.

pub mod classify;
pub mod demo;

pub use classify::{classify, InputKind, SNIFF_BYTES};

use smic_rules::facts::Facts;
use smic_rules::{InputError, Options, Report};

/// A small input the user gave: its name (path on the CLI, file name in the page) and bytes.
#[derive(Debug, Clone, Copy)]
pub struct NamedBytes<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// Everything one check needs.
#[derive(Debug, Clone, Default)]
pub struct Request<'a> {
    pub app_image_config: Option<NamedBytes<'a>>,
    pub options: Options,
}

/// Runs every reader and the rules.
pub fn check(request: &Request<'_>) -> Report {
    let mut facts = Facts::default();
    let mut errors: Vec<InputError> = Vec::new();
    if let Some(config) = request.app_image_config {
        match smic_rules::app_image_config::parse(config.name, config.bytes) {
            Ok(f) => facts.app_image_config = Some(f),
            Err(e) => errors.push(e),
        }
    }
    smic_rules::check(&facts, errors, &request.options)
}
