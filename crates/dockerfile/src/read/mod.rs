//! From the parse tree to the facts the rules need: stages, ARG/ENV scoping and expansion as
//! BuildKit does it, and the final stage's user, ports, commands, environment, working
//! directory, files written and what its RUN instructions install.

mod copy;
mod expand;
mod getopt;
mod instructions;
mod paths;
mod run;
mod users;
mod vars;
mod writes;

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use smic_rules::facts::{DockerfileFacts, SourceLines, Span, StageFacts};

use crate::syntax::Dockerfile;
use instructions::{declare_args, stage_instruction, start_stage};
use users::{resolve_user, Accounts};
use vars::{Value, Vars, PLATFORM_ARGS};
use writes::WriteIndex;

/// What the caller knows about the build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// `--build-arg NAME=VALUE` pairs.
    pub build_args: Vec<(String, String)>,
    /// `--target STAGE`: the stage that becomes the image (default: the last one).
    pub target: Option<String>,
}

/// One `--build-arg` as written, `NAME=VALUE` (the value keeps its own `=` and spaces); `None`
/// when there is no `=` or the name is not a build-argument name.
pub fn build_arg(text: &str) -> Option<(String, String)> {
    let (name, value) = text.split_once('=')?;
    let name = name.trim();
    let valid = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.');
    valid.then(|| (name.to_string(), value.to_string()))
}

/// A problem with one instruction that did not stop the reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, Default)]
struct StageState {
    facts: StageFacts,
    vars: Vars,
    accounts: Accounts,
    written: WriteIndex,
    /// `None` while it is the base image's (unknown) working directory.
    workdir: Option<String>,
    /// The USER in force (expanded), for the home of RUN commands.
    current_user: String,
}

/// Reads the facts of a parsed Dockerfile. `notes` collects what could not be understood.
pub fn facts_of(file: &Dockerfile, file_name: &str, options: &ReadOptions, notes: &mut Vec<Note>) -> DockerfileFacts {
    let mut global = Vars { undeclared_unknown: false, ..Vars::default() };
    for name in PLATFORM_ARGS {
        global.set_arg(name, Value::Unknown);
    }
    let mut stages: Vec<(Option<String>, StageState)> = Vec::new();
    let mut current: Option<StageState> = None;
    let mut current_name: Option<String> = None;
    let mut unresolved: Vec<(String, Span)> = Vec::new();

    for instruction in &file.instructions {
        let span = Span::new(instruction.start_line, instruction.end_line);
        let kind = instruction.kind();
        if kind == "from" {
            if let Some(done) = current.take() {
                stages.push((current_name.take(), finish(done)));
            }
            let (state, name) = start_stage(instruction, span, &global, &stages, &mut unresolved, notes);
            current = Some(state);
            current_name = name;
            continue;
        }
        let Some(stage) = current.as_mut() else {
            if kind == "arg" {
                let scope = global.clone();
                declare_args(instruction, span, &mut global, &scope, options, None, &mut unresolved);
            } else {
                notes
                    .push(Note { span, message: format!("{} before the first FROM: BuildKit allows only ARG there", instruction.keyword) });
            }
            continue;
        };
        stage_instruction(stage, instruction, span, kind, &global, options, &mut unresolved, notes);
    }
    if let Some(done) = current.take() {
        stages.push((current_name.take(), finish(done)));
    }

    let stage_count = stages.len() as u32;
    let chosen = match &options.target {
        Some(target) => match stages.iter().position(|(n, _)| n.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(target))) {
            Some(i) => Some(i),
            None => {
                notes.push(Note {
                    span: Span::line(0),
                    message: format!("target stage {target:?} could not be found; reading the last stage"),
                });
                stages.len().checked_sub(1)
            }
        },
        None => stages.len().checked_sub(1),
    };
    let final_stage = chosen.and_then(|i| stages.into_iter().nth(i)).map(|(_, s)| s.facts);
    DockerfileFacts {
        file_name: file_name.to_string(),
        lines: SourceLines::default(),
        final_stage,
        stage_count,
        unresolved_args: unresolved,
        suppressions: Vec::new(),
        context_files: Vec::new(),
    }
}

/// A finished stage: its USER resolved against the accounts it ends with.
fn finish(mut state: StageState) -> StageState {
    if let Some(user) = &state.facts.user {
        state.facts.user = Some(resolve_user(&user.value, user.span, &state.accounts));
    }
    state
}
