//! The shell patterns of `${V#p}`, `${V%p}` and `${V/p/r}` as BuildKit reads them: `*` and `?`
//! are wildcards that never cross a newline, `\*` `\?` `\\` are literal, every other character
//! (including `[`) is literal. Matching runs a small NFA in one pass over the value, so a long
//! value costs linear time per start position.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Literal(char),
    AnyChar,
    Star,
}

#[derive(Debug, Clone)]
pub struct Pattern {
    tokens: Vec<Token>,
}

impl Pattern {
    /// Compiles a pattern. An escape before anything but `*`, `?`, `\` is an error in BuildKit.
    pub fn compile(text: &str) -> Result<Pattern, String> {
        let mut tokens = Vec::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '*' => tokens.push(Token::Star),
                '?' => tokens.push(Token::AnyChar),
                '\\' => {
                    // `\}` is how a `}` gets into `${…}`; the escape is not part of the pattern.
                    if chars.peek() == Some(&'}') {
                        continue;
                    }
                    match chars.next() {
                        Some(e @ ('*' | '?' | '\\')) => tokens.push(Token::Literal(e)),
                        Some(e) => return Err(alloc::format!("invalid escape '\\{e}'")),
                        None => return Err(String::from("invalid escape at end of pattern")),
                    }
                }
                other => tokens.push(Token::Literal(other)),
            }
        }
        Ok(Pattern { tokens })
    }

    fn reversed(&self) -> Pattern {
        Pattern { tokens: self.tokens.iter().rev().copied().collect() }
    }

    /// Byte lengths of the prefixes of `chars` the pattern matches completely, as (shortest,
    /// longest); stops as soon as no state is alive.
    fn prefix_matches(&self, chars: impl Iterator<Item = (usize, char)>) -> (Option<usize>, Option<usize>) {
        let n = self.tokens.len();
        let mut states = vec![false; n + 1];
        let mut next = vec![false; n + 1];
        states[0] = true;
        self.close(&mut states);
        let mut shortest = None;
        let mut longest = None;
        if states[n] {
            shortest = Some(0);
            longest = Some(0);
        }
        for (end, c) in chars {
            next.iter_mut().for_each(|s| *s = false);
            let mut alive = false;
            for i in 0..n {
                if !states[i] {
                    continue;
                }
                match self.tokens[i] {
                    Token::Literal(l) if l == c => next[i + 1] = true,
                    Token::AnyChar if c != '\n' => next[i + 1] = true,
                    Token::Star if c != '\n' => next[i] = true,
                    _ => {}
                }
            }
            self.close(&mut next);
            core::mem::swap(&mut states, &mut next);
            for s in states.iter() {
                alive |= *s;
            }
            if states[n] {
                shortest.get_or_insert(end);
                longest = Some(end);
            }
            if !alive {
                break;
            }
        }
        (shortest, longest)
    }

    fn close(&self, states: &mut [bool]) {
        for i in 0..self.tokens.len() {
            if states[i] && self.tokens[i] == Token::Star {
                states[i + 1] = true;
            }
        }
    }

    /// `${V#p}` (shortest) and `${V##p}` (longest).
    pub fn trim_prefix(&self, value: &str, longest: bool) -> String {
        let ends = value.char_indices().map(|(i, c)| (i + c.len_utf8(), c));
        let (short, long) = self.prefix_matches(ends);
        match if longest { long } else { short } {
            Some(end) => String::from(&value[end..]),
            None => String::from(value),
        }
    }

    /// `${V%p}` (shortest) and `${V%%p}` (longest), matched from the end.
    pub fn trim_suffix(&self, value: &str, longest: bool) -> String {
        let reversed = self.reversed();
        let len = value.len();
        let starts = value.char_indices().rev().map(|(i, c)| (len - i, c));
        let (short, long) = reversed.prefix_matches(starts);
        match if longest { long } else { short } {
            Some(cut) => String::from(&value[..len - cut]),
            None => String::from(value),
        }
    }

    /// `${V/p/r}` (first match) and `${V//p/r}` (every match), longest match at the leftmost start.
    pub fn replace(&self, value: &str, replacement: &str, all: bool) -> String {
        let mut out = String::new();
        let mut pos = 0;
        let mut replaced = false;
        loop {
            let rest = &value[pos..];
            if replaced && !all {
                out.push_str(rest);
                break;
            }
            let (_, long) = self.prefix_matches(rest.char_indices().map(|(i, c)| (i + c.len_utf8(), c)));
            if let Some(len) = long {
                out.push_str(replacement);
                replaced = true;
                if len > 0 {
                    pos += len;
                    continue;
                }
            }
            // No match here, or an empty one: keep this character and try after it.
            let Some(c) = rest.chars().next() else { break };
            out.push(c);
            pos += c.len_utf8();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Pattern {
        Pattern::compile(text).unwrap()
    }

    #[test]
    fn trims_like_the_shell() {
        assert_eq!(p("*.").trim_prefix("4.6.14", false), "6.14");
        assert_eq!(p("*.").trim_prefix("4.6.14", true), "14");
        assert_eq!(p(".*").trim_suffix("4.6.14", false), "4.6");
        assert_eq!(p(".*").trim_suffix("4.6.14", true), "4");
        assert_eq!(p("x").trim_suffix("abc", true), "abc");
    }

    #[test]
    fn replaces_first_or_all() {
        assert_eq!(p("o").replace("foo boo", "0", false), "f0o boo");
        assert_eq!(p("o").replace("foo boo", "0", true), "f00 b00");
        assert_eq!(p("b*").replace("abcabc", "X", false), "aX");
    }

    #[test]
    fn bad_escape_is_an_error() {
        assert!(Pattern::compile("\\a").is_err());
    }
}
