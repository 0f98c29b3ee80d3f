//! Runs the catalog over the facts and assembles the report: findings in the spec's order,
//! suppressions applied, the verdict, and the image panel.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::catalog::{rule_by_key, RULES};
use crate::context::Context;
use crate::facts::Facts;
use crate::launch::{first_failure, stages, RuleAtStage, StageOutcome};
use crate::profile_choice::{choose, ProfileChoice};
use crate::report::{
    Finding, ImageSummary, InputError, Inputs, KernelSummary, Location, NamedInput, OtherProfile, Report, RuleOutcome, RuleStatus, Summary,
    Suppressed, Tool, Verdict, SCHEMA_VERSION, TOOL_NAME, TOOL_VERSION,
};
use crate::rules::image_size::SIZE_LIMIT_BYTES;
use crate::text::plural;
use crate::vocabulary::{InputKind, Profile, Severity};

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Refuse `# sm-image-check ignore=` comments (for CI).
    pub no_inline_ignores: bool,
    /// The Studio app to check for (`--profile`); `Auto` reads it from the inputs.
    pub profile: ProfileChoice,
}

/// Checks the facts against every rule, for the chosen profile and, in one line each, for the
/// other profiles (the same facts: nothing is read twice). `input_errors` are the readers'
/// complaints about input they could not (fully) read; they are carried into the report.
pub fn check(facts: &Facts<'_>, mut input_errors: Vec<InputError>, options: &Options) -> Report {
    let profile = choose(facts, options.profile);
    let suppressions = active_suppressions(facts, options, &mut input_errors);
    let ctx = Context::new(facts, profile.id);
    let judged = judge(&ctx, &suppressions);
    // An input that could not be read at all leaves nothing to vouch for: never a pass.
    let unusable_input = input_errors.iter().any(|e| e.fatal);
    let other_profiles = Profile::ALL
        .into_iter()
        .filter(|p| *p != profile.id)
        .map(|other| {
            let other_judged = judge(&Context::new(facts, other), &suppressions);
            let summary = &other_judged.summary;
            OtherProfile {
                id: other,
                verdict: verdict(summary, unusable_input),
                errors: summary.errors,
                warnings: summary.warnings,
                headline: headline(facts, other, summary, &input_errors, &other_judged.stages),
            }
        })
        .collect();
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool { name: TOOL_NAME.into(), version: TOOL_VERSION.into() },
        inputs: inputs(facts),
        verdict: verdict(&judged.summary, unusable_input),
        headline: headline(facts, profile.id, &judged.summary, &input_errors, &judged.stages),
        profile,
        other_profiles,
        stages: judged.stages,
        patch: facts.dockerfile.as_ref().and_then(|d| crate::patch::combine(d, judged.findings.iter().filter_map(|f| f.patch.as_ref()))),
        image: image_summary(&ctx),
        findings: judged.findings,
        rules: judged.outcomes,
        suppressed: judged.suppressed,
        input_errors,
        summary: judged.summary,
    }
}

fn verdict(summary: &Summary, unusable_input: bool) -> Verdict {
    if summary.errors > 0 || unusable_input {
        Verdict::Fail
    } else {
        Verdict::Pass
    }
}

/// What one pass of the catalog under one profile found.
struct Judged {
    findings: Vec<Finding>,
    outcomes: Vec<RuleOutcome>,
    suppressed: Vec<Suppressed>,
    summary: Summary,
    stages: Vec<StageOutcome>,
}

