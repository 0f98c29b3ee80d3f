//! The inputs every command that judges an image takes (the archive, the Dockerfile with its
//! build arguments and target, the AppImageConfig, the profile) and their reading from disk or
//! standard input: one reading serves `check` and the other commands built on the engine.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use smic_engine::{Control, ImageRead, NamedBytes, Progress, Request, SeekableSource, StreamSource};

use crate::When;

#[derive(clap::Args)]
pub struct InputArgs {
    /// The image archive written by `docker save` (or podman/skopeo/containerd/kaniko/jib), plain
    /// or gzip/zstd-compressed; `-` reads it from standard input.
    #[arg(value_name = "IMAGE.tar", conflicts_with = "image_flag")]
    pub image: Option<PathBuf>,
    /// The image archive (same as the positional IMAGE.tar).
    #[arg(long = "image", value_name = "IMAGE.tar")]
    pub image_flag: Option<PathBuf>,
    /// In an archive holding several images, the one to check (a tag such as `name:tag`, or a
    /// digest prefix of at least 12 hex digits). Default: the first.
    #[arg(long, value_name = "REF")]
    pub image_ref: Option<String>,
    /// The Dockerfile the image was (or will be) built from.
    #[arg(long, value_name = "FILE")]
    pub dockerfile: Option<PathBuf>,
    /// A build argument for the Dockerfile, as with `docker build` (repeatable).
    #[arg(long = "build-arg", value_name = "NAME=VALUE", value_parser = parse_build_arg)]
    pub build_args: Vec<(String, String)>,
    /// The Dockerfile stage that becomes the image, as with `docker build --target` (default: the last).
    #[arg(long, value_name = "STAGE")]
    pub target: Option<String>,
    /// The Dockerfile's build context: the start scripts the Dockerfile COPYs from it (only
    /// those, size-capped, never outside DIR) are read to follow the start command. Default: none.
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,
    /// The AppImageConfig JSON (CreateAppImageConfig input or DescribeAppImageConfig output).
    #[arg(long, value_name = "C.json")]
    pub app_image_config: Option<PathBuf>,
    /// The Studio app to check for: studio-classic, jupyterlab, code-editor, or auto (from the
    /// AppImageConfig's app block, else the start command, else studio-classic).
    #[arg(long, value_name = "PROFILE", default_value = "auto", value_parser = parse_profile)]
    pub profile: smic_rules::ProfileChoice,
    /// Read the archive's compressed layers on this many threads (default: the number of CPUs
    /// available); with 2 or more, an archive gzipped as a whole and a large gzip layer (64 MiB
    /// or more) are inflated in parallel chunks. The report is the same whatever the number;
    /// standard input is read on one.
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Show the archive's reading progress on standard error: auto (when it is a terminal), always, never.
    #[arg(long, value_enum, default_value_t = When::Auto)]
    pub progress: When,
}

/// The inputs as read: the small files whole, the archive as the engine's reading of it.
pub struct Loaded {
    pub image: Option<ImageRead>,
    pub dockerfile: Option<(String, Vec<u8>)>,
    pub app_image_config: Option<(String, Vec<u8>)>,
    pub context: Option<smic_engine::DirContext>,
}

impl InputArgs {
    pub fn image_path(&self) -> Option<&Path> {
        self.image.as_deref().or(self.image_flag.as_deref())
    }

    /// Whether any input was given (`explain` works without one).
    pub fn any_given(&self) -> bool {
        self.image_path().is_some() || self.dockerfile.is_some() || self.app_image_config.is_some()
    }

    /// Reads every input given; `Err` says why one cannot be read at all (exit status 2).
    pub fn load(&self) -> Result<Loaded, String> {
        if !self.any_given() {
            return Err(String::from("nothing to check; give an image archive, --dockerfile and/or --app-image-config (see --help)"));
        }
        let small = |path: &Option<PathBuf>, what: &str| -> Result<Option<(String, Vec<u8>)>, String> {
            path.as_ref().map(|p| read_small(p, what).map(|bytes| (p.display().to_string(), bytes))).transpose()
        };
        let dockerfile = small(&self.dockerfile, "Dockerfile")?;
        let app_image_config = small(&self.app_image_config, "AppImageConfig")?;
        let context = self.context.as_deref().map(smic_engine::DirContext::new).transpose()?;
        let show_progress = self.progress.decide(|| std::io::stderr().is_terminal());
        let jobs = match self.jobs {
            Some(n) => usize::from(n),
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        let image = self.image_path().map(|p| read_image(p, self.image_ref.as_deref(), jobs, show_progress)).transpose()?;
        Ok(Loaded { image, dockerfile, app_image_config, context })
    }
}

impl Loaded {
    /// The engine's request for these inputs.
    pub fn request<'a>(&'a self, args: &InputArgs, no_inline_ignores: bool) -> Request<'a> {
        Request {
            image: self.image.as_ref(),
            dockerfile: named(&self.dockerfile),
            build_args: args.build_args.clone(),
            target: args.target.clone(),
            app_image_config: named(&self.app_image_config),
            options: smic_rules::Options { no_inline_ignores, profile: args.profile },
        }
    }

    /// The build context to read COPY sources from, when `--context` was given.
    pub fn build_context(&self) -> Option<&dyn smic_engine::BuildContext> {
        self.context.as_ref().map(|c| c as &dyn smic_engine::BuildContext)
    }
}

