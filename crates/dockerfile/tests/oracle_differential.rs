//! Differential test against BuildKit's real parser, run through `tests/tools/dockerfile_oracle.py`
//! (PyPI `dockerfile==3.4.0`, BuildKit v0.12.5). Set `SMIC_DOCKERFILE_ORACLE_PYTHON` to the python
//! of a venv that has it installed. Without it the test says it was skipped, except under CI
//! (`CI` set), where a missing oracle is a failure.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository's `tests/`: its data and its oracle script.
fn tests_dir() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests")).to_path_buf()
}

fn oracle_script() -> PathBuf {
    tests_dir().join("tools/dockerfile_oracle.py")
}

/// Edge cases of our own, written to a temporary directory so both parsers read the same bytes.
const EXTRA_CASES: &[(&str, &str)] = &[
    ("heredocs", "FROM alpine\nRUN <<EOF\necho hi\nEOF\nRUN <<-'EOT' bash\n\techo $HOME\n\tEOT\nCOPY <<A <<B /dest/\na\nA\nb\nB\nRUN 3<<X cat /dev/fd/3\nbody\nX\nRUN [\"<<EOF\"]\nRUN cat <<EOF > /etc/x.conf\nline\nEOF\n"),
    ("space-before-heredoc-name", "FROM alpine\nRUN << EOF\necho hi\nEOF\n"),
    ("continuations", "FROM alpine\nRUN echo a \\\n  # comment inside\n\n  b \\\\\nRUN echo c\\ \t\nd\nRUN x \\\\\\\n y\n"),
    ("crlf-and-bom", "\u{feff}FROM alpine\r\nRUN echo a \\\r\n b\r\nENV A=1 B=\"two words\"\r\n"),
    ("escape-backtick", "# escape=`\nFROM alpine\nRUN echo a `\n b\nCOPY --chown=1:1 a `\n b\n"),
    ("onbuild-and-flags", "FROM --platform=$BUILDPLATFORM alpine AS build\nONBUILD RUN echo hi\nCOPY --from=build --chmod=0755 --link /a /b\nRUN --mount=type=cache,target=/root/.cache --network=none pip install x\n"),
    ("json-forms", "FROM a\nCMD [\"a\"] trailing\nCMD [1e999]\nENTRYPOINT [ \"x\" , \"y\" ]\nCMD ['single']\nSHELL [\"/bin/bash\", \"-c\"]\n"),
    ("env-label-forms", "FROM a\nENV A B C\nENV A=1 B=2\nLABEL \"k\"=\"v w\" x=y\nARG X Y=1\nENV PATH=/x:$PATH\n"),
    ("directives", "# syntax=docker/dockerfile:1\n# check=skip=all\n# escape=\\\nFROM a\n"),
    ("unknown-instructions", "FROM a\nFOO bar\nrun echo lower\nHEALTHCHECK NONE\nSTOPSIGNAL SIGTERM\n"),
    ("unicode", "FROM a\nLABEL k=\"héllo wörld ☃\"\nRUN echo 안녕\n"),
];

fn oracle_python() -> Option<String> {
    match std::env::var("SMIC_DOCKERFILE_ORACLE_PYTHON") {
        Ok(p) if !p.is_empty() => Some(p),
        _ => {
            if std::env::var_os("CI").is_some() {
                panic!(
                    "CI is set but SMIC_DOCKERFILE_ORACLE_PYTHON is not: the differential test against BuildKit's parser must run in CI"
                );
            }
            None
        }
    }
}

fn files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [
        "data/corpus/sagemaker-samples",
        "data/conformance/buildkit/parser/testfiles",
        "data/conformance/buildkit/parser/testfiles-negative",
    ] {
        for entry in fs::read_dir(tests_dir().join(dir)).unwrap() {
            let path = entry.unwrap().path().join("Dockerfile");
            if path.is_file() {
                files.push(path);
            }
        }
    }
    files.push(tests_dir().join("data/conformance/buildkit/parser/testfile-line/Dockerfile"));
    let tmp = std::env::temp_dir().join(format!("smic-oracle-{}", std::process::id()));
    fs::create_dir_all(&tmp).unwrap();
    for (name, text) in EXTRA_CASES {
        let path = tmp.join(name);
        fs::write(&path, text).unwrap();
        files.push(path);
    }
    files.sort();
    files
}