/// Runs every rule of the catalog that belongs to `ctx.profile`, applying the suppressions.
fn judge(ctx: &Context<'_>, suppressions: &[ActiveSuppression]) -> Judged {
    let facts = ctx.facts;
    let profile = ctx.profile;
    let mut findings = Vec::new();
    let mut outcomes = Vec::new();
    let mut suppressed = Vec::new();
    let mut at_stages: Vec<RuleAtStage<'static>> = Vec::new();
    for rule in RULES {
        if !rule.belongs_to(profile) {
            outcomes.push(RuleOutcome {
                id: rule.id.into(),
                name: rule.name.into(),
                section: rule.section,
                status: RuleStatus::NotApplicable,
                reason: Some(format!("not part of the {} profile", profile.id())),
            });
            continue;
        }
        if let Some(missing) = rule.missing_inputs(facts) {
            at_stages.push(RuleAtStage { id: rule.id, stage: rule.stage, severity: rule.severity, ran: false, worst: None });
            outcomes.push(RuleOutcome {
                id: rule.id.into(),
                name: rule.name.into(),
                section: rule.section,
                status: RuleStatus::NotChecked,
                reason: Some(format!("needs {missing}")),
            });
            continue;
        }
        let mut out = rule.findings();
        (rule.check)(ctx, &mut out);
        let mut kept = 0;
        let mut worst = None;
        for finding in out.into_vec() {
            let lines: Vec<u32> = finding
                .locations
                .iter()
                .filter_map(|l| if let Location::Dockerfile { line, .. } = l { Some(*line) } else { None })
                .collect();
            let matching = suppressions.iter().find(|s| {
                s.rule_id == rule.id
                    && match s.applies_to {
                        None => true,
                        Some(span) => !lines.is_empty() && lines.iter().all(|l| *l >= span.start && *l <= span.end),
                    }
            });
            match matching {
                Some(s) => suppressed.push(Suppressed {
                    rule: rule.id.into(),
                    name: rule.name.into(),
                    reason: s.reason.clone(),
                    comment_line: s.comment_line,
                    message: finding.message,
                }),
                None => {
                    kept += 1;
                    worst = worst.max(Some(finding.severity));
                    findings.push(finding);
                }
            }
        }
        at_stages.push(RuleAtStage { id: rule.id, stage: rule.stage, severity: rule.severity, ran: true, worst });
        outcomes.push(RuleOutcome {
            id: rule.id.into(),
            name: rule.name.into(),
            section: rule.section,
            status: if kept > 0 { RuleStatus::Failed } else { RuleStatus::Passed },
            reason: None,
        });
    }
    // RULES is in the spec's section order; keep the rule order, stable within a rule.
    findings.sort_by_key(|f| f.section);

    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count() as u32;
    let count_status = |s: RuleStatus| outcomes.iter().filter(|o| o.status == s).count() as u32;
    let summary = Summary {
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        infos: count(Severity::Info),
        suppressed: suppressed.len() as u32,
        rules_passed: count_status(RuleStatus::Passed),
        rules_failed: count_status(RuleStatus::Failed),
        rules_not_checked: count_status(RuleStatus::NotChecked),
        rules_not_applicable: count_status(RuleStatus::NotApplicable),
    };
    let stages = stages(profile, &at_stages);
    Judged { findings, outcomes, suppressed, summary, stages }
}

struct ActiveSuppression {
    rule_id: &'static str,
    reason: String,
    comment_line: u32,
    applies_to: Option<crate::facts::Span>,
}

fn active_suppressions(facts: &Facts<'_>, options: &Options, errors: &mut Vec<InputError>) -> Vec<ActiveSuppression> {
    let Some(dockerfile) = &facts.dockerfile else {
        return Vec::new();
    };
    let mut active = Vec::new();
    for s in &dockerfile.suppressions {
        let mut refuse = |message: String| {
            errors.push(InputError {
                input: InputKind::Dockerfile,
                file: dockerfile.file_name.clone(),
                at: Some(format!("line {}", s.comment_line)),
                message,
                fatal: false,
            })
        };
        if options.no_inline_ignores {
            refuse(format!("ignore comment for {} refused: inline ignores are disabled (--no-inline-ignores)", s.rule));
            continue;
        }
        let Some(rule) = rule_by_key(&s.rule) else {
            refuse(format!("ignore comment names an unknown rule {:?}; see `sm-image-check rules`", s.rule));
            continue;
        };
        if s.reason.trim().is_empty() {
            refuse(format!("ignore comment for {} has no reason; write `# sm-image-check ignore={} <why>`", rule.id, rule.id));
            continue;
        }
        active.push(ActiveSuppression {
            rule_id: rule.id,
            reason: s.reason.clone(),
            comment_line: s.comment_line,
            applies_to: s.applies_to,
        });
    }
    active
}

