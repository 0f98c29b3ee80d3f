//! The tokens of a `/bin/sh` script: words (with their quotes, `$(…)`, `${…}` and backquotes
//! still inside), redirection operators and the separators that end a simple command. Comments
//! and the bodies of `<<` heredocs are dropped here.

use alloc::string::String;
use alloc::vec::Vec;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token {
    Word(String),
    /// A redirection operator with its optional descriptor.
    Redirect(&'static str, Option<u32>),
    /// Anything that ends a simple command (`&&`, `||`, `;`, `|`, `&`, `(`, `)`, newline).
    Separator,
}

/// Splits a script into words, redirections and separators. Quotes, `$(…)`, `${…}` and
/// backquotes stay inside their word; comments and the bodies of `<<` heredocs are dropped.
/// Every character with a meaning here is ASCII, so the scan runs over bytes and cuts the text
/// only next to ASCII bytes (always on a character boundary).
pub(super) fn tokenize(script: &str) -> Vec<Token> {
    let b = script.as_bytes();
    let n = b.len();
    let mut tokens = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut pending_heredocs: Vec<(String, bool)> = Vec::new();
    let mut i = 0;
    let flush = |tokens: &mut Vec<Token>, word: &mut String, in_word: &mut bool| {
        if *in_word {
            tokens.push(Token::Word(core::mem::take(word)));
            *in_word = false;
        }
    };
    let line_end = |from: usize| b[from..].iter().position(|c| *c == b'\n').map_or(n, |p| from + p);
    while i < n {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\r' => {
                flush(&mut tokens, &mut word, &mut in_word);
                i += 1;
            }
            b'\n' => {
                flush(&mut tokens, &mut word, &mut in_word);
                tokens.push(Token::Separator);
                i += 1;
                // Bodies of heredocs opened on the line just ended.
                for (delimiter, strip_tabs) in core::mem::take(&mut pending_heredocs) {
                    while i < n {
                        let end = line_end(i);
                        let line = &script[i..end];
                        i = (end + 1).min(n);
                        let line = if strip_tabs { line.trim_start_matches('\t') } else { line };
                        if line.trim_end_matches('\r') == delimiter {
                            break;
                        }
                    }
                }
            }
            b'#' if !in_word => i = line_end(i),
            b'\\' => {
                if b.get(i + 1) == Some(&b'\n') {
                    i += 2;
                    continue;
                }
                // The escape and the character it escapes (which may be several bytes).
                let next = script[i + 1..].chars().next().map_or(0, char::len_utf8);
                word.push_str(&script[i..i + 1 + next]);
                in_word = true;
                i += 1 + next;
            }
            b'\'' | b'`' => {
                let end = b[i + 1..].iter().position(|x| *x == c).map_or(n, |p| i + 1 + p);
                word.push_str(&script[i..(end + 1).min(n)]);
                in_word = true;
                i = end + 1;
            }
            b'"' => {
                let end = scan_double_quoted(b, i + 1);
                word.push_str(&script[i..(end + 1).min(n)]);
                in_word = true;
                i = end + 1;
            }
            b'$' if matches!(b.get(i + 1), Some(b'(' | b'{')) => {
                let (open, close) = if b[i + 1] == b'(' { (b'(', b')') } else { (b'{', b'}') };
                let end = scan_balanced(b, i + 2, open, close);
                word.push_str(&script[i..(end + 1).min(n)]);
                in_word = true;
                i = end + 1;
            }
            b';' | b'|' | b'&' | b'(' | b')' => {
                // `&>` and `&>>` redirect both outputs.
                if c == b'&' && b.get(i + 1) == Some(&b'>') {
                    flush(&mut tokens, &mut word, &mut in_word);
                    let op = if b.get(i + 2) == Some(&b'>') { "&>>" } else { "&>" };
                    tokens.push(Token::Redirect(op, None));
                    i += op.len();
                    continue;
                }
                flush(&mut tokens, &mut word, &mut in_word);
                tokens.push(Token::Separator);
                i += 1;
                while i < n && b[i] == c && matches!(c, b';' | b'|' | b'&') {
                    i += 1;
                }
            }
            b'>' | b'<' => {
                let fd = if in_word && !word.is_empty() && word.bytes().all(|d| d.is_ascii_digit()) {
                    let fd = word.parse::<u32>().ok();
                    word.clear();
                    in_word = false;
                    fd
                } else {
                    flush(&mut tokens, &mut word, &mut in_word);
                    None
                };
                let rest = &b[i..(i + 3).min(n)];
                let op = ["<<<", "<<-", ">>", "<<", ">&", "<&", ">|", "<>", ">", "<"]
                    .into_iter()
                    .find(|op| rest.starts_with(op.as_bytes()))
                    .unwrap_or(">");
                i += op.len();
                if op == "<<" || op == "<<-" {
                    // The delimiter word follows; its body starts on the next line.
                    while i < n && (b[i] == b' ' || b[i] == b'\t') {
                        i += 1;
                    }
                    let start = i;
                    while i < n && !matches!(b[i], b' ' | b'\t' | b'\n' | b';' | b'|' | b'&' | b'<' | b'>' | b')') {
                        i += 1;
                    }
                    let delimiter: String = script[start..i].chars().filter(|c| !matches!(c, '\'' | '"' | '\\')).collect();
                    if !delimiter.is_empty() {
                        pending_heredocs.push((delimiter, op == "<<-"));
                    }
                    continue;
                }
                tokens.push(Token::Redirect(op, fd));
            }
            _ => {
                // A run of ordinary bytes, up to the next one with a meaning.
                let end = b[i..]
                    .iter()
                    .position(|x| {
                        matches!(
                            x,
                            b' ' | b'\t'
                                | b'\r'
                                | b'\n'
                                | b'\\'
                                | b'\''
                                | b'`'
                                | b'"'
                                | b'$'
                                | b';'
                                | b'|'
                                | b'&'
                                | b'('
                                | b')'
                                | b'>'
                                | b'<'
                        )
                    })
                    .map_or(n, |p| i + p.max(1));
                word.push_str(&script[i..end]);
                in_word = true;
                i = end;
            }
        }
    }
    flush(&mut tokens, &mut word, &mut in_word);
    tokens
}

/// Index of the closing `"` (or the length), skipping escapes and `$(…)`.
fn scan_double_quoted(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i,
            b'$' if b.get(i + 1) == Some(&b'(') => i = scan_balanced(b, i + 2, b'(', b')') + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// Index of the `close` matching an already opened `open` (or the length), skipping quotes.
fn scan_balanced(b: &[u8], mut i: usize, open: u8, close: u8) -> usize {
    let mut depth = 1u32;
    while i < b.len() {
        let c = b[i];
        if c == b'\\' {
            i += 2;
            continue;
        }
        if c == b'\'' {
            i = b[i + 1..].iter().position(|x| *x == b'\'').map_or(b.len(), |p| i + 1 + p) + 1;
            continue;
        }
        if c == b'"' {
            i = scan_double_quoted(b, i + 1) + 1;
            continue;
        }
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return i;
            }
        }
        i += 1;
    }
    b.len()
}
