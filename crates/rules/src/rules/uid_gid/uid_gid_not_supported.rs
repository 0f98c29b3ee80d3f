//! UID001 `uid-gid-not-supported`: The image's user, or the AppImageConfig's DefaultUid/DefaultGid, is not a pair
//! the app supports: 1000/100 or 0/0 in Studio Classic; 1000/100 in the new apps (root an error, other ids a warning).
//! The declaration, its messages, its check, its examples and its tests.

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::context::Context;
use crate::distribution::{family, Family};
use crate::facts::{DockerfileFacts, DockerfileUser, StageFacts};
use crate::patch::{self, edit};
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::rules::studio_errors;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

use super::{effective_user, ids, supported};

pub const RULE: Rule = Rule {
    id: "UID001",
    name: "uid-gid-not-supported",
    section: Section::GidUidLimits,
    spec: super::SPEC_PAIRS,
    severity: Severity::Error,
    stage: Stage::ContainerStart,
    profiles: Profile::EVERY,
    requires: &[&[InputKind::Image, InputKind::Dockerfile, InputKind::AppImageConfig]],
    needs_files: super::USER_FILES,
    summary: "The image's user, or the AppImageConfig's DefaultUid/DefaultGid, is not 1000/100 (or 0/0 in Studio Classic).",
    explanation: "Studio Classic maps exactly two uid/gid pairs between the image and the EFS home directory: 1000/100 \
(a non-privileged user) and 0/0 (root). An image that runs as, say, 1000/1000 — what `useradd -u 1000 name` gives on \
Debian and Amazon Linux, because it creates a user group — cannot be launched. The new Studio's JupyterLab and Code Editor apps document only 1000/100 (\"UID=1000 is a supported \
value … GID=100 is a supported value\"), and root is reported not to work there: root is an error in those apps and any \
other pair a warning.",
    fix: "Create the user with uid 1000 in group 100 (`useradd -m -u 1000 -g 100 sagemaker-user`, or `-N` on Debian), and set DefaultUid 1000 / DefaultGid 100; or run as root with 0/0.",
    explains: &[
        studio_errors::UID_GID_MISMATCH,
        studio_errors::ROOT_NOT_SUPPORTED,
        studio_errors::SITE_PACKAGES_NOT_WRITEABLE,
        studio_errors::INTERNAL_FAILURE,
    ],
    examples: &[
        Example::bad().image(r#"studio-image
text /etc/passwd root:x:0:0:root:/root:/bin/bash\nsagemaker-user:x:1000:1000::/home/sagemaker-user:/bin/bash"#),
        Example::bad().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"DefaultUid": 1000, "DefaultGid": 1000}}}"#),
        Example::good().image(r#"studio-image"#),
        Example::good().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100}}}"#),
    ],
    check,
};

/// What UID001 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    /// `who`: the image or the Dockerfile's user, in words; `ids`: "1000/1000".
    pub fn image_user(who: &str, ids: &str) -> String {
        format!("{who} runs as uid/gid {ids}; Studio supports only 1000/100 and 0/0.")
    }

    /// The new apps: `who` runs as `ids`, which is root (`root`) or another unsupported pair.
    pub fn new_app_user(who: &str, ids: &str, app: &str, root: bool) -> String {
        if root {
            format!("{who} runs as root ({ids}); {app} supports uid/gid 1000/100, and root is reported not to start there.")
        } else {
            format!("{who} runs as uid/gid {ids}; {app} documents only 1000/100 (the ids are remapped, so a file owned by another id may not be writable).")
        }
    }

    /// `family`: the distribution family the commands are written for (`None`: not known).
    pub fn patch_user(name: &str, family: Option<&str>) -> String {
        let family = match family {
            Some(f) => format!("{f}'s commands"),
            None => String::from("shadow-utils (the base image's family is not known)"),
        };
        format!("Run as {name} with uid 1000 and gid 100, made with {family}.")
    }

    /// `uid_set`/`gid_set`: whether the AppImageConfig sets each (else Studio's default).
    pub fn config_ids(uid: i64, gid: i64, uid_set: bool, gid_set: bool) -> String {
        let range =
            if !(0..=65535).contains(&uid) || !(0..=65535).contains(&gid) { " (the API also limits each to 0–65535)" } else { "" };
        let defaulted = match (uid_set, gid_set) {
            (true, false) => " (DefaultGid is absent, so it defaults to 100)",
            (false, true) => " (DefaultUid is absent, so it defaults to 1000)",
            _ => "",
        };
        format!("The AppImageConfig sets DefaultUid/DefaultGid {uid}/{gid}{defaulted}; Studio supports only 1000/100 and 0/0{range}.")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    if ctx.profile != Profile::StudioClassic {
        return check_new_app(ctx, out);
    }
    if let Some(user) = effective_user(ctx) {
        let unsupported = match (user.uid, user.gid) {
            (Some(uid), Some(gid)) => !supported(uid, gid),
            // The gid is unknown (inherited from the base): only a uid that fits no pair is certain.
            (Some(uid), None) => uid != 0 && uid != 1000,
            _ => false,
        };
        if unsupported {
            let finding = out.report(message::image_user(&user.description, &ids(user.uid, user.gid)));
            finding.at_all(user.locations).patch(user_patch(ctx));
            if user.assumed {
                finding.severity(Severity::Warning);
            }
        }
    }
    if let Some(config) = ctx.app_image_config() {
        let ((uid, uid_ptr), (gid, gid_ptr)) = config.uid_gid();
        if (uid_ptr.is_some() || gid_ptr.is_some()) && !(uid >= 0 && gid >= 0 && supported(uid as u64, gid as u64)) {
            let finding = out.report(message::config_ids(uid, gid, uid_ptr.is_some(), gid_ptr.is_some()));
            for (ptr, value) in [(uid_ptr, uid), (gid_ptr, gid)] {
                if let Some(p) = ptr {
                    finding.at_all(evidence::app_image_config(ctx, p, Some(format!("{value}"))));
                }
            }
        }
    }
}