fn inputs(facts: &Facts<'_>) -> Inputs {
    Inputs {
        image: facts.image.as_ref().map(|i| i.source.clone()),
        dockerfile: facts.dockerfile.as_ref().map(|d| NamedInput { name: d.file_name.clone() }),
        app_image_config: facts.app_image_config.as_ref().map(|c| NamedInput { name: c.file_name.clone() }),
    }
}

fn headline(facts: &Facts<'_>, profile: Profile, summary: &Summary, input_errors: &[InputError], stages: &[StageOutcome]) -> String {
    let app = profile.app();
    let unreadable_image = input_errors.iter().any(|e| e.fatal && e.input == InputKind::Image);
    let subject = if facts.image.is_some() {
        "this image"
    } else if facts.dockerfile.is_some() {
        "an image built from this Dockerfile"
    } else {
        "an image with this AppImageConfig"
    };
    let unusable: Vec<&str> = input_errors.iter().filter(|e| e.fatal).map(|e| e.file.as_str()).collect();
    if summary.errors == 0 && !unusable.is_empty() {
        let names = unusable.join(", ");
        return if facts.image.is_none() && facts.dockerfile.is_none() && facts.app_image_config.is_none() {
            format!("Nothing could be checked for {app}: {names} could not be read (see the input problems).")
        } else {
            format!(
                "No errors in what could be checked for {app}, but {names} could not be read (see the input problems); fix it and check again."
            )
        };
    }
    let errors = plural(summary.errors as usize, "error", "errors");
    let mut text = if let Some(stage) = first_failure(stages) {
        format!("{app} will not start {subject}: it fails at {} ({}); {errors}.", stage.label, stage.rules.join(", "))
    } else if summary.errors > 0 {
        format!("{app} will not start {subject}: {errors}.")
    } else if facts.image.is_some() {
        match summary.warnings {
            0 => format!("{app} will start this image."),
            n => format!("{app} will start this image; {} worth a look.", plural(n as usize, "warning is", "warnings are")),
        }
    } else {
        format!(
            "No errors in what was checked for {app}; {} need the image archive.",
            plural(summary.rules_not_checked as usize, "rule", "rules")
        )
    };
    if unreadable_image {
        text.push_str(" The image archive could not be read, so only the other inputs were checked.");
    }
    text
}

