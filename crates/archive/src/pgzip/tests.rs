use super::plan::{plan, resolve, slide};
use super::*;

/// Inflates raw deflate data chunk by chunk as the consumer would: `None` when a chunk failed
/// or did not join the one before.
pub(crate) fn inflate_in_chunks(deflated: &[u8], chunk_bytes: u64) -> Option<(Vec<u8>, usize)> {
    let jobs = plan(0, deflated.len() as u64, GzipChunking { chunk_bytes, min_chunks: 1 });
    let (mut out, mut window, mut position) = (Vec::new(), Vec::new(), 0u64);
    let mut used = 0;
    for job in &jobs {
        let bytes = &deflated[job.range.start as usize..job.range.end as usize];
        let chunk = match decode_chunk(job, bytes).0 {
            Outcome::Decoded(chunk) => chunk,
            Outcome::Failed(why) => {
                eprintln!("chunk {used} {job:?}: {why}");
                return None;
            }
        };
        if chunk.start_bit != position {
            eprintln!("chunk {used} starts at {} not {position}", chunk.start_bit);
            return None;
        }
        let mut piece = Vec::new();
        if !resolve(&chunk.marked, &window, &mut piece) {
            return None;
        }
        piece.extend_from_slice(&chunk.plain);
        slide(&mut window, &piece);
        out.extend_from_slice(&piece);
        position = chunk.end_bit;
        used += 1;
        if chunk.member_end {
            return Some((out, used));
        }
    }
    None
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

#[test]
fn chunks_inflate_to_what_a_sequential_inflate_gives() {
    let mut mixed = text(50_000);
    mixed.extend(noise(300_000, 7));
    mixed.extend(vec![b'a'; 500_000]);
    mixed.extend(text(30_000));
    for (name, data) in [("text", text(200_000)), ("mixed", mixed)] {
        for level in [1, 6, 9] {
            let deflated = miniz_oxide::deflate::compress_to_vec(&data, level);
            for chunk_bytes in [100_000, 1 << 20] {
                let (out, chunks) = inflate_in_chunks(&deflated, chunk_bytes).unwrap_or_else(|| panic!("{name} -{level} {chunk_bytes}"));
                assert!(out == data, "{name} -{level} {chunk_bytes}");
                eprintln!("{name} -{level} {chunk_bytes}: {} bytes, {chunks} chunks", deflated.len());
            }
        }
    }
}
