//! SIZE002 `image-near-size-limit`: The image uses more than 80 % of Studio's 25 GB limit.
//! The declaration, its messages, its check, its examples and its tests.

use crate::context::Context;
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

use super::{largest, SIZE_LIMIT_BYTES, SIZE_WARNING_BYTES};

pub const RULE: Rule = Rule {
    id: "SIZE002",
    name: "image-near-size-limit",
    section: Section::ImageSize,
    spec: super::SPEC_SIZE,
    severity: Severity::Warning,
    stage: Stage::ImagePull,
    profiles: Profile::EVERY,
    requires: &[&[InputKind::Image]],
    needs_files: &[],
    summary: "The image uses more than 80 % of Studio's 25 GB limit.",
    explanation: "Images close to the limit leave no room for the next dependency, and large images start slowly: Studio \
pulls the whole image before the app comes up.",
    fix: "Trim the image before it crosses 25 GB; the finding lists the largest layers and directories.",
    explains: &[],
    examples: &[
        Example::bad().image(
            r#"studio-image
layer RUN pip install everything
file /data/blob 22_000_000_000"#,
        ),
        Example::good().image(r#"studio-image"#),
    ],
    check,
};

/// What SIZE002 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn near_limit(size: u64, limit: u64) -> String {
        format!("The image is {}, {}% of Studio's {} limit.", crate::text::bytes(size), size * 100 / limit, crate::text::bytes(limit))
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(model) = &ctx.image else { return };
    let size = model.facts.size_bytes();
    if size > SIZE_WARNING_BYTES && size <= SIZE_LIMIT_BYTES {
        out.report(message::near_limit(size, SIZE_LIMIT_BYTES)).at_all(largest(model.facts));
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn image_of_22_gb_is_near_the_limit() {
        let image = ImageBuilder::good().next_layer("x").file("/data/blob", 22_000_000_000).build();
        let found = findings(&facts(Some(image), None, None), "SIZE002");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["layer 1 (22.0 GB): x", "layer 0 (6.0 MB): base", "/usr/local/share/ (147 B in 1 file)"]);
        assert!(found[0].message.contains("88%"), "{}", found[0].message);
    }

    #[test]
    fn small_or_too_large_images_are_not_near_the_limit() {
        assert!(findings(&facts(Some(ImageBuilder::good().build()), None, None), "SIZE002").is_empty());
        let image = ImageBuilder::good().next_layer("x").file("/data/blob", 30_000_000_000).build();
        assert!(findings(&facts(Some(image), None, None), "SIZE002").is_empty());
    }
}
