//! The report as the page reads it: the documented JSON contract (README, "The JSON report"),
//! deserialised into owned values. The worker sends `Report::to_json`; the page renders from this
//! and offers the very same text as the JSON download. Unknown fields are ignored and missing
//! optional ones default, so a newer engine never breaks the page.

use serde::Deserialize;

use smic_rules::{Section, Severity};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReportView {
    pub verdict: String,
    pub headline: String,
    #[serde(default)]
    pub inputs: InputsView,
    pub image: Option<ImageView>,
    #[serde(default)]
    pub findings: Vec<FindingView>,
    #[serde(default)]
    pub rules: Vec<RuleOutcomeView>,
    #[serde(default)]
    pub suppressed: Vec<SuppressedView>,
    #[serde(default)]
    pub input_errors: Vec<InputErrorView>,
    pub summary: SummaryView,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct InputsView {
    pub image: Option<ImageInputView>,
    pub dockerfile: Option<NamedView>,
    pub app_image_config: Option<NamedView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ImageInputView {
    pub name: String,
    #[serde(default)]
    pub layout: String,
    pub reference: Option<String>,
    #[serde(default)]
    pub images_in_archive: Vec<String>,
    #[serde(default)]
    pub archive_bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NamedView {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ImageView {
    #[serde(default)]
    pub os: String,
    #[serde(default)]
    pub architecture: String,
    #[serde(default)]
    pub user: String,
    pub user_name: Option<String>,
    pub uid: Option<u64>,
    pub gid: Option<u64>,
    pub size_bytes: u64,
    pub size_limit_bytes: u64,
    #[serde(default)]
    pub file_count: u64,
    #[serde(default)]
    pub layers: Vec<LayerView>,
    #[serde(default)]
    pub kernels: Vec<KernelView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LayerView {
    pub index: u32,
    pub digest: Option<String>,
    #[serde(default)]
    pub compression: String,
    #[serde(default)]
    pub blob_bytes: u64,
    #[serde(default)]
    pub size_bytes: u64,
    #[serde(default)]
    pub entry_count: u64,
    pub created_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct KernelView {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub display_name: Option<String>,
    pub language: Option<String>,
    #[serde(default)]
    pub path: String,
    #[serde(default)]
    pub layer: u32,
    #[serde(default)]
    pub found_via: String,
    #[serde(default)]
    pub hidden_by_mount: bool,
    #[serde(default)]
    pub argv: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FindingView {
    pub rule: String,
    pub name: String,
    pub severity: String,
    pub section: String,
    pub message: String,
    #[serde(default)]
    pub fix: String,
    #[serde(default)]
    pub locations: Vec<LocationView>,
}

/// Where a finding was observed; `kind` selects the variant as in the JSON.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum LocationView {
    Dockerfile {
        file: String,
        line: u32,
        end_line: u32,
        text: String,
    },
    ImageFile {
        path: String,
        layer: u32,
        file_type: String,
        size: u64,
        mode: String,
        uid: u64,
        gid: u64,
        link_target: Option<String>,
    },
    ImageConfig {
        field: String,
        value: String,
    },
    ImageTree {
        path: String,
        bytes: u64,
        files: u64,
    },
    ImageLayer {
        layer: u32,
        digest: Option<String>,
        size_bytes: u64,
        created_by: Option<String>,
    },
    AppImageConfig {
        file: String,
        pointer: String,
        value: Option<String>,
    },
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RuleOutcomeView {
    pub id: String,
    pub name: String,
    pub section: String,
    pub status: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SuppressedView {
    pub rule: String,
    pub name: String,
    pub reason: String,
    pub comment_line: u32,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct InputErrorView {
    pub input: String,
    pub file: String,
    pub at: Option<String>,
    pub message: String,
    pub fatal: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct SummaryView {
    pub errors: u32,
    pub warnings: u32,
    pub infos: u32,
    #[serde(default)]
    pub suppressed: u32,
    pub rules_passed: u32,
    pub rules_failed: u32,
    pub rules_not_checked: u32,
}

impl ReportView {
    pub fn parse(json: &str) -> Result<ReportView, String> {
        serde_json::from_str(json).map_err(|e| format!("the worker's report is not the expected JSON: {e}"))
    }

    pub fn passed(&self) -> bool {
        self.verdict == "pass"
    }

    /// The findings of each section of the spec, in the spec's order; sections without findings
    /// are left out.
    pub fn findings_by_section(&self) -> Vec<(Section, Vec<&FindingView>)> {
        Section::ALL
            .iter()
            .map(|s| (*s, self.findings.iter().filter(|f| f.section == s.heading()).collect::<Vec<_>>()))
            .filter(|(_, found)| !found.is_empty())
            .collect()
    }

    /// The rules that did not fail, each section in the spec's order.
    pub fn unfailed_rules_by_section(&self) -> Vec<(Section, Vec<&RuleOutcomeView>)> {
        Section::ALL
            .iter()
            .map(|s| (*s, self.rules.iter().filter(|r| r.section == s.heading() && r.status != "failed").collect::<Vec<_>>()))
            .filter(|(_, rules)| !rules.is_empty())
            .collect()
    }
}

impl FindingView {
    pub fn severity(&self) -> Severity {
        Severity::parse(&self.severity).unwrap_or(Severity::Info)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use smic_engine::{NamedBytes, Request};

    fn report_of_config(config: &str) -> (smic_rules::Report, ReportView) {
        let request = Request {
            app_image_config: Some(NamedBytes { name: "app-image-config.json", bytes: config.as_bytes() }),
            ..Request::default()
        };
        let report = smic_engine::check(&request);
        let view = ReportView::parse(&report.to_json()).unwrap_or_else(|e| panic!("{e}"));
        (report, view)
    }

    #[test]
    fn the_engines_json_reads_back_with_every_finding_and_rule() {
        let (report, view) =
            report_of_config(r#"{"AppImageConfigName": "<name>", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "Python3"}]}}"#);
        assert!(!view.passed());
        assert_eq!(view.findings.len(), report.findings.len());
        assert_eq!(view.rules.len(), report.rules.len());
        assert!(view.findings.iter().flat_map(|f| &f.locations).all(|l| *l != LocationView::Unknown));
        assert!(view.findings.iter().any(|f| f.rule == "RUN008"));
    }

    #[test]
    fn sections_come_in_the_specs_order_and_passed_rules_are_kept_apart() {
        let (_, view) = report_of_config(
            r#"{"AppImageConfigName": "ok", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "Python3"}], "FileSystemConfig": {"DefaultUid": 5}}}"#,
        );
        let order: Vec<Section> = view.findings_by_section().iter().map(|(s, _)| *s).collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
        let unfailed: usize = view.unfailed_rules_by_section().iter().map(|(_, r)| r.len()).sum();
        assert_eq!(unfailed as u32, view.summary.rules_passed + view.summary.rules_not_checked);
    }
}
