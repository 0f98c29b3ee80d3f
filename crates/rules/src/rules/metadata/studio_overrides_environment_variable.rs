//! META003 `studio-overrides-environment-variable`: The image or its AppImageConfig sets an AWS_* or SAGEMAKER_* variable, which the new Studio overrides.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::format;
use alloc::vec;
use alloc::vec::Vec;

use crate::context::Context;
use crate::facts::{DockerfileFacts, Span};
use crate::patch::{self, edit, Edit};
use crate::report::{Findings, Location};
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "META003",
    name: "studio-overrides-environment-variable",
    section: Section::Metadata,
    spec: "SageMaker AI-specific environment variables take precedence and will override any variables with the same names.",
    severity: Severity::Warning,
    stage: Stage::Never,
    profiles: Profile::NEW_APPS,
    requires: &[&[InputKind::Image, InputKind::Dockerfile, InputKind::AppImageConfig]],
    needs_files: &[],
    summary: "The image or its AppImageConfig sets an AWS_* or SAGEMAKER_* variable, which the new Studio overrides.",
    explanation: "The new Studio sets its own variables (AWS_ACCOUNT_ID, AWS_REGION, AWS_DEFAULT_REGION, \
AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, SAGEMAKER_SPACE_NAME, SAGEMAKER_APP_TYPE, …) and they win over the image's ENV \
and the AppImageConfig's ContainerEnvironmentVariables: a value set under such a name may silently be replaced at \
runtime, and code that relies on it (a region, a credentials path) behaves differently in Studio than in a local test.",
    fix: "Rename the variable (e.g. MYAPP_REGION), or drop it and read Studio's value at runtime.",
    explains: &[],
    examples: &[
        Example::bad().dockerfile(
            r#"FROM python:3.11
ENV AWS_DEFAULT_REGION=us-east-1
"#,
        ),
        Example::bad().app_image_config(
            r#"{"AppImageConfigName": "x", "JupyterLabAppImageConfig": {"ContainerConfig": {"ContainerEnvironmentVariables": {"SAGEMAKER_APP_TYPE": "JupyterLab"}}}}"#,
        ),
        Example::bad().image(
            r#"studio-image
env AWS_REGION=eu-west-1"#,
        ),
        Example::good().dockerfile(
            r#"FROM python:3.11
ENV MYAPP_REGION=us-east-1
"#,
        ),
        Example::good().image(
            r#"studio-image
env SAGEMAKER_LOGGING_DIR=/var/log/sagemaker/"#,
        ),
    ],
    check,
};

/// Variables SageMaker Distribution's own Dockerfile sets: an image built on it carries them in
/// its Env, and that is not the user's doing.
const DISTRIBUTION_OWN: &[&str] = &["SAGEMAKER_LOGGING_DIR"];

fn studio_owned(name: &str) -> bool {
    name.starts_with("AWS_") || name.starts_with("SAGEMAKER_")
}

/// What META003 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub const DOCKERFILE: &str = "ENV";
    pub const IMAGE: &str = "The image's Env";
    pub const CONFIG: &str = "ContainerEnvironmentVariables";

    pub fn patch_drop(name: &str) -> String {
        format!("Drop {name} from the Dockerfile's ENV; read Studio's value at runtime.")
    }

    /// `source`: one of the constants above.
    pub fn overridden(source: &str, name: &str, value: &str) -> String {
        format!("{source} sets {name}={value}; Studio sets its own SageMaker variables, which take precedence, so {name} may not have this value at runtime.")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    match (ctx.stage(), &ctx.image) {
        (Some(stage), _) => {
            for (name, value, span) in stage.env.iter().filter(|(n, _, _)| studio_owned(n)) {
                out.report(message::overridden(message::DOCKERFILE, name, value))
                    .at_all(evidence::dockerfile(ctx, *span))
                    .patch(patch::of_final_stage(ctx, message::patch_drop(name), |d, _| drop_variable(d, *span, name)));
            }
        }
        // Without the Dockerfile, the Env holds what the base image set too; SageMaker
        // Distribution's own variables are not the user's to rename.
        (None, Some(model)) => {
            for (name, value) in
                model.facts.image_config.env.iter().filter(|(n, _)| studio_owned(n) && !DISTRIBUTION_OWN.contains(&n.as_str()))
            {
                out.report(message::overridden(message::IMAGE, name, value)).at(Location::image_config("Env", format!("{name}={value}")));
            }
        }
        (None, None) => {}
    }
    if let Some(config) = ctx.app_image_config() {
        for (name, field) in config.container_env().filter(|(n, _)| studio_owned(n)) {
            out.report(message::overridden(message::CONFIG, name, &field.value)).at_all(evidence::app_image_config(
                ctx,
                &field.pointer,
                Some(field.value.clone()),
            ));
        }
    }
}