/// BuildKit v0.12.5's view: `Err(message)` or one JSON record per instruction.
fn oracle(python: &str, file: &Path) -> Result<Vec<serde_json::Value>, String> {
    let out = Command::new(python).arg(oracle_script()).arg(file).output().expect("oracle runs");
    assert!(out.status.success(), "oracle failed on {}: {}", file.display(), String::from_utf8_lossy(&out.stderr));
    let records: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    if let Some(err) = records.iter().find(|r| r["kind"] == "error") {
        return Err(err["message"].as_str().unwrap_or_default().to_string());
    }
    Ok(records.into_iter().filter(|r| r["kind"] == "instruction").collect())
}

fn oracle_dump(python: &str, file: &Path) -> String {
    let out = Command::new(python).arg(oracle_script()).arg("--dump").arg(file).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn parse_agrees_with_buildkits_parser() {
    let Some(python) = oracle_python() else {
        println!("skipped: set SMIC_DOCKERFILE_ORACLE_PYTHON to a python with `dockerfile==3.4.0` to run the differential test");
        return;
    };
    let mut compared = 0;
    let mut failures = Vec::new();
    for file in files() {
        let text = fs::read_to_string(&file).unwrap();
        let ours = smic_dockerfile::parse(&text);
        let theirs = oracle(&python, &file);
        let name = file.display().to_string();
        match (&ours, &theirs) {
            (Err(_), Err(_)) => {
                compared += 1;
                continue;
            }
            (Ok(_), Err(e)) => failures.push(format!("{name}: BuildKit refuses it ({e}) but we parsed it")),
            (Err(e), Ok(_)) => failures.push(format!("{name}: BuildKit parses it but we refused it: {e}")),
            (Ok(ours), Ok(theirs)) => {
                compared += 1;
                if ours.instructions.len() != theirs.len() {
                    failures.push(format!("{name}: {} instructions, BuildKit has {}", ours.instructions.len(), theirs.len()));
                    continue;
                }
                for (mine, record) in ours.instructions.iter().zip(theirs) {
                    let lines = (record["start_line"].as_u64().unwrap() as u32, record["end_line"].as_u64().unwrap() as u32);
                    if (mine.start_line, mine.end_line) != lines {
                        failures.push(format!(
                            "{name}: {:?} spans {:?}, BuildKit says {lines:?}",
                            mine.original,
                            (mine.start_line, mine.end_line)
                        ));
                    }
                    // The binding reports ONBUILD's wrapped instruction's form as ONBUILD's own.
                    let json = mine.json || mine.sub.as_ref().is_some_and(|s| s.json);
                    if json != record["json"].as_bool().unwrap() {
                        failures.push(format!("{name}: {:?} json form differs", mine.original));
                    }
                    let heredocs: Vec<(String, String)> = record["heredocs"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|h| (h["name"].as_str().unwrap().to_string(), h["content"].as_str().unwrap().to_string()))
                        .collect();
                    let mine_heredocs: Vec<(String, String)> = mine.heredocs.iter().map(|h| (h.name.clone(), h.content.clone())).collect();
                    if heredocs != mine_heredocs {
                        failures.push(format!("{name}: {:?} heredocs {mine_heredocs:?}, BuildKit {heredocs:?}", mine.original));
                    }
                }
                // The oracle's C binding cuts strings at NUL (testfiles/json); compare the rest.
                let want = oracle_dump(&python, &file);
                if !text.contains("\\u0000") && ours.dump() != want {
                    failures.push(format!("{name}: dump differs\n--- BuildKit\n{want}--- ours\n{}", ours.dump()));
                }
            }
        }
    }
    println!("compared {compared} Dockerfiles with BuildKit's parser");
    assert!(compared >= 60, "only {compared} files compared");
    assert!(failures.is_empty(), "{} disagreements:\n{}", failures.len(), failures.join("\n"));
}
