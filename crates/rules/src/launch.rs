//! "Will it start?" by launch stage: Studio registers the AppImageConfig, pulls the image, starts
//! the container, then the app's server, then finds and starts kernels, and a launch fails at the
//! first stage with a blocking problem. Each rule declares its [`Stage`]; this module turns what
//! became of the rules into one verdict per stage of the profile, in order, the stages after the
//! first failing one "not reached".

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::vocabulary::{Profile, Severity, Stage};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StageVerdict {
    /// Checked, and nothing at this stage stops the launch.
    Pass,
    /// A warning at this stage: the launch may go through, but look.
    Warn,
    /// An error at this stage: Studio fails here.
    Fail,
    /// An earlier stage fails, so Studio never gets here.
    NotReached,
    /// The inputs lack what this stage's blocking rules need.
    NotChecked,
}

impl StageVerdict {
    pub const fn label(self) -> &'static str {
        match self {
            StageVerdict::Pass => "pass",
            StageVerdict::Warn => "warn",
            StageVerdict::Fail => "fail",
            StageVerdict::NotReached => "not reached",
            StageVerdict::NotChecked => "not checked",
        }
    }
}

/// One stage of the launch and how the image fares there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageOutcome {
    pub id: Stage,
    /// The stage in words for the checked app ("KernelGateway start").
    pub label: String,
    pub verdict: StageVerdict,
    /// IDs of the rules with findings at this stage, in catalog order.
    pub rules: Vec<String>,
    /// IDs of this stage's rules that could not run for missing inputs.
    pub not_checked: Vec<String>,
}

/// What became of one rule, as far as its stage is concerned.
#[derive(Debug, Clone, Copy)]
pub struct RuleAtStage<'a> {
    pub id: &'a str,
    pub stage: Stage,
    /// The rule's default severity: a rule that can report an error can stop the launch.
    pub severity: Severity,
    /// False when an input it needs is missing.
    pub ran: bool,
    /// The most severe of its findings (suppressed ones left out), if any.
    pub worst: Option<Severity>,
}

/// The verdict of every stage of `profile`'s launch, from what became of the rules that hold
/// for it. A rule whose stage the profile does not go through counts nowhere.
pub fn stages<'a>(profile: Profile, rules: &[RuleAtStage<'a>]) -> Vec<StageOutcome> {
    let mut failed = false;
    let mut out = Vec::new();
    for &stage in Stage::of(profile) {
        let here: Vec<&RuleAtStage<'a>> = rules.iter().filter(|r| r.stage == stage).collect();
        let worst = here.iter().filter_map(|r| r.worst).max();
        let fired: Vec<String> = here.iter().filter(|r| r.worst.is_some()).map(|r| String::from(r.id)).collect();
        let not_checked: Vec<String> = here.iter().filter(|r| !r.ran).map(|r| String::from(r.id)).collect();
        let blocking: Vec<&&RuleAtStage<'a>> = here.iter().filter(|r| r.severity == Severity::Error).collect();
        let unchecked = if blocking.is_empty() { here.iter().all(|r| !r.ran) } else { blocking.iter().all(|r| !r.ran) };
        let verdict = if failed {
            StageVerdict::NotReached
        } else {
            match worst {
                Some(Severity::Error) => StageVerdict::Fail,
                Some(Severity::Warning) => StageVerdict::Warn,
                _ if unchecked => StageVerdict::NotChecked,
                _ => StageVerdict::Pass,
            }
        };
        failed |= verdict == StageVerdict::Fail;
        out.push(StageOutcome { id: stage, label: String::from(stage.label(profile)), verdict, rules: fired, not_checked });
    }
    out
}

/// The first stage at which the launch fails, if any.
pub fn first_failure(stages: &[StageOutcome]) -> Option<&StageOutcome> {
    stages.iter().find(|s| s.verdict == StageVerdict::Fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: &str, stage: Stage, ran: bool, worst: Option<Severity>) -> RuleAtStage<'_> {
        RuleAtStage { id, stage, severity: Severity::Error, ran, worst }
    }

    fn verdicts(outcomes: &[StageOutcome]) -> Vec<(&'static str, StageVerdict)> {
        outcomes.iter().map(|s| (s.id.id(), s.verdict)).collect()
    }

    #[test]
    fn stages_after_the_first_failure_are_not_reached() {
        let rules = [
            rule("RUN005", Stage::ImagePull, true, None),
            rule("UID001", Stage::ContainerStart, true, Some(Severity::Warning)),
            rule("KERN004", Stage::KernelDiscovery, true, Some(Severity::Error)),
            rule("KERN003", Stage::KernelStart, true, Some(Severity::Error)),
            rule("RUN007", Stage::Register, true, None),
            rule("RUN009", Stage::ServerStart, true, None),
        ];
        let outcomes = stages(Profile::StudioClassic, &rules);
        assert_eq!(
            verdicts(&outcomes),
            [
                ("register", StageVerdict::Pass),
                ("image-pull", StageVerdict::Pass),
                ("container-start", StageVerdict::Warn),
                ("server-start", StageVerdict::Pass),
                ("kernel-discovery", StageVerdict::Fail),
                ("kernel-start", StageVerdict::NotReached),
            ]
        );
        assert_eq!(outcomes[4].rules, ["KERN004"]);
        assert_eq!(outcomes[5].rules, ["KERN003"], "a later stage still names what fired there");
        assert_eq!(first_failure(&outcomes).map(|s| s.label.as_str()), Some("kernel discovery"));
    }

    #[test]
    fn a_stage_whose_blocking_rules_lack_their_input_is_not_checked() {
        let mut info = rule("RUN006", Stage::ImagePull, true, None);
        info.severity = Severity::Info;
        let rules = [rule("RUN005", Stage::ImagePull, false, None), info, rule("UID001", Stage::ContainerStart, true, None)];
        let outcomes = stages(Profile::CodeEditor, &rules);
        assert_eq!(outcomes[1].verdict, StageVerdict::NotChecked);
        assert_eq!(outcomes[1].not_checked, ["RUN005"]);
        assert_eq!(outcomes[2].verdict, StageVerdict::Pass);
    }

    #[test]
    fn code_editor_has_no_kernel_stages_and_names_its_server() {
        let outcomes = stages(Profile::CodeEditor, &[]);
        assert_eq!(outcomes.last().map(|s| (s.id, s.label.as_str())), Some((Stage::ServerStart, "Code Editor server start")));
        assert!(outcomes.iter().all(|s| s.verdict == StageVerdict::NotChecked), "no rule ran anywhere");
    }
}
