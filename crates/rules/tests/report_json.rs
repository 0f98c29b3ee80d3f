//! The report reads back from its JSON (the page deserialises what its worker sent): a report
//! with every kind of location survives the round trip, and writing it again gives the same bytes.

use smic_rules::facts::{PathWrite, WriteVia};
use smic_rules::testkit::*;
use smic_rules::Report;

#[test]
fn a_report_reads_back_from_its_json_unchanged() {
    let image = ImageBuilder::good()
        .architecture("arm64")
        .user("")
        .file("/opt/ml/code/train.py", 100)
        .next_layer("RUN pip install")
        .file("/root/.cache/pip/x", 300_000_000)
        .layer_size(26_000_000_000)
        .build();
    let dockerfile = DockerfileBuilder::from("python:3.11")
        .with("COPY train.py /opt/ml/code/", |s, span| {
            s.writes.push(PathWrite { path: "/opt/ml/code/train.py".into(), via: WriteVia::Copy, span })
        })
        .build();
    let report = run(&facts(Some(image), Some(dockerfile), Some(app_image_config_with_kernel("Python3"))));
    assert!(report.findings.len() > 5, "a report with little in it proves little");
    let json = report.to_json();
    let read: Report = serde_json::from_str(&json).unwrap_or_else(|e| panic!("the report's JSON does not read back: {e}"));
    assert_eq!(read, report);
    assert_eq!(read.to_json(), json);
}
