//! RUN013 `file-system-config-in-new-app`: A JupyterLab or Code Editor block of the AppImageConfig has a FileSystemConfig, which the API does not support there.
//! The declaration, its messages, its check, its examples and its tests.

use crate::context::Context;
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "RUN013",
    name: "file-system-config-in-new-app",
    section: Section::RunningTheImage,
    spec: "JupyterLabAppImageConfig / CodeEditorAppImageConfig (CreateAppImageConfig API): \"The FileSystemConfig object is not supported.\" \
(New Studio: \"The Amazon EBS volume for your space is mounted on the path /home/sagemaker-user. You can't change the mount path.\")",
    severity: Severity::Error,
    stage: Stage::Register,
    profiles: Profile::NEW_APPS,
    requires: &[&[InputKind::AppImageConfig]],
    needs_files: &[],
    summary: "A JupyterLab or Code Editor block of the AppImageConfig has a FileSystemConfig, which the API does not support there.",
    explanation: "In the new Studio the space's EBS volume is always mounted at /home/sagemaker-user and the app runs as \
1000/100; the API documents FileSystemConfig inside JupyterLabAppImageConfig and CodeEditorAppImageConfig as not \
supported, so a MountPath or DefaultUid/DefaultGid there does not do what it says (it belongs to Studio Classic's \
KernelGatewayImageConfig).",
    fix: "Remove the FileSystemConfig from the block; put files the image needs outside /home/sagemaker-user.",
    explains: &[],
    examples: &[
        Example::bad().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "JupyterLabAppImageConfig": {"FileSystemConfig": {"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100}}}"#),
        Example::good().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "JupyterLabAppImageConfig": {}}"#),
    ],
    check,
};

/// What RUN013 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    /// `pointer`: the FileSystemConfig's JSON pointer.
    pub fn not_supported(pointer: &str) -> String {
        format!(
            "The AppImageConfig has a FileSystemConfig at {pointer}, which the API does not support for the new Studio's apps: the space's EBS volume is fixed at /home/sagemaker-user."
        )
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(config) = ctx.app_image_config() else { return };
    for pointer in config.new_app_blocks.iter().filter_map(|b| b.file_system.as_deref()) {
        out.report(message::not_supported(pointer)).at_all(evidence::app_image_config(ctx, pointer, None));
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use crate::vocabulary::Profile;

    #[test]
    fn file_system_config_in_a_code_editor_block_fails() {
        let c =
            app_image_config(r#"{"AppImageConfigName": "x", "CodeEditorAppImageConfig": {"FileSystemConfig": {"MountPath": "/home/x"}}}"#);
        let found = findings_as(&facts(None, None, Some(c)), "RUN013", Profile::CodeEditor);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("/CodeEditorAppImageConfig/FileSystemConfig"), "{}", found[0].message);
        assert_eq!(located_at(&found[0]), ["app-image-config.json /CodeEditorAppImageConfig/FileSystemConfig"]);
    }

    #[test]
    fn a_block_without_file_system_config_passes() {
        let c = app_image_config(r#"{"AppImageConfigName": "x", "JupyterLabAppImageConfig": {"ContainerConfig": {}}}"#);
        assert!(findings_as(&facts(None, None, Some(c)), "RUN013", Profile::JupyterLab).is_empty());
    }

    #[test]
    fn kernel_gateway_file_system_config_is_not_this_rule() {
        let found = findings_as(&facts(None, None, Some(app_image_config_with_kernel("python3"))), "RUN013", Profile::JupyterLab);
        assert!(found.is_empty());
    }
}
