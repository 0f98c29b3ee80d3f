//! KERN005 `kernel-spec-name-never-matches`: A KernelSpecs Name has capitals or characters no kernel name can have.
//! The declaration, its messages, its check, its examples and its tests.

use crate::context::Context;
use crate::kernel_discovery::kernel_name_can_exist;
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::rules::studio_errors;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "KERN005",
    name: "kernel-spec-name-never-matches",
    section: Section::KernelDiscovery,
    spec: super::SPEC_LIST,
    severity: Severity::Error,
    stage: Stage::KernelDiscovery,
    profiles: Profile::CLASSIC,
    requires: &[&[InputKind::AppImageConfig]],
    needs_files: &[],
    summary: "A KernelSpecs Name has capitals or characters no kernel name can have.",
    explanation: "Jupyter names a kernel after its spec directory, lower-cased, and kernel names only hold \
`a-z 0-9 . _ -`; the AWS API compares KernelSpecs Name case-sensitively. A Name such as `Python3` or `my env` can \
therefore never match any kernel, whatever the image contains.",
    fix: "Write the kernel name in lower case, exactly as `jupyter kernelspec list` prints it.",
    explains: &[
        studio_errors::KERNEL_NOT_FOUND,
    ],
    examples: &[
        Example::bad().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "Python3"}], "FileSystemConfig": {"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100}}}"#),
        Example::good().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100}}}"#),
    ],
    check,
};

/// What KERN005 says, with typed arguments.
mod message {
    use alloc::format;
    use alloc::string::String;

    /// Lower-casing would make the name possible.
    pub fn has_capitals(name: &str) -> String {
        format!(
            "KernelSpecs Name {name:?} has capitals; Jupyter lower-cases kernel names and Studio compares exactly, so it never matches."
        )
    }

    pub fn impossible_characters(name: &str) -> String {
        format!("KernelSpecs Name {name:?} has characters outside a-z, 0-9, '.', '_' and '-', which no kernel name contains.")
    }

    pub fn fix_lower_case(pointer: &str, lower: &str) -> String {
        format!("Set {pointer} to {lower:?}.")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(config) = ctx.app_image_config() else { return };
    for spec in config.kernel_specs() {
        let Some(name) = spec.name.as_ref().filter(|n| !n.value.is_empty() && !kernel_name_can_exist(&n.value)) else {
            continue;
        };
        let lower = name.value.to_lowercase();
        let fixable = kernel_name_can_exist(&lower);
        let text = if fixable { message::has_capitals(&name.value) } else { message::impossible_characters(&name.value) };
        let finding = out.report(text);
        finding.at_all(evidence::app_image_config(ctx, &name.pointer, Some(name.value.clone())));
        if fixable {
            finding.fix(message::fix_lower_case(&name.pointer, &lower));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn capitalised_kernel_name_never_matches() {
        let found = findings(&facts(None, None, Some(app_image_config_with_kernel("Python3"))), "KERN005");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["app-image-config.json /KernelGatewayImageConfig/KernelSpecs/0/Name = Python3"]);
        assert!(found[0].fix.contains("\"python3\""));
    }

    #[test]
    fn lower_case_kernel_name_passes() {
        assert!(findings(&facts(None, None, Some(app_image_config_with_kernel("conda-env-my_env-py"))), "KERN005").is_empty());
    }
}
