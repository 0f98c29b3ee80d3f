//! From the parse tree to the facts the rules need: stages, ARG/ENV scoping and expansion as
//! BuildKit does it, and the final stage's user, ports, commands, environment, working
//! directory, files written and what its RUN instructions install.

mod getopt;
mod paths;
mod run;
mod users;
mod vars;

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use smic_rules::facts::{CommandForm, DockerfileFacts, DockerfileUser, FromFacts, PathWrite, SourceLines, Span, StageFacts, WriteVia};

use crate::shell::script::read_script;
use crate::shell::{Expanded, Lexer};
use crate::syntax::{Dockerfile, Instruction};
use run::{copy_destination, RunContext, WriteIndex};
use users::{resolve_user, Accounts};
use vars::{Value, Vars, PLATFORM_ARGS};

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
    }
}

/// Records the ARGs an expansion could not resolve: declared ARGs without a value, and (on FROM
/// lines, where BuildKit knows nothing else) names no ARG declares. Variables the base image
/// may set are not ARGs and not listed.
fn note_unknown(expanded: &Expanded, vars: &Vars, span: Span, unresolved: &mut Vec<(String, Span)>) {
    let declared_unknown = |name: &String| {
        !PLATFORM_ARGS.contains(&name.as_str()) && !vars.env.contains_key(name) && vars.args.get(name) == Some(&Value::Unknown)
    };
    let unset = expanded.unset.iter().filter(|_| !vars.undeclared_unknown).filter(|n| crate::shell::is_variable_name(n));
    for name in expanded.unknown.iter().filter(|n| declared_unknown(n)).chain(unset) {
        if !unresolved.iter().any(|(n, s)| n == name && *s == span) {
            unresolved.push((name.clone(), span));
        }
    }
}

/// Nothing to expand, unquote or unescape: most words of a Dockerfile.
fn is_plain(text: &str, escape: char) -> bool {
    !text.contains(['$', '\'', '"', escape])
}

/// BuildKit's expansion of one word of an instruction (`.word`) or of its words (`.words`); a
/// text it would refuse is kept as written and the problem noted.
fn expand(
    text: &str,
    env: &Vars,
    escape: char,
    span: Span,
    unresolved: &mut Vec<(String, Span)>,
    notes: &mut Vec<Note>,
    split: bool,
) -> Expanded {
    let verbatim = || Expanded { word: text.to_string(), words: alloc::vec![text.to_string()], ..Expanded::default() };
    if is_plain(text, escape) {
        return verbatim();
    }
    let lexer = Lexer { escape, raw_quotes: false, raw_escapes: false, skip_unset: false };
    let result = if split { lexer.process(text, env) } else { lexer.process_word(text, env) };
    match result {
        Ok(e) => {
            note_unknown(&e, env, span, unresolved);
            e
        }
        Err(e) => {
            notes.push(Note { span, message: e.message });
            verbatim()
        }
    }
}

fn expand_word(text: &str, env: &Vars, escape: char, span: Span, unresolved: &mut Vec<(String, Span)>, notes: &mut Vec<Note>) -> String {
    expand(text, env, escape, span, unresolved, notes, false).word
}

fn start_stage(
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
    state.facts.from = FromFacts { image, platform, is_stage: parent.is_some(), span };
    (state, name)
}

/// `ARG a b=c`: declares names, with defaults expanded in the current scope; a build argument
/// overrides the default; in a stage, a bare `ARG x` takes the global value of x.
fn declare_args(
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
fn stage_instruction(
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
        "copy" | "add" => copy(stage, instruction, span, kind, unresolved, notes),
        "run" => run(stage, instruction, span, unresolved),
        _ => {}
    }
}

