//! Helpers for the workspace-level tests: where the repository, its test data and the built CLI
//! are, and how to run the CLI.

pub mod external;
pub mod schema;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `tests/data/`: the real archives, the sample corpus and BuildKit's conformance data.
pub fn data() -> PathBuf {
    repo().join("tests/data")
}

/// The real archives written by docker, containerd, podman/skopeo, kaniko and jib.
pub fn real_archives() -> PathBuf {
    data().join("archives/real")
}

/// Every archive in [`real_archives`] (its notes left out), by file name, in name order.
pub fn real_archive_files() -> Vec<(String, PathBuf)> {
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(real_archives())
        .expect("the real archives")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| !path.is_dir())
        .map(|path| (path.file_name().unwrap_or_default().to_string_lossy().into_owned(), path))
        .filter(|(name, _)| !name.ends_with(".md") && !name.ends_with(".json"))
        .collect();
    files.sort();
    files
}

pub fn corpus() -> PathBuf {
    data().join("corpus/sagemaker-samples")
}

/// The `sm-image-check` binary, built by cargo for this test run (debug or release alike). Cargo
/// builds a binary only for its own package's tests, so it is (re)built here once per process:
/// a stale binary from an earlier build would test old code.
pub fn cli_path() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let exe = std::env::current_exe().expect("test executable path");
            // target/<profile>/deps/<test> → target/<profile>/sm-image-check
            let dir = exe.parent().and_then(|p| p.parent()).expect("target dir");
            let release = dir.file_name().is_some_and(|n| n == "release");
            let mut build = Command::new(env!("CARGO"));
            build.args(["build", "-q", "-p", "sm-image-check"]).current_dir(repo());
            if release {
                build.arg("--release");
            }
            assert!(build.status().expect("cargo build").success(), "building sm-image-check failed");
            dir.join(format!("sm-image-check{}", std::env::consts::EXE_SUFFIX))
        })
        .clone()
}

/// Runs the CLI with `args` in `dir`. A JSON report it prints is validated against the report's
/// schema on the way (see [`schema`]).
pub fn run_cli(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(cli_path()).args(args).current_dir(dir).env("NO_COLOR", "1").output().expect("run sm-image-check");
    schema::check_if_report(&String::from_utf8_lossy(&out.stdout));
    out
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
