//! `sm-image-check`: the command-line driver. It reads the files the user names, hands them to
//! the engine (the same one the page runs) and prints the report. Exit status: 0 = nothing at or
//! above `--fail-on`, 1 = findings at or above it, 2 = unusable input or usage.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};
use smic_engine::{Control, ImageRead, NamedBytes, Progress, Request, SeekableSource, StreamSource};
use smic_rules::render;
use smic_rules::Severity;

#[derive(Parser)]
#[command(
    name = "sm-image-check",
    version,
    about = "Checks whether a custom image will work in Amazon SageMaker Studio (Classic, JupyterLab or Code Editor apps) — before you push it."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check an image archive, a Dockerfile and/or an AppImageConfig (any combination).
    Check(CheckArgs),
    /// List every rule (generated from the rule declarations); with rule IDs or names, print
    /// those rules' pages with their Bad and Good examples.
    Rules {
        #[arg(long, value_enum, default_value_t = CatalogFormat::Text)]
        format: CatalogFormat,
        /// Rules to print the page of (`KERN004` or `kernel-spec-name-not-found`).
        #[arg(value_name = "RULE")]
        rules: Vec<String>,
    },
    /// Print the JSON Schema of the `--format json` report (or, with `--format markdown`, the
    /// README's table of its fields).
    Schema {
        #[arg(long, value_enum, default_value_t = SchemaFormat::Json)]
        format: SchemaFormat,
    },
    /// Print a Dockerfile's parse tree in the format of BuildKit's parser test data, to diff
    /// against the official parser.
    Dockerfile {
        /// The Dockerfile to print.
        #[arg(long, value_name = "FILE")]
        dump: PathBuf,
    },
}

#[derive(clap::Args)]
struct CheckArgs {
    /// The image archive written by `docker save` (or podman/skopeo/containerd/kaniko/jib), plain
    /// or gzip/zstd-compressed; `-` reads it from standard input.
    #[arg(value_name = "IMAGE.tar", conflicts_with = "image_flag")]
    image: Option<PathBuf>,
    /// The image archive (same as the positional IMAGE.tar).
    #[arg(long = "image", value_name = "IMAGE.tar")]
    image_flag: Option<PathBuf>,
    /// In an archive holding several images, the one to check (a tag such as `name:tag`, or a
    /// digest prefix of at least 12 hex digits). Default: the first.
    #[arg(long, value_name = "REF")]
    image_ref: Option<String>,
    /// The Dockerfile the image was (or will be) built from.
    #[arg(long, value_name = "FILE")]
    dockerfile: Option<PathBuf>,
    /// A build argument for the Dockerfile, as with `docker build` (repeatable).
    #[arg(long = "build-arg", value_name = "NAME=VALUE", value_parser = parse_build_arg)]
    build_args: Vec<(String, String)>,
    /// The Dockerfile stage that becomes the image, as with `docker build --target` (default: the last).
    #[arg(long, value_name = "STAGE")]
    target: Option<String>,
    /// The AppImageConfig JSON (CreateAppImageConfig input or DescribeAppImageConfig output).
    #[arg(long, value_name = "C.json")]
    app_image_config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit with status 1 when a finding at or above this severity remains.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// The Studio app to check for: studio-classic, jupyterlab, code-editor, or auto (from the
    /// AppImageConfig's app block, else the start command, else studio-classic).
    #[arg(long, value_name = "PROFILE", default_value = "auto", value_parser = parse_profile)]
    profile: smic_rules::ProfileChoice,
    /// Refuse `# sm-image-check ignore=` comments in the Dockerfile (for CI).
    #[arg(long)]
    no_inline_ignores: bool,
    /// Colour the human output: auto (when stdout is a terminal), always, never.
    #[arg(long, value_enum, default_value_t = When::Auto)]
    color: When,
    /// Write the report to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Read the archive's compressed layers on this many threads (default: the number of CPUs
    /// available). The report is the same whatever the number; standard input is read on one.
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// Show the archive's reading progress on standard error: auto (when it is a terminal), always, never.
    #[arg(long, value_enum, default_value_t = When::Auto)]
    progress: When,
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

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    Sarif,
    Markdown,
    /// The Dockerfile patch that fixes every finding with a patch, as one unified diff for
    /// `patch -p0` or `git apply -p0` (empty when no finding has one).
    Patch,
}

#[derive(Clone, Copy, ValueEnum)]
enum CatalogFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaFormat {
    Json,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(Clone, Copy, ValueEnum)]
enum When {
    Auto,
    Always,
    Never,
}

