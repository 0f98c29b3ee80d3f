//! Scale benchmark of the archive reader against GNU tar, dive and the reference decoders
//! (`gzip -dc`, `zstd -dc` of the same bytes), each ratio measured in one run on the same
//! machine: `cargo bench -p smic-archive --bench scale`. Times are medians of 3 (peers: of 2,
//! dive: 1 run).
//!
//! Inputs (outside the repository, under `SMIC_BENCH_DIR`, default `/tmp/smic-bench`):
//! - the realistic image, `python3 tests/tools/build_real_image.py DIR big` → `SMIC_REAL_IMAGE_DIR` (default
//!   `/tmp/realbig/out`): `sagemaker-real-big.docker.tar`, `.docker.tar.gz`, `.oci.tar`,
//!   `.oci-zstd.tar` and, when present, `.containerd.tar`; each compressed-layer
//!   archive is read in one pass and with `--jobs` threads (the CLI's default: the CPUs), and
//!   its layers, copied out once, are decoded by `gzip -dc` / `zstd -dc` for reference;
//! - optionally `SMIC_BASELINE_CLI` and `SMIC_CLI`: two `sm-image-check` binaries (e.g. one
//!   built at an older commit) timed on the same archives, `check FILE --format json`;
//! - `big30.tar`, 32 GB sparse, 318k entries, and `million.tar`, 1 M empty files, from
//!   `tests/tools/gen_sparse_archive.py` (made here when missing);
//! - `bomb.tar`, a gzip layer of ~1 MB inflating to 1 GiB (made here when missing).
//!
//! Our reader runs in a child process (this binary with `--inspect FILE`) under
//! `/usr/bin/time -v`, so its peak RSS is its own. A missing input or peer tool skips its row.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use smic_archive::pgzip::GzipChunking;
use smic_archive::{inspect, inspect_parallel, open_file, Control, InspectOptions, SeekableSource, StreamSource};

fn child(file: &str, pipe: bool, jobs: usize, chunks: Chunks, chunk_mib: Option<u64>) -> i32 {
    // `--no-chunks`: layers on several threads, but no gzip member inflated in parallel chunks;
    // `--chunk-layers`: a big gzip layer in chunks whatever the number of threads;
    // `--chunk-mib N`: chunks of N MiB of compressed data.
    let gzip_chunking = match chunks {
        Chunks::Never => Some(GzipChunking { min_chunks: u64::MAX, ..GzipChunking::default() }),
        Chunks::Default => None,
        Chunks::Layers => Some(GzipChunking { layer_readers: 1, ..GzipChunking::default() }),
    };
    let gzip_chunking = match chunk_mib {
        Some(mib) => Some(GzipChunking { chunk_bytes: mib << 20, ..gzip_chunking.unwrap_or_default() }),
        None => gzip_chunking,
    };
    let options = InspectOptions { gzip_chunking, ..InspectOptions::default() };
    let Ok(f) = std::fs::File::open(file) else {
        return 2;
    };
    let started = Instant::now();
    let result = if pipe {
        inspect(&mut StreamSource::new(f, None), file, &options, &mut |_| Control::Continue)
    } else {
        let Ok(mut source) = SeekableSource::new(f) else {
            return 2;
        };
        let open = open_file(Path::new(file));
        inspect_parallel(&mut source, &open, jobs, file, &options, &mut |_| Control::Continue)
    };
    let files = result.facts.as_ref().map_or(0, |f| f.files.len());
    let layers = result.facts.as_ref().map_or(0, |f| f.layers.len());
    println!(
        "RESULT ok={} layers={layers} files={files} read={} skipped={} secs={:.3} errors={:?}",
        result.facts.is_some(),
        result.bytes_read,
        result.bytes_skipped,
        started.elapsed().as_secs_f64(),
        result.errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>()
    );
    i32::from(result.facts.is_none())
}

/// Which gzip members the child inflates in parallel chunks.
#[derive(Clone, Copy)]
enum Chunks {
    Never,
    Default,
    Layers,
}

struct Measured {
    secs: f64,
    rss_kb: u64,
    stdout: String,
}

