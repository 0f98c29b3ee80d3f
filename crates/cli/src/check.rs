//! `sm-image-check check`: one report of the inputs, in the format asked for, and the exit
//! status the CI gate reads (0 = nothing at or above `--fail-on`, 1 = findings at or above it,
//! 2 = unusable input).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use smic_rules::render;
use smic_rules::Severity;

use crate::inputs::InputArgs;
use crate::{print, report_input_error, When};

#[derive(clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit with status 1 when a finding at or above this severity remains.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Refuse `# sm-image-check ignore=` comments in the Dockerfile (for CI).
    #[arg(long)]
    no_inline_ignores: bool,
    /// Colour the human output: auto (when stdout is a terminal), always, never.
    #[arg(long, value_enum, default_value_t = When::Auto)]
    color: When,
    /// Write the report to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
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
enum FailOn {
    Error,
    Warning,
    Info,
}

pub fn run(args: CheckArgs) -> ExitCode {
    let loaded = match args.inputs.load() {
        Ok(loaded) => loaded,
        Err(message) => {
            eprintln!("sm-image-check: {message}");
            return ExitCode::from(2);
        }
    };
    let report = smic_engine::check_in_context(&loaded.request(&args.inputs, args.no_inline_ignores), loaded.build_context());

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
