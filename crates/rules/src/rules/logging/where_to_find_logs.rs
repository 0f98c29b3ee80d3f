//! LOG001 `where-to-find-logs`: Where to look when the app fails to start: CloudWatch log group /aws/sagemaker/studio.
//! The declaration, its messages, its check, its examples and its tests.

use crate::context::Context;
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::vocabulary::{InputKind, Profile, Section, Severity};

pub const RULE: Rule = Rule {
    id: "LOG001",
    name: "where-to-find-logs",
    section: Section::MetricsAndLogging,
    spec: "Logs from the KernelGateway process are sent to Amazon CloudWatch in the customer's account. The name of the log group is /aws/sagemaker/studio. \
The name of the log stream is $domainID/$userProfileName/KernelGateway/$appName.",
    severity: Severity::Info,
    profiles: Profile::EVERY,
    requires: &[&[InputKind::Image, InputKind::Dockerfile, InputKind::AppImageConfig]],
    needs_files: &[],
    summary: "Where to look when the app fails to start: CloudWatch log group /aws/sagemaker/studio.",
    explanation: "When a KernelGateway app with this image fails, Studio shows little more than \"InternalFailure\"; the \
gateway's own output goes to CloudWatch in your account. If the group is empty, the execution role may lack \
CloudWatch Logs permissions (aws/amazon-sagemaker-feedback#128).",
    fix: "Open CloudWatch Logs, group /aws/sagemaker/studio, and the stream named after your domain, user profile and the app.",
    examples: &[
        Example::bad().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100}}}"#),
        Example::good(),
    ],
    check,
};

/// What LOG001 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    /// `config_name`: the AppImageConfigName, when one was checked.
    pub fn where_logs_are(config_name: Option<&str>) -> String {
        let config = config_name.map(|n| format!(" (AppImageConfig {n:?})")).unwrap_or_default();
        format!(
            "When the app with this image{config} fails, its KernelGateway logs are in CloudWatch log group /aws/sagemaker/studio, stream <domain-id>/<user-profile-name>/KernelGateway/<app-name>."
        )
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let config_name = ctx.app_image_config().and_then(|c| c.name.as_ref()).map(|n| n.value.as_str());
    out.report(message::where_logs_are(config_name));
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn the_log_location_is_always_shown() {
        let found = findings(&facts(None, None, Some(app_image_config_with_kernel("python3"))), "LOG001");
        assert_eq!(found.len(), 1);
        assert!(found[0].locations.is_empty(), "a note about the app, not about a place in the inputs");
        assert!(found[0].message.contains("/aws/sagemaker/studio"));
        assert!(found[0].message.contains("custom-image-config"));
    }

    #[test]
    fn nothing_is_shown_without_inputs() {
        assert!(findings(&facts(None, None, None), "LOG001").is_empty());
    }
}
