//! Any bytes, read as an AppImageConfig and checked and rendered in every format, and read as the
//! small text files captured from an image (`/etc/passwd`, `/etc/group`, `os-release`): nothing
//! panics, and a document that parses yields a report that says which file it came from.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smic_rules::{app_image_config, check, parse, render, Facts, Options};

fuzz_target!(|data: &[u8]| {
    match app_image_config::parse("fuzz.json", data) {
        Ok(config) => {
            assert_eq!(config.file_name, "fuzz.json");
            let facts = Facts { image: None, dockerfile: None, app_image_config: Some(config) };
            let report = check(&facts, Vec::new(), &Options::default());
            assert!(!report.has_fatal_input_error());
            let _ = report.to_json();
            let _ = render::text::render(&report, true);
            let _ = render::sarif::render(&report);
            let _ = render::markdown::render(&report);
        }
        Err(error) => assert!(error.fatal && error.file == "fuzz.json" && !error.message.is_empty()),
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parse::passwd(text);
        let _ = parse::group(text);
        let _ = parse::os_release_name(text);
        let _ = parse::referenced_variables(text);
        let _ = parse::assigned_variables(text);
    }
});
