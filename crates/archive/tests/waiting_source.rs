//! A source that makes the reader wait (as the page's worker does while the browser fetches a
//! slice of the dropped `File`) and delivers short reads must give the same result as reading
//! the bytes at once: the reader resumes exactly where it was suspended.

mod common;

use common::{fixture, options};
use smic_archive::testkit::WaitingSource;
use smic_archive::{inspect, Control, Inspection, SliceSource};

fn outcome(i: &Inspection) -> String {
    format!("{:?}\n{:?}\n{:?}", i.facts, i.errors, i.images)
}

#[test]
fn every_real_archive_reads_the_same_when_the_source_makes_the_reader_wait() {
    let dir = fixture("");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tar"))
        .collect();
    names.sort();
    assert!(names.len() >= 8, "the real fixtures: {names:?}");
    for name in names {
        let bytes = std::fs::read(fixture(&name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let at_once = inspect(&mut SliceSource::new(&bytes), &name, &options(), &mut |_| Control::Continue);
        // Cut short too: the truncation is found at the same place.
        for cut in [bytes.len(), bytes.len() * 2 / 3] {
            let reference = if cut == bytes.len() {
                at_once.clone()
            } else {
                inspect(&mut SliceSource::new(&bytes[..cut]), &name, &options(), &mut |_| Control::Continue)
            };
            let mut waiting = WaitingSource::new(&bytes[..cut]);
            let waited = inspect(&mut waiting, &name, &options(), &mut |_| Control::Continue);
            assert_eq!(outcome(&waited), outcome(&reference), "{name} cut at {cut}");
            assert!(waiting.polls > 2, "{name}: the reader was made to wait");
        }
        assert!(at_once.facts.is_some() || !at_once.errors.is_empty(), "{name}");
    }
}