fn parse_profile(text: &str) -> Result<smic_rules::ProfileChoice, String> {
    smic_rules::ProfileChoice::parse(text).ok_or_else(|| format!("expected studio-classic, jupyterlab, code-editor or auto, not `{text}`"))
}

/// `NAME=VALUE`; a bare `NAME` takes the value from the environment, as `docker build` does.
fn parse_build_arg(text: &str) -> Result<(String, String), String> {
    if text.contains('=') {
        return smic_engine::build_arg(text).ok_or_else(|| format!("expected NAME=VALUE with a build-argument name, not `{text}`"));
    }
    std::env::var(text)
        .map(|v| (text.to_string(), v))
        .map_err(|_| format!("expected NAME=VALUE; `{text}` has no `=` and is not set in the environment"))
}

fn named(input: &Option<(String, Vec<u8>)>) -> Option<NamedBytes<'_>> {
    input.as_ref().map(|(name, bytes)| NamedBytes { name: name.as_str(), bytes: bytes.as_slice() })
}

/// Reads the image archive: a file is read with seeks (contents no rule needs are skipped),
/// `-` streams standard input.
fn read_image(path: &Path, image_ref: Option<&str>, jobs: usize, show_progress: bool) -> Result<ImageRead, String> {
    let name = path.display().to_string();
    let started = Instant::now();
    let mut last = started;
    let mut on_progress = |p: Progress| {
        if show_progress && (p.done || last.elapsed() >= Duration::from_millis(200)) {
            last = Instant::now();
            eprint!("\r\x1b[K{}", progress_line(&p, started.elapsed()));
            if p.done {
                eprintln!();
            }
        }
        Control::Continue
    };
    if path.as_os_str() == "-" {
        let mut source = StreamSource::new(std::io::stdin().lock(), None);
        return Ok(smic_engine::read_image("-", &mut source, image_ref, &mut on_progress));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("{name}: cannot open the image archive: {e}"))?;
    let mut source = SeekableSource::new(file).map_err(|e| format!("{name}: cannot read the image archive: {e}"))?;
    let open = smic_engine::open_file(path);
    Ok(smic_engine::read_image_parallel(&name, &mut source, &open, jobs, image_ref, &mut on_progress))
}

fn progress_line(p: &Progress, elapsed: Duration) -> String {
    const MB: f64 = 1e6;
    let seconds = elapsed.as_secs_f64().max(1e-3);
    let rate = p.position as f64 / MB / seconds;
    match p.total {
        Some(total) if total > 0 => {
            let left = (total.saturating_sub(p.position)) as f64 / MB / rate.max(1e-3);
            format!(
                "reading the archive: {:.0} / {:.0} MB ({:.0} %), {rate:.0} MB/s, {left:.0} s left",
                p.position as f64 / MB,
                total as f64 / MB,
                p.position as f64 * 100.0 / total as f64
            )
        }
        _ => format!("reading the archive: {:.0} MB, {rate:.0} MB/s", p.position as f64 / MB),
    }
}

/// A file the user named, read whole (AppImageConfigs and Dockerfiles are small; a Dockerfile
/// larger than this is not one).
pub fn read_small(path: &Path, what: &str) -> Result<Vec<u8>, String> {
    const LIMIT: u64 = 64 << 20;
    let size = std::fs::metadata(path).map_err(|e| format!("{}: cannot read the {what}: {e}", path.display()))?.len();
    if size > LIMIT {
        return Err(format!(
            "{}: {size} bytes is too large for a {what} (the limit is {} MiB); is it the image archive?",
            path.display(),
            LIMIT >> 20
        ));
    }
    std::fs::read(path).map_err(|e| format!("{}: cannot read the {what}: {e}", path.display()))
}