fn image_summary(ctx: &Context<'_>) -> Option<ImageSummary> {
    let model = ctx.image.as_ref()?;
    let facts = model.facts;
    Some(ImageSummary {
        os: facts.image_config.os.clone(),
        architecture: match &facts.image_config.variant {
            Some(v) if !v.is_empty() => format!("{}/{}", facts.image_config.architecture, v),
            _ => facts.image_config.architecture.clone(),
        },
        user: model.user.spec.clone(),
        user_name: model.user.name.clone(),
        uid: model.user.uid,
        gid: model.user.gid,
        size_bytes: facts.size_bytes(),
        size_limit_bytes: SIZE_LIMIT_BYTES,
        file_count: facts.files.iter().filter(|e| !e.is_dir()).count() as u64,
        layers: facts.layers.clone(),
        kernels: model
            .kernels
            .iter()
            .map(|k| KernelSummary {
                name: k.name.clone(),
                aliases: k.aliases.clone(),
                display_name: k.spec.as_ref().and_then(|s| s.display_name.clone()),
                language: k.spec.as_ref().and_then(|s| s.language.clone()),
                path: k.dir.clone(),
                layer: k.spec_file.layer,
                found_via: k.found_via.label().into(),
                hidden_by_mount: k.hidden_by_mount,
                argv: k.spec.as_ref().map(|s| s.argv.clone()).unwrap_or_default(),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    const JUPYTERLAB_CONFIG: &str = r#"{"AppImageConfigName": "jl", "JupyterLabAppImageConfig": {}}"#;

    fn lines(report: &Report) -> Vec<(Profile, Verdict, u32, u32)> {
        report.other_profiles.iter().map(|o| (o.id, o.verdict, o.errors, o.warnings)).collect()
    }

    #[test]
    fn the_two_profiles_not_chosen_get_a_verdict_each() {
        // A JupyterLab config: fine for JupyterLab, no KernelGatewayImageConfig for Classic
        // (RUN009), and the wrong app block for Code Editor.
        let report = run(&facts(None, None, Some(app_image_config(JUPYTERLAB_CONFIG))));
        assert_eq!(report.profile.id, Profile::JupyterLab);
        assert_eq!(report.verdict, Verdict::Pass);
        let ids: Vec<Profile> = report.other_profiles.iter().map(|o| o.id).collect();
        assert_eq!(ids, [Profile::StudioClassic, Profile::CodeEditor]);
        let classic = &report.other_profiles[0];
        assert_eq!(classic.verdict, Verdict::Fail);
        let headline =
            "Studio Classic will not start an image with this AppImageConfig: it fails at KernelGateway start (RUN009); 1 error.";
        assert_eq!(classic.headline, headline);
        assert_eq!(classic.describe(), format!("studio-classic: fail — {headline}"));
    }

    #[test]
    fn each_line_says_what_checking_with_that_profile_says() {
        let image = ImageBuilder::good().entrypoint(&["jupyter-lab"]).cmd(&["--ServerApp.port=8888"]).user("root").build();
        let dockerfile = DockerfileBuilder::from("python:3.11").user("1000", Some(1000), Some(100)).build();
        for config in [None, Some(JUPYTERLAB_CONFIG), Some(r#"{"AppImageConfigName": "ce", "CodeEditorAppImageConfig": {}}"#)] {
            let facts = facts(Some(image.clone()), Some(dockerfile.clone()), config.map(app_image_config));
            let report = run(&facts);
            assert_eq!(report.other_profiles.len(), 2);
            for other in &report.other_profiles {
                let switched = run_as(&facts, other.id);
                assert_eq!(
                    (other.verdict, other.errors, other.warnings, other.headline.as_str()),
                    (switched.verdict, switched.summary.errors, switched.summary.warnings, switched.headline.as_str()),
                    "{:?} under {:?}",
                    config,
                    other.id
                );
                // Switching lists the profile that was chosen first among its others.
                assert!(switched.other_profiles.iter().any(|o| o.id == report.profile.id && o.verdict == report.verdict));
            }
        }
    }

    #[test]
    fn the_other_profiles_differ_where_the_specification_says() {
        // Root: accepted by Studio Classic, an error in the new apps (UID001).
        let as_user = |user: &str| run_as(&facts(Some(ImageBuilder::good().user(user).build()), None, None), Profile::StudioClassic);
        let (root, user) = (as_user("root"), as_user("1000"));
        assert_eq!(root.summary.errors, user.summary.errors);
        let errors = |r: &Report| r.other_profiles.iter().map(|o| (o.id, o.errors)).collect::<Vec<_>>();
        let plus_one: Vec<(Profile, u32)> = errors(&user).into_iter().map(|(id, n)| (id, n + 1)).collect();
        assert_eq!(errors(&root), plus_one, "{:?}", lines(&root));
    }

    #[test]
    fn an_unreadable_input_fails_every_profile() {
        let unreadable =
            InputError { input: InputKind::Image, file: "broken.tar".into(), at: None, message: "not a tar archive".into(), fatal: true };
        let report = check(&facts(None, None, Some(app_image_config(JUPYTERLAB_CONFIG))), alloc::vec![unreadable], &Options::default());
        assert_eq!(report.verdict, Verdict::Fail);
        assert!(report.other_profiles.iter().all(|o| o.verdict == Verdict::Fail), "{:?}", lines(&report));
        // Every headline names its app, even when there is little to say.
        assert_eq!(
            report.headline,
            "No errors in what could be checked for Studio's JupyterLab app, but broken.tar could not be read (see the input problems); fix it and check again."
        );
        assert!(report.other_profiles.iter().all(|o| o.headline.contains(o.id.app())), "{:?}", report.other_profiles);
    }
}
