//! The suggested `JupyterLabAppImageConfig` / `CodeEditorAppImageConfig`: a `ContainerConfig`
//! only when the image's own start command (or the given ContainerConfig) does not start the
//! app's server correctly, and then the documented reference command.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::user::{unsupported_note, ImageUser};
use super::{ContainerConfig, NewAppImageConfig, Note};
use crate::context::Context;
use crate::facts::app_image_config::{ConfigField, ConfigVariable, ConfigWords, ContainerConfigFacts};
use crate::facts::Facts;
use crate::report::{Location, Report};
use crate::rules::commands::declared;
use crate::rules::running::container_config_limits::{MAX_STRING_CHARS, MAX_VARIABLES};
use crate::start_command::Server;
use crate::text::and_list;
use crate::vocabulary::Profile;

/// Rules whose findings mean "the start command does not start the app's server correctly".
/// A finding of any of them makes the suggestion carry the reference command as a
/// `ContainerConfig`: RUN012 (a ContainerConfig beyond the API's limits is rejected, so it starts
/// nothing), RUN015 (nothing starts the server), RUN016 / RUN017 (the server's address, base
/// path, token or origin), RUN019 (an inherited ENTRYPOINT that may not run the CMD: a
/// ContainerEntrypoint replaces it). RUN018 (the JupyterLab version) is not fixed by a command.
pub const START_RULES: &[&str] = &["RUN012", "RUN015", "RUN016", "RUN017", "RUN019"];

