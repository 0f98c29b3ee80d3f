//! BuildKit's own parser and shell-lexer test data, copied into `tests/data/conformance/buildkit/`
//! (see its README for the formats). Every case must agree with BuildKit.

use std::fs;
use std::path::{Path, PathBuf};

use smic_dockerfile::shell::{Env, Lexer, Lookup};

fn root() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/conformance/buildkit")).to_path_buf()
}

fn cases(dir: &str) -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(root().join(dir)).expect("conformance data is present").map(|e| e.unwrap().path()).collect();
    cases.sort();
    cases
}

#[test]
fn every_parser_testfile_dumps_exactly_its_result() {
    let cases = cases("parser/testfiles");
    assert_eq!(cases.len(), 33, "the README promises 33 cases");
    let mut failures = Vec::new();
    for case in &cases {
        let text = fs::read_to_string(case.join("Dockerfile")).unwrap();
        let want = fs::read_to_string(case.join("result")).unwrap();
        match smic_dockerfile::dump(&text) {
            Ok(got) if got == want => {}
            Ok(got) => failures.push(format!("{}:\n--- want\n{want}--- got\n{got}", case.display())),
            Err(e) => failures.push(format!("{}: parse error {e}", case.display())),
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn every_negative_testfile_fails_to_parse() {
    let cases = cases("parser/testfiles-negative");
    assert_eq!(cases.len(), 4);
    for case in &cases {
        let text = fs::read_to_string(case.join("Dockerfile")).unwrap();
        assert!(smic_dockerfile::parse(&text).is_err(), "{} parsed without error", case.display());
    }
}

#[test]
fn instruction_line_ranges_match_the_line_test() {
    let text = fs::read_to_string(root().join("parser/testfile-line/Dockerfile")).unwrap();
    let file = smic_dockerfile::parse(&text).unwrap();
    let spans: Vec<(u32, u32)> = file.instructions.iter().map(|i| (i.start_line, i.end_line)).collect();
    assert_eq!(spans, vec![(5, 5), (11, 12), (17, 31)]);
}

struct Fixed(Vec<(String, String)>);

impl Env for Fixed {
    fn lookup(&self, name: &str) -> Lookup<'_> {
        self.0.iter().find(|(k, _)| k == name).map_or(Lookup::Unset, |(_, v)| Lookup::Value(v))
    }
}

#[test]
fn every_unix_env_var_test_expands_like_buildkit() {
    let text = fs::read_to_string(root().join("shell/envVarTest")).unwrap();
    let env = Fixed(vec![
        ("PWD".into(), "/home".into()),
        ("SHELL".into(), "bash".into()),
        ("KOREAN".into(), "한국어".into()),
        ("NULL".into(), String::new()),
    ]);
    let lexer = Lexer::new('\\');
    let (mut ran, mut failures) = (0, Vec::new());
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.trim().split('|').map(str::trim).collect();
        assert_eq!(fields.len(), 3, "malformed line {line:?}");
        if fields[0] == "W" {
            continue;
        }
        ran += 1;
        let got = lexer.process(fields[1], &env);
        let ok = match (fields[2], &got) {
            ("error", Err(_)) => true,
            ("error", Ok(_)) => false,
            (want, Ok(got)) => got.word == want,
            (_, Err(_)) => false,
        };
        if !ok {
            failures.push(format!("{:?} → {got:?}, want {:?}", fields[1], fields[2]));
        }
    }
    assert_eq!(ran, 228, "226 A + 2 U cases");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_words_test_splits_like_buildkit() {
    let text = fs::read_to_string(root().join("shell/wordsTest")).unwrap();
    let mut env: Vec<(String, String)> = Vec::new();
    let lexer = Lexer::new('\\');
    let (mut ran, mut failures) = (0, Vec::new());
    for line in text.lines() {
        if line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("ENV ") {
            let (k, v) = rest.trim_start().split_once('=').unwrap();
            env.push((k.into(), v.into()));
            continue;
        }
        let (input, want) = line.split_once('|').unwrap();
        let want = want.trim_start();
        ran += 1;
        let got = lexer.process(input.trim(), &env);
        let ok = match (want, &got) {
            ("error", r) => r.is_err(),
            (want, Ok(got)) => got.words == want.split(',').collect::<Vec<_>>(),
            _ => false,
        };
        if !ok {
            failures.push(format!("{input:?} → {got:?}, want {want:?}"));
        }
    }
    assert_eq!(ran, 24);
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
