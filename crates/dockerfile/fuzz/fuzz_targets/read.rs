//! Any bytes: the reader and the dump never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smic_dockerfile::{dump, read, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let options = ReadOptions { build_args: vec![("A".into(), "1".into())], target: Some("final".into()) };
    let _ = read("Dockerfile", data, &options);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = dump(text);
    }
});
