//! Input that is not a good Dockerfile: a clear message with the line, never a panic, and
//! everything that can still be read is read.

use std::time::Instant;

use smic_dockerfile::{read, ReadOptions};

fn fatal(bytes: &[u8]) -> smic_rules::InputError {
    let e = read("Dockerfile", bytes, &ReadOptions::default()).expect_err("unusable input");
    assert!(e.fatal);
    e
}

#[test]
fn binary_file_is_called_binary() {
    let e = fatal(b"FROM a\nRUN x\n\x00\x01\x02");
    assert!(e.message.contains("binary") && e.message.contains("not a Dockerfile"), "{}", e.message);
    assert_eq!(e.at.as_deref(), Some("line 3"));
    let e = fatal(b"FROM a\n\xff\xfe\xfd garbage");
    assert!(e.message.contains("not UTF-8"), "{}", e.message);
    assert_eq!(e.at.as_deref(), Some("line 2"));
}

#[test]
fn utf16_is_explained() {
    let e = fatal(b"\xff\xfeF\x00R\x00O\x00M\x00");
    assert!(e.message.contains("UTF-16"), "{}", e.message);
}

#[test]
fn empty_and_comment_only_files_have_nothing_to_check() {
    assert!(fatal(b"").message.contains("empty"));
    assert!(fatal(b"  \n\n").message.contains("empty"));
    let e = fatal(b"# just a comment\n# another\n");
    assert!(e.message.contains("no instructions"), "{}", e.message);
}

#[test]
fn unterminated_heredoc_keeps_what_was_read() {
    let r = read("Dockerfile", b"FROM a\nUSER 1000\nRUN <<EOF\necho hi\n", &ReadOptions::default()).unwrap();
    let e = &r.errors[0];
    assert!(!e.fatal);
    assert!(e.message.contains("unterminated heredoc") && e.message.contains("EOF"), "{}", e.message);
    assert_eq!(e.at.as_deref(), Some("lines 3-4"));
    assert_eq!(r.facts.final_stage.unwrap().user.unwrap().uid, Some(1000));
}

#[test]
fn broken_json_runs_as_shell_form_and_says_so() {
    let r = read("Dockerfile", b"FROM a\nCMD [\"jupyter\", \"lab\"\n", &ReadOptions::default()).unwrap();
    let e = &r.errors[0];
    assert_eq!(e.at.as_deref(), Some("line 2"));
    assert!(e.message.contains("not valid JSON"), "{}", e.message);
    let r = read("Dockerfile", b"FROM a\nCMD ['single']\n", &ReadOptions::default()).unwrap();
    assert!(r.errors[0].message.contains("double quotes"));
}

#[test]
fn instruction_buildkit_refuses_is_skipped_and_reported() {
    let r = read("Dockerfile", b"FROM a\nENV ONLYNAME\nCMD [\"a\", 1]\nUSER 1000\n", &ReadOptions::default()).unwrap();
    let at: Vec<&str> = r.errors.iter().filter_map(|e| e.at.as_deref()).collect();
    assert_eq!(at, vec!["line 2", "line 3"]);
    assert!(r.errors[0].message.contains("ENV must have two arguments"));
    assert!(r.errors[1].message.contains("strings only"));
    assert_eq!(r.facts.final_stage.unwrap().user.unwrap().uid, Some(1000));
}

#[test]
fn heredoc_with_a_space_is_not_a_heredoc_and_the_hint_says_why() {
    let r = read("Dockerfile", b"FROM a\nRUN << EOF\necho hi\nEOF\n", &ReadOptions::default()).unwrap();
    let e = &r.errors[0];
    assert_eq!(e.at.as_deref(), Some("line 3"));
    assert!(e.message.contains("unknown instruction echo") && e.message.contains("<<NAME"), "{}", e.message);
}

#[test]
fn duplicate_and_invalid_directives_are_reported() {
    let r = read("Dockerfile", b"# escape=x\n# syntax=a\n# syntax=b\nFROM a\n", &ReadOptions::default()).unwrap();
    let messages: Vec<&str> = r.errors.iter().map(|e| e.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("invalid escape token")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("only one syntax")), "{messages:?}");
}

#[test]
fn ten_megabyte_single_line_is_read_in_linear_time() {
    let mut text = String::from("FROM a\nRUN echo ");
    text.push_str(&"x".repeat(10 * 1024 * 1024));
    text.push_str(" && useradd -u 1000 -N big\nUSER big\n");
    let start = Instant::now();
    let r = read("Dockerfile", text.as_bytes(), &ReadOptions::default()).unwrap();
    let elapsed = start.elapsed();
    assert_eq!(r.facts.final_stage.unwrap().user.unwrap().gid, Some(100));
    println!("10 MB single RUN line read in {elapsed:?}");
    // Debug builds are slow; a quadratic pass over 10 MB would take minutes.
    assert!(elapsed.as_secs() < 20, "took {elapsed:?}");

    let mut text = String::from("FROM a\nENV A=");
    text.push_str(&"${A:-".repeat(200_000));
    text.push('\n');
    let r = read("Dockerfile", text.as_bytes(), &ReadOptions::default()).unwrap();
    assert!(r.errors.iter().any(|e| e.message.contains("nested too deeply")));
}

#[test]
fn a_line_of_continuations_and_quotes_does_not_blow_up() {
    for text in [
        "FROM a\nRUN \\\n",
        "FROM a\nRUN '\n",
        "FROM a\nRUN \"$(\n",
        "FROM a\nCOPY <<\n",
        "FROM a\nRUN <<'\n",
        "\\",
        "FROM\n",
        "ONBUILD\n",
        "FROM a\nRUN <<EOF <<EOF\nEOF\n",
    ] {
        let _ = read("Dockerfile", text.as_bytes(), &ReadOptions::default());
        let _ = smic_dockerfile::dump(text);
    }
}

#[test]
fn dump_of_a_file_reports_like_buildkit_with_the_line() {
    assert_eq!(smic_dockerfile::dump_file("D", b"FROM a\nRUN x\n").unwrap(), "(from \"a\")\n(run \"x\")\n");
    let e = smic_dockerfile::dump_file("D", b"FROM a\nENV X\n").unwrap_err();
    assert_eq!((e.at.as_deref(), e.message.as_str()), (Some("line 2"), "ENV must have two arguments"));
    assert!(smic_dockerfile::dump_file("D", b"\x00\x01").unwrap_err().message.contains("binary"));
}
