//! RUN008 `config-name-invalid`: AppImageConfigName does not match the API's pattern.
//! The declaration, its messages, its check, its examples and its tests.

use crate::context::Context;
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "RUN008",
    name: "config-name-invalid",
    section: Section::RunningTheImage,
    spec: super::SPEC_APP_IMAGE_CONFIG_API,
    severity: Severity::Error,
    stage: Stage::Register,
    profiles: Profile::EVERY,
    requires: &[&[InputKind::AppImageConfig]],
    needs_files: &[],
    summary: "AppImageConfigName does not match the API's pattern.",
    explanation: "AppImageConfigName must match `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`: 1 to 63 letters, digits and hyphens, \
starting and ending with a letter or digit — no underscores or dots (unlike an image name). Samples often keep a \
placeholder such as `<AppImageConfig-Name>`, which the API rejects.",
    fix: "Use a name of letters, digits and hyphens, e.g. `my-image-config`.",
    explains: &[],
    examples: &[
        Example::bad().app_image_config(r#"{"AppImageConfigName": "<AppImageConfig-Name>", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}]}}"#),
        Example::good().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100}}}"#),
    ],
    check,
};

/// Spec (API): `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`, at most 63 characters.
pub fn valid_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
}

/// What RUN008 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    /// `why` says which part of the API's name pattern it breaks.
    pub fn invalid(name: &str, why: &str) -> String {
        format!("AppImageConfigName {name:?} {why}.")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(name) = ctx.app_image_config().and_then(|c| c.name.as_ref()) else {
        return;
    };
    if valid_name(&name.value) {
        return;
    }
    let why = if name.value.starts_with('<') && name.value.ends_with('>') {
        "looks like a placeholder that was never filled in"
    } else if name.value.is_empty() {
        "is empty"
    } else if name.value.len() > 63 {
        "is longer than 63 characters"
    } else {
        "may only contain letters, digits and hyphens, and must start and end with a letter or digit"
    };
    out.report(message::invalid(&name.value, why)).at_all(evidence::app_image_config(ctx, &name.pointer, Some(name.value.clone())));
}

#[cfg(test)]
mod tests {
    use super::valid_name;
    use crate::testkit::*;

    #[test]
    fn placeholder_name_left_in_the_sample_is_reported() {
        let c = app_image_config(
            r#"{"AppImageConfigName": "<AppImageConfig-Name>", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}]}}"#,
        );
        let found = findings(&facts(None, None, Some(c)), "RUN008");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["app-image-config.json /AppImageConfigName = <AppImageConfig-Name>"]);
        assert!(found[0].message.contains("placeholder"));
    }

    #[test]
    fn names_follow_the_api_pattern() {
        assert!(valid_name("custom-image-config"));
        assert!(valid_name("a--b"));
        assert!(!valid_name("my_config"));
        assert!(!valid_name("-x"));
        assert!(!valid_name(&"a".repeat(64)));
        assert!(findings(&facts(None, None, Some(app_image_config_with_kernel("python3"))), "RUN008").is_empty());
    }
}
