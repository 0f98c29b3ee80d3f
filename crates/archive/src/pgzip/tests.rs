use std::sync::atomic::AtomicBool;

use super::consumer::{Parallel, ParallelGzip};
use super::*;
use crate::decompress::decompress_all;
use crate::source::SliceSource;
use crate::stream::{read_into, ReadError, SourceReader};
use crate::{block_on, Control};

/// Runs each chunk at once on the test's bytes, its job and result passed through their byte
/// forms as between Web Workers, into buffers used before (the consumer gives them back).
struct Inline<'a>(&'a [u8], Buffers);

impl ChunkRunner for Inline<'_> {
    fn submit(&self, job: ChunkJob) -> PendingChunk<'_> {
        let job = ChunkJob::from_bytes(&job.to_bytes());
        let result = match job {
            Some(job) => {
                let bytes = self.0.get(job.range.start as usize..job.range.end as usize).unwrap_or(&[]);
                ChunkResult::from_bytes(&decode_chunk_with(&job, bytes, &self.1).to_bytes())
            }
            None => ChunkResult::failed("bad job"),
        };
        Box::pin(async move { result })
    }

    fn buffers(&self) -> Option<&Buffers> {
        Some(&self.1)
    }
}

/// The gzip file inflated by the parallel consumer: the bytes, the error, and whether the
/// parallel reading gave up (the caller would then read sequentially).
fn parallel(gz: &[u8], chunk_bytes: u64) -> (Vec<u8>, Option<ReadError>, bool) {
    let failed = AtomicBool::new(false);
    let runner = Inline(gz, Buffers::default());
    let config =
        Parallel { runner: &runner, chunking: GzipChunking { chunk_bytes, min_chunks: 1, layer_readers: 1 }, ahead: 3, failed: &failed };
    let mut source = SliceSource::new(gz);
    let mut progress = |_| Control::Continue;
    let mut input = SourceReader::new(&mut source, &mut progress);
    let mut stream = ParallelGzip::new(&mut input, config, 0, gz.len() as u64);
    let mut out = Vec::new();
    let error = block_on(read_into(&mut stream, &mut out, u64::MAX)).err();
    drop(stream);
    (out, error, failed.load(std::sync::atomic::Ordering::Relaxed))
}

fn member(data: &[u8], deflated: &[u8]) -> Vec<u8> {
    crate::testkit::gzip_member("layer.tar", deflated, data)
}

fn deflate(data: &[u8], level: u8, fixed: bool) -> Vec<u8> {
    use miniz_oxide::deflate::core::{compress_to_output, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush};
    let strategy = if fixed { 4 } else { 0 };
    let mut compressor = CompressorOxide::new(create_comp_flags_from_zip_params(level.into(), -15, strategy));
    let mut out = Vec::new();
    let _ = compress_to_output(&mut compressor, data, TDEFLFlush::Finish, |bytes| {
        out.extend_from_slice(bytes);
        true
    });
    out
}

fn text(n: u32) -> Vec<u8> {
    (0..n)
        .flat_map(|i| format!("line {i} of a layer, file /opt/conda/lib/python3.11/site-packages/x{}.py\n", i % 977).into_bytes())
        .collect()
}

