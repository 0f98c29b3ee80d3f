//! UID005 `uid-without-passwd-entry`: The image runs as a numeric uid that has no /etc/passwd entry.
//! The declaration, its messages, its check, its examples and its tests.

use crate::context::Context;
use crate::report::Findings;
use crate::report::Location;
use crate::rule::{Example, Rule};
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
    requires: &[&[InputKind::Image]],
    needs_files: super::USER_FILES,
    summary: "The image runs as a numeric uid that has no /etc/passwd entry.",
    explanation: "A numeric USER without a passwd entry still starts, but with gid 0, no user name and HOME=/ — so the \
uid/gid pair is not 1000/100, tools that look up the user fail, and files meant for the home directory land in /. \
(`ENV NB_UID=1000` alone creates nobody.)",
    fix: "Create the user: `useradd -m -u 1000 -g 100 sagemaker-user` before `USER 1000`.",
    explains: &[],
    examples: &[
        Example::bad().image(
            r#"studio-image
user 1001"#,
        ),
        Example::good().image(
            r#"studio-image
user 1000"#,
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
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(model) = &ctx.image else { return };
    let Some(UserProblem::UidWithoutPasswdEntry(uid)) = model.user.problem else {
        return;
    };
    let finding = out.report(message::no_entry(uid));
    finding.at(Location::image_config("User", model.user.spec.clone()));
    if let Some(entry) = model.facts.files.get("/etc/passwd") {
        finding.at(Location::image_file(entry));
    }
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
    fn numeric_user_with_entry_passes() {
        assert!(findings(&facts(Some(ImageBuilder::good().user("1000").build()), None, None), "UID005").is_empty());
    }
}
