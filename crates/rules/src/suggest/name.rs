//! The suggested `AppImageConfigName` (the given one when the API accepts it, else one derived
//! from it or from the image's reference) and the `Tags` kept from the given config.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::{Note, Tag};
use crate::facts::{AppImageConfigFacts, Facts};
use crate::report::{Location, Report};
use crate::rules::running::config_name_invalid::valid_name;

/// The name when nothing suggests a better one (the AWS documentation's sample name).
pub const FALLBACK_NAME: &str = "custom-image-config";
const SUFFIX: &str = "-config";

pub(super) fn suggest(facts: &Facts<'_>, notes: &mut Vec<Note>) -> String {
    let given = facts.app_image_config.as_ref().and_then(|c| Some((c.file_name.as_str(), c.name.as_ref()?)));
    if let Some((file, field)) = given {
        let evidence = alloc::vec![Location::app_image_config(file, &field.pointer, Some(field.value.clone()))];
        if valid_name(&field.value) {
            notes.push(Note::new("/AppImageConfigName", String::from("kept from the given AppImageConfig"), evidence));
            return field.value.clone();
        }
        let fixed = to_name(&field.value, "");
        if valid_name(&fixed) {
            let text = format!(
                "the given name {:?} does not match the API's pattern (letters, digits and hyphens, at most 63); {fixed:?} is the nearest valid name",
                field.value
            );
            notes.push(Note::new("/AppImageConfigName", text, evidence));
            return fixed;
        }
    }
    let reference = facts.image.as_ref().and_then(|i| i.source.reference.clone()).filter(|r| !r.is_empty());
    if let Some(reference) = reference {
        let repository = reference.split('@').next().unwrap_or(&reference);
        let repository = match repository.rfind(':') {
            Some(i) if !repository[i..].contains('/') => &repository[..i],
            _ => repository,
        };
        let last = repository.rsplit('/').next().unwrap_or(repository);
        let name = to_name(last, SUFFIX);
        if valid_name(&name) {
            let text = format!(
                "a placeholder derived from the image's reference {reference:?}; rename it as you like (unique per account and region)"
            );
            notes.push(Note::new("/AppImageConfigName", text, Vec::new()));
            return name;
        }
    }
    let text = String::from("a placeholder (no AppImageConfig or image reference to derive a name from); rename it as you like");
    notes.push(Note::new("/AppImageConfigName", text, Vec::new()));
    String::from(FALLBACK_NAME)
}

/// `text` turned into the API's name pattern `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`, ending with
/// `suffix`: other characters become hyphens, repeated and outer hyphens go.
fn to_name(text: &str, suffix: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let room = 63usize.saturating_sub(suffix.len());
    out.truncate(room);
    let mut out = String::from(out.trim_end_matches('-'));
    if !out.is_empty() {
        out.push_str(suffix);
    }
    out
}

/// The given config's tags, left out when a key is missing or the check found them invalid.
pub(super) fn kept_tags(given: Option<&AppImageConfigFacts>, report: &Report, notes: &mut Vec<Note>) -> Vec<Tag> {
    let Some(config) = given else {
        return Vec::new();
    };
    let mut kept = Vec::new();
    for tag in &config.tags {
        let invalid = report.findings.iter().any(|f| {
            f.rule == "RUN011"
                && f.locations.iter().any(|l| matches!(l, Location::AppImageConfig { pointer, .. } if pointer.starts_with(&tag.pointer)))
        });
        let evidence = alloc::vec![Location::app_image_config(&config.file_name, &tag.pointer, None)];
        match (&tag.key, invalid) {
            (Some(key), false) => {
                let pointer = format!("/Tags/{}", kept.len());
                notes.push(Note::new(&pointer, String::from("kept from the given AppImageConfig"), evidence));
                kept.push(Tag { key: key.clone(), value: tag.value.clone().unwrap_or_default() });
            }
            _ => notes.push(Note::new("/Tags", String::from("a given tag is left out: the check found it invalid (RUN011)"), evidence)),
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_to_fit_the_api_pattern() {
        assert_eq!(to_name("<AppImageConfig-Name>", ""), "AppImageConfig-Name");
        assert_eq!(to_name("my_image.v2", SUFFIX), "my-image-v2-config");
        assert_eq!(to_name("___", SUFFIX), "");
        let long = "a".repeat(80);
        let name = to_name(&long, SUFFIX);
        assert!(valid_name(&name) && name.len() == 63, "{name}");
    }
}
