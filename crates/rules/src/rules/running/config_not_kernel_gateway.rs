//! RUN009 `config-not-kernel-gateway`: The AppImageConfig has no KernelGatewayImageConfig, so it cannot run the image as a KernelGateway app.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::string::String;
use alloc::vec::Vec;

use crate::context::Context;
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::rules::studio_errors;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "RUN009",
    name: "config-not-kernel-gateway",
    section: Section::RunningTheImage,
    spec: super::SPEC_ENTRYPOINT,
    severity: Severity::Error,
    stage: Stage::ServerStart,
    profiles: Profile::CLASSIC,
    requires: &[&[InputKind::AppImageConfig]],
    needs_files: &[],
    summary: "The AppImageConfig has no KernelGatewayImageConfig, so it cannot run the image as a KernelGateway app.",
    explanation: "A Studio Classic custom image runs as a KernelGateway app, configured by the config's \
`KernelGatewayImageConfig` block (kernel specs and file system). A config with only a `JupyterLabAppImageConfig` or \
`CodeEditorAppImageConfig` block is for the new Studio's JupyterLab or Code Editor apps; attaching it for \
KernelGateway fails (sagemaker-distribution issue #178 shows the reverse mistake).",
    fix: "Add a KernelGatewayImageConfig block with the image's KernelSpecs and FileSystemConfig.",
    explains: &[
        studio_errors::LAUNCH_FAILED,
    ],
    examples: &[
        Example::bad().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "JupyterLabAppImageConfig": {}}"#),
        Example::good().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100}}}"#),
    ],
    check,
};

/// What RUN009 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn no_block() -> String {
        String::from(
            "The AppImageConfig has no KernelGatewayImageConfig block, so Studio Classic has no kernel list or file-system settings for the image.",
        )
    }

    /// `others`: the pointers of the new Studio's app blocks the config has.
    pub fn other_apps(others: &[String]) -> String {
        format!(
            "The AppImageConfig configures {} (the new Studio's apps), not a Studio Classic KernelGateway app.",
            crate::text::and_list(others)
        )
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(config) = ctx.app_image_config() else { return };
    if config.kernel_gateway.is_some() {
        return;
    }
    let others: Vec<String> = [&config.jupyter_lab, &config.code_editor].into_iter().flatten().cloned().collect();
    let message = if others.is_empty() { message::no_block() } else { message::other_apps(&others) };
    let pointer = others.first().cloned().unwrap_or_else(|| String::from(""));
    out.report(message).at_all(evidence::app_image_config(ctx, &pointer, None));
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use crate::vocabulary::Profile;

    #[test]
    fn jupyterlab_config_used_for_a_kernel_gateway_image_fails() {
        let c = app_image_config(r#"{"AppImageConfigName": "x", "JupyterLabAppImageConfig": {}}"#);
        let found = findings_as(&facts(None, None, Some(c)), "RUN009", Profile::StudioClassic);
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["app-image-config.json /JupyterLabAppImageConfig"]);
        assert!(found[0].message.contains("/JupyterLabAppImageConfig"));
    }

    #[test]
    fn kernel_gateway_config_passes() {
        assert!(findings(&facts(None, None, Some(app_image_config_with_kernel("python3"))), "RUN009").is_empty());
    }

    #[test]
    fn a_jupyterlab_config_is_no_error_under_its_own_profile() {
        let c = app_image_config(r#"{"AppImageConfigName": "x", "JupyterLabAppImageConfig": {}}"#);
        let report = run(&facts(None, None, Some(c)));
        assert_eq!(report.profile.id, Profile::JupyterLab);
        assert!(report.findings.iter().all(|f| f.rule != "RUN009"), "{:?}", report.findings);
        let outcome = report.rules.iter().find(|o| o.id == "RUN009").unwrap();
        assert_eq!(outcome.status, crate::report::RuleStatus::NotApplicable);
        assert_eq!(outcome.reason.as_deref(), Some("not part of the jupyterlab profile"));
    }
}