/// Runs a shell command under `/usr/bin/time -f`, returning wall seconds and peak RSS.
fn measure(shell: &str) -> Option<Measured> {
    let timing = std::env::temp_dir().join("smic-bench-time.txt");
    let status = Command::new("/usr/bin/time").args(["-f", "%e %M", "-o"]).arg(&timing).args(["sh", "-c", shell]).output().ok()?;
    let text = std::fs::read_to_string(&timing).ok()?;
    let mut fields = text.split_whitespace().rev().take(2).collect::<Vec<_>>();
    fields.reverse();
    let secs = fields.first()?.parse().ok()?;
    let rss_kb = fields.get(1)?.parse().ok()?;
    Some(Measured { secs, rss_kb, stdout: String::from_utf8_lossy(&status.stdout).into_owned() })
}

/// The run with the median time of `n` (the machine is shared: the median shrugs off a run that
/// another process slowed down).
fn median_of(n: usize, shell: &str) -> Option<Measured> {
    let mut runs: Vec<Measured> = (0..n).filter_map(|_| measure(shell)).collect();
    runs.sort_by(|a, b| a.secs.total_cmp(&b.secs));
    let middle = runs.len().checked_sub(1)? / 2;
    Some(runs.swap_remove(middle))
}

/// Copies the layers of `archive` that start with `magic` into one file, concatenated (a series
/// of gzip members or of zstd frames is one stream to `gzip -dc` / `zstd -dc`). Made once.
fn layers_of(archive: &Path, magic: &[u8], out: &Path) -> Option<PathBuf> {
    if out.exists() {
        return Some(out.to_path_buf());
    }
    let mut reader = tar::Archive::new(std::fs::File::open(archive).ok()?);
    let mut all = std::fs::File::create(out).ok()?;
    for entry in reader.entries().ok()? {
        let mut entry = entry.ok()?;
        let mut head = [0u8; 4];
        if std::io::Read::read_exact(&mut entry, &mut head[..magic.len()]).is_ok() && head[..magic.len()] == *magic {
            std::io::Write::write_all(&mut all, &head[..magic.len()]).ok()?;
            std::io::copy(&mut entry, &mut all).ok()?;
        }
    }
    Some(out.to_path_buf())
}

fn field<'a>(stdout: &'a str, key: &str) -> &'a str {
    stdout.split_whitespace().find_map(|w| w.strip_prefix(key).and_then(|rest| rest.strip_prefix('='))).unwrap_or("?")
}

fn have(tool: &str) -> bool {
    Command::new("sh").args(["-c", &format!("command -v {tool}")]).output().is_ok_and(|o| o.status.success())
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// A tarball-layout archive whose one gzip layer (~1 MB) inflates to a 1 GiB file of zeros:
/// 1024 gzip members of 1 MiB each (concatenated members are one gzip stream).
fn write_bomb(path: &Path) -> std::io::Result<()> {
    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
        out.extend(miniz_oxide::deflate::compress_to_vec(data, 9));
        out.extend(crc32fast::hash(data).to_le_bytes());
        out.extend((data.len() as u32).to_le_bytes());
        out
    }
    let mib = vec![0u8; 1 << 20];
    let mut header = tar::Header::new_ustar();
    header.set_path("zeros.bin").map_err(std::io::Error::other)?;
    header.set_size(1 << 30);
    header.set_mode(0o644);
    header.set_cksum();
    let mut first = header.as_bytes().to_vec();
    first.extend_from_slice(&mib);
    let mut layer = gzip(&first);
    let member = gzip(&mib);
    for _ in 1..1024 {
        layer.extend_from_slice(&member);
    }
    layer.extend(gzip(&[0u8; 1024]));
    let config = br#"{"architecture":"amd64","os":"linux","config":{"User":"root"},"rootfs":{"type":"layers","diff_ids":[]}}"#;
    let manifest = br#"[{"Config":"config.json","RepoTags":["bomb:1"],"Layers":["layer.tar.gz"]}]"#;
    let mut b = tar::Builder::new(std::fs::File::create(path)?);
    for (name, data) in [("config.json", &config[..]), ("layer.tar.gz", &layer[..]), ("manifest.json", &manifest[..])] {
        let mut h = tar::Header::new_ustar();
        h.set_path(name)?;
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append(&h, data)?;
    }
    b.finish()
}

