//! RUN011 `config-tags-invalid`: A tag of the AppImageConfig breaks the API's limits.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::format;

use crate::context::Context;
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "RUN011",
    name: "config-tags-invalid",
    section: Section::RunningTheImage,
    spec: super::SPEC_APP_IMAGE_CONFIG_API,
    severity: Severity::Error,
    stage: Stage::Register,
    profiles: Profile::EVERY,
    requires: &[&[InputKind::AppImageConfig]],
    needs_files: &[],
    summary: "A tag of the AppImageConfig breaks the API's limits.",
    explanation: "CreateAppImageConfig accepts at most 50 tags; a key has 1 to 128 characters and a value at most 256, \
both limited to letters, digits, spaces and `_ . : / = + - @`; keys starting with `aws:` are reserved. Any violation \
fails the request.",
    fix: "Shorten or rename the tag, or remove it.",
    explains: &[],
    examples: &[
        Example::bad().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}]}, "Tags": [{"Key": "aws:team", "Value": "ml"}]}"#),
        Example::good().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}]}, "Tags": [{"Key": "team", "Value": "ml-platform"}]}"#),
    ],
    check,
};

const MAX_TAGS: usize = 50;

/// Spec (API): `([\p{L}\p{Z}\p{N}_.:/=+\-@]*)`.
fn allowed(text: &str) -> bool {
    text.chars().all(|c| c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c))
}

/// What RUN011 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn too_many(count: usize, max: usize) -> String {
        format!("The config has {count} tags; the API allows at most {max}.")
    }

    pub fn key_length(key: &str, len: usize) -> String {
        format!("Tag key {key:?} has {len} characters; keys need 1 to 128.")
    }

    pub fn key_characters(key: &str) -> String {
        format!("Tag key {key:?} has characters the API does not allow.")
    }

    pub fn key_reserved(key: &str) -> String {
        format!("Tag key {key:?} starts with the reserved prefix \"aws:\".")
    }

    pub fn value_length(len: usize) -> String {
        format!("A tag value has {len} characters; values hold at most 256.")
    }

    pub fn value_characters(value: &str) -> String {
        format!("Tag value {value:?} has characters the API does not allow.")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(config) = ctx.app_image_config() else { return };
    if config.tags.len() > MAX_TAGS {
        let pointer = config.tags[MAX_TAGS].pointer.rsplit_once('/').map(|(p, _)| p).unwrap_or("/Tags");
        out.report(message::too_many(config.tags.len(), MAX_TAGS)).at_all(evidence::app_image_config(ctx, pointer, None));
    }
    for tag in &config.tags {
        let mut problem = |message: alloc::string::String, field: &str, value: &str| {
            let pointer = format!("{}/{field}", tag.pointer);
            out.report(message).at_all(evidence::app_image_config(ctx, &pointer, Some(alloc::string::String::from(value))));
        };
        if let Some(key) = &tag.key {
            let len = key.chars().count();
            if len == 0 || len > 128 {
                problem(message::key_length(key, len), "Key", key);
            } else if !allowed(key) {
                problem(message::key_characters(key), "Key", key);
            } else if key.to_ascii_lowercase().starts_with("aws:") {
                problem(message::key_reserved(key), "Key", key);
            }
        }
        if let Some(value) = &tag.value {
            let len = value.chars().count();
            if len > 256 {
                problem(message::value_length(len), "Value", value);
            } else if !allowed(value) {
                problem(message::value_characters(value), "Value", value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn reserved_and_invalid_tag_keys_are_reported() {
        let c = app_image_config(
            r#"{"AppImageConfigName": "x", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}]}, "Tags": [{"Key": "aws:team", "Value": "a"}, {"Key": "cost#center", "Value": "b"}]}"#,
        );
        let found = findings(&facts(None, None, Some(c)), "RUN011");
        assert_eq!(found.len(), 2);
        assert_eq!(located_at(&found[0]), ["app-image-config.json /Tags/0/Key = aws:team"]);
        assert!(found[0].message.contains("\"aws:team\" starts with the reserved prefix"), "{}", found[0].message);
        assert_eq!(located_at(&found[1]), ["app-image-config.json /Tags/1/Key = cost#center"]);
        assert!(found[1].message.contains("\"cost#center\" has characters the API does not allow"), "{}", found[1].message);
    }

    #[test]
    fn ordinary_tags_pass() {
        let c = app_image_config(
            r#"{"AppImageConfigName": "x", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}]}, "Tags": [{"Key": "team", "Value": "ml-platform"}]}"#,
        );
        assert!(findings(&facts(None, None, Some(c)), "RUN011").is_empty());
    }
}
