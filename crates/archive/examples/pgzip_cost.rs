//! What inflating one gzip member in parallel chunks costs in CPU, against `zlib-rs` inflating
//! it in one pass: `cargo run --release -p smic-archive --example pgzip_cost -- FILE.gz [CHUNK_BYTES]`.
//! Each chunk is decoded one after the other on this thread, so the sum is the work the
//! threads share.

use std::time::Instant;

use smic_archive::pgzip::{decode_chunk, ChunkJob};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let data = std::fs::read(args.get(1).ok_or("a gzip file, please")?)?;
    let size: u64 = args.get(2).map_or(Ok(16 << 20), |s| s.parse())?;
    // A member as gzip writes it without a name: a 10-byte header.
    let (start, end) = (10u64, data.len() as u64);
    let count = (end - start).div_ceil(size);
    let clock = Instant::now();
    let mut out = 0usize;
    let mut marked = 0u64;
    for j in 0..count {
        let from = start + j * size;
        let next = (j + 1 < count).then_some(from + size);
        let to = next.map_or(end, |n| (n + size).min(end));
        let job = ChunkJob {
            range: from..to,
            start_bit: (j == 0).then_some(0),
            next_start: next.map(|n| n - from),
            search_bytes: size,
            max_output: 1 << 34,
        };
        let result = decode_chunk(&job, &data[from as usize..to as usize]).to_bytes();
        // A failed result is a tag byte and the reason.
        if result.first() == Some(&2) {
            println!("chunk {j} at {from}: {}", String::from_utf8_lossy(&result[1..]));
        }
        // A decoded result: tag, two bit positions, the member's end, the CRC, the symbol count.
        if result.first() == Some(&1) {
            marked += u64::from_le_bytes(result[22..30].try_into()?);
        }
        out += result.len();
    }
    println!("{marked} symbols with the window unknown");
    println!("{count} chunks of {size} bytes: {:?} ({out} bytes of results)", clock.elapsed());
    let clock = Instant::now();
    let mut inflate = zlib_rs::Inflate::new(false, 15);
    let mut buffer = vec![0u8; 1 << 18];
    let (mut rest, mut total) = (&data[10..], 0u64);
    loop {
        let (before_in, before_out) = (inflate.total_in(), inflate.total_out());
        let status = inflate.decompress(rest, &mut buffer, zlib_rs::InflateFlush::NoFlush);
        rest = &rest[(inflate.total_in() - before_in) as usize..];
        total += inflate.total_out() - before_out;
        if !matches!(status, Ok(zlib_rs::Status::Ok)) {
            break;
        }
    }
    println!("zlib-rs in one pass: {:?} ({total} bytes)", clock.elapsed());
    // Our decoder alone: one chunk from the member's first bit, its end unknown.
    let clock = Instant::now();
    let job = ChunkJob { range: start..end, start_bit: Some(0), next_start: None, search_bytes: 0, max_output: 1 << 34 };
    let result = decode_chunk(&job, &data[start as usize..]).to_bytes().len();
    println!("our decoder alone: {:?} ({result} bytes of result)", clock.elapsed());
    Ok(())
}
