//! RUN003 `port-8888-exposed`: The image exposes port 8888, which Studio reserves for the KernelGateway.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::vec::Vec;

use crate::context::Context;
use crate::patch::{self, edit, Edit};
use crate::report::Findings;
use crate::report::Location;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "RUN003",
    name: "port-8888-exposed",
    section: Section::RunningTheImage,
    spec: super::SPEC_PORT,
    severity: Severity::Info,
    stage: Stage::ServerStart,
    profiles: Profile::CLASSIC,
    requires: &[&[InputKind::Image, InputKind::Dockerfile]],
    needs_files: &[],
    summary: "The image exposes port 8888, which Studio reserves for the KernelGateway.",
    explanation: "EXPOSE only documents a port, so it breaks nothing by itself; but port 8888 belongs to the KernelGateway \
web server Studio starts in the container, so nothing of the image's own may use it.",
    fix: "Remove `EXPOSE 8888` (or expose the port your own service really uses, not 8888).",
    explains: &[],
    examples: &[
        Example::bad().dockerfile(
            r#"FROM python:3.11
EXPOSE 8888
"#,
        ),
        Example::bad().image(
            r#"studio-image
expose 8888/tcp"#,
        ),
        Example::good().dockerfile(
            r#"FROM python:3.11
EXPOSE 8080
"#,
        ),
    ],
    check,
};

/// Whether an EXPOSE value (`8888`, `8888/tcp`, `8000-9000/tcp`) covers 8888.
pub(crate) fn covers_8888(port: &str) -> bool {
    let number = port.split('/').next().unwrap_or("");
    match number.split_once('-') {
        Some((lo, hi)) => {
            matches!((lo.parse::<u32>(), hi.parse::<u32>()), (Ok(lo), Ok(hi)) if lo <= 8888 && 8888 <= hi)
        }
        None => number == "8888",
    }
}

/// What RUN003 says: the only place its wording lives.
mod message {
    use alloc::string::String;

    pub fn exposed() -> String {
        String::from("Port 8888 is exposed by the image; Studio reserves it for its KernelGateway web server.")
    }

    pub fn patch_unexpose() -> String {
        String::from("Stop exposing port 8888.")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let mut locations: Vec<Location> = Vec::new();
    if let Some(model) = &ctx.image {
        for port in model.facts.image_config.exposed_ports.iter().filter(|p| covers_8888(p)) {
            locations.push(Location::image_config("ExposedPorts", port.clone()));
        }
    }
    if let Some(stage) = ctx.stage() {
        for (_, span) in stage.expose.iter().filter(|(p, _)| covers_8888(p)) {
            locations.extend(evidence::dockerfile(ctx, *span));
        }
    }
    if !locations.is_empty() {
        out.report(message::exposed()).at_all(locations).patch(patch::of_final_stage(ctx, message::patch_unexpose(), unexpose));
    }
}

/// The stage's `EXPOSE` instructions without 8888 (written as a single port, not in a range); an
/// instruction left without ports goes.
fn unexpose(dockerfile: &crate::facts::DockerfileFacts, stage: &crate::facts::StageFacts) -> Vec<Edit> {
    let mut spans: Vec<crate::facts::Span> = stage.expose.iter().filter(|(p, _)| covers_8888(p)).map(|(_, s)| *s).collect();
    spans.dedup();
    let mut edits = Vec::new();
    for span in spans {
        let ports: Vec<edit::Word> =
            edit::words(dockerfile, span).into_iter().skip(1).filter(|w| !w.text.contains('-') && covers_8888(&w.text)).collect();
        edits.extend(edit::remove_words(dockerfile, span, &ports));
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::covers_8888;
    use crate::testkit::*;

    #[test]
    fn exposed_8888_is_reported() {
        let image = ImageBuilder::good().expose("8888/tcp").build();
        let found = findings(&facts(Some(image), None, None), "RUN003");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["image config ExposedPorts = \"8888/tcp\""]);
        assert!(found[0].message.contains("Port 8888"), "{}", found[0].message);
    }

    #[test]
    fn dockerfile_expose_range_covering_8888_is_reported() {
        let df = DockerfileBuilder::from("python:3.11")
            .with("EXPOSE 8000-9000/tcp", |s, span| s.expose.push(("8000-9000/tcp".into(), span)))
            .build();
        let found = findings(&facts(None, Some(df), None), "RUN003");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["Dockerfile:2: EXPOSE 8000-9000/tcp"]);
        assert!(found[0].message.contains("Port 8888"), "{}", found[0].message);
    }

    #[test]
    fn other_ports_pass() {
        let image = ImageBuilder::good().expose("8080/tcp").expose("18888/tcp").build();
        assert!(findings(&facts(Some(image), None, None), "RUN003").is_empty());
        assert!(!covers_8888("88880"));
    }
}
