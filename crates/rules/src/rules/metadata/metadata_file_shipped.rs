//! META001 `metadata-file-shipped`: The image ships its own /opt/ml/metadata/resource-metadata.json.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::format;

use crate::context::Context;
use crate::report::Findings;
use crate::report::Location;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::vocabulary::{InputKind, Section, Severity};

use super::METADATA_FILE;

pub const RULE: Rule = Rule {
    id: "META001",
    name: "metadata-file-shipped",
    section: Section::Metadata,
    spec: "A metadata file is located at /opt/ml/metadata/resource-metadata.json.",
    severity: Severity::Error,
    requires: &[&[InputKind::Image, InputKind::Dockerfile]],
    needs_files: &[],
    summary: "The image ships its own /opt/ml/metadata/resource-metadata.json.",
    explanation: "Studio writes the app's metadata (AppType, DomainId, UserProfileName, ResourceArn…) to \
/opt/ml/metadata/resource-metadata.json at runtime. A copy baked into the image is at best hidden and at worst read \
instead of the real one by code that runs before Studio writes it — with another domain's values.",
    fix: "Remove the file from the image; read the real one at runtime.",
    examples: &[
        Example::bad().image(
            r#"studio-image
file /opt/ml/metadata/resource-metadata.json 200"#,
        ),
        Example::good().image(r#"studio-image"#),
    ],
    check,
};

fn check(ctx: &Context<'_>, out: &mut Findings) {
    if let Some(entry) = ctx.image.as_ref().and_then(|m| m.facts.files.get(METADATA_FILE)) {
        out.report(format!("The image ships {METADATA_FILE} (layer {}); Studio provides this file itself.", entry.layer))
            .at(Location::image_file(entry));
    }
    if let Some(stage) = ctx.stage() {
        for write in stage.writes.iter().filter(|w| w.path == METADATA_FILE) {
            out.report(format!("{} writes {METADATA_FILE}, which Studio provides itself.", write.via.label()))
                .at_all(evidence::dockerfile(ctx, write.span));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn baked_in_metadata_file_fails() {
        let image = ImageBuilder::good().file("/opt/ml/metadata/resource-metadata.json", 200).build();
        assert_eq!(findings(&facts(Some(image), None, None), "META001").len(), 1);
    }

    #[test]
    fn image_without_it_passes() {
        assert!(findings(&facts(Some(ImageBuilder::good().build()), None, None), "META001").is_empty());
    }
}
