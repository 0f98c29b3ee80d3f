//! The rule pages: every rule's declaration (ID, name, section, the spec sentence, severity,
//! the profiles it belongs to, its launch stage, the error messages it explains, explanation, fix, Bad and Good examples), generated at build time from `smic_rules::catalog::RULES` by `build.rs`.

use std::sync::OnceLock;

use serde::Deserialize;
use smic_rules::rule::{ExampleKind, SeenIn};
use smic_rules::vocabulary::{InputKind, Stage};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RuleDoc {
    pub id: String,
    pub name: String,
    pub section: String,
    pub severity: String,
    /// The launch stage at which the problem makes Studio fail.
    pub stage: Stage,
    /// The error messages the problem causes, and where they are seen.
    #[serde(default)]
    pub explains: Vec<ExplainedMessage>,
    /// The ids of the Studio apps the rule holds for (`studio-classic`, `jupyterlab`, `code-editor`).
    #[serde(default)]
    pub profiles: Vec<String>,
    /// Every inner list needs one of its inputs.
    pub requires: Vec<Vec<InputKind>>,
    pub spec: String,
    pub summary: String,
    pub explanation: String,
    pub fix: String,
    #[serde(default)]
    pub reads_files: Vec<String>,
    #[serde(default)]
    pub examples: Vec<ExampleDoc>,
}

/// An error message a rule explains (`{name}` marks a variable part).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ExplainedMessage {
    pub text: String,
    pub seen_in: SeenIn,
}

/// An input that fires the rule (`bad`) or does not (`good`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ExampleDoc {
    pub kind: ExampleKind,
    pub image: Option<String>,
    pub dockerfile: Option<String>,
    pub app_image_config: Option<String>,
}

impl ExampleDoc {
    /// Each input of the example with its label.
    pub fn inputs(&self) -> Vec<(&'static str, &str)> {
        [("image description", &self.image), ("Dockerfile", &self.dockerfile), ("AppImageConfig", &self.app_image_config)]
            .into_iter()
            .filter_map(|(label, text)| Some((label, text.as_deref()?)))
            .collect()
    }
}

const CATALOG_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/catalog.json"));

/// Every rule, in the catalog's (the spec's) order.
pub fn rules() -> &'static [RuleDoc] {
    static RULES: OnceLock<Vec<RuleDoc>> = OnceLock::new();
    RULES.get_or_init(|| serde_json::from_str(CATALOG_JSON).unwrap_or_default())
}

pub fn rule(id: &str) -> Option<&'static RuleDoc> {
    rules().iter().find(|r| r.id == id)
}

impl RuleDoc {
    /// "image archive or Dockerfile, and AppImageConfig".
    pub fn needs(&self) -> String {
        self.requires.iter().map(|any| any.iter().map(|i| i.label()).collect::<Vec<_>>().join(" or ")).collect::<Vec<_>>().join(", and ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_rule_has_its_page() {
        assert_eq!(rules().len(), smic_rules::catalog::RULES.len());
        for declared in smic_rules::catalog::RULES {
            let page = rule(declared.id).unwrap_or_else(|| panic!("no page for {}", declared.id));
            assert_eq!(page.explanation, declared.explanation);
            assert_eq!(page.section, declared.section.heading());
            assert!(!page.needs().is_empty());
            assert_eq!(page.profiles.join(", "), declared.profile_ids(), "{}", declared.id);
            assert_eq!(page.examples.len(), declared.examples.len(), "{}", declared.id);
            assert_eq!(page.stage, declared.stage, "{}", declared.id);
            assert_eq!(page.explains.len(), declared.explains.len(), "{}", declared.id);
        }
    }
}