/// Spec (new Studio): "UID=1000 is a supported value … GID=100 is a supported value". The
/// AppImageConfig has no FileSystemConfig there, so only the image's user is judged.
fn check_new_app(ctx: &Context<'_>, out: &mut Findings) {
    let Some(user) = effective_user(ctx) else { return };
    let (root, other) = match (user.uid, user.gid) {
        (Some(0), _) => (true, false),
        (Some(uid), Some(gid)) => (false, (uid, gid) != (1000, 100)),
        // The gid is unknown (inherited from the base): only a uid other than 1000 is certain.
        (Some(uid), None) => (false, uid != 1000),
        _ => (false, false),
    };
    if root || other {
        let finding = out.report(message::new_app_user(&user.description, &ids(user.uid, user.gid), ctx.profile.app(), root));
        finding.at_all(user.locations).patch(user_patch(ctx));
        if !root || user.assumed {
            finding.severity(Severity::Warning);
        }
    }
}

/// The Dockerfile's user made 1000:100 with the commands of the base image's family: the final
/// `USER` becomes a RUN that changes (or creates) the user, as root, and `USER <name>`. Only when
/// the finding comes from the Dockerfile (an image archive's user is what was built).
fn user_patch(ctx: &Context<'_>) -> Option<patch::Patch> {
    if ctx.image.is_some() {
        return None;
    }
    let user = ctx.stage()?.user.as_ref()?;
    let family = family(ctx.stage()?);
    let name = user.name.clone().filter(|n| n != "root" && !n.contains('$'));
    let (name_after, commands) = user_commands(family, user, name.as_deref());
    let description = message::patch_user(&name_after, family.map(Family::label));
    patch::of_final_stage(ctx, description, |dockerfile, stage| {
        let mut lines = Vec::new();
        if switched_user_before(dockerfile, stage, user) {
            lines.push(String::from("USER root"));
        }
        lines.extend(commands);
        lines.push(format!("USER {name_after}"));
        vec![edit::replace_lines(user.span, lines)]
    })
}

/// The name the user has afterwards and the lines (RUN, ENV) that give it 1000:100. An existing
/// user (created in the Dockerfile or named by USER) is changed; otherwise `sagemaker-user` is made.
fn user_commands(family: Option<Family>, user: &DockerfileUser, name: Option<&str>) -> (String, Vec<String>) {
    const NEW: &str = "sagemaker-user";
    let existing = name.filter(|_| user.created_at.is_some() || user.uid.is_none());
    let run = |command: String| vec![format!("RUN {command}")];
    match (family, existing) {
        (Some(Family::Micromamba), _) => {
            // As SageMaker Distribution does: rename the base image's user and its group.
            let old = name.unwrap_or("mambauser");
            let mut lines = vec![
                format!("RUN usermod --login={NEW} --home=/home/{NEW} --move-home -u 1000 {old} && \\"),
                format!("    groupmod --new-name={NEW} --non-unique -g 100 {old} && \\"),
                format!("    echo {NEW} > /etc/arg_mamba_user"),
            ];
            lines.push(format!("ENV MAMBA_USER={NEW}"));
            (String::from(NEW), lines)
        }
        (Some(Family::Alpine), Some(n)) => (String::from(n), run(format!("deluser {n} && adduser -D -u 1000 -G users {n}"))),
        (Some(Family::Alpine), None) => (String::from(NEW), run(format!("adduser -D -u 1000 -G users {NEW}"))),
        (_, Some(n)) => (String::from(n), run(format!("usermod -u 1000 -g 100 {n}"))),
        (_, None) => (String::from(NEW), run(format!("useradd -m -u 1000 -g 100 {NEW}"))),
    }
}

