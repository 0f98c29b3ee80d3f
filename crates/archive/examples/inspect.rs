//! Prints a summary of an image archive: `cargo run --release --example inspect -- FILE [--ref NAME] [--pipe]`.
//! `--pipe` reads it as a non-seekable stream (as from stdin); `-` reads stdin. Used by the
//! benchmarks to measure wall time and peak RSS of the reader alone.

use std::fs::File;
use std::io::Read;
use std::process::ExitCode;

use smic_archive::{inspect, Control, InspectOptions, SeekableSource, Source, StreamSource};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: inspect FILE|- [--ref NAME] [--pipe]");
        return ExitCode::from(2);
    };
    let pipe = args.iter().any(|a| a == "--pipe");
    let image_ref = args.iter().position(|a| a == "--ref").and_then(|i| args.get(i + 1)).cloned();
    let options = InspectOptions { image_ref, ..Default::default() };
    let started = std::time::Instant::now();
    let mut source: Box<dyn Source> = if path == "-" {
        Box::new(StreamSource::new(std::io::stdin().lock(), None))
    } else {
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("{path}: {e}");
                return ExitCode::from(2);
            }
        };
        if pipe {
            let len = file.metadata().ok().map(|m| m.len());
            Box::new(StreamSource::new(Box::new(file) as Box<dyn Read>, len))
        } else {
            match SeekableSource::new(file) {
                Ok(s) => Box::new(s),
                Err(e) => {
                    eprintln!("{path}: {e}");
                    return ExitCode::from(2);
                }
            }
        }
    };
    let result = inspect(source.as_mut(), path, &options, &mut |_| Control::Continue);
    let elapsed = started.elapsed();
    println!("images: {:?}", result.images);
    if let Some(facts) = &result.facts {
        println!("layout: {}  reference: {:?}", facts.source.layout, facts.source.reference);
        println!(
            "user: {:?}  workdir: {:?}  entrypoint: {:?}",
            facts.image_config.user, facts.image_config.working_dir, facts.image_config.entrypoint
        );
        for layer in &facts.layers {
            println!(
                "layer {}: {} {} blob {} B, files {} B, {} entries, {:?}",
                layer.index,
                layer.digest.as_deref().unwrap_or("-"),
                layer.compression,
                layer.blob_bytes,
                layer.size_bytes,
                layer.entry_count,
                layer.created_by.as_deref().unwrap_or("")
            );
        }
        println!(
            "merged files: {}  size: {} B  uids: {:?}  gids: {:?}",
            facts.files.len(),
            facts.size_bytes(),
            facts.uids_seen,
            facts.gids_seen
        );
        println!("high-id entries: {}", facts.high_id_entries_total);
        for c in &facts.captured {
            println!("captured {} (layer {}, {} B)", c.path, c.layer, c.size);
        }
    }
    for e in &result.errors {
        println!("{} {}: {}", if e.fatal { "ERROR" } else { "warning" }, e.at.as_deref().unwrap_or("-"), e.message);
    }
    println!("bytes read: {}  skipped: {}  time: {:.3} s", result.bytes_read, result.bytes_skipped, elapsed.as_secs_f64());
    if result.facts.is_some() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
