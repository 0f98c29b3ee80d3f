//! Renderers: the report as text, Markdown and SARIF (JSON is `Report::to_json`).
