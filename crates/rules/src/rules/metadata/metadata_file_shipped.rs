//! META001 `metadata-file-shipped`: The image ships its own /opt/ml/metadata/resource-metadata.json.
//! The declaration, its messages, its check, its examples and its tests.

use crate::context::Context;
use crate::report::Findings;
use crate::report::Location;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

use super::METADATA_FILE;

pub const RULE: Rule = Rule {
    id: "META001",
    name: "metadata-file-shipped",
    section: Section::Metadata,
    spec: "A metadata file is located at /opt/ml/metadata/resource-metadata.json.",
    severity: Severity::Error,
    stage: Stage::ContainerStart,
    profiles: Profile::EVERY,
    requires: &[&[InputKind::Image, InputKind::Dockerfile]],
    needs_files: &[],
    summary: "The image ships its own /opt/ml/metadata/resource-metadata.json.",
    explanation: "Studio writes the app's metadata (AppType, DomainId, UserProfileName, ResourceArn…) to \
/opt/ml/metadata/resource-metadata.json at runtime. A copy baked into the image is at best hidden and at worst read \
instead of the real one by code that runs before Studio writes it — with another domain's values.",
    fix: "Remove the file from the image; read the real one at runtime.",
    explains: &[],
    examples: &[
        Example::bad().image(
            r#"studio-image
file /opt/ml/metadata/resource-metadata.json 200"#,
        ),
        Example::good().image(r#"studio-image"#),
    ],
    check,
};

/// What META001 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn shipped(path: &str, layer: u32) -> String {
        format!("The image ships {path} (layer {layer}); Studio provides this file itself.")
    }

    pub fn written(via: &str, path: &str) -> String {
        format!("{via} writes {path}, which Studio provides itself.")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    if let Some(entry) = ctx.image.as_ref().and_then(|m| m.facts.files.get(METADATA_FILE)) {
        out.report(message::shipped(METADATA_FILE, entry.layer)).at(Location::image_file(entry));
    }
    if let Some(stage) = ctx.stage() {
        for write in stage.writes.iter().filter(|w| w.path == METADATA_FILE) {
            out.report(message::written(write.via.label(), METADATA_FILE)).at_all(evidence::dockerfile(ctx, write.span));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn baked_in_metadata_file_fails() {
        let image = ImageBuilder::good().file("/opt/ml/metadata/resource-metadata.json", 200).build();
        let found = findings(&facts(Some(image), None, None), "META001");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["/opt/ml/metadata/resource-metadata.json (file, layer 0, 0:0, mode 0755, 200 B)"]);
        assert!(found[0].message.contains("/opt/ml/metadata/resource-metadata.json (layer 0)"), "{}", found[0].message);
    }

    #[test]
    fn image_without_it_passes() {
        assert!(findings(&facts(Some(ImageBuilder::good().build()), None, None), "META001").is_empty());
    }
}
