//! How BuildKit cuts one logical line into keyword, builder flags and argument nodes. Each
//! instruction family has its own rule (JSON or shell form, whitespace split, name=value
//! pairs, …); the quirks are BuildKit's and are kept on purpose, since the dump must match its
//! own test data byte for byte.

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use super::json::{parse_string_array, JsonError};
use super::Instruction;

/// BuildKit's `[\t\v\f\r ]+` separator (narrower than "whitespace": no newline, no Unicode).
pub(crate) fn is_separator(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

/// Splits at the first run of separators.
fn split_once_separator(text: &str) -> (&str, Option<&str>) {
    match text.find(is_separator) {
        Some(i) => (&text[..i], Some(text[i..].trim_start_matches(is_separator))),
        None => (text, None),
    }
}

fn split_separators(text: &str) -> Vec<String> {
    text.split(is_separator).filter(|s| !s.is_empty()).map(String::from).collect()
}

/// The argument nodes of one instruction and whether they came from a JSON array.
pub(crate) struct Parsed {
    pub args: Vec<String>,
    pub json: bool,
    pub sub: Option<Box<Instruction>>,
}

impl Parsed {
    fn list(args: Vec<String>) -> Parsed {
        Parsed { args, json: false, sub: None }
    }
    fn none() -> Parsed {
        Parsed::list(Vec::new())
    }
}

/// Keyword (as written), flags, and argument nodes of a logical line.
pub(crate) fn parse_line(line: &str, escape: char) -> Result<Instruction, String> {
    let trimmed = line.trim_matches(char::is_whitespace);
    let (keyword, rest) = split_once_separator(trimmed);
    let (args, flags) = match rest {
        Some(rest) => {
            let (args, flags) = extract_builder_flags(rest);
            (String::from(args.trim_matches(char::is_whitespace)), flags)
        }
        None => (String::new(), Vec::new()),
    };
    let kind = super::keyword_kind(keyword);
    let parsed = match kind {
        "add" | "copy" | "volume" => maybe_json_to_list(&args)?,
        "arg" => Parsed::list(parse_words(&args, escape)),
        "cmd" | "entrypoint" | "run" | "shell" => maybe_json(args)?,
        "env" => name_value(&args, "ENV", escape)?,
        "label" => name_value(&args, "LABEL", escape)?,
        "expose" | "from" => Parsed::list(split_separators(&args)),
        "healthcheck" => health_config(&args)?,
        "maintainer" | "stopsignal" | "user" | "workdir" => Parsed::list(if args.is_empty() { Vec::new() } else { vec![args] }),
        "onbuild" => {
            if args.is_empty() {
                Parsed::none()
            } else {
                let mut child = parse_line(&args, escape)?;
                child.original = args.clone();
                Parsed { args: Vec::new(), json: false, sub: Some(Box::new(child)) }
            }
        }
        // Unknown instructions still parse; BuildKit refuses them later, when building.
        _ => Parsed::list(vec![String::new()]),
    };
    Ok(Instruction {
        keyword: keyword.to_string(),
        kind,
        flags,
        args: parsed.args,
        json: parsed.json,
        sub: parsed.sub,
        // The caller moves the logical line in (no second copy of long lines).
        original: String::new(),
        heredocs: Vec::new(),
        start_line: 0,
        end_line: 0,
    })
}

fn not_strings() -> String {
    String::from("when using JSON array syntax, arrays must be comprised of strings only")
}

fn maybe_json(rest: String) -> Result<Parsed, String> {
    if rest.is_empty() {
        return Ok(Parsed::none());
    }
    match parse_string_array(&rest) {
        Ok(args) => Ok(Parsed { args, json: true, sub: None }),
        Err(JsonError::NotStrings) => Err(not_strings()),
        Err(JsonError::NotJson) => Ok(Parsed::list(vec![rest])),
    }
}

fn maybe_json_to_list(rest: &str) -> Result<Parsed, String> {
    match parse_string_array(rest) {
        Ok(args) => Ok(Parsed { args, json: true, sub: None }),
        Err(JsonError::NotStrings) => Err(not_strings()),
        Err(JsonError::NotJson) => Ok(Parsed::list(split_separators(rest))),
    }
}

/// `HEALTHCHECK [flags] TYPE rest`: the type word, then the rest like CMD.
fn health_config(rest: &str) -> Result<Parsed, String> {
    let Some(first) = rest.split(char::is_whitespace).next().filter(|w| !w.is_empty()) else {
        return Ok(Parsed::none());
    };
    let after = rest[first.len()..].trim_start_matches(char::is_whitespace);
    let mut cmd = maybe_json(after.to_string())?;
    cmd.args.insert(0, first.to_string());
    Ok(cmd)
}

/// ENV and LABEL: `KEY=VALUE …` pairs, or the legacy `KEY VALUE` (value = rest of the line).
/// Each pair becomes three nodes: key, value, and the separator (`=` or empty for legacy).
fn name_value(rest: &str, keyword: &str, escape: char) -> Result<Parsed, String> {
    let words = parse_words(rest, escape);
    let Some(first) = words.first() else {
        return Ok(Parsed::none());
    };
    if !first.contains('=') {
        let (key, value) = split_once_separator(rest);
        let Some(value) = value else {
            return Err(format!("{keyword} must have two arguments"));
        };
        return Ok(Parsed::list(vec![key.to_string(), value.to_string(), String::new()]));
    }
    let mut args = Vec::with_capacity(words.len() * 3);
    for word in words {
        let Some((key, value)) = word.split_once('=') else {
            return Err(format!("Syntax error - can't find = in {word:?}. Must be of the form: name=value"));
        };
        args.push(key.to_string());
        args.push(value.to_string());
        args.push(String::from("="));
    }
    Ok(Parsed::list(args))
}

/// Words separated by whitespace, quotes and escapes kept (they are removed later, when the
/// instruction is expanded).
pub(crate) fn parse_words(rest: &str, escape: char) -> Vec<String> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut chars = rest.chars().peekable();
    loop {
        let next = chars.next();
        if phase == Phase::Spaces {
            match next {
                None => break,
                Some(c) if c.is_whitespace() => continue,
                Some(_) => phase = Phase::Word,
            }
        }
        let Some(mut ch) = next else {
            if blank_ok || !word.is_empty() {
                words.push(word);
            }
            break;
        };
        if phase == Phase::Word {
            if ch.is_whitespace() {
                phase = Phase::Spaces;
                if blank_ok || !word.is_empty() {
                    words.push(core::mem::take(&mut word));
                }
                word.clear();
                blank_ok = false;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
            }
            if ch == escape {
                // An escape at the very end escapes nothing and is dropped.
                let Some(escaped) = chars.next() else {
                    continue;
                };
                word.push(ch);
                ch = escaped;
            }
            word.push(ch);
            continue;
        }
        // Inside quotes.
        if ch == quote {
            phase = Phase::Word;
        }
        if ch == escape && quote != '\'' {
            let Some(escaped) = chars.next() else {
                phase = Phase::Word;
                continue;
            };
            word.push(ch);
            ch = escaped;
        }
        word.push(ch);
    }
    words
}

