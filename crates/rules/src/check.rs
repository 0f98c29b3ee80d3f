//! Runs the catalog over the facts and assembles the report: findings in the spec's order,
//! suppressions applied, the verdict, and the image panel.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::catalog::{rule_by_key, RULES};
use crate::context::Context;
use crate::facts::Facts;
use crate::profile_choice::{choose, ProfileChoice};
use crate::report::{
    ImageSummary, InputError, Inputs, KernelSummary, Location, NamedInput, Report, RuleOutcome, RuleStatus, Summary, Suppressed, Tool,
    Verdict, SCHEMA_VERSION, TOOL_NAME, TOOL_VERSION,
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

/// Checks the facts against every rule. `input_errors` are the readers' complaints about input
/// they could not (fully) read; they are carried into the report.
pub fn check(facts: &Facts<'_>, mut input_errors: Vec<InputError>, options: &Options) -> Report {
    let profile = choose(facts, options.profile);
    let ctx = Context::new(facts, profile.id);
    let mut findings = Vec::new();
    let mut outcomes = Vec::new();
    let mut suppressed = Vec::new();
    let suppressions = active_suppressions(facts, options, &mut input_errors);

    for rule in RULES {
        if !rule.belongs_to(profile.id) {
            outcomes.push(RuleOutcome {
                id: rule.id.into(),
                name: rule.name.into(),
                section: rule.section,
                status: RuleStatus::NotApplicable,
                reason: Some(format!("not part of the {} profile", profile.id.id())),
            });
            continue;
        }
        if let Some(missing) = rule.missing_inputs(facts) {
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
        (rule.check)(&ctx, &mut out);
        let mut kept = 0;
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
                    findings.push(finding);
                }
            }
        }
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
    // An input that could not be read at all leaves nothing to vouch for: never a pass.
    let unusable_input = input_errors.iter().any(|e| e.fatal);
    let verdict = if summary.errors > 0 || unusable_input { Verdict::Fail } else { Verdict::Pass };
    let headline = headline(facts, profile.id, &summary, &input_errors);
    let patch = facts.dockerfile.as_ref().and_then(|d| crate::patch::combine(d, findings.iter().filter_map(|f| f.patch.as_ref())));
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool { name: TOOL_NAME.into(), version: TOOL_VERSION.into() },
        profile,
        inputs: inputs(facts),
        verdict,
        headline,
        image: image_summary(&ctx),
        findings,
        rules: outcomes,
        suppressed,
        input_errors,
        summary,
        patch,
    }
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

fn headline(facts: &Facts<'_>, profile: Profile, summary: &Summary, input_errors: &[InputError]) -> String {
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
            format!("Nothing could be checked: {names} could not be read (see the input problems).")
        } else {
            format!("No errors in what could be checked, but {names} could not be read (see the input problems); fix it and check again.")
        };
    }
    let mut text = if summary.errors > 0 {
        format!("{app} will not start {subject}: {}.", plural(summary.errors as usize, "error", "errors"))
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
