//! KERN006 `kernel-specs-invalid`: KernelSpecs breaks the API's limits (required, 1 to 5 entries, names up to 1024 characters).
//! The declaration, its messages, its check, its examples and its tests.

use crate::context::Context;
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "KERN006",
    name: "kernel-specs-invalid",
    section: Section::KernelDiscovery,
    spec: super::SPEC_LIST,
    severity: Severity::Error,
    stage: Stage::Register,
    profiles: Profile::CLASSIC,
    requires: &[&[InputKind::AppImageConfig]],
    needs_files: &[],
    summary: "KernelSpecs breaks the API's limits (required, 1 to 5 entries, names up to 1024 characters).",
    explanation: "In a KernelGatewayImageConfig, KernelSpecs is required and holds 1 to 5 kernel specs (only 1 in the \
API until late 2023 — older SDKs and CLIs still reject more); each needs a Name of 1 to 1024 characters and may have \
a DisplayName of up to 1024. CreateAppImageConfig refuses anything else.",
    fix: "List between 1 and 5 kernels, each with a Name.",
    explains: &[],
    examples: &[
        Example::bad().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {}}"#),
        Example::good().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100}}}"#),
    ],
    check,
};

const MAX_SPECS: usize = 5;
const MAX_LEN: usize = 1024;

/// What KERN006 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn missing() -> String {
        String::from("KernelGatewayImageConfig has no KernelSpecs; the API requires at least one kernel.")
    }

    pub fn empty() -> String {
        String::from("KernelSpecs is empty; the API requires 1 to 5 kernels.")
    }

    pub fn too_many(count: usize, max: usize) -> String {
        format!("KernelSpecs lists {count} kernels; the API allows at most {max}.")
    }

    pub fn name_length(len: usize, max: usize) -> String {
        format!("KernelSpecs Name has {len} characters; it needs 1 to {max}.")
    }

    pub fn display_name_length(len: usize, max: usize) -> String {
        format!("DisplayName has {len} characters; the API allows {max}.")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(config) = ctx.app_image_config() else { return };
    let Some(kg) = &config.kernel_gateway else {
        return;
    };
    let Some(specs) = &kg.kernel_specs else {
        out.report(message::missing()).at_all(evidence::app_image_config(ctx, &kg.pointer, None));
        return;
    };
    match specs.value.len() {
        0 => {
            out.report(message::empty()).at_all(evidence::app_image_config(ctx, &specs.pointer, None));
        }
        n if n > MAX_SPECS => {
            out.report(message::too_many(n, MAX_SPECS)).at_all(evidence::app_image_config(ctx, &specs.pointer, None));
        }
        _ => {}
    }
    for spec in &specs.value {
        if let Some(name) = &spec.name {
            let len = name.value.chars().count();
            if len == 0 || len > MAX_LEN {
                out.report(message::name_length(len, MAX_LEN)).at_all(evidence::app_image_config(ctx, &name.pointer, None));
            }
        }
        if let Some(display) = spec.display_name.as_ref().filter(|d| d.value.chars().count() > MAX_LEN) {
            out.report(message::display_name_length(display.value.chars().count(), MAX_LEN)).at_all(evidence::app_image_config(
                ctx,
                &display.pointer,
                None,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn six_kernel_specs_exceed_the_limit() {
        let specs: alloc::vec::Vec<alloc::string::String> = (0..6).map(|i| alloc::format!(r#"{{"Name": "k{i}"}}"#)).collect();
        let c = app_image_config(&alloc::format!(
            r#"{{"AppImageConfigName": "x", "KernelGatewayImageConfig": {{"KernelSpecs": [{}]}}}}"#,
            specs.join(",")
        ));
        let found = findings(&facts(None, None, Some(c)), "KERN006");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["app-image-config.json /KernelGatewayImageConfig/KernelSpecs"]);
        assert!(found[0].message.contains("lists 6 kernels"), "{}", found[0].message);
    }

    #[test]
    fn missing_kernel_specs_fail() {
        let c = app_image_config(r#"{"AppImageConfigName": "x", "KernelGatewayImageConfig": {}}"#);
        let found = findings(&facts(None, None, Some(c)), "KERN006");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["app-image-config.json /KernelGatewayImageConfig"]);
        assert!(found[0].message.contains("has no KernelSpecs"), "{}", found[0].message);
    }

    #[test]
    fn one_kernel_spec_passes() {
        assert!(findings(&facts(None, None, Some(app_image_config_with_kernel("python3"))), "KERN006").is_empty());
    }
}
