//! Helpers for the workspace-level tests: where the repository, the shared reference material and
//! the built CLI are, and how to run the CLI.

pub mod external;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `../shared` beside the checkout (reference material, read in place).
pub fn shared() -> PathBuf {
    repo().join("../shared")
}

pub fn corpus() -> PathBuf {
    shared().join("corpus/sagemaker-samples")
}

/// The `sm-image-check` binary, built by cargo for this test run (debug or release alike).
pub fn cli_path() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    // target/<profile>/deps/<test> → target/<profile>/sm-image-check
    let dir = exe.parent().and_then(|p| p.parent()).expect("target dir");
    let bin = dir.join(format!("sm-image-check{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "-q", "-p", "sm-image-check"])
            .current_dir(repo())
            .status()
            .expect("cargo build");
        assert!(status.success(), "building sm-image-check failed");
    }
    bin
}

/// Runs the CLI with `args` in `dir`.
pub fn run_cli(dir: &Path, args: &[&str]) -> Output {
    Command::new(cli_path()).args(args).current_dir(dir).env("NO_COLOR", "1").output().expect("run sm-image-check")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
