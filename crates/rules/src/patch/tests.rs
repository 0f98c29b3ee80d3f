//! The patch machinery: diffs as `diff -u` writes them, applying, combining, and the edit helpers.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::edit::{self, Word};
use super::{apply, combine, Edit, Patch};
use crate::facts::{DockerfileFacts, FromFacts, SourceLines, Span, StageFacts};

fn dockerfile(text: &str) -> DockerfileFacts {
    DockerfileFacts { file_name: "Dockerfile".into(), lines: SourceLines::new(text), ..Default::default() }
}

fn replace(line: u32, new: &[&str]) -> Edit {
    Edit { line_start: line, line_end: line, replacement: new.iter().map(|s| String::from(*s)).collect() }
}

const TEN: &str = "FROM a\nRUN 2\nRUN 3\nRUN 4\nRUN 5\nRUN 6\nRUN 7\nRUN 8\nRUN 9\nUSER 10\n";

#[test]
fn a_one_line_change_is_a_hunk_with_three_lines_of_context() {
    let df = dockerfile(TEN);
    let patch = Patch::new(&df, "x".into(), vec![replace(5, &["RUN five"])]).unwrap();
    assert_eq!(
        patch.diff,
        "--- Dockerfile\n+++ Dockerfile\n@@ -2,7 +2,7 @@\n RUN 2\n RUN 3\n RUN 4\n-RUN 5\n+RUN five\n RUN 6\n RUN 7\n RUN 8\n"
    );
    assert_eq!(apply(TEN, &patch.edits), TEN.replace("RUN 5", "RUN five"));
}

#[test]
fn distant_changes_make_two_hunks_with_shifted_new_line_numbers() {
    let df = dockerfile(TEN);
    let patch = Patch::new(&df, "x".into(), vec![replace(10, &["USER 1000"]), replace(1, &["FROM a", "RUN new"])]).unwrap();
    assert_eq!(
        patch.diff,
        "--- Dockerfile\n+++ Dockerfile\n@@ -1,4 +1,5 @@\n FROM a\n+RUN new\n RUN 2\n RUN 3\n RUN 4\n@@ -7,4 +8,4 @@\n RUN 7\n RUN 8\n RUN 9\n-USER 10\n+USER 1000\n"
    );
}

#[test]
fn deleting_lines_and_a_missing_final_line_break() {
    let text = "FROM a\nEXPOSE 8888\nUSER 1000";
    let df = dockerfile(text);
    let patch =
        Patch::new(&df, "x".into(), vec![Edit { line_start: 2, line_end: 2, replacement: Vec::new() }, replace(3, &["USER 1"])]).unwrap();
    assert_eq!(
        patch.diff,
        "--- Dockerfile\n+++ Dockerfile\n@@ -1,3 +1,2 @@\n FROM a\n-EXPOSE 8888\n-USER 1000\n\\ No newline at end of file\n+USER 1\n\\ No newline at end of file\n"
    );
    assert_eq!(apply(text, &patch.edits), "FROM a\nUSER 1");
}

#[test]
fn edits_that_change_nothing_leave_the_file_or_overlap_are_dropped() {
    let df = dockerfile(TEN);
    assert_eq!(Patch::new(&df, "x".into(), vec![replace(2, &["RUN 2"]), replace(11, &["x"])]), None);
    let patch = Patch::new(&df, "x".into(), vec![replace(2, &["a"]), Edit { line_start: 2, line_end: 3, replacement: vec![] }]).unwrap();
    assert_eq!(patch.edits, vec![replace(2, &["a"])]);
}

#[test]
fn combining_keeps_shared_edits_once_and_leaves_out_overlapping_patches() {
    let df = dockerfile(TEN);
    let a = Patch::new(&df, "Pin the platform.".into(), vec![replace(1, &["FROM --platform=linux/amd64 a"])]).unwrap();
    let b = Patch::new(&df, "Switch the user.".into(), vec![replace(10, &["USER 1000"])]).unwrap();
    let clash = Patch::new(&df, "Another FROM.".into(), vec![replace(1, &["FROM b"])]).unwrap();
    let all = combine(&df, [&a, &b, &a, &clash]).unwrap();
    assert_eq!(all.edits, vec![a.edits[0].clone(), b.edits[0].clone()]);
    assert_eq!(all.description, "Pin the platform. Switch the user. Left out, as it changes the same lines: Another FROM.");
    assert_eq!(combine(&df, []), None);
}

#[test]
fn words_of_one_command_are_rewritten_in_place() {
    let df = dockerfile("FROM a\nRUN pip install --user x && python -m ipykernel install \\\n    --user --name k; echo --user\n");
    let commands = edit::command_arguments(&df, Span::new(2, 3), &["ipykernel", "install"]);
    assert_eq!(commands.len(), 1);
    let user: Vec<(Word, String)> =
        commands[0].iter().filter(|w| w.text == "--user").map(|w| (w.clone(), String::from("--sys-prefix"))).collect();
    let edits = edit::rewrite_words(&df, &user);
    assert_eq!(edits, vec![replace(3, &["    --sys-prefix --name k; echo --user"])]);
    let removed = edit::rewrite_words(&df, &[(commands[0][0].clone(), String::new())]);
    assert_eq!(removed, vec![replace(3, &["    --name k; echo --user"])]);
}

#[test]
fn a_path_is_replaced_only_where_it_is_a_whole_path_or_its_start() {
    let df = dockerfile("FROM a\nCOPY x /home/u/x\nENV PATH=/home/u/venv/bin:/home/u2/bin:$PATH\nRUN cp a /home/u\n");
    let edits = edit::replace_path(&df, 1, 9, "/home/u", "/opt/u");
    assert_eq!(
        edits,
        vec![
            replace(2, &["COPY x /opt/u/x"]),
            replace(3, &["ENV PATH=/opt/u/venv/bin:/home/u2/bin:$PATH"]),
            replace(4, &["RUN cp a /opt/u"])
        ]
    );
}

#[test]
fn the_final_from_gets_the_platform_flag_in_place_of_any_other() {
    let from = |text: &str| {
        let df = dockerfile(text);
        let f = FromFacts { span: Span::line(1), ..Default::default() };
        edit::from_platform(&df, &f, "linux/amd64").map(|e| e.replacement)
    };
    assert_eq!(from("FROM python:3.11 AS app"), Some(vec![String::from("FROM --platform=linux/amd64 python:3.11 AS app")]));
    assert_eq!(from("from --platform=linux/arm64 python"), Some(vec![String::from("from --platform=linux/amd64 python")]));
    assert_eq!(from("FROM --platform $BUILDPLATFORM python"), Some(vec![String::from("FROM --platform=linux/amd64 python")]));
}

#[test]
fn an_entrypoint_is_emptied_in_place_or_after_from_when_inherited() {
    use crate::facts::CommandForm;
    let df = dockerfile("FROM a\nENTRYPOINT [\"tini\"]\nCMD x\n");
    let mut stage = StageFacts { from: FromFacts { span: Span::line(1), ..Default::default() }, ..Default::default() };
    assert_eq!(edit::clear_entrypoint(&df, &stage), Some(replace(1, &["FROM a", "ENTRYPOINT []"])));
    stage.entrypoint = Some((CommandForm::Exec(vec!["tini".into()]), Span::line(2)));
    assert_eq!(edit::clear_entrypoint(&df, &stage), Some(replace(2, &["ENTRYPOINT []"])));
}
