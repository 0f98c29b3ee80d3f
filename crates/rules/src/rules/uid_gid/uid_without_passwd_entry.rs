//! UID005 `uid-without-passwd-entry`: The image runs as a numeric uid that has no /etc/passwd entry.
//! The declaration, its messages, its check, its examples and its tests.

use crate::context::Context;
use crate::report::Findings;
use crate::report::Location;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::user::UserProblem;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "UID005",
    name: "uid-without-passwd-entry",
    section: Section::GidUidLimits,
    spec: super::SPEC_PAIRS,
    severity: Severity::Warning,
    stage: Stage::ContainerStart,
    profiles: Profile::EVERY,
    requires: &[&[InputKind::Image, InputKind::Dockerfile]],
    needs_files: super::USER_FILES,
    summary: "The image runs as a numeric uid that has no /etc/passwd entry.",
    explanation: "A numeric USER without a passwd entry still starts, but with gid 0, no user name and HOME=/ — so the \
uid/gid pair is not 1000/100, tools that look up the user fail, and files meant for the home directory land in /. \
(`ENV NB_UID=1000` alone creates nobody.) With only a Dockerfile, the accounts of a base image in the table of base \
images are assumed, and the finding says so.",
    fix: "Create the user: `useradd -m -u 1000 -g 100 sagemaker-user` before `USER 1000`.",
    explains: &[],
    examples: &[
        Example::bad().image(
            r#"studio-image
user 1001"#,
        ),
        Example::bad().dockerfile(
            r#"FROM mambaorg/micromamba:1.5.8
USER 1000
"#,
        ),
        Example::good().image(
            r#"studio-image
user 1000"#,
        ),
        Example::good().dockerfile(
            r#"FROM mambaorg/micromamba:1.5.8
USER root
RUN usermod -l sagemaker-user -u 1000 -g 100 mambauser
USER 1000
"#,
        ),
    ],
    check,
};

/// What UID005 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn no_entry(uid: u64) -> String {
        format!("The image runs as uid {uid}, which has no /etc/passwd entry, so it gets gid 0 and HOME=/.")
    }

    /// From the Dockerfile: `value` is its USER; `assumed` says where the base's accounts come from.
    pub fn no_entry_in_base(value: &str, uid: u64, assumed: &str) -> String {
        format!(
            "The Dockerfile's `USER {value}` runs as uid {uid}, which neither the Dockerfile nor the base image gives a passwd entry \
(accounts {assumed}), so it gets gid 0 and no home directory."
        )
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(model) = &ctx.image else { return check_dockerfile(ctx, out) };
    let Some(UserProblem::UidWithoutPasswdEntry(uid)) = model.user.problem else {
        return;
    };
    let finding = out.report(message::no_entry(uid));
    finding.at(Location::image_config("User", model.user.spec.clone()));
    if let Some(entry) = model.facts.files.get("/etc/passwd") {
        finding.at(Location::image_file(entry));
    }
}

/// Without the archive: a USER uid the Dockerfile creates no account for, on a base image whose
/// accounts the table knows.
fn check_dockerfile(ctx: &Context<'_>, out: &mut Findings) {
    let Some(user) = ctx.stage().and_then(|s| s.user.as_ref()) else { return };
    let Some(account) = super::base_account(ctx, user).filter(|a| a.name.is_none()) else { return };
    out.report(message::no_entry_in_base(&user.value, account.uid, &account.assumed))
        .at_all(evidence::dockerfile(ctx, user.span))
        .at_all(evidence::base_image_from(ctx));
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn numeric_user_without_entry_warns() {
        let image = ImageBuilder::good().user("1001").build();
        let found = findings(&facts(Some(image), None, None), "UID005");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["image config User = \"1001\"", "/etc/passwd (file, layer 0, 0:0, mode 0644, 90 B)"]);
        assert!(found[0].message.contains("uid 1001, which has no /etc/passwd entry"), "{}", found[0].message);
    }

    #[test]
    fn dockerfile_user_without_an_account_in_a_known_base_warns() {
        // The Code Editor sample on micromamba: `USER $NB_UID` (1000), nobody created.
        let df = DockerfileBuilder::from("mambaorg/micromamba:latest").user("1000", Some(1000), None).build();
        let found = findings(&facts(None, Some(df), None), "UID005");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, crate::vocabulary::Severity::Warning);
        assert!(
            found[0].message.contains(
                "`USER 1000` runs as uid 1000, which neither the Dockerfile nor the base image gives a passwd entry (accounts assumed \
from the base image mambaorg/micromamba:latest (table row `mambaorg/micromamba:latest`))"
            ),
            "{}",
            found[0].message
        );
        assert_eq!(located_at(&found[0]), ["Dockerfile:2: USER 1000", "Dockerfile:1: FROM mambaorg/micromamba:latest"]);
    }

    #[test]
    fn dockerfile_user_the_base_or_the_dockerfile_has_passes() {
        // jovyan is uid 1000 in the Jupyter stacks.
        let df = DockerfileBuilder::from("jupyter/minimal-notebook").user("1000", Some(1000), None).build();
        assert!(findings(&facts(None, Some(df), None), "UID005").is_empty());
        // Created by the Dockerfile.
        let mut df = DockerfileBuilder::from("mambaorg/micromamba:latest").user("1000", Some(1000), Some(100)).build();
        if let Some(user) = df.final_stage.as_mut().and_then(|s| s.user.as_mut()) {
            user.created_at = Some(crate::facts::Span::line(1));
        }
        assert!(findings(&facts(None, Some(df), None), "UID005").is_empty());
        // A base the table does not know: nothing assumed.
        let df = DockerfileBuilder::from("example.com/team/base:1").user("1000", Some(1000), None).build();
        assert!(findings(&facts(None, Some(df), None), "UID005").is_empty());
        // The archive wins: the image has the entry.
        let df = DockerfileBuilder::from("mambaorg/micromamba:latest").user("1000", Some(1000), None).build();
        assert!(findings(&facts(Some(ImageBuilder::good().user("1000").build()), Some(df), None), "UID005").is_empty());
    }

    #[test]
    fn numeric_user_with_entry_passes() {
        assert!(findings(&facts(Some(ImageBuilder::good().user("1000").build()), None, None), "UID005").is_empty());
    }
}
