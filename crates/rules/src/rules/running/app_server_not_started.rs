//! RUN015 `app-server-not-started`: Nothing in the start command launches the app's server.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::string::String;
use alloc::vec::Vec;

use crate::context::Context;
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::rules::commands::{self, RUNTIME_FILES};
use crate::rules::studio_errors;
use crate::start_command::{words_text, Origin, Server, StartCommand};
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "RUN015",
    name: "app-server-not-started",
    section: Section::RunningTheImage,
    spec: super::SPEC_NEW_APP_ENTRYPOINT,
    severity: Severity::Error,
    stage: Stage::ServerStart,
    profiles: Profile::NEW_APPS,
    requires: &[&[InputKind::Image, InputKind::Dockerfile]],
    needs_files: RUNTIME_FILES,
    summary: "Nothing in the start command launches the app's server (Jupyter Server, or sagemaker-code-editor).",
    explanation: "Unlike Studio Classic, the new Studio's JupyterLab and Code Editor apps run the image's own start command: \
ENTRYPOINT + CMD, unless the AppImageConfig's ContainerConfig replaces them. Studio then waits for the app's server to \
answer its health check on port 8888. A command that starts nothing of the kind — a base image's `bash`, a script that \
never launches the server, an ENTRYPOINT that drops its CMD — leaves the space starting until it times out. The \
command is followed through wrappers (tini, dumb-init, exec, env, `sh -c`, `conda run`), the start scripts the image \
holds and supervisord's programs; a script whose content the inputs lack is reported as a warning instead.",
    fix: "Start the server in CMD (or ContainerConfig): `jupyter lab --ip 0.0.0.0 --port 8888 --ServerApp.base_url=/jupyterlab/default --ServerApp.token='' --ServerApp.allow_origin='*'` for JupyterLab, `sagemaker-code-editor --host 0.0.0.0 --port 8888 --without-connection-token --base-path /CodeEditor/default` for Code Editor.",
    explains: &[studio_errors::INTERNAL_FAILURE, studio_errors::INTERNAL_ERROR, studio_errors::SPACE_PENDING],
    examples: &[
        Example::bad().dockerfile("FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y python3-pip\nCMD [\"/bin/bash\"]\n"),
        Example::bad().image("studio-image\nentrypoint /bin/bash"),
        Example::good().dockerfile("FROM python:3.11\nRUN pip install 'jupyterlab>=4,<5'\nCMD jupyter lab --ip 0.0.0.0 --port 8888\n"),
        Example::good().image(
            "studio-image\ntext /usr/local/bin/start.sh #!/bin/bash\\nexec jupyter-lab --ServerApp.ip=0.0.0.0\nentrypoint /usr/local/bin/start.sh",
        ),
    ],
    check,
};

/// What RUN015 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn nothing_declared(app: &str) -> String {
        format!("The image has no ENTRYPOINT or CMD and no ContainerConfig gives one, so the container starts no {app} server.")
    }

    /// `server`: the server the app needs; `other`: another server it starts instead, if any.
    pub fn no_server(command: &str, server: &str, app: &str, other: Option<&str>) -> String {
        match other {
            Some(other) => format!("The start command `{command}` launches {other}, not {server}, which {app} needs."),
            None => format!("Nothing in the start command `{command}` launches {server}, which {app} needs."),
        }
    }

    pub fn swallowed(scripts: &[String]) -> String {
        format!(" The ENTRYPOINT {} never runs its arguments (no `\"$@\"`), so the CMD does not run.", crate::text::and_list(scripts))
    }

    /// `fields`: `ENTRYPOINT`, `CMD`; `assumed`: [`crate::base_image::BaseMatch::assumed`].
    pub fn inherited(fields: &[&str], assumed: &str) -> String {
        let fields: alloc::vec::Vec<String> = fields.iter().map(|f| String::from(*f)).collect();
        format!(" The Dockerfile does not declare it: it is the base image's {}, {assumed}.", crate::text::and_list(&fields))
    }

    pub fn base_image(from: &str, server: &str) -> String {
        format!(
            "The Dockerfile declares no ENTRYPOINT or CMD, so the container runs those of its base image `{from}`, which this check cannot see without the image archive; whether it launches {server} is unknown."
        )
    }

    /// `programs`: each with where it was named.
    pub fn not_followed(programs: &[String], server: &str) -> String {
        format!(
            "The start command runs {}, whose content the inputs do not hold, so whether it launches {server} is unknown.",
            crate::text::and_list(programs)
        )
    }

    pub fn program(name: &str, at: &str, missing: bool) -> String {
        let note = if missing { ", not in the image" } else { "" };
        format!("`{name}` ({at}{note})")
    }

    pub fn fix_unknown() -> String {
        String::from(
            "Check with the image archive, or give the build context on the command line (`--context DIR`) so the script can be read; it must launch the server on 0.0.0.0:8888.",
        )
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(server) = Server::of(ctx.profile) else {
        return;
    };
    let start = &ctx.start;
    if !start.launches_of(server).is_empty() {
        return;
    }
    let app = ctx.profile.app();
    if start.inherited_unknown {
        let from = ctx.stage().map(|s| s.from.image.as_str()).unwrap_or("");
        out.report(message::base_image(from, server.label()))
            .severity(Severity::Warning)
            .fix(message::fix_unknown())
            .at_all(ctx.stage().and_then(|s| crate::rules::evidence::dockerfile(ctx, s.from.span)));
        return;
    }
    if start.argv.is_empty() {
        out.report(message::nothing_declared(app));
        return;
    }
    let locations = commands::locations(ctx, &start.argv);
    if !start.unfollowed.is_empty() {
        let programs: Vec<String> = start
            .unfollowed
            .iter()
            .map(|u| message::program(&u.program, &commands::origin_text(ctx, &u.origin), u.missing_from_image))
            .collect();
        out.report(message::not_followed(&programs, server.label()))
            .severity(Severity::Warning)
            .fix(message::fix_unknown())
            .at_all(locations);
        return;
    }
    let other = start.launches.iter().find(|l| l.server != server).map(|l| l.server.label());
    let mut text = message::no_server(&words_text(&start.argv), server.label(), app, other);
    let swallowing: Vec<String> = start.swallowing.clone();
    if !swallowing.is_empty() {
        text.push_str(&message::swallowed(&swallowing));
    }
    // Words the table of base images supplied: which fields, and the row they came from.
    let mut fields: Vec<&str> = Vec::new();
    let mut assumed = None;
    for origin in StartCommand::origins(&start.argv) {
        if let Origin::BaseImage { field, assumed: row } = origin {
            fields.push(field);
            assumed = Some(row.as_str());
        }
    }
    if let Some(assumed) = assumed {
        text.push_str(&message::inherited(&fields, assumed));
    }
    let files = start.files.iter().map(|e| crate::report::Location::image_file(e));
    out.report(text).at_all(locations).at_all(files);
}