fn copy(
    stage: &mut StageState,
    instruction: &Instruction,
    span: Span,
    kind: &str,
    unresolved: &mut Vec<(String, Span)>,
    notes: &mut Vec<Note>,
) {
    let words: Vec<String> = instruction.args.iter().map(|a| expand_word(a, &stage.vars, '\\', span, unresolved, notes)).collect();
    let Some((dest, sources)) = words.split_last() else {
        return;
    };
    if dest.contains('$') {
        return;
    }
    let via = if kind == "add" { WriteVia::Add } else { WriteVia::Copy };
    if !dest.starts_with('/') && stage.workdir.is_none() {
        // Relative to the base image's working directory, which only the image can tell.
        return;
    }
    let workdir = stage.workdir.as_deref().unwrap_or("/");
    let several = sources.len() > 1;
    // Heredoc sources (`COPY <<EOF /etc/x`) are named after their delimiter word.
    for source in sources {
        let source = source.trim_start_matches(|c: char| c.is_ascii_digit()).trim_start_matches("<<").trim_start_matches('-');
        let path = copy_destination(workdir, dest, source, several);
        if !stage.facts.writes.iter().rev().take_while(|w| w.span == span).any(|w| w.path == path) {
            stage.written.add(&path);
            stage.facts.writes.push(PathWrite { path, via, span });
        }
    }
}

/// The home directory of the user a RUN runs as.
fn home_of(stage: &StageState) -> Option<String> {
    if let Some(Value::Known(home)) = stage.vars.get("HOME") {
        return Some(home.clone());
    }
    let user = stage.current_user.split(':').next().unwrap_or("");
    if user.is_empty() || user == "root" || user == "0" {
        return Some(String::from("/root"));
    }
    let record = match getopt::numeric_id(user) {
        Some(uid) => stage.accounts.user_by_uid(uid),
        None => stage.accounts.user_by_name(user),
    };
    record.and_then(|r| r.home.clone())
}

fn run(stage: &mut StageState, instruction: &Instruction, span: Span, unresolved: &mut Vec<(String, Span)>) {
    let mut text = instruction.rest_text();
    let body_is_script = !instruction.json && {
        let words: Vec<&str> = text.split_whitespace().filter(|w| !w.contains("<<")).take(2).collect();
        words.is_empty() || (words.len() == 1 && matches!(words[0].rsplit('/').next(), Some("sh" | "bash" | "dash" | "ash")))
    };
    for heredoc in &instruction.heredocs {
        text.push('\n');
        text.push_str(&heredoc.body());
    }
    // Declared ARGs without a value are environment variables of the RUN with unknown values.
    for (name, value) in &stage.vars.args {
        let referenced = text.contains(name.as_str()) && (text.contains(&format!("${name}")) || text.contains(&format!("${{{name}")));
        if *value == Value::Unknown && referenced && !PLATFORM_ARGS.contains(&name.as_str()) {
            unresolved.push((name.clone(), span));
        }
    }
    stage.facts.runs.push((text, span));

    let commands = if instruction.json {
        // Exec form runs without a shell: no expansion at all.
        let words = instruction.args.clone();
        match words.first().map(|w| w.rsplit('/').next().unwrap_or(w)) {
            Some("sh" | "bash") if words.get(1).is_some_and(|w| w == "-c") => {
                words.get(2).map(|script| read_script(script, &stage.vars)).unwrap_or_default()
            }
            _ => alloc::vec![crate::shell::script::SimpleCommand { words, ..Default::default() }],
        }
    } else if body_is_script {
        instruction.heredocs.iter().flat_map(|h| read_script(&h.body(), &stage.vars)).collect()
    } else {
        read_script(instruction.args.first().map_or("", String::as_str), &stage.vars)
    };
    let home = home_of(stage);
    let cwd = stage.workdir.clone();
    let mut ctx =
        RunContext { span, index: &mut stage.written, cwd, home, facts: &mut stage.facts, accounts: &mut stage.accounts, active_env: None };
    for command in &commands {
        ctx.command(command);
    }
}

/// A finished stage: its USER resolved against the accounts it ends with.
fn finish(mut state: StageState) -> StageState {
    if let Some(user) = &state.facts.user {
        state.facts.user = Some(resolve_user(&user.value, user.span, &state.accounts));
    }
    state
}
