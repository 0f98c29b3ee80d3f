//! Parameter expansion in a Dockerfile word, as BuildKit does it: `$name`, `${name}`, the
//! modifiers `${name:-word}`, `${name:+word}`, `${name?word}`, the trims `${name#glob}` and
//! `${name%glob}`, and `${name/glob/replacement}`. A variable whose value cannot be known is kept
//! as written and reported.

use alloc::format;
use alloc::string::{String, ToString};

use super::super::pattern;
use super::{LexError, Lookup, State};

/// `${a:-${b:-…}}` nests by recursion; a bound keeps a hostile line from exhausting the stack.
const MAX_NESTING: u32 = 64;

impl State<'_, '_> {
    fn lookup(&mut self, name: &str) -> Lookup<'_> {
        let found = self.env.lookup(name);
        match found {
            Lookup::Unknown => {
                if !self.unknown.iter().any(|n| n == name) {
                    self.unknown.push(name.to_string());
                }
            }
            Lookup::Unset => {
                if !self.unset.iter().any(|n| n == name) {
                    self.unset.push(name.to_string());
                }
            }
            Lookup::Value(_) => {}
        }
        found
    }

    pub(super) fn dollar(&mut self) -> Result<String, LexError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(LexError::new("variable references nested too deeply"));
        }
        let result = self.dollar_inner();
        self.depth -= 1;
        result
    }

    fn dollar_inner(&mut self) -> Result<String, LexError> {
        self.chars.next();
        if self.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return Ok(String::from("$"));
            }
            let skip_unset = self.skip_unset;
            return Ok(match self.lookup(&name) {
                Lookup::Value(v) => v.to_string(),
                Lookup::Unset if !skip_unset => String::new(),
                _ => format!("${name}"),
            });
        }
        self.chars.next();
        match self.peek() {
            None => return Err(LexError::new("syntax error: missing '}'")),
            Some('{' | '}' | ':') => return Err(LexError::new("syntax error: bad substitution")),
            Some(_) => {}
        }
        let name = self.name();
        let first = self.chars.next();
        let mut modifier = first;
        let mut shown = String::new();
        shown.extend(first);
        let mut null_is_unset = false;
        match first {
            Some('}') => {
                let skip_unset = self.skip_unset;
                return Ok(match self.lookup(&name) {
                    Lookup::Value(v) => v.to_string(),
                    Lookup::Unset if !skip_unset => String::new(),
                    _ => format!("${{{name}}}"),
                });
            }
            Some('/') => return self.replace(&name),
            Some(':') => {
                null_is_unset = true;
                modifier = self.chars.next();
                shown.extend(modifier);
            }
            Some('+' | '-' | '?' | '#' | '%') => {}
            _ => return Err(LexError::new(format!("unsupported modifier ({shown}) in substitution"))),
        }
        let trims = matches!(modifier, Some('#' | '%'));
        if null_is_unset && trims {
            return Err(LexError::new(format!("unsupported modifier ({shown}) in substitution")));
        }
        let word = match self.stop_on(&['}'], trims) {
            Ok((word, _)) => word,
            Err(e) => {
                if self.peek().is_none() {
                    return Err(LexError::new("syntax error: missing '}'"));
                }
                return Err(e);
            }
        };
        let skip_unset = self.skip_unset;
        let (value, set) = match self.lookup(&name) {
            Lookup::Value(v) => (v.to_string(), true),
            Lookup::Unset if !skip_unset => (String::new(), false),
            _ => return Ok(format!("${{{name}{shown}{word}}}")),
        };
        let empty = !set || (null_is_unset && value.is_empty());
        match modifier {
            Some('-') => Ok(if empty { word } else { value }),
            Some('+') => Ok(if empty { String::new() } else { word }),
            Some('?') => {
                if !set {
                    let message = if word.is_empty() { "is not allowed to be unset" } else { word.as_str() };
                    return Err(LexError::new(format!("{name}: {message}")));
                }
                if null_is_unset && value.is_empty() {
                    let message = if word.is_empty() { "is not allowed to be empty" } else { word.as_str() };
                    return Err(LexError::new(format!("{name}: {message}")));
                }
                Ok(value)
            }
            Some(c @ ('#' | '%')) => {
                let (longest, glob) = match word.strip_prefix(c) {
                    Some(rest) => (true, rest),
                    None => (false, word.as_str()),
                };
                let glob =
                    pattern::Pattern::compile(glob).map_err(|e| LexError::new(format!("invalid pattern ({glob}) in substitution: {e}")))?;
                Ok(if c == '#' { glob.trim_prefix(&value, longest) } else { glob.trim_suffix(&value, longest) })
            }
            _ => Err(LexError::new(format!("unsupported modifier ({shown}) in substitution"))),
        }
    }

    /// `${name/pattern/replacement}` and `${name//pattern/replacement}` (the first `/` is read).
    fn replace(&mut self, name: &str) -> Result<String, LexError> {
        let all = self.peek() == Some('/');
        if all {
            self.chars.next();
        }
        let glob = match self.stop_on(&['/'], true) {
            Ok((text, _)) => text,
            Err(e) => {
                if self.peek().is_none() {
                    return Err(LexError::new("syntax error: missing '/' in ${}"));
                }
                return Err(e);
            }
        };
        let replacement = match self.stop_on(&['}'], true) {
            Ok((text, _)) => text,
            Err(e) => {
                if self.peek().is_none() {
                    return Err(LexError::new("syntax error: missing '}'"));
                }
                return Err(e);
            }
        };
        let skip_unset = self.skip_unset;
        let value = match self.lookup(name) {
            Lookup::Value(v) => v.to_string(),
            Lookup::Unset if !skip_unset => String::new(),
            _ => return Ok(format!("${{{name}/{}{glob}/{replacement}}}", if all { "/" } else { "" })),
        };
        let compiled =
            pattern::Pattern::compile(&glob).map_err(|e| LexError::new(format!("invalid pattern ({glob}) in substitution: {e}")))?;
        Ok(compiled.replace(&value, &replacement, all))
    }

    /// A name: letters, digits and `_`; or all leading digits (positional); or one special
    /// parameter character.
    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.peek() {
            if name.is_empty() && ch.is_numeric() {
                while let Some(d) = self.peek().filter(|c| c.is_numeric()) {
                    self.chars.next();
                    name.push(d);
                }
                return name;
            }
            if name.is_empty() && matches!(ch, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.chars.next();
                name.push(ch);
                return name;
            }
            if !ch.is_alphanumeric() && ch != '_' {
                break;
            }
            self.chars.next();
            name.push(ch);
        }
        name
    }
}
