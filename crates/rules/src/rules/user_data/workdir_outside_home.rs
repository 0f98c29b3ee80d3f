//! HOME006 `workdir-outside-home`: The image's working directory is not within /home/sagemaker-user, where the new Studio mounts the space's volume.
//! The declaration, its messages, its check, its examples and its tests.

use crate::context::Context;
use crate::facts::fs::is_within;
use crate::report::{Findings, Location};
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "HOME006",
    name: "workdir-outside-home",
    section: Section::UserData,
    spec: "Use the WORKDIR instruction to set the working directory of your image to a folder within /home/sagemaker-user.",
    severity: Severity::Warning,
    stage: Stage::ContainerStart,
    profiles: Profile::NEW_APPS,
    requires: &[&[InputKind::Image, InputKind::Dockerfile]],
    needs_files: &[],
    summary: "The image's working directory is not within /home/sagemaker-user, where the new Studio mounts the space's volume.",
    explanation: "The new Studio mounts the space's EBS volume at /home/sagemaker-user, the only place whose content \
persists. An app started elsewhere opens its file browser, terminals and new files outside the volume: work saved \
there is lost when the space restarts, and the volume's files are not where the user lands.",
    fix: "Add `WORKDIR /home/sagemaker-user` (or a folder below it) to the final stage of the Dockerfile.",
    explains: &[],
    examples: &[
        Example::bad().image(
            r#"studio-image
workdir /opt/app"#,
        ),
        Example::bad().dockerfile(
            r#"FROM python:3.11
WORKDIR /workspace
"#,
        ),
        Example::good().image(
            r#"studio-image
workdir /home/sagemaker-user"#,
        ),
        Example::good().dockerfile(
            r#"FROM python:3.11
WORKDIR /home/sagemaker-user/projects
"#,
        ),
    ],
    check,
};

/// What HOME006 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn outside(dir: &str, home: &str) -> String {
        format!("The working directory is {dir}, outside {home}: files the app creates there are not on the space's volume.")
    }

    pub fn unset(home: &str) -> String {
        format!("The image sets no working directory (it is /), outside {home}: files the app creates there are not on the space's volume.")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let home = ctx.mount_path.as_str(); // fixed at /home/sagemaker-user in the new apps
    let workdir_line = ctx.stage().and_then(|s| s.workdir_span.and_then(|span| evidence::dockerfile(ctx, span)));
    // The image's config is what runs; without it, only a WORKDIR the Dockerfile sets is known
    // (with none, the base image's working directory holds, and that is unknown here).
    let dir = match &ctx.image {
        Some(model) => model.facts.image_config.working_dir.clone(),
        None => match ctx.stage().filter(|s| s.workdir_span.is_some()).and_then(|s| s.workdir.clone()) {
            Some(dir) => dir,
            None => return,
        },
    };
    if !dir.is_empty() && is_within(&dir, home) {
        return;
    }
    let finding = out.report(if dir.is_empty() { message::unset(home) } else { message::outside(&dir, home) });
    if ctx.image.is_some() {
        finding.at(Location::image_config("WorkingDir", dir));
    }
    finding.at_all(workdir_line);
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use crate::vocabulary::Profile;

    fn workdir(df: DockerfileBuilder, dir: &str) -> DockerfileBuilder {
        let text = alloc::format!("WORKDIR {dir}");
        df.with(&text, |s, span| {
            s.workdir = Some(dir.into());
            s.workdir_span = Some(span);
        })
    }

    #[test]
    fn dockerfile_workdir_outside_home_warns_on_its_line() {
        let df = workdir(DockerfileBuilder::from("python:3.11"), "/workspace").build();
        let found = findings_as(&facts(None, Some(df), None), "HOME006", Profile::JupyterLab);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("is /workspace, outside /home/sagemaker-user"), "{}", found[0].message);
        assert_eq!(located_at(&found[0]), ["Dockerfile:2: WORKDIR /workspace"]);
    }

    #[test]
    fn image_without_working_directory_warns_that_it_is_unset() {
        let image = ImageBuilder::good().build();
        let found = findings_as(&facts(Some(image), None, None), "HOME006", Profile::CodeEditor);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("sets no working directory"), "{}", found[0].message);
        assert!(matches!(&found[0].locations[0], crate::Location::ImageConfig { field, .. } if field == "WorkingDir"));
    }

    #[test]
    fn working_directory_within_home_passes() {
        let image = ImageBuilder::good().workdir("/home/sagemaker-user/work").build();
        assert!(findings_as(&facts(Some(image), None, None), "HOME006", Profile::JupyterLab).is_empty());
        let df = workdir(DockerfileBuilder::from("python:3.11"), "/home/sagemaker-user").build();
        assert!(findings_as(&facts(None, Some(df), None), "HOME006", Profile::JupyterLab).is_empty());
    }

    #[test]
    fn dockerfile_without_workdir_is_not_judged() {
        let df = DockerfileBuilder::from("python:3.11").build();
        assert!(findings_as(&facts(None, Some(df), None), "HOME006", Profile::JupyterLab).is_empty());
    }
}
