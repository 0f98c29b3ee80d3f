//! GNU `getopt_long` as the tools in a RUN line use it: clustered short flags (`-mN`), attached
//! values (`-u1000`, `--uid=1000`), separate values (`-u 1000`), unambiguous long prefixes
//! (`--home` for `--home-dir`), options after operands, and `--`.

use alloc::string::String;
use alloc::vec::Vec;

/// One command's option syntax. Long options map to a canonical key (usually the short letter).
pub struct Spec {
    /// Short options that take a value.
    pub short_with_value: &'static str,
    /// `(long name, canonical key, takes a value)`.
    pub long: &'static [(&'static str, &'static str, bool)],
}

/// Options and operands, borrowed from the words they came from.
#[derive(Debug, Default)]
pub struct Parsed<'w> {
    /// `(key, value)` in order; the key is the canonical name (short letter or long name).
    pub options: Vec<(&'w str, Option<&'w str>)>,
    pub operands: Vec<&'w str>,
}

impl<'w> Parsed<'w> {
    pub fn has(&self, key: &str) -> bool {
        self.options.iter().any(|(k, _)| *k == key)
    }
    /// The last value given for `key` (tools take the last one).
    pub fn value(&self, key: &str) -> Option<&'w str> {
        self.options.iter().rev().find(|(k, _)| *k == key).and_then(|(_, v)| *v)
    }
}

pub fn parse<'w>(words: &'w [String], spec: &Spec) -> Parsed<'w> {
    let mut out = Parsed::default();
    let mut i = 0;
    while i < words.len() {
        let word = words[i].as_str();
        i += 1;
        if word == "--" {
            out.operands.extend(words[i..].iter().map(String::as_str));
            break;
        }
        if let Some(body) = word.strip_prefix("--") {
            let (name, attached) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (body, None),
            };
            let exact = spec.long.iter().find(|(l, _, _)| *l == name);
            let mut prefixed = spec.long.iter().filter(|(l, _, _)| l.starts_with(name));
            let found = exact.or_else(|| match (prefixed.next(), prefixed.next()) {
                (Some(only), None) => Some(only),
                _ => None,
            });
            match found {
                Some((_, key, true)) => {
                    let value = attached.or_else(|| {
                        let v = words.get(i).map(String::as_str);
                        i += 1;
                        v
                    });
                    out.options.push((key, value));
                }
                Some((_, key, false)) => out.options.push((key, None)),
                None => out.options.push((name, attached)),
            }
            continue;
        }
        if word.len() > 1 && word.starts_with('-') {
            let body = &word[1..];
            for (at, c) in body.char_indices() {
                let key = &body[at..at + c.len_utf8()];
                if spec.short_with_value.contains(c) {
                    let rest = &body[at + c.len_utf8()..];
                    let value = if rest.is_empty() {
                        let v = words.get(i).map(String::as_str);
                        i += 1;
                        v
                    } else {
                        Some(rest)
                    };
                    out.options.push((key, value));
                    break;
                }
                out.options.push((key, None));
            }
            continue;
        }
        out.operands.push(word);
    }
    out
}

/// A numeric id as shadow's tools read it (leading spaces allowed: `"-u 1000"` is one word).
pub fn numeric_id(value: &str) -> Option<u64> {
    let v = value.trim();
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    const SPEC: Spec = Spec { short_with_value: "ugd", long: &[("uid", "u", true), ("home-dir", "d", true), ("create-home", "m", false)] };

    fn words(text: &str) -> Vec<String> {
        text.split(' ').map(String::from).collect()
    }

    #[test]
    fn every_spelling_of_an_option_is_understood() {
        let words = words("-mN -u1000 --home=/h name --uid 7 -g 100");
        let p = parse(&words, &SPEC);
        assert!(p.has("m") && p.has("N"));
        assert_eq!(p.value("u"), Some("7"));
        assert_eq!(p.value("d"), Some("/h"));
        assert_eq!(p.value("g"), Some("100"));
        assert_eq!(p.operands, vec!["name"]);
        assert_eq!(numeric_id(" 1000"), Some(1000));
        assert_eq!(numeric_id("$NB_UID"), None);
    }
}
