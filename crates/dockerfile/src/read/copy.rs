//! COPY and ADD: where each source lands in the image, as Docker places it, relative to the
//! stage's WORKDIR.

use alloc::string::String;
use alloc::vec::Vec;

use smic_rules::facts::{ContextCopy, PathWrite, Span, WriteVia};

use super::expand::expand_word;
use super::paths::{base_name, resolve, resolve_dir};
use super::{Note, StageState};
use crate::shell::script::is_known;
use crate::syntax::Instruction;

pub(super) fn copy(
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
    let from_context = instruction.flag("from").is_none();
    for source in sources {
        let heredoc = source.starts_with("<<") || source.trim_start_matches(|c: char| c.is_ascii_digit()).starts_with("<<");
        if from_context && !heredoc && !source.contains("://") && !source.contains('$') {
            let dest_is_dir = dest.ends_with('/') || several || dest == ".";
            let copy = ContextCopy { source: source.clone(), dest: resolve_dir(workdir, dest), dest_is_dir, span };
            stage.facts.context_copies.push(copy);
        }
        let source = source.trim_start_matches(|c: char| c.is_ascii_digit()).trim_start_matches("<<").trim_start_matches('-');
        let path = copy_destination(workdir, dest, source, several);
        stage.written.record(&mut stage.facts.writes, PathWrite { path, via, span });
    }
}

/// A COPY/ADD destination for one source, as Docker places it.
fn copy_destination(workdir: &str, dest: &str, source: &str, several: bool) -> String {
    let into_dir = dest.ends_with('/') || several || dest == ".";
    let base = resolve(workdir, dest);
    if into_dir {
        let name = base_name(source);
        if name.is_empty() || name == "." || source.ends_with('/') || name.contains(['*', '?', '[']) || !is_known(name) {
            return resolve_dir(workdir, dest);
        }
        return resolve_dir(&base, name);
    }
    resolve_dir(workdir, dest)
}
