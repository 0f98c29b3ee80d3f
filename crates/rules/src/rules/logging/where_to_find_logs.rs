//! LOG001 `where-to-find-logs`: Where to look when the app fails to start: CloudWatch log group /aws/sagemaker/studio.
//! The declaration, its messages, its check, its examples and its tests.

use crate::context::Context;
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "LOG001",
    name: "where-to-find-logs",
    section: Section::MetricsAndLogging,
    spec: "Logs from the KernelGateway process are sent to Amazon CloudWatch in the customer's account. The name of the log group is /aws/sagemaker/studio. \
The name of the log stream is $domainID/$userProfileName/KernelGateway/$appName. \
(New Studio: its JupyterLab and Code Editor apps log to the same group per users' reports; the streams' naming per \
app type is not confirmed in AWS's documentation.)",
    severity: Severity::Info,
    stage: Stage::Never,
    profiles: Profile::EVERY,
    requires: &[&[InputKind::Image, InputKind::Dockerfile, InputKind::AppImageConfig]],
    needs_files: &[],
    summary: "Where to look when the app fails to start: CloudWatch log group /aws/sagemaker/studio.",
    explanation: "When an app with this image fails (Studio Classic's KernelGateway, or the new Studio's JupyterLab or \
Code Editor), Studio shows little more than \"InternalFailure\"; the app's own output goes to CloudWatch in your account. If the group is empty, the execution role may lack \
CloudWatch Logs permissions (aws/amazon-sagemaker-feedback#128).",
    fix: "Open CloudWatch Logs, group /aws/sagemaker/studio, and the stream named after your domain, user profile and the app.",
    explains: &[],
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

    fn config(config_name: Option<&str>) -> String {
        config_name.map(|n| format!(" (AppImageConfig {n:?})")).unwrap_or_default()
    }

    /// Studio Classic. `config_name`: the AppImageConfigName, when one was checked.
    pub fn where_logs_are(config_name: Option<&str>) -> String {
        let config = config(config_name);
        format!(
            "When the app with this image{config} fails, its KernelGateway logs are in CloudWatch log group /aws/sagemaker/studio, stream <domain-id>/<user-profile-name>/KernelGateway/<app-name>."
        )
    }

    /// The new Studio, whose stream names are not documented. `app_type`: `JupyterLab`, `CodeEditor`.
    pub fn where_new_app_logs_are(app_type: &str, config_name: Option<&str>) -> String {
        let config = config(config_name);
        format!(
            "When the {app_type} app with this image{config} fails, look in CloudWatch log group /aws/sagemaker/studio for streams named after the space and {app_type} (likely <domain-id>/<space-name>/{app_type}/default; AWS's documentation does not confirm the stream names of the new Studio's apps)."
        )
    }

    pub fn fix_new_app(app_type: &str) -> String {
        format!("Open CloudWatch Logs, group /aws/sagemaker/studio, and the stream named after your domain, space and {app_type}.")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let config_name = ctx.app_image_config().and_then(|c| c.name.as_ref()).map(|n| n.value.as_str());
    // The AppType names Studio uses in its APIs (and, by users' reports, in the stream names).
    let app_type = match ctx.profile {
        Profile::StudioClassic => {
            out.report(message::where_logs_are(config_name));
            return;
        }
        Profile::JupyterLab => "JupyterLab",
        Profile::CodeEditor => "CodeEditor",
    };
    out.report(message::where_new_app_logs_are(app_type, config_name)).fix(message::fix_new_app(app_type));
}

#[cfg(test)]
mod tests {
    use alloc::format;

    use crate::testkit::*;
    use crate::vocabulary::Profile;

    #[test]
    fn the_log_location_is_always_shown() {
        let found = findings(&facts(None, None, Some(app_image_config_with_kernel("python3"))), "LOG001");
        assert_eq!(found.len(), 1);
        assert!(found[0].locations.is_empty(), "a note about the app, not about a place in the inputs");
        assert!(found[0].message.contains("/aws/sagemaker/studio"));
        assert!(found[0].message.contains("custom-image-config"));
    }

    #[test]
    fn classic_names_the_kernel_gateway_stream() {
        let found = findings_as(&facts(None, None, Some(app_image_config_with_kernel("python3"))), "LOG001", Profile::StudioClassic);
        assert!(found[0].message.contains("stream <domain-id>/<user-profile-name>/KernelGateway/<app-name>"), "{}", found[0].message);
    }

    #[test]
    fn new_apps_name_the_space_and_app_type_and_say_the_naming_is_unconfirmed() {
        let image = Some(ImageBuilder::good().build());
        for (profile, app_type) in [(Profile::JupyterLab, "JupyterLab"), (Profile::CodeEditor, "CodeEditor")] {
            let found = findings_as(&facts(image.clone(), None, None), "LOG001", profile);
            assert_eq!(found.len(), 1);
            let m = &found[0].message;
            assert!(m.contains("/aws/sagemaker/studio") && m.contains(&format!("<domain-id>/<space-name>/{app_type}/default")), "{m}");
            assert!(m.contains("does not confirm") && !m.contains("KernelGateway"), "{m}");
            assert!(found[0].fix.contains(app_type));
        }
    }

    #[test]
    fn nothing_is_shown_without_inputs() {
        assert!(findings(&facts(None, None, None), "LOG001").is_empty());
    }
}