fn noise(n: usize, mut state: u64) -> Vec<u8> {
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

fn mixed() -> Vec<u8> {
    let mut data = text(20_000);
    data.extend(noise(100_000, 7));
    data.extend(vec![b'a'; 200_000]);
    // Far repeats: references reach across many chunk boundaries.
    let again = data[10_000..40_000].to_vec();
    for _ in 0..10 {
        data.extend_from_slice(&again);
        data.extend(noise(3_000, 9));
    }
    data.extend(text(10_000));
    data
}

#[test]
fn chunks_inflate_to_what_a_sequential_inflate_gives() {
    for (name, data) in [("text", text(40_000)), ("mixed", mixed())] {
        for (level, fixed) in [(1, false), (6, false), (9, false), (6, true)] {
            let gz = member(&data, &deflate(&data, level, fixed));
            for chunk_bytes in [4 * 1024, 50_000, 1 << 20] {
                let (out, error, failed) = parallel(&gz, chunk_bytes);
                let case = format!("{name} -{level} fixed {fixed} chunks of {chunk_bytes}");
                assert_eq!(error, None, "{case}");
                assert!(!failed, "{case}");
                assert!(out == data, "{case}");
            }
        }
    }
}

#[test]
fn more_members_and_padding_are_read_as_gzip_reads_them() {
    let (a, b) = (text(40_000), mixed());
    let mut gz = member(&a, &deflate(&a, 6, false));
    gz.extend(member(&b, &deflate(&b, 6, false)));
    gz.extend([0u8; 1000]);
    let (out, error, failed) = parallel(&gz, 8 * 1024);
    assert_eq!((error, failed), (None, false));
    assert!(out == [a, b].concat());
}

/// Corrupt or cut data: either the parallel reading gives exactly what a sequential one gives
/// (bytes and error), or it gives up and says so.
#[test]
fn corrupt_and_truncated_members_read_as_sequentially_or_give_up() {
    let data = mixed();
    let clean = member(&data, &deflate(&data, 6, false));
    let mut gave_up = 0;
    let mut cases = Vec::new();
    for step in 1..25 {
        let at = clean.len() * step / 25;
        for fill in [0x00u8, 0xff, 0x5a] {
            let mut gz = clean.clone();
            gz[at] ^= fill ^ 0x33;
            cases.push(gz);
        }
        cases.push(clean[..at].to_vec());
    }
    for gz in cases {
        let (sequential, seq_error) = decompress_all(&mut SliceSource::new(&gz));
        let (out, error, failed) = parallel(&gz, 16 * 1024);
        if failed {
            gave_up += 1;
            assert!(seq_error.is_some() || sequential == data);
            continue;
        }
        assert_eq!(error, seq_error);
        assert!(out == sequential);
    }
    assert!(gave_up > 0);
}

#[test]
fn a_chunk_holds_no_more_than_its_bound_of_inflated_bytes() {
    // 8 MiB of zeros deflate to a few KiB: a chunk of them would hold a thousand times its bytes.
    let zeros = vec![0u8; 8 << 20];
    let gz = member(&zeros, &deflate(&zeros, 6, false));
    // The header: 10 bytes and the file name "layer.tar" with its NUL.
    let job =
        |max_output| ChunkJob { range: 0..gz.len() as u64, start_bit: Some(20 * 8), next_start: None, search_bytes: 1 << 20, max_output };
    assert!(matches!(decode_chunk(&job(1 << 20), &gz).0, Outcome::Failed(_)), "past its bound the chunk fails");
    match decode_chunk(&job(16 << 20), &gz).0 {
        Outcome::Decoded(chunk) => assert_eq!(chunk.marked.len() + chunk.plain().len(), zeros.len()),
        Outcome::Failed(why) => panic!("within its bound the chunk inflates: {why}"),
    }
}

#[test]
fn chunks_inflated_into_reused_memory_equal_chunks_inflated_into_fresh_memory() {
    let data = [text(150_000), mixed()].concat();
    let gz = member(&data, &deflate(&data, 6, false));
    let buffers = Buffers::default();
    // Speculative chunks of 150 kB from the middle, and the member's last chunk (to its end).
    let jobs: Vec<ChunkJob> = (1..6u64)
        .map(|j| ChunkJob {
            range: j * 150_000..(j * 150_000 + 2 * 150_000).min(gz.len() as u64),
            start_bit: None,
            next_start: Some(150_000),
            search_bytes: 150_000,
            max_output: 1 << 26,
        })
        .chain([ChunkJob { range: 20..gz.len() as u64, start_bit: Some(0), next_start: None, search_bytes: 0, max_output: 1 << 26 }])
        .collect();
    let mut decoded = 0;
    for round in 0..3 {
        for job in &jobs {
            let bytes = &gz[job.range.start as usize..job.range.end as usize];
            let reused = decode_chunk_with(job, bytes, &buffers);
            assert_eq!(reused, decode_chunk(job, bytes), "round {round}, {job:?}");
            if let Outcome::Decoded(chunk) = &reused.0 {
                assert_eq!(chunk.plain_crc, crc32fast::hash(chunk.plain()));
                decoded += 1;
            }
            // What the page's workers do once a result is sent: its memory back to the pool,
            // written over by the next chunk.
            reused.recycle(&buffers);
        }
    }
    assert!(decoded >= 3 * 4, "most chunks find a start: {decoded}");
    let last = decode_chunk(&jobs[5], &gz[20..]);
    match last.0 {
        Outcome::Decoded(chunk) => assert!(chunk.member_end && chunk.plain().ends_with(&data[data.len() - 1000..])),
        Outcome::Failed(why) => panic!("the last chunk inflates: {why}"),
    }
}
