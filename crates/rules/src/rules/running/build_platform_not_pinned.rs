//! RUN006 `build-platform-not-pinned`: Without the image archive, nothing guarantees the build targets linux/amd64.
//! The declaration, its messages, its check, its examples and its tests.

use crate::context::Context;
use crate::patch::{self, edit};
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::rules::studio_errors;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "RUN006",
    name: "build-platform-not-pinned",
    section: Section::RunningTheImage,
    spec: super::SPEC_PLATFORM,
    severity: Severity::Info,
    stage: Stage::ImagePull,
    profiles: Profile::EVERY,
    requires: &[&[InputKind::Dockerfile]],
    needs_files: &[],
    summary: "Without the image archive, nothing guarantees the build targets linux/amd64.",
    explanation: "Most base images are multi-platform, so `docker build` on an Apple Silicon Mac produces an arm64 image \
that Studio cannot run. Only the built image's config says which platform it is; from the Dockerfile alone, pinning \
the platform is the safe way.",
    fix: "Build with `docker build --platform=linux/amd64`, or write `FROM --platform=linux/amd64 …` in the final stage; check the saved image to be sure.",
    explains: &[
        studio_errors::EXEC_FORMAT_ERROR,
    ],
    examples: &[
        Example::bad().dockerfile(r#"FROM python:3.11
"#),
        Example::good().dockerfile(r#"FROM --platform=linux/amd64 python:3.11
"#),
    ],
    check,
};

/// What RUN006 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn not_pinned(image: &str) -> String {
        format!("The final stage `FROM {image}` does not pin a platform; a build on an arm64 machine produces an image Studio cannot run.")
    }

    pub fn patch_pin() -> String {
        String::from("Pin the final stage to linux/amd64 with `FROM --platform=linux/amd64`.")
    }

    pub fn build_platform(platform: &str) -> String {
        format!(
            "The final stage is built `FROM --platform={platform}`, i.e. for the machine that builds it; on an arm64 machine that is not linux/amd64."
        )
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    if ctx.image.is_some() {
        return; // The archive says which platform it is (RUN005).
    }
    let Some(stage) = ctx.stage() else { return };
    let message = match stage.from.platform.as_deref() {
        None => message::not_pinned(&stage.from.image),
        Some(p) if p.contains("BUILDPLATFORM") => message::build_platform(p),
        Some(_) => return,
    };
    out.report(message).at_all(evidence::dockerfile(ctx, stage.from.span)).patch(patch::of_final_stage(
        ctx,
        message::patch_pin(),
        |d, s| edit::from_platform(d, &s.from, "linux/amd64").into_iter().collect(),
    ));
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn dockerfile_alone_without_platform_gets_a_hint() {
        let df = DockerfileBuilder::from("python:3.11").build();
        let found = findings(&facts(None, Some(df), None), "RUN006");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["Dockerfile:1: FROM python:3.11"]);
        assert!(found[0].message.contains("`FROM python:3.11` does not pin a platform"), "{}", found[0].message);
    }

    #[test]
    fn buildplatform_on_the_final_stage_gets_a_hint() {
        let mut b = DockerfileBuilder::from("python:3.11");
        b.stage().from.platform = Some("$BUILDPLATFORM".into());
        let found = findings(&facts(None, Some(b.build()), None), "RUN006");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["Dockerfile:1: FROM python:3.11"]);
        assert!(found[0].message.contains("--platform=$BUILDPLATFORM"), "{}", found[0].message);
    }

    #[test]
    fn pinned_platform_or_an_image_archive_passes() {
        let mut b = DockerfileBuilder::from("python:3.11");
        b.stage().from.platform = Some("linux/amd64".into());
        assert!(findings(&facts(None, Some(b.build()), None), "RUN006").is_empty());
        let df = DockerfileBuilder::from("python:3.11").build();
        assert!(findings(&facts(Some(ImageBuilder::good().build()), Some(df), None), "RUN006").is_empty());
    }
}
