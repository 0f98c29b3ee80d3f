//! The page of sm-image-check.
//!
//! Contract: two WebAssembly programs built from this crate by Trunk. `app` (the main thread)
//! only renders: it recognises dropped files by their first bytes, keeps the user's inputs and
//! shows reports; it never inspects an image. `worker` (a dedicated web worker) runs the same
//! engine as the CLI on the inputs the app posts to it, reading a dropped archive in slices
//! fetched ahead asynchronously (`prefetch`), and posts back progress and reports — the report's JSON is
//! `Report::to_json`, the Markdown and SARIF exports are the rule core's renderers, so the page's
//! downloads are byte for byte what the CLI prints; the app reads that JSON back into the same
//! `smic_rules::Report` to render it. Nothing is sent anywhere: the page makes no request after
//! it has loaded.
//!
//! The modules without a browser in them (`protocol`, `prefetch`, `catalog`, `display`,
//! `build_args`) are plain Rust and tested natively.

pub mod build_args;
pub mod catalog;
pub mod display;
pub mod prefetch;
pub mod protocol;

pub mod app;
pub mod js_error;
pub mod panic_report;
pub mod worker;
