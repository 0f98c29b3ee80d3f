//! RUN014 `kernel-gateway-config-for-new-app`: The image is checked for JupyterLab or Code Editor, but the AppImageConfig has a KernelGatewayImageConfig block.
//! The declaration, its messages, its check, its examples and its tests.

use crate::context::Context;
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::rules::studio_errors;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "RUN014",
    name: "kernel-gateway-config-for-new-app",
    section: Section::RunningTheImage,
    spec: "New Studio: an image for JupyterLab or Code Editor is configured by JupyterLabAppImageConfig / CodeEditorAppImageConfig \
(attached through JupyterLabAppSettings.CustomImages / CodeEditorAppSettings.CustomImages); a KernelGatewayImageConfig on \
an image attached for JupyterLab makes the space hang (sagemaker-distribution #178).",
    severity: Severity::Error,
    stage: Stage::ServerStart,
    profiles: Profile::NEW_APPS,
    requires: &[&[InputKind::AppImageConfig]],
    needs_files: &[],
    summary: "The image is checked for JupyterLab or Code Editor, but the AppImageConfig has a KernelGatewayImageConfig block.",
    explanation: "KernelGatewayImageConfig configures Studio Classic's KernelGateway app (kernel list, EFS mount). The new \
Studio's apps read JupyterLabAppImageConfig or CodeEditorAppImageConfig instead; users report spaces that hang while \
starting when the image's config carries a KernelGateway block (sagemaker-distribution issue #178).",
    fix: "Replace the KernelGatewayImageConfig block with a JupyterLabAppImageConfig or CodeEditorAppImageConfig block (optionally with a ContainerConfig).",
    explains: &[
        studio_errors::INTERNAL_FAILURE,
        studio_errors::INTERNAL_ERROR,
        studio_errors::SPACE_PENDING,
    ],
    examples: &[
        Example::bad().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}]}}"#),
        Example::good().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "JupyterLabAppImageConfig": {}}"#),
    ],
    check,
};

/// What RUN014 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    /// `app`: the profile's app in words; `pointer`: the KernelGatewayImageConfig block.
    pub fn kernel_gateway_block(app: &str, pointer: &str) -> String {
        format!(
            "The image is checked for {app}, but the AppImageConfig configures a Studio Classic KernelGateway app ({pointer}); a space started with it can hang."
        )
    }

    pub fn fix_for(block: &str) -> String {
        format!("Replace the KernelGatewayImageConfig block with a {block} block (optionally with a ContainerConfig).")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(config) = ctx.app_image_config() else { return };
    let Some(kg) = &config.kernel_gateway else { return };
    let block = match ctx.profile {
        Profile::StudioClassic => return,
        Profile::JupyterLab => "JupyterLabAppImageConfig",
        Profile::CodeEditor => "CodeEditorAppImageConfig",
    };
    out.report(message::kernel_gateway_block(ctx.profile.app(), &kg.pointer))
        .at_all(evidence::app_image_config(ctx, &kg.pointer, None))
        .fix(message::fix_for(block));
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use crate::vocabulary::Profile;

    #[test]
    fn kernel_gateway_block_for_a_jupyterlab_image_fails() {
        let found = findings_as(&facts(None, None, Some(app_image_config_with_kernel("python3"))), "RUN014", Profile::JupyterLab);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("JupyterLab app") && found[0].message.contains("/KernelGatewayImageConfig"),
            "{}",
            found[0].message
        );
        assert_eq!(located_at(&found[0]), ["app-image-config.json /KernelGatewayImageConfig"]);
        assert!(found[0].fix.contains("JupyterLabAppImageConfig"));
    }

    #[test]
    fn code_editor_fix_names_its_block() {
        let found = findings_as(&facts(None, None, Some(app_image_config_with_kernel("python3"))), "RUN014", Profile::CodeEditor);
        assert!(found[0].fix.contains("CodeEditorAppImageConfig"));
    }

    #[test]
    fn a_jupyterlab_block_passes_and_classic_does_not_run_it() {
        let c = app_image_config(r#"{"AppImageConfigName": "x", "JupyterLabAppImageConfig": {}}"#);
        assert!(findings_as(&facts(None, None, Some(c)), "RUN014", Profile::JupyterLab).is_empty());
        let kg = facts(None, None, Some(app_image_config_with_kernel("python3")));
        assert!(findings_as(&kg, "RUN014", Profile::StudioClassic).is_empty());
        // Under auto the KernelGateway block chooses Studio Classic, so the rule stays silent.
        assert!(findings(&kg, "RUN014").is_empty());
    }
}
