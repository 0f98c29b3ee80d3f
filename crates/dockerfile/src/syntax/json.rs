//! The exec form's JSON array, decoded the way Go's `encoding/json` decoder does it for
//! BuildKit: one value is read and anything after it is ignored; a syntax error (or a number
//! too large for a float64) means "not JSON" and the instruction falls back to shell form; a
//! well-formed array holding anything but strings is a hard error.

use alloc::string::String;
use alloc::vec::Vec;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonError {
    /// Not JSON (or not an array): the caller treats the text as shell form.
    NotJson,
    /// A JSON array with an element that is not a string.
    NotStrings,
}

/// Go's JSON scanner gives up at this depth too (it allows 10000; we stay well within the stack).
const MAX_DEPTH: u32 = 512;

pub fn parse_string_array(text: &str) -> Result<Vec<String>, JsonError> {
    let rest = text.trim_start_matches(char::is_whitespace);
    if !rest.starts_with('[') {
        return Err(JsonError::NotJson);
    }
    let mut reader = Reader { bytes: rest.as_bytes(), text: rest, pos: 0, overflow: false };
    let items = reader.top_array().ok_or(JsonError::NotJson)?;
    if reader.overflow {
        return Err(JsonError::NotJson);
    }
    items.into_iter().map(|item| item.ok_or(JsonError::NotStrings)).collect()
}

struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    /// A number that does not fit a float64: Go reports it after reading the whole value.
    overflow: bool,
}

impl Reader<'_> {
    fn skip_ws(&mut self) {
        while matches!(self.bytes.get(self.pos), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.bytes.get(self.pos) == Some(&b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// The top-level array: each element is `Some(string)` or `None` for a non-string.
    fn top_array(&mut self) -> Option<Vec<Option<String>>> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.eat(b']') {
            return Some(items);
        }
        loop {
            self.skip_ws();
            if self.bytes.get(self.pos) == Some(&b'"') {
                items.push(Some(self.string()?));
            } else {
                self.value(1)?;
                items.push(None);
            }
            self.skip_ws();
            if self.eat(b',') {
                continue;
            }
            if self.eat(b']') {
                return Some(items);
            }
            return None;
        }
    }

    fn value(&mut self, depth: u32) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_ws();
        match *self.bytes.get(self.pos)? {
            b'"' => self.string().map(|_| ()),
            b'[' => {
                self.pos += 1;
                self.skip_ws();
                if self.eat(b']') {
                    return Some(());
                }
                loop {
                    self.value(depth + 1)?;
                    self.skip_ws();
                    if self.eat(b',') {
                        continue;
                    }
                    return if self.eat(b']') { Some(()) } else { None };
                }
            }
            b'{' => {
                self.pos += 1;
                self.skip_ws();
                if self.eat(b'}') {
                    return Some(());
                }
                loop {
                    self.skip_ws();
                    if self.bytes.get(self.pos) != Some(&b'"') {
                        return None;
                    }
                    self.string()?;
                    self.skip_ws();
                    if !self.eat(b':') {
                        return None;
                    }
                    self.value(depth + 1)?;
                    self.skip_ws();
                    if self.eat(b',') {
                        continue;
                    }
                    return if self.eat(b'}') { Some(()) } else { None };
                }
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        if self.bytes.get(self.pos..self.pos + word.len())? == word {
            self.pos += word.len();
            Some(())
        } else {
            None
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Option<()> {
        let start = self.pos;
        self.eat(b'-');
        if self.eat(b'0') {
        } else if self.digits() == 0 {
            return None;
        }
        if self.eat(b'.') && self.digits() == 0 {
            return None;
        }
        if self.eat(b'e') || self.eat(b'E') {
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if self.digits() == 0 {
                return None;
            }
        }
        let text = self.text.get(start..self.pos)?;
        if text.parse::<f64>().map_or(true, f64::is_infinite) {
            self.overflow = true;
        }
        Some(())
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.pos..self.pos + 4)?;
        let value = u32::from_str_radix(digits, 16).ok()?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.pos += 4;
        Some(value)
    }

    fn string(&mut self) -> Option<String> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let rest = self.text.get(self.pos..)?;
            // Copy the run of ordinary characters in one go (keeps long strings linear).
            let run = rest.find(|c: char| c == '"' || c == '\\' || (c as u32) < 0x20).unwrap_or(rest.len());
            out.push_str(&rest[..run]);
            self.pos += run;
            match *self.bytes.get(self.pos)? {
                b'"' => {
                    self.pos += 1;
                    return Some(out);
                }
                b'\\' => {
                    self.pos += 1;
                    let escaped = *self.bytes.get(self.pos)?;
                    self.pos += 1;
                    match escaped {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
    }

    /// `\uXXXX`, joining a surrogate pair; a lone surrogate becomes U+FFFD as in Go.
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) {
            let save = self.pos;
            if self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u") {
                self.pos += 2;
                if let Some(second) = self.hex4() {
                    if (0xDC00..0xE000).contains(&second) {
                        let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                        return Some(char::from_u32(code).unwrap_or('\u{FFFD}'));
                    }
                }
            }
            self.pos = save;
            return Some('\u{FFFD}');
        }
        Some(char::from_u32(first).unwrap_or('\u{FFFD}'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_like_go() {
        assert_eq!(parse_string_array(r#"["a", "b\u00e9"] trailing"#), Ok(alloc::vec!["a".into(), "bé".into()]));
        assert_eq!(parse_string_array("[]"), Ok(Vec::new()));
        assert_eq!(parse_string_array("['a']"), Err(JsonError::NotJson));
        assert_eq!(parse_string_array(r#"["a""#), Err(JsonError::NotJson));
        assert_eq!(parse_string_array("[1e999]"), Err(JsonError::NotJson));
        assert_eq!(parse_string_array(r#"["a", 1]"#), Err(JsonError::NotStrings));
        assert_eq!(parse_string_array(r#"["\ud800x"]"#), Ok(alloc::vec!["\u{FFFD}x".into()]));
    }
}