#[cfg(test)]
mod tests {
    use crate::facts::CommandForm;
    use crate::testkit::*;
    use crate::vocabulary::{Profile, Severity};

    fn dockerfile(from: &str, cmd: Option<CommandForm>) -> crate::facts::DockerfileFacts {
        let builder = DockerfileBuilder::from(from);
        match cmd {
            Some(form) => builder.with("CMD …", |s, span| s.cmd = Some((form, span))).build(),
            None => builder.build(),
        }
    }

    #[test]
    fn bash_as_the_only_command_starts_nothing() {
        let image = ImageBuilder::good().entrypoint(&["/bin/bash"]).build();
        let found = findings_as(&facts(Some(image), None, None), "RUN015", Profile::JupyterLab);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].severity, Severity::Error);
        assert_eq!(
            found[0].message,
            "Nothing in the start command `/bin/bash` launches Jupyter Server, which Studio's JupyterLab app needs."
        );
        assert_eq!(located_at(&found[0]), ["image config Entrypoint = \"/bin/bash\""]);
    }

    #[test]
    fn no_command_at_all_is_an_error_with_the_archive() {
        let found = findings_as(&facts(Some(ImageBuilder::good().build()), None, None), "RUN015", Profile::CodeEditor);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.starts_with("The image has no ENTRYPOINT or CMD"), "{}", found[0].message);
    }

    #[test]
    fn a_dockerfile_without_command_inherits_an_unknown_one() {
        let found = findings_as(&facts(None, Some(dockerfile("my-registry/base:1", None)), None), "RUN015", Profile::JupyterLab);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(found[0].message.contains("base image `my-registry/base:1`"), "{}", found[0].message);
    }

    #[test]
    fn a_known_base_command_that_starts_no_server_is_an_error_naming_the_base() {
        let found = findings_as(&facts(None, Some(dockerfile("python:3.11", None)), None), "RUN015", Profile::JupyterLab);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Error);
        assert!(found[0].message.contains("`python3`"), "{}", found[0].message);
        assert!(
            found[0].message.contains("the base image's CMD, assumed from the base image python:3.11 (table row `python:*`)"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn a_script_the_dockerfile_cannot_show_is_unknown_not_missing() {
        let cmd = CommandForm::Exec(alloc::vec!["/usr/local/bin/start.sh".into()]);
        let found = findings_as(&facts(None, Some(dockerfile("python:3.11", Some(cmd))), None), "RUN015", Profile::JupyterLab);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(found[0].message.contains("`/usr/local/bin/start.sh` (Dockerfile line 2)"), "{}", found[0].message);
    }

    #[test]
    fn an_entrypoint_script_without_handover_drops_the_server_in_cmd() {
        let image = ImageBuilder::good()
            .text("/usr/local/bin/entrypoint.sh", "#!/bin/bash\nsource /opt/venv/bin/activate\nsleep infinity\n")
            .entrypoint(&["/usr/local/bin/entrypoint.sh"])
            .cmd(&["jupyter", "lab"])
            .build();
        let found = findings_as(&facts(Some(image), None, None), "RUN015", Profile::JupyterLab);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .message
                .ends_with("The ENTRYPOINT /usr/local/bin/entrypoint.sh never runs its arguments (no `\"$@\"`), so the CMD does not run."),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn the_other_apps_server_is_named() {
        let cmd = CommandForm::Shell("sagemaker-code-editor --host 0.0.0.0".into());
        let found = findings_as(&facts(None, Some(dockerfile("python:3.11", Some(cmd))), None), "RUN015", Profile::JupyterLab);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("launches sagemaker-code-editor, not Jupyter Server"), "{}", found[0].message);
    }

    #[test]
    fn a_server_behind_exec_handover_is_found() {
        let image = ImageBuilder::good()
            .text(
                "/usr/local/bin/_entrypoint.sh",
                "#!/usr/bin/env bash\nset -ef -o pipefail\nsource /usr/local/bin/_activate_current_env.sh\nexec \"$@\"\n",
            )
            .entrypoint(&["/usr/local/bin/_entrypoint.sh"])
            .cmd(&["/bin/sh", "-c", "micromamba run -n base jupyter lab --ip 0.0.0.0"])
            .build();
        assert!(findings_as(&facts(Some(image), None, None), "RUN015", Profile::JupyterLab).is_empty());
    }
}
