//! Renderers: the report as text, Markdown and SARIF (JSON is `Report::to_json`), and the rule
//! catalog as text, JSON and the README's Markdown table. All are pure functions of the report or
//! the catalog, so the CLI and the page print the same bytes.

pub mod catalog;
pub mod markdown;
pub mod sarif;
pub mod text;
