//! RUN007 `config-malformed`: The AppImageConfig does not have the shape the CreateAppImageConfig API accepts.
//! The declaration, its messages, its check, its examples and its tests.

use crate::context::Context;
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "RUN007",
    name: "config-malformed",
    section: Section::RunningTheImage,
    spec: super::SPEC_APP_IMAGE_CONFIG_API,
    severity: Severity::Error,
    stage: Stage::Register,
    profiles: Profile::EVERY,
    requires: &[&[InputKind::AppImageConfig]],
    needs_files: &[],
    summary: "The AppImageConfig does not have the shape the CreateAppImageConfig API accepts.",
    explanation: "The API rejects unknown parameters, values of the wrong JSON type and missing required fields \
(`aws sagemaker create-app-image-config --cli-input-json` fails with \"Unknown parameter\" or \"Invalid type for \
parameter\"), so the image can never be attached to a domain with this config.",
    fix: "Correct the field named in the finding; compare with the CreateAppImageConfig request syntax.",
    explains: &[],
    examples: &[
        Example::bad().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3", "Display": "Python 3"}]}}"#),
        Example::good().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100}}}"#),
    ],
    check,
};

/// What RUN007 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    /// A shape problem the AppImageConfig reader found, at its JSON pointer.
    pub fn shape(problem: &str, pointer: &str) -> String {
        format!("{problem} (at {pointer}).")
    }

    pub fn unknown_key(key: &str, pointer: &str) -> String {
        format!("{key:?} is not a parameter of CreateAppImageConfig (at {pointer}); the API rejects the request.")
    }

    pub fn fix_unknown_key(key: &str) -> String {
        format!("Remove {key:?} or fix its spelling (parameter names are case-sensitive).")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(config) = ctx.app_image_config() else { return };
    for problem in &config.shape_problems {
        out.report(message::shape(&problem.message, &problem.pointer)).at_all(evidence::app_image_config(ctx, &problem.pointer, None));
    }
    for pointer in &config.unknown_keys {
        let key = pointer.rsplit('/').next().unwrap_or("");
        out.report(message::unknown_key(key, pointer))
            .at_all(evidence::app_image_config(ctx, pointer, None))
            .fix(message::fix_unknown_key(key));
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn unknown_key_and_wrong_type_are_reported_with_pointers() {
        let c = app_image_config(
            r#"{"AppImageConfigName": "x", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3", "Display": "P"}], "FileSystemConfig": {"DefaultUid": "1000"}}}"#,
        );
        let found = findings(&facts(None, None, Some(c)), "RUN007");
        assert_eq!(found.len(), 2);
        assert_eq!(located_at(&found[0]), ["app-image-config.json /KernelGatewayImageConfig/FileSystemConfig/DefaultUid"]);
        assert_eq!(located_at(&found[1]), ["app-image-config.json /KernelGatewayImageConfig/KernelSpecs/0/Display"]);
        assert!(found.iter().any(|f| f.message.contains("/KernelGatewayImageConfig/KernelSpecs/0/Display")));
        assert!(found.iter().any(|f| f.message.contains("DefaultUid must be an integer")));
    }

    #[test]
    fn the_aws_sample_config_passes() {
        assert!(findings(&facts(None, None, Some(app_image_config_with_kernel("python3"))), "RUN007").is_empty());
    }
}
