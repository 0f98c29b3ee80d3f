//! RUN001 `entrypoint-cmd-ignored`: The image sets ENTRYPOINT or CMD, which Studio Classic replaces.
//! The declaration, its messages, its check, its examples and its tests.

use crate::context::Context;
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::rules::commands;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "RUN001",
    name: "entrypoint-cmd-ignored",
    section: Section::RunningTheImage,
    spec: super::SPEC_ENTRYPOINT,
    severity: Severity::Info,
    stage: Stage::Never,
    profiles: Profile::CLASSIC,
    requires: &[&[InputKind::Image, InputKind::Dockerfile]],
    needs_files: &[],
    summary: "The image sets ENTRYPOINT or CMD, which Studio Classic replaces.",
    explanation: "Studio starts a KernelGateway app by overriding the image's ENTRYPOINT and CMD with its own start \
command. Whatever the image declares there never runs in Studio Classic. That is harmless for base-image defaults \
such as `CMD [\"python3\"]`, but nothing the image needs may depend on it.",
    fix: "Nothing to change if the command is only a default for `docker run`; move anything the kernels need into the image itself (RUN, ENV).",
    explains: &[],
    examples: &[
        Example::bad().dockerfile(r#"FROM python:3.11
RUN pip install ipykernel
CMD ["python3"]
"#),
        Example::bad().image(r#"studio-image
cmd python3"#),
        Example::good().dockerfile(r#"FROM python:3.11
RUN pip install ipykernel
"#),
        Example::good().image(r#"studio-image"#),
    ],
    check,
};

/// What RUN001 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    /// `declared`: whether the Dockerfile (rather than the image config alone) declares it.
    pub fn overridden(command: &str, declared: bool) -> String {
        let source = if declared { "declares" } else { "sets" };
        format!("The image {source} `{command}` as its start command; Studio Classic overrides ENTRYPOINT and CMD, so it never runs there.")
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    // A base image's default (`CMD ["python3"]`), known only from the table, is not the image's choice.
    let commands: alloc::vec::Vec<_> = commands::declared(ctx).into_iter().filter(|c| !c.inherited).collect();
    let Some(first) = commands.first() else {
        return;
    };
    out.report(message::overridden(&first.text, commands.len() > 1 || !first.from_image))
        .at_all(commands.iter().flat_map(|c| c.locations.iter().cloned()));
}

#[cfg(test)]
mod tests {
    use crate::facts::{CommandForm, Span};
    use crate::testkit::*;

    #[test]
    fn image_with_a_cmd_is_told_it_is_overridden() {
        let image = ImageBuilder::good().cmd(&["python3"]).build();
        let found = findings(&facts(Some(image), None, None), "RUN001");
        assert_eq!(found.len(), 1);
        assert_eq!(located_at(&found[0]), ["image config Cmd = \"python3\""]);
        assert!(found[0].message.contains("`python3`"));
    }

    #[test]
    fn dockerfile_entrypoint_is_located_on_its_line() {
        let df = DockerfileBuilder::from("python:3.11")
            .with("ENTRYPOINT [\"tini\", \"--\"]", |s, span| {
                s.entrypoint = Some((CommandForm::Exec(alloc::vec!["tini".into(), "--".into()]), span))
            })
            .build();
        let found = findings(&facts(None, Some(df), None), "RUN001");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("`tini --`"), "{}", found[0].message);
        assert!(matches!(found[0].locations[0], crate::Location::Dockerfile { line: 2, .. }));
        let _ = Span::line(1);
    }

    #[test]
    fn image_without_entrypoint_or_cmd_passes() {
        assert!(findings(&facts(Some(ImageBuilder::good().build()), None, None), "RUN001").is_empty());
    }
}
