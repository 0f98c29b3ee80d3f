//! SIZE001 `image-too-large`: The image is larger than Studio's 25 GB limit.
//! The declaration, its messages, its check, its examples and its tests.

use crate::context::Context;
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::rules::studio_errors;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

use super::{largest, SIZE_LIMIT_BYTES};

pub const RULE: Rule = Rule {
    id: "SIZE001",
    name: "image-too-large",
    section: Section::ImageSize,
    spec: super::SPEC_SIZE,
    severity: Severity::Error,
    stage: Stage::ImagePull,
    profiles: Profile::EVERY,
    requires: &[&[InputKind::Image]],
    needs_files: &[],
    summary: "The image is larger than Studio's 25 GB limit.",
    explanation: "Studio Classic accepts images up to 25 GB, measured as `docker image ls` does: the uncompressed size of \
all layers (decimal gigabytes). A larger image cannot be used.",
    fix: "Shrink the image: remove build tools and caches in the same RUN that creates them, use multi-stage builds, drop unused CUDA libraries or conda packages; the finding lists the largest layers and directories.",
    explains: &[
        studio_errors::SPACE_PENDING,
    ],
    examples: &[
        Example::bad().image(r#"studio-image
layer RUN conda install everything
file /opt/conda/pkgs/huge.tar 26_000_000_000"#),
        Example::good().image(r#"studio-image
layer RUN pip install torch
file /opt/conda/lib/torch.so 5_000_000_000"#),
    ],
    check,
};

/// What SIZE001 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn too_large(size: u64, limit: u64) -> String {
        format!("The image is {} ({size} bytes uncompressed); Studio's limit is {}.", crate::text::bytes(size), crate::text::bytes(limit))
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(model) = &ctx.image else { return };
    let size = model.facts.size_bytes();
    if size > SIZE_LIMIT_BYTES {
        let found = out.report(message::too_large(size, SIZE_LIMIT_BYTES));
        found.at_all(largest(model.facts));
        // Spec (new Studio): the JupyterLab and Code Editor pages state no size limit, so the
        // Classic limit is only a warning there.
        if ctx.profile != Profile::StudioClassic {
            found.severity(Severity::Warning);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use crate::vocabulary::{Profile, Severity};

    #[test]
    fn image_of_26_gb_is_too_large() {
        let image =
            ImageBuilder::good().next_layer("RUN conda install everything").file("/opt/conda/pkgs/huge.tar", 26_000_000_000).build();
        let found = findings(&facts(Some(image), None, None), "SIZE001");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("26.0 GB"), "{}", found[0].message);
        assert!(matches!(found[0].locations[0], crate::Location::ImageLayer { layer: 1, .. }));
        assert!(found[0].locations.iter().any(|l| matches!(l, crate::Location::ImageTree { path, .. } if path == "/opt/conda/pkgs")));
    }

    #[test]
    fn too_large_is_only_a_warning_in_the_new_studio_apps() {
        let image = ImageBuilder::good().next_layer("x").file("/data/blob", 26_000_000_000).build();
        let facts = facts(Some(image), None, None);
        assert_eq!(findings_as(&facts, "SIZE001", Profile::StudioClassic)[0].severity, Severity::Error);
        for profile in [Profile::JupyterLab, Profile::CodeEditor] {
            assert_eq!(findings_as(&facts, "SIZE001", profile)[0].severity, Severity::Warning);
        }
    }

    #[test]
    fn image_of_exactly_25_gb_passes() {
        let image = ImageBuilder::good().next_layer("x").file("/data/blob", 25_000_000_000 - 6_000_000 - 400).build();
        assert!(findings(&facts(Some(image), None, None), "SIZE001").is_empty());
    }
}
