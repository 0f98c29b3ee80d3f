use super::*;
use crate::block_on;
use crate::source::{SliceSource, StreamSource};

fn no_progress() -> impl FnMut(Progress) -> Control {
    |_| Control::Continue
}

#[test]
fn long_skips_seek_and_short_skips_read_through() {
    let data: Vec<u8> = (0..1_000_000u32).map(|i| (i % 251) as u8).collect();
    let mut source = SliceSource::new(&data);
    let mut progress = no_progress();
    let mut input = SourceReader::new(&mut source, &mut progress);
    let mut first = [0u8; 10];
    assert_eq!(block_on(read_up_to(&mut input, &mut first)).unwrap(), 10);
    assert_eq!(block_on(input.skip(600_000)).unwrap(), 600_000);
    let mut next = [0u8; 1];
    block_on(read_up_to(&mut input, &mut next)).unwrap();
    assert_eq!(next[0], (600_010 % 251) as u8);
    assert!(input.bytes_skipped > 0);
    assert!(input.bytes_read < 400_000, "read {}", input.bytes_read);
}

#[test]
fn a_peek_gathers_short_reads_without_consuming_them() {
    let data: Vec<u8> = (0..2000u32).map(|i| (i % 251) as u8).collect();
    let mut source = crate::testkit::WaitingSource::new(&data);
    let mut progress = no_progress();
    let mut input = SourceReader::new(&mut source, &mut progress);
    assert_eq!(block_on(input.peek(512)).unwrap(), &data[..512]);
    let mut all = vec![0u8; 2000];
    assert_eq!(block_on(read_up_to(&mut input, &mut all)).unwrap(), 2000);
    assert!(all == data);
    assert_eq!(block_on(input.peek(512)).unwrap(), &[] as &[u8], "nothing left");
}

#[test]
fn a_pipe_skips_by_reading() {
    let data = vec![7u8; 300_000];
    let mut source = StreamSource::new(&data[..], None);
    let mut progress = no_progress();
    let mut input = SourceReader::new(&mut source, &mut progress);
    assert_eq!(block_on(input.skip(299_999)).unwrap(), 299_999);
    assert_eq!(input.bytes_skipped, 0);
    assert_eq!(block_on(input.fill()).unwrap(), &[7]);
    input.consume(1);
    assert_eq!(block_on(input.skip(10)).unwrap(), 0);
}

#[test]
fn a_window_past_the_end_of_its_source_is_truncated() {
    let data = vec![1u8; 100];
    let mut source = SliceSource::new(&data);
    let mut progress = no_progress();
    let mut input = SourceReader::new(&mut source, &mut progress);
    let mut remaining = 200u64;
    let mut window = Window::new(&mut input, &mut remaining);
    let mut buf = vec![0u8; 200];
    assert_eq!(block_on(read_up_to(&mut window, &mut buf)), Err(ReadError::SourceEnded));
}

#[test]
fn the_callback_can_cancel() {
    let data = vec![0u8; 10_000_000];
    let mut source = StreamSource::new(&data[..], Some(10_000_000));
    let mut calls = 0;
    let mut progress = |_p: Progress| {
        calls += 1;
        if calls > 1 {
            Control::Cancel
        } else {
            Control::Continue
        }
    };
    let mut input = SourceReader::new(&mut source, &mut progress);
    assert_eq!(block_on(input.skip(9_000_000)), Err(ReadError::Cancelled));
}