/// The documented reference command of the app: program name, then its arguments.
/// Spec (JupyterLab): `jupyter lab --ip 0.0.0.0 --port 8888 --ServerApp.base_url="/jupyterlab/default"
/// --ServerApp.token='' --ServerApp.allow_origin='*'`, as the argv a shell makes of it.
/// Spec (Code Editor): `sagemaker-code-editor --host 0.0.0.0 --port 8888 --without-connection-token
/// --base-path "/CodeEditor/default"`.
fn reference_command(profile: Profile) -> (&'static str, &'static [&'static str]) {
    match profile {
        Profile::CodeEditor => (
            "sagemaker-code-editor",
            &["--host", "0.0.0.0", "--port", "8888", "--without-connection-token", "--base-path", "/CodeEditor/default"],
        ),
        _ => (
            "jupyter",
            &[
                "lab",
                "--ip",
                "0.0.0.0",
                "--port",
                "8888",
                "--ServerApp.base_url=/jupyterlab/default",
                "--ServerApp.token=",
                "--ServerApp.allow_origin=*",
            ],
        ),
    }
}

pub(super) fn suggest(facts: &Facts<'_>, report: &Report, notes: &mut Vec<Note>) -> NewAppImageConfig {
    let profile = report.profile.id;
    let ctx = Context::new(facts, profile);
    let block_key = if profile == Profile::CodeEditor { "CodeEditorAppImageConfig" } else { "JupyterLabAppImageConfig" };
    let field = format!("/{block_key}/ContainerConfig");
    let given_block = facts.app_image_config.as_ref().and_then(|c| {
        let pointer = if profile == Profile::CodeEditor { c.code_editor.as_ref() } else { c.jupyter_lab.as_ref() }?;
        Some((c.file_name.as_str(), c.new_app_blocks.iter().find(|b| &b.pointer == pointer)?))
    });
    let given_container = given_block.and_then(|(file, b)| Some((file, b.container.as_ref()?)));
    user_note(&ctx, notes);

    let failed: Vec<&str> = START_RULES.iter().copied().filter(|id| super::reported(report, id)).collect();
    let failure = (!failed.is_empty()).then(|| format!("the check reports {} about it", failed.join(", ")));
    // What starts the server today: the given ContainerConfig's command, else the image's own.
    let given_words = given_container.map(|(_, c)| words_of(c)).filter(|w| !w.is_empty());
    let (starts, how, evidence) = match (&given_words, given_container) {
        (Some(words), Some((file, c))) => {
            let evidence = alloc::vec![Location::app_image_config(file, &c.pointer, None)];
            (starts_server(&ctx, profile), format!("the given ContainerConfig's command `{}`", words.join(" ")), evidence)
        }
        _ => own_command(&ctx, profile),
    };
    let environment = kept_environment(given_container.and_then(|(file, c)| Some((file, c.environment.as_ref()?))), &field, notes);
    match (starts, failure) {
        (true, None) => {
            if let (Some(_), Some((_, c))) = (&given_words, given_container) {
                notes.push(Note::new(&field, format!("kept: {how} starts {}", profile.app()), evidence));
                let list = |w: &Option<ConfigWords>| w.iter().flat_map(|w| w.value.iter()).map(|w| w.value.clone()).collect();
                let config = ContainerConfig {
                    container_entrypoint: list(&c.entrypoint),
                    container_arguments: list(&c.arguments),
                    container_environment_variables: environment,
                };
                return NewAppImageConfig { container_config: Some(config) };
            }
            notes.push(Note::new(&field, format!("none needed: {how} starts {}", profile.app()), evidence));
            let container_config = (!environment.is_empty()).then(|| {
                notes.push(Note::new(
                    &format!("{field}/ContainerEnvironmentVariables"),
                    String::from("kept from the given AppImageConfig"),
                    Vec::new(),
                ));
                ContainerConfig { container_environment_variables: environment, ..ContainerConfig::default() }
            });
            NewAppImageConfig { container_config }
        }
        (_, failure) => {
            let why = match failure {
                Some(f) => format!("{how}: {f}"),
                None => format!("{how} does not start {}", profile.app()),
            };
            let (program, arguments) = reference_command(profile);
            let (entrypoint, found) = program_in_image(&ctx, program);
            let found_text = match &found {
                Some(path) => format!("; {program} is {path} on the image's PATH"),
                None if ctx.image.is_some() => format!("; the image has no {program} on its PATH: install it"),
                None => String::new(),
            };
            let text = format!("the documented reference command, because {why}{found_text}");
            notes.push(Note::new(&field, text, evidence));
            let config = ContainerConfig {
                container_entrypoint: alloc::vec![entrypoint],
                container_arguments: arguments.iter().map(|a| String::from(*a)).collect(),
                container_environment_variables: environment,
            };
            NewAppImageConfig { container_config: Some(config) }
        }
    }
}

/// The given ContainerEnvironmentVariables that fit the API's limits (at most 25, keys and values
/// of at most 256 characters, keys not blank); a note names any left out.
fn kept_environment(
    given: Option<(&str, &ConfigField<Vec<ConfigVariable>>)>,
    field: &str,
    notes: &mut Vec<Note>,
) -> BTreeMap<String, String> {
    let Some((file, variables)) = given else {
        return BTreeMap::new();
    };
    let fits = |k: &str, v: &str| !k.trim().is_empty() && k.chars().count() <= MAX_STRING_CHARS && v.chars().count() <= MAX_STRING_CHARS;
    let (mut kept, mut left_out) = (BTreeMap::new(), Vec::new());
    for (key, value) in &variables.value {
        if fits(key, &value.value) && kept.len() < MAX_VARIABLES {
            kept.insert(key.clone(), value.value.clone());
        } else {
            left_out.push(format!("{key:?}"));
        }
    }
    if !left_out.is_empty() {
        let text = format!(
            "left out to keep within the API's limits (at most {MAX_VARIABLES} variables, names and values of at most {MAX_STRING_CHARS} characters): {}",
            and_list(&left_out)
        );
        let evidence = alloc::vec![Location::app_image_config(file, &variables.pointer, None)];
        notes.push(Note::new(&format!("{field}/ContainerEnvironmentVariables"), text, evidence));
    }
    kept
}

fn words_of(c: &ContainerConfigFacts) -> Vec<String> {
    let entry = c.entrypoint.iter().flat_map(|e| e.value.iter());
    let args = c.arguments.iter().flat_map(|a| a.value.iter());
    entry.chain(args).map(|w| w.value.clone()).collect()
}

/// Whether the effective start command (the given ContainerConfig merged with the image's
/// ENTRYPOINT/CMD, followed into scripts and supervisord) launches the app's server.
fn starts_server(ctx: &Context<'_>, profile: Profile) -> bool {
    Server::of(profile).is_some_and(|server| !ctx.start.launches_of(server).is_empty())
}

/// Whether the image's own command (the archive's, else the Dockerfile's) starts the app's
/// server, directly or in a script it runs; in words, with its evidence.
fn own_command(ctx: &Context<'_>, profile: Profile) -> (bool, String, Vec<Location>) {
    let commands = declared(ctx);
    let Some(command) = commands.first() else {
        let source = if ctx.image.is_some() { "the image" } else { "the Dockerfile" };
        return (false, format!("{source} declares no start command (ENTRYPOINT/CMD)"), Vec::new());
    };
    (starts_server(ctx, profile), format!("the image's own start command `{}`", command.text), command.locations.clone())
}

/// The program as the image's PATH finds it (when the archive is known and the path fits the
/// API's limit), else its bare name; and the path found.
fn program_in_image(ctx: &Context<'_>, program: &str) -> (String, Option<String>) {
    match ctx.image.as_ref().and_then(|m| m.which(program)) {
        Some((found, _)) if found.chars().count() <= MAX_STRING_CHARS => (found.clone(), Some(found)),
        Some((found, _)) => (String::from(program), Some(found)),
        None => (String::from(program), None),
    }
}

/// The new apps run only as 1000/100: a note with the Dockerfile change when the image does not.
fn user_note(ctx: &Context<'_>, notes: &mut Vec<Note>) {
    let Some(user) = ImageUser::of(ctx) else {
        return;
    };
    if let Some((uid, gid)) = user.ids().filter(|ids| *ids != (1000, 100)) {
        notes.push(unsupported_note("", &user, (uid, gid), (1000, 100), "1000/100"));
    }
}
