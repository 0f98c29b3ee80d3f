//! UID002 `uid-gid-mismatch`: The image's default user is not the DefaultUid/DefaultGid the AppImageConfig declares.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::format;

use crate::context::Context;
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::rules::studio_errors;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

use super::{effective_user, ids};

pub const RULE: Rule = Rule {
    id: "UID002",
    name: "uid-gid-mismatch",
    section: Section::GidUidLimits,
    spec: "SageMaker configures POSIX UID/GID mappings between the image and the host. … You can specify these values using the CreateAppImageConfig API.",
    severity: Severity::Error,
    stage: Stage::ContainerStart,
    profiles: Profile::CLASSIC,
    requires: &[&[InputKind::AppImageConfig], &[InputKind::Image, InputKind::Dockerfile]],
    needs_files: super::USER_FILES,
    summary: "The image's default user is not the DefaultUid/DefaultGid the AppImageConfig declares.",
    explanation: "Studio maps the AppImageConfig's DefaultUid/DefaultGid (1000/100 when absent) onto the EFS home \
directory and expects the image's default user to be exactly that. When they differ the app does not start: \
\"Ensure that the UID/GID provided in the AppImageConfig matches the default UID/GID defined in the image.\"",
    fix: "Make them equal: change the image's USER, or set FileSystemConfig DefaultUid/DefaultGid to the image's uid/gid (only 1000/100 or 0/0 are supported).",
    explains: &[
        studio_errors::UID_GID_MISMATCH,
    ],
    examples: &[
        Example::bad().image(r#"studio-image
user 0"#).app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100}}}"#),
        Example::good().image(r#"studio-image"#).app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100}}}"#),
    ],
    check,
};

/// What UID002 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    /// `declared`: whether the AppImageConfig sets the ids (else they are Studio's defaults).
    pub fn mismatch(who: &str, image_ids: &str, declared: bool, uid: i64, gid: i64) -> String {
        let source = if declared { "the AppImageConfig declares" } else { "the AppImageConfig leaves at its default" };
        format!(
            "{who} runs as {image_ids}, but {source} DefaultUid/DefaultGid {uid}/{gid}; Studio fails with \"Ensure that the UID/GID provided in the AppImageConfig matches the default UID/GID defined in the image\"."
        )
    }

    pub fn fix_config(image_uid: u64, image_gid: u64, uid: i64, gid: i64) -> String {
        format!("Set FileSystemConfig DefaultUid to {image_uid} and DefaultGid to {image_gid} (or change the image's user to {uid}/{gid}).")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let (Some(config), Some(user)) = (ctx.app_image_config(), effective_user(ctx)) else {
        return;
    };
    let ((uid, uid_ptr), (gid, gid_ptr)) = config.uid_gid();
    let uid_differs = user.uid.is_some_and(|u| u as i64 != uid);
    let gid_differs = user.gid.is_some_and(|g| g as i64 != gid);
    if !uid_differs && !gid_differs {
        return;
    }
    let declared = uid_ptr.is_some() || gid_ptr.is_some();
    let finding = out.report(message::mismatch(&user.description, &ids(user.uid, user.gid), declared, uid, gid));
    finding.at_all(user.locations);
    if user.assumed {
        finding.severity(crate::vocabulary::Severity::Warning);
    }
    for (ptr, value) in [(uid_ptr, uid), (gid_ptr, gid)] {
        if let Some(p) = ptr {
            finding.at_all(evidence::app_image_config(ctx, p, Some(format!("{value}"))));
        }
    }
    if let (Some(u), Some(g)) = (user.uid, user.gid) {
        if super::supported(u, g) {
            finding.fix(message::fix_config(u, g, uid, gid));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn root_image_with_default_1000_100_config_fails_with_a_config_fix() {
        let image = ImageBuilder::good().user("").build();
        let found = findings(&facts(Some(image), None, Some(app_image_config_with_kernel("python3"))), "UID002");
        assert_eq!(found.len(), 1);
        assert_eq!(
            located_at(&found[0]),
            [
                "image config User = \"\"",
                "/etc/passwd (file, layer 0, 0:0, mode 0644, 90 B)",
                "app-image-config.json /KernelGatewayImageConfig/FileSystemConfig/DefaultUid = 1000",
                "app-image-config.json /KernelGatewayImageConfig/FileSystemConfig/DefaultGid = 100"
            ]
        );
        assert!(found[0].fix.contains("DefaultUid to 0"), "{}", found[0].fix);
    }

    #[test]
    fn dockerfile_user_differs_from_config() {
        let df = DockerfileBuilder::from("python:3.11").user("1000", Some(1000), Some(1000)).build();
        let found = findings(&facts(None, Some(df), Some(app_image_config_with_kernel("python3"))), "UID002");
        assert_eq!(found.len(), 1);
        assert_eq!(
            located_at(&found[0]),
            [
                "Dockerfile:2: USER 1000",
                "app-image-config.json /KernelGatewayImageConfig/FileSystemConfig/DefaultUid = 1000",
                "app-image-config.json /KernelGatewayImageConfig/FileSystemConfig/DefaultGid = 100"
            ]
        );
        assert!(
            found[0].message.contains("`USER 1000` runs as 1000/1000, but the AppImageConfig declares DefaultUid/DefaultGid 1000/100"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn base_image_user_assumed_from_the_table_differs_from_config() {
        // Classic config 1000/100 on python, which runs as root: a warning, as the ids are assumed.
        let df = DockerfileBuilder::from("python:3.11").build();
        let found = findings(&facts(None, Some(df), Some(app_image_config_with_kernel("python3"))), "UID002");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, crate::vocabulary::Severity::Warning);
        assert!(
            found[0].message.starts_with(
                "The base image's user root (assumed from the base image python:3.11 (table row `python:*`)) runs as 0/0, but the AppImageConfig"
            ),
            "{}",
            found[0].message
        );
        assert_eq!(located_at(&found[0])[0], "Dockerfile:1: FROM python:3.11");
        // Without the table's row nothing is known about the base's user.
        let df = DockerfileBuilder::from("example.com/team/base:1").build();
        assert!(findings(&facts(None, Some(df), Some(app_image_config_with_kernel("python3"))), "UID002").is_empty());
    }

    #[test]
    fn matching_user_and_config_pass() {
        assert!(
            findings(&facts(Some(ImageBuilder::good().build()), None, Some(app_image_config_with_kernel("python3"))), "UID002").is_empty()
        );
    }
}