/// Whether an earlier `USER` of the final stage switched away from root (so the RUN needs
/// `USER root` first).
fn switched_user_before(dockerfile: &DockerfileFacts, stage: &StageFacts, user: &DockerfileUser) -> bool {
    (stage.from.span.end + 1..user.span.start).filter_map(|n| dockerfile.lines.get(n as usize - 1)).any(|line| {
        let mut words = line.split_whitespace();
        words.next().is_some_and(|w| w.eq_ignore_ascii_case("USER")) && words.next().is_some_and(|u| u != "root" && u != "0")
    })
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn user_1000_in_its_own_group_1000_is_not_supported() {
        let image = ImageBuilder::good()
            .text("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nsagemaker-user:x:1000:1000::/home/sagemaker-user:/bin/bash\n")
            .build();
        let found = findings(&facts(Some(image), None, None), "UID001");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["image config User = \"sagemaker-user\"", "/etc/passwd (file, layer 0, 0:0, mode 0644, 91 B)"]);
        assert!(found[0].message.contains("1000/1000"));
    }

    #[test]
    fn dockerfile_useradd_without_group_gives_an_unsupported_pair() {
        let df = DockerfileBuilder::from("python:3.11").user("1000", Some(1000), Some(1000)).build();
        let found = findings(&facts(None, Some(df), None), "UID001");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["Dockerfile:2: USER 1000"]);
        assert!(found[0].message.contains("uid/gid 1000/1000"), "{}", found[0].message);
    }

    #[test]
    fn config_with_uid_1000_gid_1000_is_not_supported() {
        let c = app_image_config(
            r#"{"AppImageConfigName": "x", "KernelGatewayImageConfig": {"KernelSpecs": [{"Name": "python3"}], "FileSystemConfig": {"DefaultUid": 1000, "DefaultGid": 1000}}}"#,
        );
        let found = findings(&facts(None, None, Some(c)), "UID001");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("DefaultUid/DefaultGid 1000/1000"), "{}", found[0].message);
        assert_eq!(found[0].locations.len(), 2);
    }

    #[test]
    fn sagemaker_user_and_root_pass() {
        assert!(
            findings(&facts(Some(ImageBuilder::good().build()), None, Some(app_image_config_with_kernel("python3"))), "UID001").is_empty()
        );
        assert!(findings(&facts(Some(ImageBuilder::good().user("").build()), None, None), "UID001").is_empty());
        // The gid of a uid the Dockerfile creates no account for is unknown on an unknown base.
        let df = DockerfileBuilder::from("example.com/team/base:1").user("1000", Some(1000), None).build();
        assert!(findings(&facts(None, Some(df), None), "UID001").is_empty());
    }

    #[test]
    fn ids_assumed_from_a_known_base_image_give_a_warning() {
        use crate::vocabulary::{Profile, Severity};
        // python runs as root and has no account with uid 1000: `USER 1000` runs as 1000/0.
        let df = DockerfileBuilder::from("python:3.11").user("1000", Some(1000), None).build();
        let found = findings(&facts(None, Some(df), None), "UID001");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(found[0].message.contains("runs as uid/gid 1000/0"), "{}", found[0].message);
        assert!(found[0].message.contains("assumed from the base image python:3.11 (table row `python:*`)"), "{}", found[0].message);
        assert_eq!(located_at(&found[0]), ["Dockerfile:2: USER 1000", "Dockerfile:1: FROM python:3.11"]);
        // No USER: the base image's own user, root, in JupyterLab.
        let df = DockerfileBuilder::from("python:3.11").build();
        let root = findings_as(&facts(None, Some(df), None), "UID001", Profile::JupyterLab);
        assert_eq!(root.len(), 1);
        assert_eq!(root[0].severity, Severity::Warning);
        assert!(root[0].message.starts_with("The base image's user root (assumed from the base image python:3.11"), "{}", root[0].message);
        // The Jupyter stacks' jovyan is 1000/100.
        let df = DockerfileBuilder::from("quay.io/jupyter/scipy-notebook:latest").build();
        assert!(findings_as(&facts(None, Some(df), None), "UID001", Profile::JupyterLab).is_empty());
    }

    #[test]
    fn in_the_new_apps_root_is_an_error_and_other_ids_a_warning() {
        use crate::vocabulary::{Profile, Severity};
        for profile in [Profile::JupyterLab, Profile::CodeEditor] {
            let root = findings_as(&facts(Some(ImageBuilder::good().user("").build()), None, None), "UID001", profile);
            assert_eq!(root.len(), 1, "{profile:?}");
            assert_eq!(root[0].severity, Severity::Error);
            assert!(root[0].message.contains("runs as root (0/0)") && root[0].message.contains(profile.app()), "{}", root[0].message);
            let df = DockerfileBuilder::from("python:3.11").user("1000", Some(1000), Some(1000)).build();
            let other = findings_as(&facts(None, Some(df), None), "UID001", profile);
            assert_eq!(other.len(), 1);
            assert_eq!(other[0].severity, Severity::Warning);
            assert_eq!(located_at(&other[0]), ["Dockerfile:2: USER 1000"]);
            assert!(findings_as(&facts(Some(ImageBuilder::good().build()), None, None), "UID001", profile).is_empty());
        }
    }

    #[test]
    fn in_studio_classic_root_still_passes() {
        let root = facts(Some(ImageBuilder::good().user("").build()), None, None);
        assert!(findings_as(&root, "UID001", crate::vocabulary::Profile::StudioClassic).is_empty());
    }
}
