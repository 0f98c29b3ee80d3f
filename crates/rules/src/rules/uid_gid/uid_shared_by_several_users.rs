//! UID006 `uid-shared-by-several-users`: Several /etc/passwd entries share the image's uid.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::string::String;
use alloc::vec::Vec;

use crate::context::Context;
use crate::report::Findings;
use crate::report::Location;
use crate::rule::{Example, Rule};
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "UID006",
    name: "uid-shared-by-several-users",
    section: Section::GidUidLimits,
    spec: super::SPEC_PAIRS,
    severity: Severity::Info,
    stage: Stage::Never,
    profiles: Profile::EVERY,
    requires: &[&[InputKind::Image]],
    needs_files: super::USER_FILES,
    summary: "Several /etc/passwd entries share the image's uid.",
    explanation: "Adding a user with `--non-unique` (as the R sample does to get `sagemaker-user` next to `jovyan`) \
works: Studio only cares about the numbers. But the name a process reports is whichever entry comes first, and home \
directories may not be what you expect.",
    fix: "Nothing is required; to avoid confusion, rename the existing user (`usermod -l`) instead of adding a second one.",
    explains: &[],
    examples: &[
        Example::bad().image(
            r#"studio-image
passwd jovyan:x:1000:100::/home/jovyan:/bin/bash
user 1000"#,
        ),
        Example::good().image(
            r#"studio-image
user 1000"#,
        ),
    ],
    check,
};

/// What UID006 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn entry(name: &str, line: u32, home: &str) -> String {
        format!("{name} (line {line}, home {home})")
    }

    /// `entries`: the passwd entries with that uid, as [`entry`] words them.
    pub fn shared(uid: u64, entries: &[String]) -> String {
        format!("uid {uid} belongs to {} passwd entries: {}; the first one names the user.", entries.len(), entries.join(", "))
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(model) = &ctx.image else { return };
    let Some(uid) = model.user.uid else { return };
    let sharing = model.passwd_entries_with_uid(uid);
    if sharing.len() < 2 {
        return;
    }
    let names: Vec<String> = sharing.iter().map(|e| message::entry(&e.name, e.line, &e.home)).collect();
    let finding = out.report(message::shared(uid, &names));
    if let Some(entry) = model.facts.files.get("/etc/passwd") {
        finding.at(Location::image_file(entry));
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn non_unique_second_user_is_noted() {
        let image = ImageBuilder::good()
            .text("/etc/passwd", "root:x:0:0::/root:/bin/bash\njovyan:x:1000:100::/home/jovyan:/bin/bash\nsagemaker-user:x:1000:100::/home/sagemaker-user:/bin/bash\n")
            .user("1000")
            .build();
        let found = findings(&facts(Some(image), None, None), "UID006");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["/etc/passwd (file, layer 0, 0:0, mode 0644, 128 B)"]);
        assert!(found[0].message.contains("jovyan (line 2, home /home/jovyan), sagemaker-user (line 3"), "{}", found[0].message);
    }

    #[test]
    fn unique_uid_passes() {
        assert!(findings(&facts(Some(ImageBuilder::good().build()), None, None), "UID006").is_empty());
    }
}
