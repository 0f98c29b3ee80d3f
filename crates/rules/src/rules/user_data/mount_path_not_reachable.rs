//! HOME004 `mount-path-not-reachable`: A directory above MountPath is not searchable by the user Studio runs as.
//! The declaration, its messages, its check, its examples and its tests.

use crate::context::Context;
use crate::facts::fs::parent;
use crate::facts::FileKind;
use crate::report::Findings;
use crate::report::Location;
use crate::rule::{Example, Rule};
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "HOME004",
    name: "mount-path-not-reachable",
    section: Section::UserData,
    spec: super::SPEC_MOUNT,
    severity: Severity::Warning,
    stage: Stage::ContainerStart,
    profiles: Profile::EVERY,
    requires: &[&[InputKind::Image]],
    needs_files: crate::rules::uid_gid::USER_FILES,
    summary: "A directory above MountPath is not searchable by the user Studio runs as.",
    explanation: "To use its home directory the user must be able to traverse every directory above it. A MountPath \
under /root (mode 0700) with user 1000, for instance, leaves the user unable to reach its own files.",
    fix: "Choose a MountPath the user can reach, or make the parent directories searchable (`chmod o+x`).",
    explains: &[],
    examples: &[
        Example::bad().image(r#"studio-image
dir /root 0:0 700"#).app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"MountPath": "/root/data", "DefaultUid": 1000, "DefaultGid": 100}}}"#),
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

    /// `dir` with its owner and permission bits blocks `uid`/`gid` on the way to `mount`.
    pub fn not_searchable(dir: &str, owner: (u64, u64), mode: u32, user: (u64, u64), mount: &str) -> String {
        let ((owner_uid, owner_gid), (uid, gid)) = (owner, user);
        format!(
            "{dir} (owner {owner_uid}:{owner_gid}, mode {:04o}) is not searchable by uid/gid {uid}/{gid}, so the user cannot reach {mount}.",
            mode & 0o7777
        )
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(model) = &ctx.image else { return };
    let (uid, gid) = match ctx.app_image_config() {
        Some(c) => {
            let ((u, _), (g, _)) = c.uid_gid();
            (u.max(0) as u64, g.max(0) as u64)
        }
        None => match (model.user.uid, model.user.gid) {
            (Some(u), Some(g)) => (u, g),
            _ => return,
        },
    };
    let mut dir = parent(&ctx.mount_path);
    loop {
        if let Some(entry) = model.facts.files.get(dir).filter(|e| e.kind == FileKind::Directory) {
            if !searchable(uid, gid, entry.uid, entry.gid, entry.mode) {
                out.report(message::not_searchable(dir, (entry.uid, entry.gid), entry.mode, (uid, gid), &ctx.mount_path))
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
