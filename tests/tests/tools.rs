//! The repository's own generators in `tests/tools/` make what the browser tests and the
//! benchmarks count on: the sparse archive is huge on paper, small on disk, and a readable image;
//! the realistic image's builder writes every archive format of one and the same image.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use smic_tests::*;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("smic-tools-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn python(script: &str, args: &[&str]) -> String {
    let out = Command::new("python3").arg(repo().join("tests/tools").join(script)).args(args).output().expect("python3 runs");
    assert!(out.status.success(), "{script} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    stdout(&out)
}

fn report(archive: &Path) -> Value {
    let out = run_cli(&repo(), &["check", &archive.display().to_string(), "--format", "json"]);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{}: {e}: {}", archive.display(), stdout(&out)))
}

fn error_rules(report: &Value) -> Vec<&str> {
    report["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == "error").map(|f| f["rule"].as_str().unwrap()).collect()
}

#[test]
fn sparse_archive_is_gigabytes_long_holds_little_and_reads_as_an_image() {
    let dir = scratch("sparse");
    let archive = dir.join("sparse.tar");
    let path = archive.display().to_string();
    let summary: Value = serde_json::from_str(&python(
        "gen_sparse_archive.py",
        &[&path, "--layout", "docker25", "--layers", "2", "--files", "2000", "--big-files", "2", "--big-size", "1G"],
    ))
    .unwrap();
    let length = std::fs::metadata(&archive).unwrap().len();
    assert_eq!(summary["apparent_bytes"].as_u64(), Some(length));
    assert!(length > 2 << 30, "{length} bytes");
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let on_disk = std::fs::metadata(&archive).unwrap().blocks() * 512;
        assert!(on_disk < 64 << 20, "{on_disk} bytes on disk: the zeros were written, not skipped");
    }
    let r = report(&archive);
    assert!(r["input_errors"].as_array().unwrap().is_empty(), "{r}");
    assert_eq!(r["inputs"]["image"]["reference"], "sparse-test:latest");
    assert_eq!(r["image"]["user_name"], "sagemaker-user");
    assert_eq!((r["image"]["uid"].as_u64(), r["image"]["gid"].as_u64()), (Some(1000), Some(100)));
    assert_eq!(r["image"]["layers"].as_array().unwrap().len(), 3);
    assert!(r["image"]["file_count"].as_u64().unwrap() > 2000);
    // The one thing to find: a file under the reserved /opt/ml.
    assert_eq!(error_rules(&r), ["FS001"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn real_image_builder_writes_one_image_in_every_format() {
    let dir = scratch("real");
    python("build_real_image.py", &[&dir.display().to_string(), "tiny"]);
    let out = dir.join("out");
    let mut names: Vec<String> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    for needed in [
        "sagemaker-real-tiny.docker.tar",
        "sagemaker-real-tiny.docker.tar.gz",
        "sagemaker-real-tiny.oci.tar",
        "sagemaker-real-tiny.containerd.tar",
    ] {
        assert!(names.iter().any(|n| n == needed), "{needed} missing from {names:?}");
    }
    let containerd = report(&out.join("sagemaker-real-tiny.containerd.tar"));
    assert_eq!(containerd["inputs"]["image"]["layout"], "containerd", "the ctr export layout is recognised as such");
    let mut first: Option<Value> = None;
    for name in &names {
        let r = report(&out.join(name));
        assert!(r["input_errors"].as_array().unwrap().is_empty(), "{name}: {r}");
        let image = &r["image"];
        assert_eq!(image["user"], "1000:100", "{name}");
        assert_eq!(image["user_name"], "sagemaker-user", "{name}");
        assert_eq!(image["layers"].as_array().unwrap().len(), 2, "{name}");
        let kernels: Vec<&str> = image["kernels"].as_array().unwrap().iter().map(|k| k["name"].as_str().unwrap()).collect();
        assert_eq!(kernels, ["python3"], "{name}");
        // The second layer's whiteout took /usr/share/doc/gone-later away: 7 files remain.
        assert_eq!(image["file_count"], 7, "{name}");
        let findings: Vec<&Value> = r["findings"].as_array().unwrap().iter().collect();
        match &first {
            None => first = Some(serde_json::json!(findings)),
            Some(seen) => assert_eq!(&serde_json::json!(findings), seen, "{name} reads differently"),
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
