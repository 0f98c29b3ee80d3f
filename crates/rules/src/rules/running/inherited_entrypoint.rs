//! RUN019 `inherited-entrypoint`: The ENTRYPOINT comes from the base image and may not run the CMD.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::string::String;

use crate::context::Context;
use crate::patch::{self, edit};
use crate::report::{Findings, Location};
use crate::rule::{Example, Rule};
use crate::rules::commands::{self, RUNTIME_FILES};
use crate::rules::evidence;
use crate::rules::studio_errors;
use crate::start_command::{words_text, Origin};
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "RUN019",
    name: "inherited-entrypoint",
    section: Section::RunningTheImage,
    spec: super::SPEC_NEW_APP_ENTRYPOINT,
    severity: Severity::Warning,
    stage: Stage::ServerStart,
    profiles: Profile::NEW_APPS,
    requires: &[&[InputKind::Image], &[InputKind::Dockerfile]],
    needs_files: RUNTIME_FILES,
    summary: "The ENTRYPOINT comes from the base image and is not known to hand over to the CMD.",
    explanation: "An ENTRYPOINT set by the base image (pytorch, NGC, micromamba, a vendor's start script) stays active in \
the new Studio's apps and receives the Dockerfile's CMD as its arguments. Wrappers that `exec \"$@\"` (tini, dumb-init, \
micromamba's `_entrypoint.sh`, Jupyter Docker Stacks' `tini -g --`, SageMaker Distribution's entrypoints) run the CMD; \
anything else may ignore it, and the app's server never starts. The base's ENTRYPOINT is read from the image archive \
(its config has one, the Dockerfile's final stage sets none), else from the table of known base images, which also says \
whether it runs its arguments.",
    fix: "Reset it in the Dockerfile (`ENTRYPOINT []`, or your own ENTRYPOINT), or set ContainerEntrypoint in the AppImageConfig.",
    explains: &[studio_errors::INTERNAL_FAILURE, studio_errors::INTERNAL_ERROR, studio_errors::SPACE_PENDING],
    examples: &[
        Example::bad()
            .dockerfile("FROM nvcr.io/nvidia/pytorch:24.01-py3\nCMD jupyter lab --ip 0.0.0.0 --port 8888\n")
            .image("studio-image\nentrypoint /opt/nvidia/nvidia_entrypoint\ncmd jupyter lab --ip 0.0.0.0 --port 8888"),
        Example::good()
            .dockerfile("FROM mambaorg/micromamba:1.5\nCMD jupyter lab --ip 0.0.0.0 --port 8888\n")
            .image(
                "studio-image\ntext /usr/local/bin/_entrypoint.sh #!/usr/bin/env bash\\nexec \"$@\"\nentrypoint /usr/local/bin/_entrypoint.sh\ncmd jupyter lab --ip 0.0.0.0 --port 8888",
            ),
    ],
    check,
};

/// What RUN019 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    /// "comes from the base image `X`", with how it was known when the table said so.
    fn from_base(from: &str, assumed: Option<&str>) -> String {
        match assumed {
            Some(assumed) => format!("comes from the base image `{from}` ({assumed})"),
            None => format!("comes from the base image `{from}`"),
        }
    }

    pub fn unknown(entrypoint: &str, from: &str, assumed: Option<&str>, cmd: &str) -> String {
        format!(
            "The ENTRYPOINT `{entrypoint}` {} (the Dockerfile sets none); it receives the CMD `{cmd}` as arguments, and whether it runs them is unknown.",
            from_base(from, assumed)
        )
    }

    pub fn swallows(entrypoint: &str, from: &str, assumed: Option<&str>, cmd: &str) -> String {
        format!(
            "The ENTRYPOINT `{entrypoint}` {} (the Dockerfile sets none) and never runs its arguments (no `\"$@\"`), so the CMD `{cmd}` does not run.",
            from_base(from, assumed)
        )
    }

    pub fn patch_clear_entrypoint() -> String {
        String::from("Clear the base image's ENTRYPOINT (`ENTRYPOINT []`) so the CMD is what the container runs.")
    }
}

