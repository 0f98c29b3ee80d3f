//! `# sm-image-check ignore=RULE reason` comments are recorded with what they apply to.

use smic_dockerfile::{read, ReadOptions};
use smic_rules::facts::Span;

#[test]
fn comment_directly_above_applies_to_that_instruction() {
    let text = "FROM a\n# sm-image-check ignore=UID001 the platform team maps ids\n# another comment\nRUN useradd \\\n  -u 5 x\n";
    let r = read("D", text.as_bytes(), &ReadOptions::default()).unwrap();
    let s = &r.facts.suppressions;
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].rule, "UID001");
    assert_eq!(s[0].reason, "the platform team maps ids");
    assert_eq!(s[0].comment_line, 2);
    assert_eq!(s[0].applies_to, Some(Span::new(4, 5)));
}

#[test]
fn several_ids_and_the_file_wide_form() {
    let text = "# sm-image-check ignore-file=RUN002,KER001 legacy image, tracked in JIRA-1\nFROM a\n# sm-image-check ignore=A,B\nUSER 1\n";
    let r = read("D", text.as_bytes(), &ReadOptions::default()).unwrap();
    let got: Vec<(&str, &str, Option<Span>)> =
        r.facts.suppressions.iter().map(|s| (s.rule.as_str(), s.reason.as_str(), s.applies_to)).collect();
    assert_eq!(
        got,
        vec![
            ("RUN002", "legacy image, tracked in JIRA-1", None),
            ("KER001", "legacy image, tracked in JIRA-1", None),
            // Recorded without a reason: the rule core refuses it and says so.
            ("A", "", Some(Span::line(4))),
            ("B", "", Some(Span::line(4))),
        ]
    );
}

#[test]
fn comment_inside_a_continuation_applies_to_its_instruction() {
    let text = "FROM a\nRUN apt-get install -y \\\n  # sm-image-check ignore=GPU001 toolkit only\n  cuda-toolkit\n";
    let r = read("D", text.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(r.facts.suppressions[0].applies_to, Some(Span::new(2, 4)));
}

#[test]
fn comment_separated_by_a_blank_line_applies_to_nothing_and_says_so() {
    let text = "FROM a\n# sm-image-check ignore=UID001 reason\n\nUSER 5\n# sm-image-check ignore=X at the end\n";
    let r = read("D", text.as_bytes(), &ReadOptions::default()).unwrap();
    assert!(r.facts.suppressions.is_empty());
    let at: Vec<&str> = r.errors.iter().filter_map(|e| e.at.as_deref()).collect();
    assert_eq!(at, vec!["line 2", "line 5"]);
    assert!(r.errors[0].message.contains("applies to nothing"));
}

#[test]
fn heredoc_bodies_are_not_comments() {
    let text = "FROM a\nRUN <<EOF\n# sm-image-check ignore=X inside a script\nEOF\n";
    let r = read("D", text.as_bytes(), &ReadOptions::default()).unwrap();
    assert!(r.facts.suppressions.is_empty());
}
