//! The repository stands alone: a clone with nothing beside it builds and passes its tests. No
//! tracked file may point at the reference folder that sits beside the developers' checkouts,
//! nor may a test or bench climb out of the repository from its crate's directory. (`.ci/run`
//! proves the rest by running the suite from a fresh clone in an empty directory.)

use std::path::Path;
use std::process::Command;

use smic_tests::repo;

/// This file names what it forbids.
const ITSELF: &str = "tests/tests/standalone.rs";

/// Ways of reaching the reference folder: relative to the checkout, and by its sub-folders'
/// names (which name nothing inside this repository).
const FORBIDDEN: &[&str] = &[
    "../shared",
    "shared/tools/",
    "shared/fixtures/",
    "shared/corpus/",
    "shared/conformance/",
    "shared/research/",
    "shared/spec/",
    "shared/hooks/",
];

fn tracked_files() -> Vec<String> {
    let out = Command::new("git").args(["ls-files", "-z"]).current_dir(repo()).output().expect("git runs");
    assert!(out.status.success(), "git ls-files: {}", String::from_utf8_lossy(&out.stderr));
    let files: Vec<String> =
        out.stdout.split(|b| *b == 0).filter(|p| !p.is_empty()).map(|p| String::from_utf8_lossy(p).into_owned()).collect();
    assert!(files.len() > 100, "git ls-files listed only {} files", files.len());
    files
}

/// How many directories below the repository root the nearest `Cargo.toml` above `file` is.
fn crate_depth(file: &str) -> usize {
    let mut dir = Path::new(file).parent();
    while let Some(d) = dir {
        if repo().join(d).join("Cargo.toml").is_file() {
            return d.components().count();
        }
        dir = d.parent();
    }
    0
}

/// `concat!(env!("CARGO_MANIFEST_DIR"), "/../..")` paths that climb above the repository root.
fn escapes_from_manifest_dir(file: &str, text: &str) -> Vec<String> {
    let depth = crate_depth(file);
    let mut found = Vec::new();
    for (at, _) in text.match_indices("env!(\"CARGO_MANIFEST_DIR\")") {
        let rest = &text[at..];
        let Some(open) = rest.find(", \"").filter(|i| *i < 40) else { continue };
        let literal: String = rest[open + 3..].chars().take_while(|c| *c != '"').collect();
        let ups = literal.split('/').take_while(|part| part.is_empty() || *part == "..").filter(|part| *part == "..").count();
        if ups > depth {
            found.push(format!("{file}: CARGO_MANIFEST_DIR + {literal:?} leaves the repository"));
        }
    }
    found
}

#[test]
fn no_tracked_file_reads_anything_outside_the_repository() {
    let mut problems = Vec::new();
    for file in tracked_files() {
        if file == ITSELF {
            continue;
        }
        let Ok(bytes) = std::fs::read(repo().join(&file)) else {
            continue; // deleted in the working tree but not yet in the index
        };
        let text = String::from_utf8_lossy(&bytes);
        for (number, line) in text.lines().enumerate() {
            if let Some(pattern) = FORBIDDEN.iter().find(|p| line.contains(*p)) {
                problems.push(format!("{file}:{}: refers to {pattern:?}: {}", number + 1, line.trim()));
            }
        }
        if file.ends_with(".rs") {
            problems.extend(escapes_from_manifest_dir(&file, &text));
        }
    }
    assert!(problems.is_empty(), "the repository must stand alone:\n{}", problems.join("\n"));
}

#[test]
fn the_data_the_tests_read_is_tracked() {
    let files = tracked_files();
    for needed in [
        "tests/data/README.md",
        "tests/data/archives/real/dive-test-docker-image.tar",
        "tests/data/corpus/sagemaker-samples/README.md",
        "tests/data/conformance/buildkit/shell/envVarTest",
        "tests/data/spec/custom-image-spec.md",
        "tests/tools/gen_sparse_archive.py",
        "tests/tools/build_real_image.py",
        "tests/tools/dockerfile_oracle.py",
    ] {
        assert!(files.iter().any(|f| f == needed), "{needed} is not tracked");
    }
}
