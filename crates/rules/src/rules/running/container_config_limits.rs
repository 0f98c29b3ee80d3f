//! RUN012 `container-config-limits`: The AppImageConfig's ContainerConfig breaks the API's limits.
//! The declaration, its messages, its check, its examples and its tests.

use crate::context::Context;
use crate::facts::app_image_config::ConfigField;
use crate::report::Findings;
use crate::rule::{Example, Rule};
use crate::rules::evidence;
use crate::vocabulary::{InputKind, Profile, Section, Severity, Stage};

pub const RULE: Rule = Rule {
    id: "RUN012",
    name: "container-config-limits",
    section: Section::RunningTheImage,
    spec: "ContainerConfig (CreateAppImageConfig API): ContainerEntrypoint is a list of NonEmptyString256 with at most 1 item; \
ContainerArguments a list of at most 50 NonEmptyString64; ContainerEnvironmentVariables a map of at most 25 entries, \
keys NonEmptyString256 and values String256.",
    severity: Severity::Error,
    stage: Stage::Register,
    profiles: Profile::NEW_APPS,
    requires: &[&[InputKind::AppImageConfig]],
    needs_files: &[],
    summary: "The AppImageConfig's ContainerConfig breaks the API's limits (entrypoint, arguments or environment).",
    explanation: "CreateAppImageConfig rejects a ContainerConfig with more than one ContainerEntrypoint element, more than \
50 ContainerArguments, an argument longer than 64 characters, more than 25 ContainerEnvironmentVariables, or a key or \
value longer than 256 characters, so the image can never be attached with this config. The 64-character limit bites \
long `--ServerApp.*` options.",
    fix: "Keep one ContainerEntrypoint element and pass the rest as ContainerArguments; move long options into a config file \
the image ships (jupyter_server_config.py) and extra variables into the Dockerfile's ENV.",
    explains: &[],
    examples: &[
        Example::bad().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "JupyterLabAppImageConfig": {"ContainerConfig": {"ContainerEntrypoint": ["jupyter-lab", "--ServerApp.ip=0.0.0.0"]}}}"#),
        Example::good().app_image_config(r#"{"AppImageConfigName": "custom-image-config", "JupyterLabAppImageConfig": {"ContainerConfig": {"ContainerEntrypoint": ["jupyter-lab"], "ContainerArguments": ["--ServerApp.ip=0.0.0.0", "--ServerApp.port=8888"]}}}"#),
    ],
    check,
};

// Spec (API): the ContainerConfig limits (the suggested AppImageConfig keeps within them too).
const MAX_ENTRYPOINT: usize = 1;
const MAX_ARGUMENTS: usize = 50;
pub const MAX_VARIABLES: usize = 25;
const MAX_ARGUMENT_CHARS: usize = 64;
pub const MAX_STRING_CHARS: usize = 256;

/// What RUN012 says, with typed arguments: the only place its wording lives.
mod message {
    use alloc::format;
    use alloc::string::String;

    /// `field`: the list or map (`ContainerArguments`), `what`: its items (`arguments`).
    pub fn too_many(field: &str, count: usize, max: usize, what: &str, pointer: &str) -> String {
        format!("{field} has {count} {what}; the API accepts at most {max} (at {pointer}).")
    }

    /// `what`: "ContainerArguments item", "the key", …; `preview`: the start of the value.
    pub fn too_long(what: &str, chars: usize, max: usize, preview: &str, pointer: &str) -> String {
        format!("{what} {preview:?} is {chars} characters long; the API accepts at most {max} (at {pointer}).")
    }

    pub fn blank(what: &str, pointer: &str) -> String {
        format!("{what} is blank; the API accepts only non-blank strings there (at {pointer}).")
    }

    pub fn fix_entrypoint() -> String {
        String::from("Keep only the program in ContainerEntrypoint and move its other words to ContainerArguments.")
    }

    pub fn fix_arguments() -> String {
        String::from("Shorten or drop arguments: options such as --ServerApp.* can live in a jupyter_server_config.py the image ships.")
    }

    pub fn fix_environment() -> String {
        String::from("Set the other variables with ENV in the Dockerfile, or shorten the key or value.")
    }
}

