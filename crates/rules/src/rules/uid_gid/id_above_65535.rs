//! UID003 `id-above-65535`: A file in some layer is owned by a uid or gid above 65535.
//! The declaration, its messages, its check, its examples and its tests.

use crate::context::Context;
use crate::report::Findings;
use crate::report::Location;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::rules::studio_errors;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "UID003",
    name: "id-above-65535",
    section: Section::GidUidLimits,
    spec: "SageMaker Studio only supports UID and GID values in the range between 0 and 65535. This limit applies to files in every layer of the image. \
(earlier revisions of the specification; still enforced)",
    severity: Severity::Error,
    stage: Stage::ImagePull,
    profiles: Profile::EVERY,
    requires: &[&[InputKind::Image, InputKind::Dockerfile]],
    needs_files: &[],
    summary: "A file in some layer is owned by a uid or gid above 65535.",
    explanation: "Studio's user-namespace mapping only covers ids 0–65535. A file owned by a larger id in any layer — \
even one a later layer deletes — makes the image unusable. The usual culprit is a tarball extracted with its \
original owner (e.g. a build server's uid 1000000).",
    fix: "Extract third-party archives with `tar --no-same-owner` (or `--owner root --group root`), or `chown -R` in the same RUN that creates the files; never rely on a later layer to fix it.",
    explains: &[
        studio_errors::ID_ABOVE_65535,
    ],
    examples: &[
        Example::bad().image(r#"studio-image
file /opt/tool/bin/tool 10 1000000:1000000"#),
        Example::bad().dockerfile(r#"FROM ubuntu:22.04
RUN useradd -u 70000 builder
"#),
        Example::good().image(r#"studio-image
file /opt/tool/bin/tool 10 65535:65535"#),
    ],
    check,
};

/// What UID003 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    /// `total` entries, the highest id `max_id`; `listed`: how many are listed when not all are.
    pub fn high_ids_in_layers(total: u64, max_id: u64, listed: Option<u64>) -> String {
        let more = listed.map(|n| format!(" (first {n} listed)")).unwrap_or_default();
        format!(
            "{} in the image's layers {} owned by ids above 65535 (up to {max_id}){more}.",
            crate::text::plural(total as usize, "entry", "entries"),
            if total == 1 { "is" } else { "are" }
        )
    }

    pub fn dockerfile_id(id: u64) -> String {
        format!("The Dockerfile creates a user or group with id {id}, above Studio's limit of 65535.")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    if let Some(model) = &ctx.image {
        let facts = model.facts;
        if facts.high_id_entries_total > 0 {
            let shown = facts.high_id_entries.len() as u64;
            let listed = shown.min(evidence::MAX_LOCATIONS as u64);
            let partial = (facts.high_id_entries_total > listed).then_some(listed);
            let max_id = facts.high_id_entries.iter().map(|e| e.uid.max(e.gid)).max().unwrap_or(0);
            out.report(message::high_ids_in_layers(facts.high_id_entries_total, max_id, partial))
                .at_all(facts.high_id_entries.iter().take(evidence::MAX_LOCATIONS).map(Location::image_file));
        }
    }
    if ctx.image.is_none() {
        if let Some(stage) = ctx.stage() {
            for (id, span) in &stage.high_ids {
                out.report(message::dockerfile_id(*id)).at_all(evidence::dockerfile(ctx, *span));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn file_owned_by_a_high_uid_in_a_deleted_layer_fails() {
        let image = ImageBuilder::good()
            .owned_file("/opt/tool/bin/tool", 10, 1_000_000, 1_000_000)
            .next_layer("RUN rm -rf /opt/tool")
            .remove("/opt/tool")
            .build();
        let found = findings(&facts(Some(image), None, None), "UID003");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["/opt/tool/bin/tool (file, layer 0, 1000000:1000000, mode 0644, 10 B)"]);
        assert!(found[0].message.contains("1000000"));
    }

    #[test]
    fn dockerfile_useradd_with_a_high_uid_fails() {
        let df = DockerfileBuilder::from("ubuntu").with("RUN useradd -u 70000 x", |s, span| s.high_ids.push((70000, span))).build();
        let found = findings(&facts(None, Some(df), None), "UID003");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["Dockerfile:2: RUN useradd -u 70000 x"]);
        assert!(found[0].message.contains("id 70000"), "{}", found[0].message);
    }

    #[test]
    fn ids_up_to_65535_pass() {
        let image = ImageBuilder::good().owned_file("/x", 1, 65535, 65535).build();
        assert!(findings(&facts(Some(image), None, None), "UID003").is_empty());
    }
}
