//! The report on screen.

use crate::protocol::{ReportMessage, Stage};
use crate::report_view::ReportView;

/// The report on screen, with the exports made by the worker.
#[derive(Debug, Clone, PartialEq)]
pub struct ShownReport {
    pub job: u32,
    pub stage: Stage,
    pub view: ReportView,
    pub json: String,
    pub markdown: String,
    pub sarif: String,
    pub elapsed_ms: f64,
}

impl ShownReport {
    /// The worker's report message as the page shows it; `Err` when its JSON cannot be read (a bug).
    pub fn of(message: ReportMessage) -> Result<ShownReport, String> {
        let view = ReportView::parse(&message.json)?;
        Ok(ShownReport {
            job: message.job,
            stage: message.stage,
            view,
            json: message.json,
            markdown: message.markdown,
            sarif: message.sarif,
            elapsed_ms: message.elapsed_ms,
        })
    }
}