impl When {
    /// Whether to do it: `auto` decides in the `Auto` case.
    fn decide(self, auto: impl FnOnce() -> bool) -> bool {
        match self {
            When::Always => true,
            When::Never => false,
            When::Auto => auto(),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Rules { format: _, rules } if !rules.is_empty() => {
            let mut pages = Vec::new();
            for key in &rules {
                match smic_rules::catalog::rule_by_key(key) {
                    Some(rule) => pages.push(render::catalog::page(rule)),
                    None => {
                        eprintln!("sm-image-check: no rule {key:?}; `sm-image-check rules` lists them");
                        return ExitCode::from(2);
                    }
                }
            }
            print(&pages.join("\n"));
            ExitCode::SUCCESS
        }
        Command::Rules { format, rules: _ } => {
            let text = match format {
                CatalogFormat::Text => render::catalog::text(),
                CatalogFormat::Json => render::catalog::json(),
                CatalogFormat::Markdown => render::markdown::rule_catalog(),
            };
            print(&text);
            ExitCode::SUCCESS
        }
        Command::Schema { format } => {
            print(&match format {
                SchemaFormat::Json => render::schema::REPORT_SCHEMA.to_string(),
                SchemaFormat::Markdown => render::schema::markdown_table(),
            });
            ExitCode::SUCCESS
        }
        Command::Check(args) => check(args),
        Command::Dockerfile { dump } => {
            let bytes = match read_small(&dump, "Dockerfile") {
                Ok(b) => b,
                Err(message) => {
                    eprintln!("sm-image-check: {message}");
                    return ExitCode::from(2);
                }
            };
            match smic_dockerfile::dump_file(&dump.display().to_string(), &bytes) {
                Ok(text) => {
                    print(&text);
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    report_input_error(&e);
                    ExitCode::from(2)
                }
            }
        }
    }
}

fn named(input: &Option<(String, Vec<u8>)>) -> Option<NamedBytes<'_>> {
    input.as_ref().map(|(name, bytes)| NamedBytes { name: name.as_str(), bytes: bytes.as_slice() })
}

fn report_input_error(e: &smic_rules::InputError) {
    let at = e.at.as_deref().map(|a| format!(" ({a})")).unwrap_or_default();
    eprintln!("sm-image-check: {}{at}: {}", e.file, e.message);
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
fn read_small(path: &PathBuf, what: &str) -> Result<Vec<u8>, String> {
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

fn check(args: CheckArgs) -> ExitCode {
    let image_path = args.image.clone().or_else(|| args.image_flag.clone());
    if image_path.is_none() && args.dockerfile.is_none() && args.app_image_config.is_none() {
        eprintln!("sm-image-check: nothing to check; give an image archive, --dockerfile and/or --app-image-config (see --help)");
        return ExitCode::from(2);
    }
    let small = |path: &Option<PathBuf>, what: &str| -> Result<Option<(String, Vec<u8>)>, String> {
        path.as_ref().map(|p| read_small(p, what).map(|bytes| (p.display().to_string(), bytes))).transpose()
    };
    let (dockerfile, config) = match (small(&args.dockerfile, "Dockerfile"), small(&args.app_image_config, "AppImageConfig")) {
        (Ok(d), Ok(c)) => (d, c),
        (Err(message), _) | (_, Err(message)) => {
            eprintln!("sm-image-check: {message}");
            return ExitCode::from(2);
        }
    };
    let show_progress = args.progress.decide(|| std::io::stderr().is_terminal());
    let jobs = match args.jobs {
        Some(n) => usize::from(n),
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let image = match image_path.as_deref().map(|p| read_image(p, args.image_ref.as_deref(), jobs, show_progress)).transpose() {
        Ok(image) => image,
        Err(message) => {
            eprintln!("sm-image-check: {message}");
            return ExitCode::from(2);
        }
    };
    let request = Request {
        image: image.as_ref(),
        dockerfile: named(&dockerfile),
        build_args: args.build_args.clone(),
        target: args.target.clone(),
        app_image_config: named(&config),
        options: smic_rules::Options { no_inline_ignores: args.no_inline_ignores, profile: args.profile },
    };
    let report = smic_engine::check(&request);

    let color = args.color.decide(|| args.output.is_none() && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none());
    let text = match args.format {
        Format::Human => render::text::render(&report, color),
        Format::Json => report.to_json(),
        Format::Sarif => render::sarif::render(&report),
        Format::Markdown => render::markdown::render(&report),
        Format::Patch => report.patch.as_ref().map(|p| p.diff.clone()).unwrap_or_default(),
    };
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, text) {
                eprintln!("sm-image-check: {}: cannot write the report: {e}", path.display());
                return ExitCode::from(2);
            }
        }
        None => print(&text),
    }
    for e in report.input_errors.iter().filter(|e| e.fatal) {
        report_input_error(e);
    }
    if report.has_fatal_input_error() {
        return ExitCode::from(2);
    }
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    if report.count_at_least(threshold) > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