/// Entrypoints known to run their arguments (`exec "$@"`).
const HANDS_OVER: &[&str] =
    &["tini", "tini-static", "dumb-init", "catatonit", "_entrypoint.sh", "entrypoint-jupyter-server", "entrypoint-code-editor"];

#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    /// The ENTRYPOINT never runs its arguments.
    Swallows,
    /// Whether it runs them is not known.
    Unknown,
}

/// What is wrong with an inherited ENTRYPOINT (`None`: it runs the CMD). `swallows`: its script
/// in the archive has no `"$@"`; `table_says`: whether the table of base images says it runs its
/// arguments (Dockerfile only); `known_wrapper`: a wrapper known to, or a script that was followed.
fn verdict(swallows: bool, table_says: Option<bool>, known_wrapper: bool) -> Option<Verdict> {
    match (swallows, table_says) {
        (true, _) | (false, Some(false)) => Some(Verdict::Swallows),
        (false, Some(true)) => None,
        (false, None) if known_wrapper => None,
        (false, None) => Some(Verdict::Unknown),
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let start = &ctx.start;
    if !start.entrypoint_from_base || start.argv.len() == start.entrypoint_len {
        return;
    }
    let (entrypoint, cmd) = start.argv.split_at(start.entrypoint_len);
    let Some(program) = entrypoint.first() else {
        return;
    };
    let name = program.text.rsplit('/').next().unwrap_or("");
    let real = ctx.image.as_ref().and_then(|m| m.which(&program.text)).map(|(_, real)| real);
    let swallowing = real.as_ref().filter(|r| start.swallowing.contains(r));
    let followed = real.as_ref().is_some_and(|r| start.files.iter().any(|e| e.path == *r));
    // Without the archive the ENTRYPOINT is the table's, and so is whether it runs its arguments.
    let assumed = match &program.origin {
        Origin::BaseImage { assumed, .. } => Some(assumed.as_str()),
        _ => None,
    };
    let table_says = assumed.and_then(|_| ctx.base_image()?.row.entrypoint_runs_arguments.known());
    let from: String = match (assumed, ctx.base_image()) {
        (Some(_), Some(base)) => base.reference.clone(),
        _ => ctx.stage().map(|s| s.from.image.clone()).unwrap_or_default(),
    };
    let (ep_text, cmd_text) = (words_text(entrypoint), words_text(cmd));
    let known_wrapper = HANDS_OVER.contains(&name) || followed;
    let text = match verdict(swallowing.is_some(), table_says, known_wrapper) {
        None => return,
        Some(Verdict::Swallows) => message::swallows(&ep_text, &from, assumed, &cmd_text),
        Some(Verdict::Unknown) => message::unknown(&ep_text, &from, assumed, &cmd_text),
    };
    let script = swallowing.and_then(|path| ctx.image_facts()?.files.get(path)).map(Location::image_file);
    let mut locations = commands::locations(ctx, entrypoint);
    locations.extend(ctx.stage().and_then(|s| evidence::dockerfile(ctx, s.from.span)).filter(|l| !locations.contains(l)));
    // `ENTRYPOINT []` also drops the base's CMD: offered only when the stage declares its own.
    let own_cmd = ctx.stage().is_some_and(|s| s.cmd.is_some());
    let clear = own_cmd
        .then(|| patch::of_final_stage(ctx, message::patch_clear_entrypoint(), |d, s| edit::clear_entrypoint(d, s).into_iter().collect()));
    out.report(text).at_all(locations).at_all(script).patch(clear.flatten());
}

#[cfg(test)]
mod tests {
    use crate::facts::CommandForm;
    use crate::testkit::*;
    use crate::vocabulary::Profile;

    fn dockerfile(entrypoint: bool) -> crate::facts::DockerfileFacts {
        let df = DockerfileBuilder::from("nvcr.io/nvidia/pytorch:24.01-py3")
            .with("CMD jupyter lab", |s, span| s.cmd = Some((CommandForm::Shell("jupyter lab".into()), span)));
        if entrypoint {
            df.with("ENTRYPOINT []", |s, span| s.entrypoint = Some((CommandForm::Exec(alloc::vec![]), span))).build()
        } else {
            df.build()
        }
    }

    fn image(script: Option<&str>) -> crate::facts::ImageFacts {
        let builder = match script {
            Some(text) => ImageBuilder::good().text("/opt/nvidia/nvidia_entrypoint.sh", text),
            None => ImageBuilder::good(),
        };
        builder.entrypoint(&["/opt/nvidia/nvidia_entrypoint.sh"]).cmd(&["/bin/sh", "-c", "jupyter lab"]).build()
    }

    #[test]
    fn an_unknown_base_entrypoint_is_a_warning() {
        let found = findings_as(&facts(Some(image(None)), Some(dockerfile(false)), None), "RUN019", Profile::JupyterLab);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].message.starts_with(
                "The ENTRYPOINT `/opt/nvidia/nvidia_entrypoint.sh` comes from the base image `nvcr.io/nvidia/pytorch:24.01-py3`"
            ),
            "{}",
            found[0].message
        );
        assert_eq!(located_at(&found[0])[0], "image config Entrypoint = \"/opt/nvidia/nvidia_entrypoint.sh\"");
    }

    #[test]
    fn a_base_script_without_handover_is_named() {
        let found =
            findings_as(&facts(Some(image(Some("#!/bin/bash\necho hi\n"))), Some(dockerfile(false)), None), "RUN019", Profile::JupyterLab);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("never runs its arguments"), "{}", found[0].message);
    }

    #[test]
    fn without_the_archive_the_table_says_whether_the_base_entrypoint_runs_the_cmd() {
        use super::{verdict, Verdict};
        assert_eq!(verdict(false, Some(false), true), Some(Verdict::Swallows), "the table wins over the name");
        assert_eq!(verdict(false, Some(true), false), None);
        assert_eq!(verdict(false, None, false), Some(Verdict::Unknown));
        assert_eq!(verdict(true, Some(true), true), Some(Verdict::Swallows), "the archive's script wins");
        // micromamba's `_entrypoint.sh`, known from the table to `exec "$@"`: no finding.
        let df = DockerfileBuilder::from("mambaorg/micromamba:1.5")
            .with("CMD jupyter lab", |s, span| s.cmd = Some((CommandForm::Shell("jupyter lab".into()), span)))
            .build();
        let f = facts(None, Some(df), None);
        assert!(crate::context::Context::new(&f, Profile::JupyterLab).start.entrypoint_from_base);
        assert!(findings_as(&f, "RUN019", Profile::JupyterLab).is_empty());
    }

    #[test]
    fn the_finding_clears_the_entrypoint_when_the_stage_has_its_own_cmd() {
        let found = findings_as(&facts(Some(image(None)), Some(dockerfile(false)), None), "RUN019", Profile::JupyterLab);
        let patch = found[0].patch.as_ref().expect("a patch");
        assert!(patch.diff.contains("+ENTRYPOINT []"), "{}", patch.diff);
        let df = DockerfileBuilder::from("nvcr.io/nvidia/pytorch:24.01-py3").build();
        let found = findings_as(&facts(Some(image(None)), Some(df), None), "RUN019", Profile::JupyterLab);
        assert!(found[0].patch.is_none(), "ENTRYPOINT [] would also drop the base's CMD");
    }

    #[test]
    fn handover_scripts_and_an_own_entrypoint_pass() {
        let handover = image(Some("#!/bin/bash\nset -e\nexec \"$@\"\n"));
        assert!(findings_as(&facts(Some(handover), Some(dockerfile(false)), None), "RUN019", Profile::JupyterLab).is_empty());
        assert!(findings_as(&facts(Some(image(None)), Some(dockerfile(true)), None), "RUN019", Profile::JupyterLab).is_empty());
    }
}
