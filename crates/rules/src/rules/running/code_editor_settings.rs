//! RUN017 `code-editor-settings`: The sagemaker-code-editor the start command launches is not set up as the Code Editor app needs.
//! The declaration, its messages, its check, its examples and its tests.

use alloc::string::String;
use alloc::vec::Vec;

use crate::context::Context;
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::rules::commands::{self, RUNTIME_FILES};
use crate::rules::studio_errors;
use crate::start_command::{Launch, Server, Word};
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "RUN017",
    name: "code-editor-settings",
    section: Section::RunningTheImage,
    spec: super::SPEC_CODE_EDITOR_SERVER,
    severity: Severity::Error,
    stage: Stage::ServerStart,
    profiles: Profile::CODE_EDITOR_APP,
    requires: &[&[InputKind::Image, InputKind::Dockerfile]],
    needs_files: RUNTIME_FILES,
    summary: "The sagemaker-code-editor the start command launches lacks `--host 0.0.0.0 --port 8888 --base-path /CodeEditor/default --without-connection-token`.",
    explanation: "Studio reaches the Code Editor app through its proxy at `/CodeEditor/default` on port 8888. A server on \
localhost or another port never answers the health check, one under another base path serves pages Studio does not \
ask for, and one that wants a connection token refuses Studio: the space hangs while starting. The base path is \
compared without regard to case (SageMaker Distribution serves `/codeeditor/default`), and SageMaker Distribution's \
`entrypoint-code-editor` counts as correct (\"these requirements are already taken care of\").",
    fix: "Launch it as `sagemaker-code-editor --host 0.0.0.0 --port 8888 --without-connection-token --base-path /CodeEditor/default`.",
    explains: &[studio_errors::INTERNAL_FAILURE, studio_errors::INTERNAL_ERROR, studio_errors::SPACE_PENDING],
    examples: &[
        Example::bad().dockerfile("FROM mambaorg/micromamba:1.5\nCMD micromamba run -n base sagemaker-code-editor --host 0.0.0.0 --port 8888\n"),
        Example::good().dockerfile(
            "FROM mambaorg/micromamba:1.5\nCMD micromamba run -n base sagemaker-code-editor --host 0.0.0.0 --port 8888 --without-connection-token --base-path \"/CodeEditor/default\"\n",
        ),
        Example::good().dockerfile("FROM public.ecr.aws/sagemaker/sagemaker-distribution:latest-cpu\nENTRYPOINT [\"entrypoint-code-editor\"]\n"),
    ],
    check,
};

/// What RUN017 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    pub fn wrong_value(option: &str, value: &str, expected: &str) -> String {
        format!("`{option} {value}` (Studio needs {expected})")
    }

    pub fn missing(option: &str, default: &str) -> String {
        format!("no `{option}` ({default})")
    }

    pub fn wrong(command: &str, at: &str, problems: &[String]) -> String {
        format!("The sagemaker-code-editor launched by `{command}` ({at}) will not work in Studio: {}.", crate::text::and_list(problems))
    }
}

/// The last value of `--name v` / `--name=v`.
fn option<'w>(args: &'w [Word], name: &str) -> Option<&'w str> {
    let mut found = None;
    for (i, w) in args.iter().enumerate() {
        if let Some(v) = w.text.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
            found = Some(v);
        } else if w.text == name {
            found = args.get(i + 1).map(|v| v.text.as_str());
        }
    }
    found
}

/// Spec: base URL `CodeEditor/default` (SageMaker Distribution: `/$SAGEMAKER_APP_TYPE_LOWERCASE/default`).
fn base_path_ok(value: &str) -> bool {
    let v = value.trim_matches('/');
    v.eq_ignore_ascii_case("codeeditor/default")
        || v == "$SAGEMAKER_APP_TYPE_LOWERCASE/default"
        || v == "${SAGEMAKER_APP_TYPE_LOWERCASE}/default"
}

fn problems(launch: &Launch) -> Vec<String> {
    let args = launch.args();
    let mut out = Vec::new();
    for (name, expected, ok, default) in [
        ("--host", "0.0.0.0", (|v: &str| v == "0.0.0.0") as fn(&str) -> bool, "it listens on localhost only"),
        ("--port", "8888", |v: &str| v == "8888", "it listens on its default port"),
        ("--base-path", "/CodeEditor/default", base_path_ok, "it serves under /"),
    ] {
        match option(args, name) {
            Some(v) if v.contains('$') && name != "--base-path" => {}
            Some(v) if !ok(v) => out.push(message::wrong_value(name, v, expected)),
            Some(_) => {}
            None => out.push(message::missing(name, default)),
        }
    }
    if !args.iter().any(|w| w.text == "--without-connection-token") {
        out.push(message::missing("--without-connection-token", "it asks for a connection token"));
    }
    out
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let judge = |l: &Launch| (l.distribution_entrypoint.is_none()).then(|| problems(l)).filter(|p| !p.is_empty());
    for (launch, problems) in ctx.start.failing_launches(Server::CodeEditor, judge) {
        let at = launch.argv.first().map(|w| commands::origin_text(ctx, &w.origin)).unwrap_or_default();
        out.report(message::wrong(&launch.text(), &at, &problems)).at_all(commands::locations(ctx, &launch.argv));
    }
}

#[cfg(test)]
mod tests {
    use crate::facts::CommandForm;
    use crate::testkit::*;
    use crate::vocabulary::Profile;
    use alloc::string::String;
    use alloc::vec::Vec;

    fn messages(form: CommandForm, entrypoint: bool) -> Vec<String> {
        let df = DockerfileBuilder::from("mambaorg/micromamba:1.5")
            .with("CMD …", |s, span| if entrypoint { s.entrypoint = Some((form, span)) } else { s.cmd = Some((form, span)) })
            .build();
        findings_as(&facts(None, Some(df), None), "RUN017", Profile::CodeEditor).into_iter().map(|f| f.message).collect()
    }

    fn shell(text: &str) -> Vec<String> {
        messages(CommandForm::Shell(text.into()), false)
    }

    #[test]
    fn the_documented_command_passes_and_the_base_path_ignores_case() {
        assert!(shell("sagemaker-code-editor --host 0.0.0.0 --port 8888 --without-connection-token --base-path \"/CodeEditor/default\"")
            .is_empty());
        assert!(shell("sagemaker-code-editor --host=0.0.0.0 --port=8888 --without-connection-token --base-path=/codeeditor/default/")
            .is_empty());
    }

    #[test]
    fn each_missing_or_wrong_option_is_named() {
        let found = shell("eval \"$(micromamba shell hook --shell=bash)\"; micromamba activate base; sagemaker-code-editor --host 127.0.0.1 --port 8889 --base-path /code");
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("`--host 127.0.0.1` (Studio needs 0.0.0.0)"), "{}", found[0]);
        assert!(found[0].contains("`--port 8889` (Studio needs 8888)"), "{}", found[0]);
        assert!(found[0].contains("`--base-path /code` (Studio needs /CodeEditor/default)"), "{}", found[0]);
        assert!(found[0].contains("no `--without-connection-token`"), "{}", found[0]);
        assert!(found[0].contains("(Dockerfile line 2)"), "{}", found[0]);
    }

    #[test]
    fn sagemaker_distributions_entrypoint_counts_as_correct() {
        assert!(messages(CommandForm::Exec(alloc::vec!["entrypoint-code-editor".into()]), true).is_empty());
    }
}
