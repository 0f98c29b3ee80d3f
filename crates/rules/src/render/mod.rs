//! Renderers: the report as text, Markdown and SARIF (JSON is `Report::to_json`), and the rule
//! catalog as text, JSON and the README's Markdown table, and the report's JSON Schema with the
//! README's field table generated from it. All are pure functions of the report, the catalog or
//! the schema, so the CLI and the page print the same bytes.

pub mod catalog;
pub mod explain;
pub mod markdown;
pub mod sarif;
pub mod schema;
pub mod text;
