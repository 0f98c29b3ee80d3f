//! Build arguments as the user types them: one `NAME=value` per line, like `--build-arg`.

/// A line that is not `NAME=value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    pub line: usize,
    pub text: String,
}

/// Parses the text area: blank lines and `#` comments are skipped; a line without `=` is a
/// mistake the page points at (Docker would take the value from the environment, which a page
/// does not have).
pub fn parse(text: &str) -> (Vec<(String, String)>, Vec<BadLine>) {
    let mut args = Vec::new();
    let mut bad = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match smic_engine::build_arg(line) {
            Some(arg) => args.push(arg),
            None => bad.push(BadLine { line: index + 1, text: line.to_string() }),
        }
    }
    (args, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_their_equals_signs_and_spaces() {
        let (args, bad) = parse("NB_UID=1000\n\n# comment\nOPTS=--a=b c\n");
        assert_eq!(args, vec![("NB_UID".into(), "1000".into()), ("OPTS".into(), "--a=b c".into())]);
        assert!(bad.is_empty());
    }

    #[test]
    fn a_line_without_a_value_is_pointed_at() {
        let (args, bad) = parse("NB_USER\n=x\n");
        assert!(args.is_empty());
        assert_eq!(bad, vec![BadLine { line: 1, text: "NB_USER".into() }, BadLine { line: 2, text: "=x".into() }]);
    }
}
