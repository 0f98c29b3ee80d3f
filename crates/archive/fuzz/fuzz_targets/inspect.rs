//! Any bytes, read as an archive, as a pipe, as a seekable file and through a source that makes
//! the reader wait: the reader must return (facts or errors), never panic, and agree with itself
//! across the kinds of source — exactly, when only the waiting differs, and when gzip members
//! are inflated in parallel chunks (tiny ones, so the fuzzer's small inputs take that path).
#![no_main]

use libfuzzer_sys::fuzz_target;
use smic_archive::testkit::WaitingSource;

use smic_archive::pgzip::GzipChunking;
use smic_archive::{inspect, inspect_parallel, Control, InspectOptions, SliceSource, StreamSource};

fn capture(path: &str) -> Option<u32> {
    (path == "/etc/passwd" || path.ends_with("kernel.json")).then_some(256)
}

fuzz_target!(|data: &[u8]| {
    let options = InspectOptions { image_ref: None, capture: Some(capture), gzip_chunking: None };
    let seekable = inspect(&mut SliceSource::new(data), "fuzz.tar", &options, &mut |_| Control::Continue);
    let piped = inspect(&mut StreamSource::new(data, None), "fuzz.tar", &options, &mut |_| Control::Continue);
    assert_eq!(seekable.facts.is_some(), piped.facts.is_some());
    let waited = inspect(&mut WaitingSource::new(data), "fuzz.tar", &options, &mut |_| Control::Continue);
    assert_eq!(waited.facts, seekable.facts);
    assert_eq!(waited.errors, seekable.errors);
    assert!(seekable.facts.is_some() || seekable.errors.iter().any(|e| e.fatal));
    let open = smic_archive::testkit::opener(data);
    let chunked = InspectOptions { gzip_chunking: Some(GzipChunking { chunk_bytes: 64, min_chunks: 1, layer_readers: 1 }), ..options };
    let mut source = SliceSource::new(data);
    let parallel = inspect_parallel(&mut source, &open, 3, "fuzz.tar", &chunked, &mut |_| Control::Continue);
    assert_eq!(parallel.facts, seekable.facts);
    assert_eq!(parallel.errors, seekable.errors);
});
