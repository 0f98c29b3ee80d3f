//! Every rule's declared examples, run through the real readers: each Bad example must make the
//! rule report at least one finding, each Good example none. Lives in the engine because the
//! rule core cannot depend on the Dockerfile reader (which depends on it).

use std::borrow::Cow;

use smic_rules::catalog::RULES;
use smic_rules::facts::Facts;
use smic_rules::{Example, ExampleKind, Options, Profile, ProfileChoice, Report};

/// Checks an example's inputs: the image description, the Dockerfile and the AppImageConfig,
/// under the rule's first profile (an example shows the rule where it holds; `auto` could pick
/// another app from the example's own start command or config block).
fn check(example: &Example, profile: Profile) -> Result<Report, String> {
    let mut facts = Facts::default();
    let mut errors = Vec::new();
    if let Some(description) = example.image {
        facts.image = Some(Cow::Owned(smic_rules::image_description::parse(description)?));
    }
    if let Some(text) = example.dockerfile {
        let reading = smic_dockerfile::read("Dockerfile", text.as_bytes(), &Default::default()).map_err(|e| e.message)?;
        facts.dockerfile = Some(reading.facts);
        errors.extend(reading.errors);
    }
    if let Some(json) = example.app_image_config {
        match smic_rules::app_image_config::parse("app-image-config.json", json.as_bytes()) {
            Ok(config) => facts.app_image_config = Some(config),
            Err(e) => errors.push(e),
        }
    }
    let options = Options { profile: ProfileChoice::Fixed(profile), ..Default::default() };
    Ok(smic_rules::check(&facts, errors, &options))
}

#[test]
fn every_rule_has_a_bad_and_a_good_example() {
    let missing: Vec<&str> = RULES
        .iter()
        .filter(|r| !r.examples.iter().any(|e| e.kind == ExampleKind::Bad) || !r.examples.iter().any(|e| e.kind == ExampleKind::Good))
        .map(|r| r.id)
        .collect();
    assert!(missing.is_empty(), "rules without a Bad and a Good example: {missing:?}");
}

#[test]
fn bad_examples_fire_their_rule_and_good_ones_do_not() {
    let mut wrong = Vec::new();
    for rule in RULES {
        for (i, example) in rule.examples.iter().enumerate() {
            let Some(profile) = rule.profiles.first() else {
                wrong.push(format!("{} belongs to no profile", rule.id));
                continue;
            };
            let report = match check(example, *profile) {
                Ok(report) => report,
                Err(e) => {
                    wrong.push(format!("{} example {i}: unreadable: {e}", rule.id));
                    continue;
                }
            };
            let found: Vec<&str> = report.findings.iter().filter(|f| f.rule == rule.id).map(|f| f.message.as_str()).collect();
            match example.kind {
                ExampleKind::Bad if found.is_empty() => {
                    let others: Vec<String> = report.findings.iter().map(|f| format!("{}: {}", f.rule, f.message)).collect();
                    let not_checked: Vec<&str> =
                        report.rules.iter().filter(|o| o.id == rule.id).filter_map(|o| o.reason.as_deref()).collect();
                    wrong.push(format!(
                        "{} Bad example {i} does not fire it {not_checked:?} (found instead: {others:#?}; input errors: {:?})",
                        rule.id, report.input_errors
                    ));
                }
                ExampleKind::Good if !found.is_empty() => wrong.push(format!("{} Good example {i} fires it: {found:?}", rule.id)),
                _ => {}
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
