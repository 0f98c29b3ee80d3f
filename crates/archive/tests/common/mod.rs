//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod builder;

use smic_archive::{
    inspect, inspect_parallel, open_file, Control, InspectOptions, Inspection, Progress, SeekableSource, SliceSource, StreamSource,
};

/// The real archives, stored in the repository (tests/data/archives/real/).
pub fn fixture(name: &str) -> String {
    format!("{}/../../tests/data/archives/real/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The names of the real archives (every `*.tar*` fixture), sorted.
pub fn real_archives() -> Vec<String> {
    let dir = std::path::PathBuf::from(fixture(""));
    let mut names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()?.file_name().into_string().ok()).filter(|n| n.contains(".tar")).collect();
    names.sort();
    assert!(names.len() >= 10, "{names:?}");
    names
}

/// What the tests want kept: the files today's rules read plus `/etc/motd` to see overrides.
pub fn capture(path: &str) -> Option<u32> {
    let wanted = path == "/etc/passwd"
        || path == "/etc/group"
        || path == "/etc/motd"
        || smic_rules::capture::glob_matches("/**/share/jupyter/kernels/*/kernel.json", path);
    wanted.then_some(4096).or_else(|| smic_rules::capture::wanted(path))
}

pub fn options() -> InspectOptions {
    InspectOptions { image_ref: None, capture: Some(capture), gzip_chunking: None }
}

pub fn inspect_file(path: &str, options: &InspectOptions) -> Inspection {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut source = SeekableSource::new(file).unwrap();
    inspect(&mut source, path, options, &mut |_| Control::Continue)
}

pub fn inspect_fixture(name: &str) -> Inspection {
    inspect_file(&fixture(name), &options())
}

pub fn inspect_bytes(bytes: &[u8], options: &InspectOptions) -> Inspection {
    inspect(&mut SliceSource::new(bytes), "test.tar", options, &mut |_| Control::Continue)
}

/// Through a source that makes the reader wait and gives short reads (as a browser might).
pub fn inspect_waiting(bytes: &[u8], options: &InspectOptions) -> Inspection {
    inspect(&mut smic_archive::testkit::WaitingSource::new(bytes), "test.tar", options, &mut |_| Control::Continue)
}

/// As a pipe: no seeking, no known size.
pub fn inspect_stream(bytes: &[u8], options: &InspectOptions) -> Inspection {
    inspect(&mut StreamSource::new(bytes, None), "test.tar", options, &mut |_| Control::Continue)
}

/// With the compressed layers read on `jobs` threads, each through its own source.
pub fn inspect_parallel_bytes(bytes: &[u8], options: &InspectOptions, jobs: usize) -> Inspection {
    inspect_parallel_with(bytes, options, jobs, &mut |_| Control::Continue)
}

pub fn inspect_parallel_with(
    bytes: &[u8],
    options: &InspectOptions,
    jobs: usize,
    progress: &mut dyn FnMut(Progress) -> Control,
) -> Inspection {
    let open = smic_archive::testkit::opener(bytes);
    inspect_parallel(&mut SliceSource::new(bytes), &open, jobs, "test.tar", options, progress)
}

pub fn inspect_parallel_file(path: &str, options: &InspectOptions, jobs: usize) -> Inspection {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut source = SeekableSource::new(file).unwrap();
    let open = open_file(std::path::Path::new(path));
    inspect_parallel(&mut source, &open, jobs, path, options, &mut |_| Control::Continue)
}

pub fn text(inspection: &Inspection, path: &str) -> Option<String> {
    let facts = inspection.facts.as_ref()?;
    facts.captured(path).map(|c| c.text().to_string())
}

pub fn messages(inspection: &Inspection) -> Vec<String> {
    inspection.errors.iter().map(|e| format!("{} | {}", e.at.as_deref().unwrap_or("-"), e.message)).collect()
}
