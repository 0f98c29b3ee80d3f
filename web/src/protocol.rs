//! The messages between the page and its worker. Each message is a JSON text (these types) plus,
//! for a check of a dropped archive, the `File` itself posted beside it (a `File` is structured-
//! cloned, never copied or uploaded).

use serde::{Deserialize, Serialize};
use smic_rules::ProfileChoice;

/// A small text input (Dockerfile, AppImageConfig): its name as the user gave it and its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextInput {
    pub name: String,
    pub text: String,
}

/// Which image archive to check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ImageSpec {
    /// The `File` posted beside the message.
    File { name: String, size: u64, last_modified: f64 },
    /// The engine's bundled demo archive (`smic_engine::demo`).
    Demo,
}

/// One check: any combination of the three inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckRequest {
    /// Increases with every request; replies carry it so stale ones are dropped.
    pub job: u32,
    pub image: Option<ImageSpec>,
    /// The image to check in a multi-image archive (`None`: the first).
    pub image_ref: Option<String>,
    pub dockerfile: Option<TextInput>,
    pub app_image_config: Option<TextInput>,
    /// `--build-arg` values for the Dockerfile, in the order given.
    pub build_args: Vec<(String, String)>,
    /// The `--target` stage for the Dockerfile (`None`: the last stage).
    pub target: Option<String>,
    /// The Studio app to check for (`--profile`).
    pub profile: ProfileChoice,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    Check(CheckRequest),
    /// To a pool worker, from the worker that reads the archive: read one compressed layer of the
    /// `File` posted beside (`job`: `LayerJob::encode`) and answer with [`FromPool`] messages.
    ReadLayer {
        id: u32,
        job: String,
    },
    /// To a pool worker: inflate one chunk of a large gzip layer; the `ChunkJob::to_bytes` bytes
    /// are posted beside the `File`, and the worker reads the job's byte range of it.
    DecodeChunk {
        id: u32,
    },
    /// To a pool worker: the buffer of a chunk it answered, posted beside (transferred) once its
    /// bytes were taken, for the next answer: no fresh pages to fault in for each chunk.
    Spare,
}

/// A pool worker's answers to [`ToWorker::ReadLayer`] (its `Ready` and `Crashed` are
/// [`FromWorker`]'s).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromPool {
    /// Bytes of the layer handled so far.
    LayerProgress { id: u32, done: u64 },
    /// The layer is read: its `LayerOutcome::encode` bytes are posted beside (their buffer
    /// transferred, not copied), with the bytes read from the file and the pool worker's
    /// WebAssembly memory since (it only grows).
    LayerRead { id: u32, bytes_read: u64, memory_bytes: u64 },
    /// The chunk is inflated: its `ChunkResult::to_bytes` bytes are posted beside (transferred).
    /// `input_reused`: its bytes were read into the buffer of the worker's last chunk.
    ChunkDecoded { id: u32, memory_bytes: u64, input_reused: bool },
}

/// How many pool workers read the layers of an archive: `workers=N` in the worker's name (the
/// page's `?workers=N`, for tests and measurements; 0: none, the archive's worker reads
/// everything itself), else the browser's `hardwareConcurrency`; at least 1, at most 16.
pub fn pool_size(worker_name: &str, hardware_concurrency: f64) -> usize {
    match asked(worker_name, "workers") {
        Some(n) => n.min(16),
        None if hardware_concurrency.is_finite() && hardware_concurrency >= 1.0 => (hardware_concurrency as usize).min(16),
        None => 1,
    }
}

/// How many fetch workers move the dropped file's slices for the worker that reads the archive
/// (`worker::fetchers`): `fetchers=N` in the worker's name (the page's `?fetchers=N`, for
/// measurements; 0: none, the archive's worker asks for them itself), else 2 (three of the six
/// slices in flight each); at most 4.
pub fn fetch_workers(worker_name: &str) -> usize {
    asked(worker_name, "fetchers").unwrap_or(2).min(4)
}

/// `key=N` in a worker's name (options joined by commas).
fn asked(worker_name: &str, key: &str) -> Option<usize> {
    worker_name.split(',').find_map(|part| part.strip_prefix(key)?.strip_prefix('=')).and_then(|n| n.trim().parse().ok())
}

