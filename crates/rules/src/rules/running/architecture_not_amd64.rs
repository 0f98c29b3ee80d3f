//! RUN005 `architecture-not-amd64`: The image is not built for linux/amd64, the only platform Studio Classic runs.
//! The declaration, its messages, its check, its examples and its tests.

use crate::context::Context;
use crate::patch::{self, edit};
use crate::report::Findings;
use crate::report::Location;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::rules::studio_errors;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "RUN005",
    name: "architecture-not-amd64",
    section: Section::RunningTheImage,
    spec: super::SPEC_PLATFORM,
    severity: Severity::Error,
    stage: Stage::ImagePull,
    profiles: Profile::EVERY,
    requires: &[&[InputKind::Image, InputKind::Dockerfile]],
    needs_files: &[],
    summary: "The image is not built for linux/amd64, the only platform Studio Classic runs.",
    explanation: "Every instance type a KernelGateway app can run on is x86_64. An image built on Apple Silicon without \
`--platform` is arm64 and fails at start with `exec /opt/.sagemakerinternal/conda/kgw_variant: exec format error` \
(the most reported failure of the official samples, issues #25, #28 and #30).",
    fix: "Build for the right platform: `docker build --platform=linux/amd64 …` (or `docker buildx build --platform linux/amd64`), then push again.",
    explains: &[
        studio_errors::EXEC_FORMAT_ERROR,
        studio_errors::LAUNCH_FAILED,
        studio_errors::INTERNAL_FAILURE,
    ],
    examples: &[
        Example::bad().image(r#"studio-image
arch arm64"#),
        Example::bad().dockerfile(r#"FROM --platform=linux/arm64 python:3.11
"#),
        Example::good().image(r#"studio-image"#),
        Example::good().dockerfile(r#"FROM --platform=linux/amd64 python:3.11
"#),
    ],
    check,
};

/// What RUN005 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn not_linux(os: &str) -> String {
        format!("The image is built for the {os:?} operating system; Studio runs linux images only.")
    }

    /// `architecture` as the image config says it ("" when unset).
    pub fn not_amd64(architecture: &str, variant: Option<&str>) -> String {
        let variant = variant.map(|v| format!("/{v}")).unwrap_or_default();
        let architecture = if architecture.is_empty() { "an unknown architecture" } else { architecture };
        format!(
            "The image is built for {architecture}{variant}; Studio Classic runs on x86_64 (amd64) instances only, so it fails with \"exec format error\"."
        )
    }

    pub fn patch_platform(platform: &str) -> String {
        format!("Build the final stage for linux/amd64 instead of {platform}.")
    }

    pub fn final_stage_platform(platform: &str) -> String {
        format!("The final stage is built `FROM --platform={platform}`; Studio Classic needs linux/amd64.")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    if let Some(model) = &ctx.image {
        let image_config = &model.facts.image_config;
        if image_config.os != "linux" {
            out.report(message::not_linux(&image_config.os)).at(Location::image_config("os", image_config.os.clone()));
        }
        if image_config.architecture != "amd64" {
            out.report(message::not_amd64(&image_config.architecture, image_config.variant.as_deref()))
                .at(Location::image_config("architecture", image_config.architecture.clone()));
        }
    }
    if let Some(stage) = ctx.stage() {
        if let Some(platform) = stage.from.platform.as_deref().filter(|p| !p.contains('$')) {
            let normal = platform.trim().to_ascii_lowercase();
            if normal != "linux/amd64" && normal != "linux/x86_64" && normal != "linux/amd64/v1" {
                out.report(message::final_stage_platform(platform)).at_all(evidence::dockerfile(ctx, stage.from.span)).patch(
                    patch::of_final_stage(ctx, message::patch_platform(platform), |d, s| {
                        edit::from_platform(d, &s.from, "linux/amd64").into_iter().collect()
                    }),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn arm64_image_built_on_apple_silicon_fails() {
        let image = ImageBuilder::good().architecture("arm64").build();
        let found = findings(&facts(Some(image), None, None), "RUN005");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["image config architecture = \"arm64\""]);
        assert!(found[0].message.contains("arm64"));
    }

    #[test]
    fn final_from_pinned_to_arm64_fails() {
        let mut b = DockerfileBuilder::from("python:3.11");
        b.stage().from.platform = Some("linux/arm64".into());
        let found = findings(&facts(None, Some(b.build()), None), "RUN005");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["Dockerfile:1: FROM python:3.11"]);
        assert!(found[0].message.contains("--platform=linux/arm64"), "{}", found[0].message);
    }

    #[test]
    fn amd64_image_passes() {
        assert!(findings(&facts(Some(ImageBuilder::good().build()), None, None), "RUN005").is_empty());
        let mut b = DockerfileBuilder::from("python:3.11");
        b.stage().from.platform = Some("linux/amd64".into());
        assert!(findings(&facts(None, Some(b.build()), None), "RUN005").is_empty());
    }
}
