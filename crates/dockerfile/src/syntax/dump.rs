//! The s-expression dump of BuildKit's `Node.Dump()`, with Go's `strconv.Quote` for values and
//! `%q` for the flag list, so our parse can be compared with BuildKit's own expected results.

use alloc::string::String;

use super::Instruction;

/// One instruction without the surrounding parentheses: `run ["--mount=…"] "echo hi"`.
pub fn dump_instruction(instruction: &Instruction) -> String {
    let mut out = super::go_lower(&instruction.keyword);
    if !instruction.flags.is_empty() {
        out.push_str(" [");
        for (i, flag) in instruction.flags.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&go_quote(flag));
        }
        out.push(']');
    }
    if let Some(sub) = &instruction.sub {
        out.push_str(" (");
        out.push_str(&dump_instruction(sub));
        out.push(')');
    }
    for arg in &instruction.args {
        out.push(' ');
        out.push_str(&go_quote(arg));
    }
    String::from(out.trim_matches(char::is_whitespace))
}

/// Go's `strconv.Quote`.
pub fn go_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => push_hex(&mut out, "\\x", c as u32, 2),
            c if (c as u32) < 0x10000 => push_hex(&mut out, "\\u", c as u32, 4),
            c => push_hex(&mut out, "\\U", c as u32, 8),
        }
    }
    out.push('"');
    out
}

fn push_hex(out: &mut String, prefix: &str, value: u32, width: usize) {
    out.push_str(prefix);
    for shift in (0..width).rev() {
        let digit = (value >> (shift * 4)) & 0xf;
        out.push(char::from_digit(digit, 16).unwrap_or('0'));
    }
}

/// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
/// Without Unicode category tables this excludes the classes Go excludes (controls, other
/// spaces, format characters, private use, non-characters); unassigned code points, which Go
/// escapes, are printed literally here.
fn is_go_printable(c: char) -> bool {
    let code = c as u32;
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let format = matches!(code,
        0xad | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x890..=0x891 | 0x8e2 | 0x180e
        | 0x200b..=0x200f | 0x202a..=0x202e | 0x2060..=0x2064 | 0x2066..=0x206f | 0xfeff
        | 0xfff9..=0xfffb | 0x110bd | 0x110cd | 0x13430..=0x1343f | 0x1bca0..=0x1bca3
        | 0x1d173..=0x1d17a | 0xe0001 | 0xe0020..=0xe007f);
    let private_use = matches!(code, 0xe000..=0xf8ff | 0xf0000..=0x10ffff);
    // Whole planes (and the rest of plane 14) where nothing is assigned.
    let unassigned_plane = matches!(code, 0x323b0..=0x3ffff | 0x40000..=0xdffff | 0xe0080..=0xe00ff | 0xe01f0..=0xeffff);
    let non_character = matches!(code, 0xfdd0..=0xfdef) || code & 0xfffe == 0xfffe;
    !(format || private_use || non_character || unassigned_plane)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_like_go() {
        assert_eq!(go_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(go_quote("\u{0}\u{7f}\u{a0}\u{feff}♥"), "\"\\x00\\x7f\\u00a0\\ufeff♥\"");
        assert_eq!(go_quote("\u{e0100}"), "\"\u{e0100}\"");
        assert_eq!(go_quote("\u{beb78}"), "\"\\U000beb78\"");
    }
}
