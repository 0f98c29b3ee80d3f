//! The report on screen: the worker's JSON read back into the rule core's own [`Report`] (the page
//! and the worker are built together, so the types are the same on both sides), kept beside the
//! very text the worker sent, which is what the JSON download offers.

use std::rc::Rc;

use smic_rules::suggest::Suggestion;
use smic_rules::Report;

use crate::protocol::{ReportMessage, Stage};

/// The report on screen, with the exports made by the worker.
#[derive(Debug, Clone, PartialEq)]
pub struct ShownReport {
    pub job: u32,
    pub stage: Stage,
    /// Shared with the components, so a render clones a pointer, not the report.
    pub report: Rc<Report>,
    pub json: String,
    pub markdown: String,
    pub sarif: String,
    /// The suggested AppImageConfig (none in a message without one).
    pub suggestion: Option<Rc<Suggestion>>,
    pub elapsed_ms: f64,
}

impl ShownReport {
    /// The worker's report message as the page shows it; `Err` when its JSON cannot be read (a bug).
    pub fn of(message: ReportMessage) -> Result<ShownReport, String> {
        let report = serde_json::from_str::<Report>(&message.json)
            .map_err(|e| format!("the worker's report is not the JSON this page reads: {e}"))?;
        let suggestion = match message.suggestion.as_str() {
            "" => None,
            text => Some(Rc::new(
                serde_json::from_str::<Suggestion>(text)
                    .map_err(|e| format!("the worker's suggested AppImageConfig is not the JSON this page reads: {e}"))?,
            )),
        };
        Ok(ShownReport {
            job: message.job,
            stage: message.stage,
            report: Rc::new(report),
            json: message.json,
            markdown: message.markdown,
            sarif: message.sarif,
            suggestion,
            elapsed_ms: message.elapsed_ms,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use smic_engine::{NamedBytes, Request};

    fn message(json: String) -> ReportMessage {
        ReportMessage {
            job: 1,
            stage: Stage::Final,
            json,
            markdown: String::new(),
            sarif: String::new(),
            suggestion: String::new(),
            elapsed_ms: 1.0,
            worker_memory_bytes: 0,
        }
    }

    #[test]
    fn the_engines_json_reads_back_as_the_same_report_and_the_download_is_its_text() {
        let config = r#"{"AppImageConfigName": "<name>", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "Python3"}]}}"#;
        let request = Request {
            app_image_config: Some(NamedBytes { name: "app-image-config.json", bytes: config.as_bytes() }),
            ..Request::default()
        };
        let report = smic_engine::check(&request);
        let json = report.to_json();
        let shown = ShownReport::of(message(json.clone())).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(*shown.report, report);
        assert_eq!(shown.json, json);
        assert!(shown.report.findings.iter().any(|f| f.rule == "RUN008"));
    }

    #[test]
    fn the_suggestion_reads_back_and_shows_the_engines_json() {
        let config = r#"{"AppImageConfigName": "mine", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "Python3"}]}}"#;
        let request = Request {
            app_image_config: Some(NamedBytes { name: "app-image-config.json", bytes: config.as_bytes() }),
            ..Request::default()
        };
        let (report, suggestion) = smic_engine::suggest(&request, None);
        let mut sent = message(report.to_json());
        sent.suggestion = serde_json::to_string(&suggestion).unwrap();
        let shown = ShownReport::of(sent).unwrap_or_else(|e| panic!("{e}"));
        let shown = shown.suggestion.expect("a suggestion");
        assert_eq!(shown.to_json(), suggestion.to_json());
        assert!(shown.changes.as_ref().is_some_and(|c| c.iter().any(|c| c.pointer == "/KernelGatewayImageConfig/KernelSpecs/0/Name")));
        let mut broken = message(report.to_json());
        broken.suggestion = String::from("{");
        assert!(ShownReport::of(broken).is_err_and(|e| e.starts_with("the worker's suggested AppImageConfig is not the JSON")));
    }

    #[test]
    fn a_json_that_does_not_read_is_a_message_not_a_panic() {
        for json in ["", "{", r#"{"verdict": "pass"}"#, "[1, 2]"] {
            let error = ShownReport::of(message(json.into())).err();
            assert!(
                error.as_ref().is_some_and(|e| e.starts_with("the worker's report is not the JSON this page reads: ")),
                "{json:?}: {error:?}"
            );
        }
    }
}