/// Go's `unicode.IsSpace` applied to a single byte, as BuildKit's flag scanner does.
fn is_space_byte(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | 0x85 | 0xa0)
}

/// Leading `--name=value` words. BuildKit scans bytes, not characters: a byte above 0x7f is
/// taken as the Latin-1 character of that value (so non-ASCII flag values come out mangled,
/// exactly as BuildKit prints them), and the bytes 0x85 and 0xa0 count as spaces.
fn extract_builder_flags(line: &str) -> (Cow<'_, str>, Vec<String>) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let bytes = line.as_bytes();
    let rest_from = |pos: usize| -> Cow<'_, str> {
        match line.get(pos..) {
            Some(rest) => Cow::Borrowed(rest),
            // Only reachable after a 0x85/0xa0 "space" inside a UTF-8 sequence.
            None => String::from_utf8_lossy(&bytes[pos..]),
        }
    };
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut quote = 0u8;
    let mut blank_ok = false;
    let mut pos = 0;
    while pos <= bytes.len() {
        let at_end = pos == bytes.len();
        let ch = if at_end { 0 } else { bytes[pos] };
        if phase == Phase::Spaces {
            if at_end {
                break;
            }
            if is_space_byte(ch) {
                pos += 1;
                continue;
            }
            if ch != b'-' || bytes.get(pos + 1) != Some(&b'-') {
                return (rest_from(pos), words);
            }
            phase = Phase::Word;
        }
        if at_end {
            if word != "--" && (blank_ok || !word.is_empty()) {
                words.push(word);
            }
            break;
        }
        let mut ch = ch;
        if phase == Phase::Word {
            if is_space_byte(ch) {
                phase = Phase::Spaces;
                if word == "--" {
                    return (rest_from(pos), words);
                }
                if blank_ok || !word.is_empty() {
                    words.push(core::mem::take(&mut word));
                }
                word.clear();
                blank_ok = false;
                pos += 1;
                continue;
            }
            if ch == b'\'' || ch == b'"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                pos += 1;
                continue;
            }
            if ch == b'\\' {
                match escaped(bytes, pos) {
                    Some(next) => ch = next,
                    None => {
                        pos += 1;
                        continue;
                    }
                }
                pos += 1;
            }
            word.push(char::from(ch));
            pos += 1;
            continue;
        }
        if ch == quote {
            phase = Phase::Word;
            pos += 1;
            continue;
        }
        if ch == b'\\' {
            match escaped(bytes, pos) {
                Some(next) => ch = next,
                None => {
                    // A trailing escape also ends the quote.
                    phase = Phase::Word;
                    pos += 1;
                    continue;
                }
            }
            pos += 1;
        }
        word.push(char::from(ch));
        pos += 1;
    }
    (Cow::Borrowed(""), words)
}

/// The byte a `\` at `pos` escapes; `None` when it ends the line (then it is dropped).
fn escaped(bytes: &[u8], pos: usize) -> Option<u8> {
    bytes.get(pos + 1).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_stop_at_the_first_plain_word() {
        let (rest, flags) = extract_builder_flags("--from=build --chown=1:1 a b");
        assert_eq!(rest, "a b");
        assert_eq!(flags, vec!["--from=build", "--chown=1:1"]);
        let (rest, flags) = extract_builder_flags("--doit=true -- [ \"a\" ]");
        assert_eq!(rest, " [ \"a\" ]");
        assert_eq!(flags, vec!["--doit=true"]);
    }

    #[test]
    fn words_keep_quotes() {
        assert_eq!(parse_words("abc=\"123 456\" def", '\\'), vec!["abc=\"123 456\"", "def"]);
        assert_eq!(parse_words("a\\ b", '\\'), vec!["a\\ b"]);
    }
}