/// The first characters of a long value, enough to recognise it.
fn preview(value: &str) -> alloc::string::String {
    let mut out: alloc::string::String = value.chars().take(40).collect();
    if value.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// One string against its limit: too long, or blank where the API wants a non-blank one.
fn check_string(
    ctx: &Context<'_>,
    out: &mut Findings,
    what: &str,
    field: &ConfigField<alloc::string::String>,
    max: usize,
    non_blank: bool,
    fix: fn() -> alloc::string::String,
) {
    let chars = field.value.chars().count();
    if chars > max {
        out.report(message::too_long(what, chars, max, &preview(&field.value), &field.pointer))
            .at_all(evidence::app_image_config(ctx, &field.pointer, None))
            .fix(fix());
    } else if non_blank && field.value.trim().is_empty() {
        out.report(message::blank(what, &field.pointer)).at_all(evidence::app_image_config(ctx, &field.pointer, None)).fix(fix());
    }
}

fn check_count(
    ctx: &Context<'_>,
    out: &mut Findings,
    (field, what): (&str, &str),
    count: usize,
    max: usize,
    pointer: &str,
    fix: fn() -> alloc::string::String,
) {
    if count > max {
        out.report(message::too_many(field, count, max, what, pointer)).at_all(evidence::app_image_config(ctx, pointer, None)).fix(fix());
    }
}

fn check(ctx: &Context<'_>, out: &mut Findings) {
    let Some(config) = ctx.app_image_config() else { return };
    for container in config.new_app_blocks.iter().filter_map(|b| b.container.as_ref()) {
        if let Some(list) = &container.entrypoint {
            let names = ("ContainerEntrypoint", "elements");
            check_count(ctx, out, names, list.value.len(), MAX_ENTRYPOINT, &list.pointer, message::fix_entrypoint);
            for word in &list.value {
                check_string(ctx, out, "ContainerEntrypoint element", word, MAX_STRING_CHARS, true, message::fix_entrypoint);
            }
        }
        if let Some(list) = &container.arguments {
            let names = ("ContainerArguments", "items");
            check_count(ctx, out, names, list.value.len(), MAX_ARGUMENTS, &list.pointer, message::fix_arguments);
            for word in &list.value {
                check_string(ctx, out, "ContainerArguments item", word, MAX_ARGUMENT_CHARS, true, message::fix_arguments);
            }
        }
        if let Some(map) = &container.environment {
            let names = ("ContainerEnvironmentVariables", "entries");
            check_count(ctx, out, names, map.value.len(), MAX_VARIABLES, &map.pointer, message::fix_environment);
            for (key, value) in &map.value {
                let key_field = ConfigField { value: key.clone(), pointer: value.pointer.clone() };
                check_string(ctx, out, "the variable name", &key_field, MAX_STRING_CHARS, true, message::fix_environment);
                check_string(ctx, out, "the variable's value", value, MAX_STRING_CHARS, false, message::fix_environment);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use alloc::format;
    use alloc::string::String;
    use alloc::vec::Vec;

    use crate::testkit::*;
    use crate::vocabulary::Profile;

    fn limits(container_config: &str) -> Vec<crate::report::Finding> {
        let json = format!(r#"{{"AppImageConfigName": "x", "CodeEditorAppImageConfig": {{"ContainerConfig": {container_config}}}}}"#);
        findings_as(&facts(None, None, Some(app_image_config(&json))), "RUN012", Profile::CodeEditor)
    }

    #[test]
    fn two_entrypoint_elements_fail() {
        let found = limits(r#"{"ContainerEntrypoint": ["sagemaker-code-editor", "--host"]}"#);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("ContainerEntrypoint has 2 elements"), "{}", found[0].message);
        assert_eq!(located_at(&found[0]), ["app-image-config.json /CodeEditorAppImageConfig/ContainerConfig/ContainerEntrypoint"]);
    }

    #[test]
    fn an_argument_over_64_characters_fails_at_its_pointer() {
        let long = format!("--ServerApp.{}", "x".repeat(60));
        let found = limits(&format!(r#"{{"ContainerArguments": ["--port=8888", "{long}"]}}"#));
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("72 characters long"), "{}", found[0].message);
        assert_eq!(located_at(&found[0]), ["app-image-config.json /CodeEditorAppImageConfig/ContainerConfig/ContainerArguments/1"]);
    }

    #[test]
    fn fifty_one_arguments_and_a_blank_one_fail() {
        let mut args: Vec<String> = (0..50).map(|i| format!("\"a{i}\"")).collect();
        args.push(String::from("\" \""));
        let found = limits(&format!(r#"{{"ContainerArguments": [{}]}}"#, args.join(",")));
        assert_eq!(found.len(), 2);
        assert!(found[0].message.contains("ContainerArguments has 51 items"));
        assert!(found[1].message.contains("blank"));
        assert_eq!(located_at(&found[1]), ["app-image-config.json /CodeEditorAppImageConfig/ContainerConfig/ContainerArguments/50"]);
    }

    #[test]
    fn environment_limits_are_checked_for_count_key_and_value() {
        let mut vars: Vec<String> = (0..25).map(|i| format!("\"V{i:02}\": \"1\"")).collect();
        vars.push(format!("\"{}\": \"{}\"", "K".repeat(257), "v".repeat(257)));
        let found = limits(&format!(r#"{{"ContainerEnvironmentVariables": {{{}}}}}"#, vars.join(",")));
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(found.len(), 3, "{messages:?}");
        assert!(messages[0].contains("ContainerEnvironmentVariables has 26 entries"));
        assert!(messages[1].contains("the variable name") && messages[1].contains("257 characters"));
        assert!(messages[2].contains("the variable's value") && messages[2].contains("257 characters"));
    }

    #[test]
    fn a_config_within_the_limits_passes() {
        let ok = r#"{"ContainerEntrypoint": ["sagemaker-code-editor"], "ContainerArguments": ["--host", "0.0.0.0", "--port", "8888"], "ContainerEnvironmentVariables": {"EMPTY": ""}}"#;
        assert!(limits(ok).is_empty());
    }

    #[test]
    fn studio_classic_does_not_run_it() {
        let c = app_image_config(
            r#"{"AppImageConfigName": "x", "JupyterLabAppImageConfig": {"ContainerConfig": {"ContainerEntrypoint": ["a", "b"]}}}"#,
        );
        assert!(findings_as(&facts(None, None, Some(c)), "RUN012", Profile::StudioClassic).is_empty());
    }
}
