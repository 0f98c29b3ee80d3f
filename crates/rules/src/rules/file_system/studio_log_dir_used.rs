//! FS002 `studio-log-dir-used`: The image puts files under /var/log/studio, which the new Studio reserves for its apps' logs.
//! The declaration, its messages, its check, its examples and its tests.

use crate::context::Context;
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

use super::{report_content, Wording};

/// Spec (new Studio): the logging directory of the apps and their extensions.
const STUDIO_LOG_DIR: &str = "/var/log/studio";

pub const RULE: Rule = Rule {
    id: "FS002",
    name: "studio-log-dir-used",
    section: Section::FileSystem,
    spec: "/var/log/studio are reserved for the logging directories of your applications and the extensions associated with it. We recommend that you don't use these folders in creating your image.",
    severity: Severity::Warning,
    stage: Stage::ContainerStart,
    profiles: Profile::NEW_APPS,
    requires: &[&[InputKind::Image, InputKind::Dockerfile]],
    needs_files: &[],
    summary: "The image puts files under /var/log/studio, which the new Studio reserves for its apps' logs.",
    explanation: "JupyterLab, Code Editor and their extensions write their logs to /var/log/studio; files the image ships \
there can be overwritten, mixed into the app's logs or hide them. SageMaker Distribution creates the directory itself \
(empty), which is fine: only content counts.",
    fix: "Ship nothing under /var/log/studio: write your own logs elsewhere (e.g. /var/log/<your-app>) and leave the directory empty.",
    explains: &[],
    examples: &[
        Example::bad().image(
            r#"studio-image
layer COPY logging.conf /var/log/studio/
file /var/log/studio/logging.conf 300"#,
        ),
        Example::bad().dockerfile(
            r#"FROM python:3.11
COPY logging.conf /var/log/studio/logging.conf
"#,
        ),
        Example::good().image(
            r#"studio-image
dir /var/log/studio
dir /var/log/sagemaker"#,
        ),
        Example::good().dockerfile(
            r#"FROM python:3.11
RUN mkdir -p /var/log/studio
COPY logging.conf /var/log/my-app/logging.conf
"#,
        ),
    ],
    check,
};

/// What FS002 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    /// `files`: count and size of what is shipped; `layers`: the layers it comes from ("1 and 3").
    pub fn shipped(files: &str, dir: &str, layers: &str) -> String {
        format!("The image ships {files} under {dir} (from layer {layers}); Studio reserves {dir} for the logs of its apps and their extensions.")
    }

    /// `via`: the instruction that writes (`COPY`, `RUN`…).
    pub fn written(via: &str, path: &str, dir: &str) -> String {
        format!("{via} writes {path} inside {dir}, which Studio reserves for the logs of its apps and their extensions.")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    report_content(ctx, out, &[STUDIO_LOG_DIR], None, &Wording { shipped: message::shipped, written: message::written });
}

#[cfg(test)]
mod tests {
    use crate::facts::{PathWrite, WriteVia};
    use crate::testkit::*;
    use crate::vocabulary::Profile;

    #[test]
    fn log_config_shipped_in_var_log_studio_warns_with_path_and_layer() {
        let image = ImageBuilder::good().next_layer("COPY x /var/log/studio/").file("/var/log/studio/x.log", 10).build();
        let found = findings_as(&facts(Some(image), None, None), "FS002", Profile::JupyterLab);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("1 file (10 B) under /var/log/studio (from layer 1)"), "{}", found[0].message);
        assert!(matches!(&found[0].locations[0], crate::Location::ImageFile { path, layer: 1, .. } if path == "/var/log/studio/x.log"));
    }

    #[test]
    fn dockerfile_write_into_var_log_studio_warns_on_its_line() {
        let df = DockerfileBuilder::from("python:3.11")
            .with("RUN touch /var/log/studio/app.log", |s, span| {
                s.writes.push(PathWrite { path: "/var/log/studio/app.log".into(), via: WriteVia::Run, span })
            })
            .build();
        let found = findings_as(&facts(None, Some(df), None), "FS002", Profile::CodeEditor);
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["Dockerfile:2: RUN touch /var/log/studio/app.log"]);
        assert!(found[0].message.contains("RUN writes /var/log/studio/app.log"), "{}", found[0].message);
    }

    #[test]
    fn sagemaker_distributions_empty_log_directories_pass() {
        let image = ImageBuilder::good().dir("/var/log/studio").dir("/var/log/sagemaker").build();
        assert!(findings_as(&facts(Some(image), None, None), "FS002", Profile::JupyterLab).is_empty());
        let df = DockerfileBuilder::from("python:3.11")
            .with("RUN mkdir -p /var/log/studio", |s, span| {
                s.writes.push(PathWrite { path: "/var/log/studio".into(), via: WriteVia::Run, span })
            })
            .build();
        assert!(findings_as(&facts(None, Some(df), None), "FS002", Profile::JupyterLab).is_empty());
    }
}
