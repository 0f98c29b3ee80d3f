//! What each instruction does to a stage: FROM starts one (from an image or an earlier stage),
//! ARG declares build arguments, ENV, USER, WORKDIR, EXPOSE, CMD and ENTRYPOINT set what the
//! image will run with, and COPY, ADD and RUN are read by their own modules.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use smic_rules::facts::{CommandForm, DockerfileUser, FromFacts, Span};

use super::expand::{expand, expand_word, note_unknown};
use super::vars::{Value, Vars};
use super::{copy, paths, run, Note, ReadOptions, StageState};
use crate::shell::Lexer;
use crate::syntax::Instruction;

pub(super) fn start_stage(
    instruction: &Instruction,
    span: Span,
    global: &Vars,
    stages: &[(Option<String>, StageState)],
    unresolved: &mut Vec<(String, Span)>,
    notes: &mut Vec<Note>,
) -> (StageState, Option<String>) {
    let escape = '\\';
    let image = instruction.args.first().map(|a| expand_word(a, global, escape, span, unresolved, notes)).unwrap_or_default();
    let name = match (instruction.args.get(1), instruction.args.get(2)) {
        (Some(kw), Some(name)) if kw.eq_ignore_ascii_case("as") => Some(name.to_lowercase()),
        _ => None,
    };
    if image.is_empty() {
        notes.push(Note { span, message: String::from("FROM names no image (an unset ARG expands to nothing); BuildKit refuses this") });
    }
    let platform = instruction.flag("platform").map(|p| expand_word(p, global, escape, span, unresolved, notes));
    let parent = stages.iter().rev().find(|(n, _)| n.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(&image)));
    let mut state = match parent {
        Some((_, parent)) => {
            let mut s = parent.clone();
            // ARGs are per stage; ENV, USER, WORKDIR and the files carry over.
            s.vars.args.clear();
            s
        }
        // `scratch` has no working directory set; any other base image may have one.
        None => StageState { workdir: (image == "scratch").then(|| String::from("/")), ..StageState::default() },
    };
    state.vars.undeclared_unknown = true;
    state.facts.name = name.clone();
    let chain_base = parent.and_then(|(_, p)| p.facts.from.base_image()).map(|(image, span)| (image.to_string(), span));
    state.facts.from = FromFacts { image, platform, is_stage: parent.is_some(), span, chain_base };
    (state, name)
}

/// `ARG a b=c`: declares names, with defaults expanded in the current scope; a build argument
/// overrides the default; in a stage, a bare `ARG x` takes the global value of x.
pub(super) fn declare_args(
    instruction: &Instruction,
    span: Span,
    target: &mut Vars,
    scope: &Vars,
    options: &ReadOptions,
    global: Option<&Vars>,
    unresolved: &mut Vec<(String, Span)>,
) {
    for word in &instruction.args {
        let lexer = Lexer::new('\\');
        let (name, default) = match word.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(lexer.process_word(v, scope))),
            None => (word.clone(), None),
        };
        let value = if let Some((_, v)) = options.build_args.iter().rev().find(|(k, _)| *k == name) {
            Value::Known(v.clone())
        } else if let Some(d) = default {
            match d {
                Ok(e) if e.is_resolved() => Value::Known(e.word),
                Ok(e) => {
                    note_unknown(&e, scope, span, unresolved);
                    Value::Unknown
                }
                Err(_) => Value::Unknown,
            }
        } else if let Some(g) = global.and_then(|g| g.get(&name)) {
            g.clone()
        } else {
            Value::Unknown
        };
        target.set_arg(&name, value);
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn stage_instruction(
    stage: &mut StageState,
    instruction: &Instruction,
    span: Span,
    kind: &str,
    global: &Vars,
    options: &ReadOptions,
    unresolved: &mut Vec<(String, Span)>,
    notes: &mut Vec<Note>,
) {
    let escape = '\\';
    match kind {
        "arg" => {
            let scope = stage.vars.clone();
            declare_args(instruction, span, &mut stage.vars, &scope, options, Some(global), unresolved);
        }
        "env" => {
            for triple in instruction.args.chunks(3) {
                let [key, value, ..] = triple else { continue };
                let key = expand_word(key, &stage.vars, escape, span, unresolved, notes);
                let lexer = Lexer { escape, raw_quotes: false, raw_escapes: false, skip_unset: false };
                let (value, known) = match lexer.process_word(value, &stage.vars) {
                    Ok(e) => {
                        note_unknown(&e, &stage.vars, span, unresolved);
                        let known = e.is_resolved();
                        (e.word, known)
                    }
                    Err(e) => {
                        notes.push(Note { span, message: e.message });
                        (value.clone(), false)
                    }
                };
                // A value built from an unknown one is unknown too; keep the text for evidence.
                stage.vars.set_env(&key, if known { Value::Known(value.clone()) } else { Value::Unknown });
                stage.facts.env.push((key, value, span));
            }
        }
        "user" => {
            let value = instruction.args.first().map(|a| expand_word(a, &stage.vars, escape, span, unresolved, notes)).unwrap_or_default();
            stage.current_user = value.clone();
            stage.facts.user = Some(DockerfileUser { value, span, ..DockerfileUser::default() });
        }
        "workdir" => {
            if let Some(a) = instruction.args.first() {
                let dir = expand_word(a, &stage.vars, escape, span, unresolved, notes);
                stage.workdir = match &stage.workdir {
                    _ if dir.contains('$') => None,
                    _ if dir.starts_with('/') => Some(paths::resolve_dir("/", &dir)),
                    Some(base) => Some(paths::resolve_dir(base, &dir)),
                    None => None,
                };
                stage.facts.workdir = stage.workdir.clone();
                stage.facts.workdir_span = Some(span);
            }
        }
        "expose" => {
            for a in &instruction.args {
                for port in expand(a, &stage.vars, escape, span, unresolved, notes, true).words {
                    stage.facts.expose.push((port, span));
                }
            }
        }
        "cmd" | "entrypoint" => {
            let form =
                if instruction.json { CommandForm::Exec(instruction.args.clone()) } else { CommandForm::Shell(instruction.rest_text()) };
            if kind == "cmd" {
                stage.facts.cmd = Some((form, span));
            } else {
                stage.facts.entrypoint = Some((form, span));
            }
        }
        "copy" | "add" => copy::copy(stage, instruction, span, kind, unresolved, notes),
        "run" => run::run(stage, instruction, span, unresolved),
        _ => {}
    }
}
