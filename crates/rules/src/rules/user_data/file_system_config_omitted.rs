//! HOME005 `file-system-config-omitted`: FileSystemConfig (or one of its fields) is left to its defaults.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::vec::Vec;

use crate::context::Context;
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "HOME005",
    name: "file-system-config-omitted",
    section: Section::UserData,
    spec: "You can specify these values using the CreateAppImageConfig API.",
    severity: Severity::Info,
    stage: Stage::ContainerStart,
    profiles: Profile::CLASSIC,
    requires: &[&[InputKind::AppImageConfig]],
    needs_files: &[],
    summary: "FileSystemConfig (or one of its fields) is left to its defaults.",
    explanation: "Without FileSystemConfig, Studio mounts the home directory at /home/sagemaker-user and expects uid/gid \
1000/100. That is fine when the image matches, but the defaults are invisible in the config, and some tools \
(Terraform, per aws/amazon-sagemaker-feedback#128) ended in InternalFailure until they were spelled out.",
    fix: "Write FileSystemConfig out in full: {\"MountPath\": \"/home/sagemaker-user\", \"DefaultUid\": 1000, \"DefaultGid\": 100} (or your values).",
    explains: &[],
    examples: &[
        Example::bad().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}]}}"#),
        Example::good().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100}}}"#),
    ],
    check,
};

/// What HOME005 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    /// `missing`: the FileSystemConfig fields (or the block itself) not set.
    pub fn defaults_used(missing: &[&str]) -> String {
        let names: alloc::vec::Vec<String> = missing.iter().map(|m| String::from(*m)).collect();
        format!(
            "{} {} not set, so Studio uses its defaults (MountPath /home/sagemaker-user, DefaultUid 1000, DefaultGid 100).",
            crate::text::and_list(&names),
            if missing.len() == 1 { "is" } else { "are" }
        )
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(config) = ctx.app_image_config() else { return };
    let Some(kg) = &config.kernel_gateway else {
        return;
    };
    let missing: Vec<&str> = match &kg.file_system {
        None => alloc::vec!["FileSystemConfig"],
        Some(fs) => {
            [("MountPath", fs.mount_path.is_some()), ("DefaultUid", fs.default_uid.is_some()), ("DefaultGid", fs.default_gid.is_some())]
                .into_iter()
                .filter(|(_, present)| !present)
                .map(|(name, _)| name)
                .collect()
        }
    };
    if missing.is_empty() {
        return;
    }
    let pointer = kg.file_system.as_ref().map(|f| f.pointer.as_str()).unwrap_or(kg.pointer.as_str());
    out.report(message::defaults_used(&missing)).at_all(evidence::app_image_config(ctx, pointer, None));
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn omitted_file_system_config_is_noted() {
        let c = app_image_config(r#"{"AppImageConfigName": "x", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}]}}"#);
        let found = findings(&facts(None, None, Some(c)), "HOME005");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["app-image-config.json /KernelGatewayImageConfig"]);
        assert!(found[0].message.contains("FileSystemConfig is not set"), "{}", found[0].message);
    }

    #[test]
    fn complete_file_system_config_passes() {
        assert!(findings(&facts(None, None, Some(app_image_config_with_kernel("python3"))), "HOME005").is_empty());
    }
}
