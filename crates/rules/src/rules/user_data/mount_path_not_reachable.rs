//! HOME004 `mount-path-not-reachable`: A directory above MountPath is not searchable by the user Studio runs as.
//! The declaration, its messages, its check, its examples and its tests.

use crate::context::Context;
use crate::facts::fs::parent;
use crate::facts::FileKind;
use crate::report::Findings;
use crate::report::Location;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "HOME004",
    name: "mount-path-not-reachable",
    section: Section::UserData,
    spec: super::SPEC_MOUNT,
    severity: Severity::Warning,
    stage: Stage::ContainerStart,
    profiles: Profile::EVERY,
    requires: &[&[InputKind::Image, InputKind::Dockerfile]],
    needs_files: crate::rules::uid_gid::USER_FILES,
    summary: "A directory above MountPath is not searchable by the user Studio runs as.",
    explanation: "To use its home directory the user must be able to traverse every directory above it. A MountPath \
under /root (mode 0700) with user 1000, for instance, leaves the user unable to reach its own files. With only a \
Dockerfile, the mode of /root of a base image in the table of base images is assumed (0700 on Debian and Ubuntu), \
and the finding says so.",
    fix: "Choose a MountPath the user can reach, or make the parent directories searchable (`chmod o+x`).",
    explains: &[],
    examples: &[
        Example::bad().image(r#"studio-image
dir /root 0:0 700"#).app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"MountPath": "/root/data", "DefaultUid": 1000, "DefaultGid": 100}}}"#),
        Example::bad().dockerfile(r#"FROM python:3.11
RUN useradd -m -u 1000 -g 100 sagemaker-user
USER sagemaker-user
"#).app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"MountPath": "/root/data", "DefaultUid": 1000, "DefaultGid": 100}}}"#),
        Example::good().image(r#"studio-image
dir /root 0:0 700"#).app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100}}}"#),
    ],
    check,
};

/// Whether (uid, gid) may search (execute) a directory with this owner and mode.
fn searchable(uid: u64, gid: u64, owner: u64, group: u64, mode: u32) -> bool {
    uid == 0
        || (owner == uid && mode & 0o100 != 0)
        || (owner != uid && group == gid && mode & 0o010 != 0)
        || (owner != uid && group != gid && mode & 0o001 != 0)
}

/// What HOME004 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    /// `dir` with its owner and permission bits blocks `uid`/`gid` on the way to `mount`;
    /// `assumed` says where the mode comes from when it is not the archive's.
    pub fn not_searchable(dir: &str, owner: (u64, u64), mode: u32, user: (u64, u64), mount: &str, assumed: Option<&str>) -> String {
        let ((owner_uid, owner_gid), (uid, gid)) = (owner, user);
        let assumed = assumed.map(|a| format!(", {a}")).unwrap_or_default();
        format!(
            "{dir} (owner {owner_uid}:{owner_gid}, mode {:04o}{assumed}) is not searchable by uid/gid {uid}/{gid}, so the user cannot reach {mount}.",
            mode & 0o7777
        )
    }
}

/// The uid/gid Studio runs the app as: the AppImageConfig's, else the image's user.
fn studio_ids(ctx: &Context<'_>, image_user: Option<(Option<u64>, Option<u64>)>) -> Option<(u64, u64)> {
    match ctx.app_image_config() {
        Some(c) => {
            let ((u, _), (g, _)) = c.uid_gid();
            Some((u.max(0) as u64, g.max(0) as u64))
        }
        None => match image_user {
            Some((Some(u), Some(g))) => Some((u, g)),
            _ => None,
        },
    }
}

/// Without the archive: a MountPath under /root, whose mode the table knows for the base image
/// (a Dockerfile that changes /root's mode is taken at its word: nothing assumed).
fn check_dockerfile(ctx: &Context<'_>, out: &mut Findings) {
    let (Some(base), Some(stage)) = (ctx.base_image(), ctx.stage()) else { return };
    let Some(mode) = base.row.root_mode.known() else { return };
    let changes_root = stage.runs.iter().any(|(text, _)| (text.contains("chmod") || text.contains("install -d")) && text.contains("/root"));
    if !ctx.mount_path.starts_with("/root/") || changes_root {
        return;
    }
    let user = crate::rules::uid_gid::effective_user(ctx).map(|u| (u.uid, u.gid));
    let Some((uid, gid)) = studio_ids(ctx, user) else { return };
    if searchable(uid, gid, 0, 0, mode) {
        return;
    }
    let assumed = base.assumed();
    let finding = out.report(message::not_searchable("/root", (0, 0), mode, (uid, gid), &ctx.mount_path, Some(&assumed)));
    if let Some(pointer) = &ctx.mount_pointer {
        finding.at_all(evidence::app_image_config(ctx, pointer, Some(ctx.mount_path.clone())));
    }
    finding.at_all(evidence::base_image_from(ctx));
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(model) = &ctx.image else { return check_dockerfile(ctx, out) };
    let Some((uid, gid)) = studio_ids(ctx, Some((model.user.uid, model.user.gid))) else { return };
    let mut dir = parent(&ctx.mount_path);
    loop {
        if let Some(entry) = model.facts.files.get(dir).filter(|e| e.kind == FileKind::Directory) {
            if !searchable(uid, gid, entry.uid, entry.gid, entry.mode) {
                out.report(message::not_searchable(dir, (entry.uid, entry.gid), entry.mode, (uid, gid), &ctx.mount_path, None))
                    .at(Location::image_file(entry));
                return;
            }
        }
        if dir == "/" {
            return;
        }
        dir = parent(dir);
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn mount_under_private_root_home_is_unreachable_for_user_1000() {
        let image = ImageBuilder::good().dir_mode("/root", 0o700).build();
        let c = app_image_config(
            r#"{"AppImageConfigName": "x", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"MountPath": "/root/data", "DefaultUid": 1000, "DefaultGid": 100}}}"#,
        );
        let found = findings(&facts(Some(image), None, Some(c)), "HOME004");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["/root (directory, layer 0, 0:0, mode 0700)"]);
        assert!(found[0].message.contains("/root (owner 0:0, mode 0700) is not searchable by uid/gid 1000/100"), "{}", found[0].message);
    }

    fn classic_config_mounting(path: &str) -> crate::facts::AppImageConfigFacts {
        app_image_config(&alloc::format!(
            r#"{{"AppImageConfigName": "x", "KernelGatewayImageConfig": {{"KernelSpecs": [{{"Name": "python3"}}], "FileSystemConfig": {{"MountPath": "{path}", "DefaultUid": 1000, "DefaultGid": 100}}}}}}"#
        ))
    }

    #[test]
    fn mount_under_root_of_a_debian_base_is_unreachable_from_the_dockerfile_alone() {
        let df = DockerfileBuilder::from("python:3.11").user("1000", Some(1000), Some(100)).build();
        let found = findings(&facts(None, Some(df), Some(classic_config_mounting("/root/data"))), "HOME004");
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains(
                "/root (owner 0:0, mode 0700, assumed from the base image python:3.11 (table row `python:*`)) is not searchable by uid/gid 1000/100"
            ),
            "{}",
            found[0].message
        );
        assert_eq!(
            located_at(&found[0]),
            ["app-image-config.json /KernelGatewayImageConfig/FileSystemConfig/MountPath = /root/data", "Dockerfile:1: FROM python:3.11"]
        );
    }

    #[test]
    fn mount_under_root_stays_unjudged_when_the_base_or_its_mode_is_unknown_or_changed() {
        let config = || Some(classic_config_mounting("/root/data"));
        // Not in the table; in the table without a known /root mode (Amazon Linux).
        for base in ["example.com/team/base:1", "public.ecr.aws/amazonlinux/amazonlinux:2"] {
            let df = DockerfileBuilder::from(base).user("1000", Some(1000), Some(100)).build();
            assert!(findings(&facts(None, Some(df), config()), "HOME004").is_empty(), "{base}");
        }
        // The Dockerfile opens /root itself.
        let df = DockerfileBuilder::from("python:3.11")
            .with("RUN chmod 755 /root", |s, span| s.runs.push(("chmod 755 /root".into(), span)))
            .build();
        assert!(findings(&facts(None, Some(df), config()), "HOME004").is_empty());
        // Root itself, or a MountPath outside /root.
        let df = DockerfileBuilder::from("python:3.11").build();
        assert!(findings(&facts(None, Some(df.clone()), Some(app_image_config(r#"{"AppImageConfigName": "x", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"MountPath": "/root/data", "DefaultUid": 0, "DefaultGid": 0}}}"#))), "HOME004").is_empty());
        assert!(findings(&facts(None, Some(df), Some(classic_config_mounting("/home/sagemaker-user"))), "HOME004").is_empty());
    }

    #[test]
    fn root_reaches_everything_and_home_is_world_searchable() {
        let image = ImageBuilder::good().dir_mode("/root", 0o700).build();
        let c = app_image_config(
            r#"{"AppImageConfigName": "x", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"MountPath": "/root/data", "DefaultUid": 0, "DefaultGid": 0}}}"#,
        );
        assert!(findings(&facts(Some(image.clone()), None, Some(c)), "HOME004").is_empty());
        assert!(findings(&facts(Some(image), None, Some(app_image_config_with_kernel("python3"))), "HOME004").is_empty());
    }
}
