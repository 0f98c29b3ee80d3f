//! BuildKit's expansion of the words of an instruction against the scope's ARGs and ENVs: what
//! it cannot resolve is recorded as an unresolved ARG, and what it would refuse is kept as
//! written with a note.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use smic_rules::facts::Span;

use super::vars::{Value, Vars, PLATFORM_ARGS};
use super::Note;
use crate::shell::{Expanded, Lexer};

/// Records the ARGs an expansion could not resolve: declared ARGs without a value, and (on FROM
/// lines, where BuildKit knows nothing else) names no ARG declares. Variables the base image
/// may set are not ARGs and not listed.
pub(super) fn note_unknown(expanded: &Expanded, vars: &Vars, span: Span, unresolved: &mut Vec<(String, Span)>) {
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
pub(super) fn expand(
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

pub(super) fn expand_word(
    text: &str,
    env: &Vars,
    escape: char,
    span: Span,
    unresolved: &mut Vec<(String, Span)>,
    notes: &mut Vec<Note>,
) -> String {
    expand(text, env, escape, span, unresolved, notes, false).word
}