/// The instruction at `span` without `name`: its `NAME=value` word (a value without spaces), or the
/// whole instruction in the legacy form `ENV NAME value` or when nothing else is left.
fn drop_variable(dockerfile: &DockerfileFacts, span: Span, name: &str) -> Vec<Edit> {
    let words = edit::words(dockerfile, span);
    if words.get(1).is_some_and(|w| w.text == name) {
        return vec![edit::replace_lines(span, Vec::new())];
    }
    let assignment = format!("{name}=");
    let quoted = |w: &edit::Word| w.text.matches('"').count() % 2 == 1 || w.text.matches('\'').count() % 2 == 1;
    let ours: Vec<edit::Word> = words.into_iter().filter(|w| w.text.starts_with(&assignment) && !quoted(w)).collect();
    edit::remove_words(dockerfile, span, &ours)
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use crate::vocabulary::Profile;

    #[test]
    fn dockerfile_env_setting_aws_region_warns_on_its_line() {
        let df = DockerfileBuilder::from("python:3.11")
            .with("ENV AWS_REGION=us-east-1 PATH=/x", |s, span| {
                s.env.push(("AWS_REGION".into(), "us-east-1".into(), span));
                s.env.push(("PATH".into(), "/x".into(), span));
            })
            .build();
        let found = findings_as(&facts(None, Some(df), None), "META003", Profile::JupyterLab);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.starts_with("ENV sets AWS_REGION=us-east-1"), "{}", found[0].message);
        assert_eq!(located_at(&found[0]), ["Dockerfile:2: ENV AWS_REGION=us-east-1 PATH=/x"]);
    }

    #[test]
    fn container_environment_variable_warns_at_its_pointer() {
        let config = app_image_config(
            r#"{"AppImageConfigName": "x", "CodeEditorAppImageConfig": {"ContainerConfig": {"ContainerEnvironmentVariables": {"SAGEMAKER_SPACE_NAME": "mine", "MY_VAR": "1"}}}}"#,
        );
        let found = findings_as(&facts(None, None, Some(config)), "META003", Profile::CodeEditor);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("ContainerEnvironmentVariables sets SAGEMAKER_SPACE_NAME=mine"), "{}", found[0].message);
        assert!(matches!(&found[0].locations[0], crate::Location::AppImageConfig { pointer, .. }
            if pointer == "/CodeEditorAppImageConfig/ContainerConfig/ContainerEnvironmentVariables/SAGEMAKER_SPACE_NAME"));
    }

    #[test]
    fn image_env_warns_unless_sagemaker_distribution_set_it() {
        let image = ImageBuilder::good().env("SAGEMAKER_LOGGING_DIR", "/var/log/sagemaker/").env("AWS_DEFAULT_REGION", "eu-west-1").build();
        let found = findings_as(&facts(Some(image), None, None), "META003", Profile::JupyterLab);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.starts_with("The image's Env sets AWS_DEFAULT_REGION=eu-west-1"), "{}", found[0].message);
        assert!(matches!(&found[0].locations[0], crate::Location::ImageConfig { field, .. } if field == "Env"));
    }

    #[test]
    fn with_a_dockerfile_only_its_env_counts() {
        let image = ImageBuilder::good().env("AWS_REGION", "us-east-1").build();
        let df = DockerfileBuilder::from("base").build();
        assert!(findings_as(&facts(Some(image), Some(df), None), "META003", Profile::JupyterLab).is_empty());
    }
}