fn generate(dir: &Path, name: &str, args: &str) {
    let path = dir.join(name);
    if path.exists() {
        return;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/tools/gen_sparse_archive.py");
    eprintln!("generating {}", path.display());
    let _ = Command::new("sh").args(["-c", &format!("python3 {script} {} {args} >/dev/null", path.display())]).status();
}

struct Row {
    case: String,
    tool: String,
    secs: f64,
    rss_kb: u64,
    note: String,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--inspect") {
        let file = args.get(i + 1).cloned().unwrap_or_default();
        let jobs = args.iter().position(|a| a == "--jobs").and_then(|j| args.get(j + 1)?.parse().ok()).unwrap_or(1);
        let chunks = if args.iter().any(|a| a == "--no-chunks") {
            Chunks::Never
        } else if args.iter().any(|a| a == "--chunk-layers") {
            Chunks::Layers
        } else {
            Chunks::Default
        };
        let chunk_mib = args.iter().position(|a| a == "--chunk-mib").and_then(|j| args.get(j + 1)?.parse().ok());
        std::process::exit(child(&file, args.iter().any(|a| a == "--pipe"), jobs, chunks, chunk_mib));
    }
    let Ok(me) = std::env::current_exe() else {
        return;
    };
    let dir = PathBuf::from(std::env::var("SMIC_BENCH_DIR").unwrap_or_else(|_| "/tmp/smic-bench".into()));
    let real = PathBuf::from(std::env::var("SMIC_REAL_IMAGE_DIR").unwrap_or_else(|_| "/tmp/realbig/out".into()));
    let _ = std::fs::create_dir_all(&dir);
    generate(&dir, "big30.tar", "--layout docker25 --files 300000 --big-files 12 --big-size 2.5G --layers 3 --fake-digests");
    generate(&dir, "million.tar", "--layout docker25 --files 1000000 --big-files 0 --layers 3 --fake-digests");
    let bomb = dir.join("bomb.tar");
    if !bomb.exists() {
        if let Err(e) = write_bomb(&bomb) {
            eprintln!("bomb: {e}");
        }
    }

    let mut rows: Vec<Row> = Vec::new();
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let ours_jobs = |rows: &mut Vec<Row>, case: &str, file: &Path, pipe: bool, jobs: usize| -> Option<f64> {
        if !file.exists() {
            eprintln!("skipping {case}: {} is missing", file.display());
            return None;
        }
        let flag = match (pipe, jobs) {
            (true, _) => " --pipe".to_string(),
            (false, 1) => String::new(),
            (false, n) => format!(" --jobs {n}"),
        };
        let m = median_of(3, &format!("{} --inspect {}{flag}", me.display(), file.display()))?;
        let total = size(file);
        let read: u64 = field(&m.stdout, "read").parse().unwrap_or(0);
        let note = format!(
            "ok={} layers={} files={} read {} of {} B ({:.1} %), skipped {}",
            field(&m.stdout, "ok"),
            field(&m.stdout, "layers"),
            field(&m.stdout, "files"),
            read,
            total,
            100.0 * read as f64 / total.max(1) as f64,
            field(&m.stdout, "skipped")
        );
        rows.push(Row { case: case.into(), tool: format!("smic-archive{flag}"), secs: m.secs, rss_kb: m.rss_kb, note });
        Some(m.secs)
    };
    let ours = |rows: &mut Vec<Row>, case: &str, file: &Path, pipe: bool| ours_jobs(rows, case, file, pipe, 1);
    let peer = |rows: &mut Vec<Row>, case: &str, tool: &str, shell: &str, runs: usize| -> Option<f64> {
        let m = median_of(runs, shell)?;
        rows.push(Row { case: case.into(), tool: tool.into(), secs: m.secs, rss_kb: m.rss_kb, note: String::new() });
        Some(m.secs)
    };
    let mut ratios: Vec<String> = Vec::new();

    let docker = real.join("sagemaker-real-big.docker.tar");
    let oci = real.join("sagemaker-real-big.oci.tar");
    if docker.exists() {
        let d = docker.display();
        let gnu = format!(
            "tar -tvf {d} >/dev/null && for m in $(tar -tf {d} | grep -E '^[0-9a-f]{{64}}\\.tar$'); do tar -xOf {d} \"$m\" | tar -tvf - >/dev/null; done"
        );
        let t_ours = ours(&mut rows, "big docker-archive", &docker, false);
        ours(&mut rows, "big docker-archive", &docker, true);
        let t_tar = peer(&mut rows, "big docker-archive", "GNU tar, outer + every layer", &gnu, 2);
        let t_dive = if have("dive") {
            peer(&mut rows, "big docker-archive", "dive --ci", &format!("CI=true dive --ci --source docker-archive {d} >/dev/null 2>&1"), 1)
        } else {
            None
        };
        if let (Some(a), Some(b)) = (t_ours, t_tar) {
            ratios.push(format!("big docker-archive: ours / GNU tar = {:.3} (budget ≤ 0.3)", a / b));
        }
        if let (Some(a), Some(b)) = (t_ours, t_dive) {
            ratios.push(format!("big docker-archive: ours / dive = 1/{:.0} (budget ≤ 1/50)", b / a));
        }
    }
    // The compressed rows of issue 12's table: one pass, `--jobs` threads, the reference decoder
    // on the same bytes, and the CLI at two builds when given.
    let clis: Vec<(String, String)> = [("SMIC_CLI", "CLI (this build)"), ("SMIC_BASELINE_CLI", "CLI (baseline)")]
        .iter()
        .filter_map(|(var, tool)| Some((std::env::var(var).ok()?, tool.to_string())))
        .collect();
    let compressed = [
        ("big oci-archive (gzip layers)", "sagemaker-real-big.oci.tar", Some((&[0x1f, 0x8b][..], "oci-gzip-layers.gz", "gzip"))),
        (
            "big containerd export (gzip layers)",
            "sagemaker-real-big.containerd.tar",
            Some((&[0x1f, 0x8b][..], "containerd-layers.gz", "gzip")),
        ),
        (
            "big oci-archive (zstd layers)",
            "sagemaker-real-big.oci-zstd.tar",
            Some((&[0x28, 0xb5, 0x2f, 0xfd][..], "oci-zstd-layers.zst", "zstd")),
        ),
        ("big docker-archive, whole archive gzipped", "sagemaker-real-big.docker.tar.gz", None),
    ];
    let mut t_oci = None;
    for (case, name, layers) in compressed {
        let file = real.join(name);
        let Some(t_one) = ours(&mut rows, case, &file, false) else {
            continue;
        };
        if file == oci {
            t_oci = Some(t_one);
        }
        // A gzip archive as a whole has one stream: its `--jobs` row measures the parallel chunks.
        let mut t_many = None;
        if cpus > 1 {
            t_many = ours_jobs(&mut rows, case, &file, false, cpus);
            if let Some(t_many) = t_many {
                ratios.push(format!("{case}: --jobs {cpus} / one pass = {:.3}", t_many / t_one));
            }
        }
        let reference = match layers {
            Some((magic, copy, tool)) => layers_of(&file, magic, &dir.join(copy)).map(|p| (tool, p)),
            None => Some(("gzip", file.clone())),
        };
        if let Some((tool, input)) = reference.filter(|(tool, _)| have(tool)) {
            let what = if layers.is_some() { "of its layers" } else { "of the file" };
            let shell = format!("{tool} -dc {} >/dev/null", input.display());
            if let Some(t_ref) = peer(&mut rows, case, &format!("`{tool} -dc` {what}"), &shell, 3) {
                ratios.push(format!("{case}: one pass / `{tool} -dc` = {:.3}", t_one / t_ref));
                if let Some(t_many) = t_many {
                    ratios.push(format!("{case}: --jobs {cpus} / `{tool} -dc` = {:.3}", t_many / t_ref));
                }
            }
        }
        let times: Vec<f64> = clis
            .iter()
            .filter_map(|(bin, tool)| peer(&mut rows, case, tool, &format!("{bin} check {} --format json >/dev/null", file.display()), 3))
            .collect();
        if let [this, baseline] = times[..] {
            ratios.push(format!("{case}: CLI this build / baseline = {:.3}", this / baseline));
        }
    }
    if let (Some(a), true) = (t_oci, have("dive")) {
        let shell = format!("CI=true dive --ci --source docker-archive {} >/dev/null 2>&1", oci.display());
        if let Some(b) = peer(&mut rows, "big oci-archive (gzip layers)", "dive --ci", &shell, 1) {
            ratios.push(format!("big oci-archive: ours / dive = {:.3} (budget ≤ 0.5)", a / b));
        }
    }
    ours(&mut rows, "sparse 32 GB, 318k entries", &dir.join("big30.tar"), false);
    ours(&mut rows, "1 M empty files", &dir.join("million.tar"), false);
    ours(&mut rows, "gzip bomb: 1 MB layer → 1 GiB", &bomb, false);

    println!("| input | tool | wall s | peak RSS MiB | notes |");
    println!("|---|---|---|---|---|");
    for r in &rows {
        println!("| {} | {} | {:.2} | {:.1} | {} |", r.case, r.tool, r.secs, r.rss_kb as f64 / 1024.0, r.note);
    }
    for r in ratios {
        println!("{r}");
    }
}