/// Where the reading of an archive is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ProgressUpdate {
    pub job: u32,
    /// Bytes of the archive behind the reader (read or skipped).
    pub position: u64,
    pub total: u64,
    pub bytes_read: u64,
    pub bytes_skipped: u64,
    /// Milliseconds since the worker started on this archive.
    pub elapsed_ms: f64,
    /// Size of the worker's WebAssembly memory (it only grows) plus the bytes of the file it
    /// holds for the reader (fetched ahead, outside that memory).
    pub worker_memory_bytes: u64,
}

/// How far a report goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    /// The Dockerfile and AppImageConfig are checked; the archive is still being read.
    WithoutImage,
    /// Every input given is checked.
    Final,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportMessage {
    pub job: u32,
    pub stage: Stage,
    /// `Report::to_json`: the CLI's `--format json`, byte for byte.
    pub json: String,
    /// `render::markdown::render` and `render::sarif::render` (final stage only).
    pub markdown: String,
    pub sarif: String,
    /// The suggested AppImageConfig (`smic_rules::suggest::Suggestion` as JSON), from the same
    /// engine call as the report: its config is `sm-image-check suggest-config`'s output.
    #[serde(default)]
    pub suggestion: String,
    pub elapsed_ms: f64,
    pub worker_memory_bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// The worker's WebAssembly is running and listening.
    Ready,
    Progress(ProgressUpdate),
    Report(ReportMessage),
    /// The worker panicked (a bug): the message, for the page to show. The page restarts it.
    Crashed {
        message: String,
    },
}

/// Encodes a message as the JSON text posted between the threads.
pub fn encode<T: Serialize>(message: &T) -> String {
    serde_json::to_string(message).unwrap_or_default()
}

/// Decodes a posted JSON text; `None` for anything that is not one of our messages.
pub fn decode<T: for<'de> Deserialize<'de>>(text: &str) -> Option<T> {
    serde_json::from_str(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_request_survives_the_trip_to_the_worker() {
        let request = ToWorker::Check(CheckRequest {
            job: 7,
            image: Some(ImageSpec::File { name: "big.tar".into(), size: 32_000_000_000, last_modified: 1.5 }),
            image_ref: Some("sagemaker-real:latest".into()),
            dockerfile: Some(TextInput { name: "Dockerfile".into(), text: "FROM python:3.11\n".into() }),
            app_image_config: None,
            build_args: vec![("NB_UID".into(), "1000".into())],
            target: Some("runtime".into()),
            profile: ProfileChoice::Fixed(smic_rules::Profile::CodeEditor),
        });
        assert_eq!(decode::<ToWorker>(&encode(&request)), Some(request));
    }

    #[test]
    fn the_pool_has_one_worker_per_core_unless_the_page_says() {
        assert_eq!(pool_size("", 8.0), 8);
        assert_eq!(pool_size("", 0.0), 1);
        assert_eq!(pool_size("", f64::NAN), 1);
        assert_eq!(pool_size("", 256.0), 16);
        assert_eq!(pool_size("workers=1", 8.0), 1);
        assert_eq!(pool_size("workers=0", 8.0), 0);
        assert_eq!(pool_size("workers=x", 3.0), 3);
        assert_eq!(pool_size("fetchers=1,workers=2", 3.0), 2);
    }

    #[test]
    fn two_fetch_workers_unless_asked() {
        assert_eq!(fetch_workers(""), 2);
        assert_eq!(fetch_workers("workers=4"), 2);
        assert_eq!(fetch_workers("workers=4,fetchers=0"), 0);
        assert_eq!(fetch_workers("fetchers=1"), 1);
        assert_eq!(fetch_workers("fetchers=99"), 4);
        assert_eq!(fetch_workers("fetchers=x"), 2);
    }

    #[test]
    fn foreign_messages_are_ignored() {
        assert_eq!(decode::<FromWorker>("{\"type\":\"webpackOk\"}"), None);
        assert_eq!(decode::<FromWorker>("not json"), None);
    }
}
