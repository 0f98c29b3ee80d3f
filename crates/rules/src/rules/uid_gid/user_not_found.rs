//! UID004 `user-not-found`: The image's USER names a user or group that its /etc/passwd or /etc/group does not have.
//! The declaration, its messages, its check, its examples and its tests.

use crate::context::Context;
use crate::report::Findings;
use crate::report::Location;
use crate::rule::{Example, Rule};
use crate::rules::studio_errors;
use crate::user::UserProblem;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "UID004",
    name: "user-not-found",
    section: Section::GidUidLimits,
    spec: super::SPEC_PAIRS,
    severity: Severity::Error,
    stage: Stage::ContainerStart,
    profiles: Profile::EVERY,
    requires: &[&[InputKind::Image]],
    needs_files: super::USER_FILES,
    summary: "The image's USER names a user or group that its /etc/passwd or /etc/group does not have.",
    explanation: "A user or group given by name must exist in the image; otherwise the container runtime refuses to start \
the container (\"unable to find user …: no matching entries in passwd file\"), and Studio cannot tell which uid/gid \
the image has.",
    fix: "Create the user in the image (useradd) before the USER instruction, or use numeric `USER 1000:100`.",
    explains: &[studio_errors::UID_GID_MISMATCH],
    examples: &[
        Example::bad().image(
            r#"studio-image
user jovyan"#,
        ),
        Example::good().image(
            r#"studio-image
user sagemaker-user:users"#,
        ),
    ],
    check,
};

/// What UID004 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn name_not_in_passwd(name: &str) -> String {
        format!("The image's user {name:?} is not in its /etc/passwd; the container cannot start.")
    }

    pub fn group_not_in_group_file(group: &str) -> String {
        format!("The image's group {group:?} is not in its /etc/group; the container cannot start.")
    }

    pub fn no_passwd_file(user: &str) -> String {
        format!("The image's user {user:?} is a name, but the image has no /etc/passwd to resolve it.")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(model) = &ctx.image else { return };
    let message = match &model.user.problem {
        Some(UserProblem::NameNotInPasswd(name)) => message::name_not_in_passwd(name),
        Some(UserProblem::GroupNotInGroupFile(group)) => message::group_not_in_group_file(group),
        Some(UserProblem::NoPasswdFile) => message::no_passwd_file(&model.user.spec),
        _ => return,
    };
    let finding = out.report(message);
    finding.at(Location::image_config("User", model.user.spec.clone()));
    for path in ["/etc/passwd", "/etc/group"] {
        if let Some(entry) = model.facts.files.get(path) {
            finding.at(Location::image_file(entry));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn user_name_missing_from_passwd_fails() {
        let image = ImageBuilder::good().user("jovyan").build();
        let found = findings(&facts(Some(image), None, None), "UID004");
        assert_eq!(found.len(), 1);
        assert_eq!(
            located_at(&found[0]),
            [
                "image config User = \"jovyan\"",
                "/etc/passwd (file, layer 0, 0:0, mode 0644, 90 B)",
                "/etc/group (file, layer 0, 0:0, mode 0644, 23 B)"
            ]
        );
        assert!(found[0].message.contains("user \"jovyan\" is not in its /etc/passwd"), "{}", found[0].message);
    }

    #[test]
    fn group_name_missing_from_group_file_fails() {
        let image = ImageBuilder::good().user("sagemaker-user:staff").build();
        let found = findings(&facts(Some(image), None, None), "UID004");
        assert_eq!(found.len(), 1);
        assert_eq!(
            located_at(&found[0]),
            [
                "image config User = \"sagemaker-user:staff\"",
                "/etc/passwd (file, layer 0, 0:0, mode 0644, 90 B)",
                "/etc/group (file, layer 0, 0:0, mode 0644, 23 B)"
            ]
        );
        assert!(found[0].message.contains("group \"staff\" is not in its /etc/group"), "{}", found[0].message);
    }

    #[test]
    fn existing_user_passes() {
        assert!(findings(&facts(Some(ImageBuilder::good().user("sagemaker-user:users").build()), None, None), "UID004").is_empty());
    }
}
