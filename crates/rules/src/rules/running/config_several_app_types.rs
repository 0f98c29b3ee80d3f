//! RUN010 `config-several-app-types`: The AppImageConfig configures several app types at once.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::string::String;
use alloc::vec::Vec;

use crate::context::Context;
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "RUN010",
    name: "config-several-app-types",
    section: Section::RunningTheImage,
    spec: super::SPEC_ENTRYPOINT,
    severity: Severity::Warning,
    stage: Stage::ServerStart,
    profiles: Profile::CLASSIC,
    requires: &[&[InputKind::AppImageConfig]],
    needs_files: &[],
    summary: "The AppImageConfig configures several app types at once.",
    explanation: "The API accepts KernelGateway, JupyterLab and Code Editor blocks together, but a config is attached \
for one app type, and tools such as Pulumi require exactly one. The extra blocks are ignored at best and confusing \
at worst (the JupyterLab block's FileSystemConfig is \"not supported\").",
    fix: "Keep only the KernelGatewayImageConfig block for a Studio Classic image; make a separate config for JupyterLab or Code Editor.",
    explains: &[],
    examples: &[
        Example::bad().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}]}, "CodeEditorAppImageConfig": {}}"#),
        Example::good().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100}}}"#),
    ],
    check,
};

/// What RUN010 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn several(kernel_gateway: &str, others: &[String]) -> String {
        format!("Besides {kernel_gateway}, the config also has {}.", crate::text::and_list(others))
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(config) = ctx.app_image_config() else { return };
    let Some(kg) = &config.kernel_gateway else {
        return;
    };
    let others: Vec<String> = [&config.jupyter_lab, &config.code_editor].into_iter().flatten().cloned().collect();
    if others.is_empty() {
        return;
    }
    out.report(message::several(&kg.pointer, &others)).at_all(others.iter().filter_map(|p| evidence::app_image_config(ctx, p, None)));
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn kernel_gateway_plus_code_editor_blocks_warn() {
        let c = app_image_config(
            r#"{"AppImageConfigName": "x", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}]}, "CodeEditorAppImageConfig": {}}"#,
        );
        let found = findings(&facts(None, None, Some(c)), "RUN010");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["app-image-config.json /CodeEditorAppImageConfig"]);
        assert!(found[0].message.contains("/CodeEditorAppImageConfig"), "{}", found[0].message);
    }

    #[test]
    fn a_single_block_passes() {
        assert!(findings(&facts(None, None, Some(app_image_config_with_kernel("python3"))), "RUN010").is_empty());
    }
}
