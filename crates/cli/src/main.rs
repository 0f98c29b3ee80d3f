//! `sm-image-check`: the command-line driver. It reads the files the user names, hands them to
//! the engine (the same one the page runs) and prints the report. Exit status: 0 = nothing at or
//! above `--fail-on`, 1 = findings at or above it, 2 = unusable input or usage.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use smic_engine::{NamedBytes, Request};
use smic_rules::render;
use smic_rules::Severity;

#[derive(Parser)]
#[command(name = "sm-image-check", version, about = "Checks whether a custom image will work in Amazon SageMaker Studio (Classic, KernelGateway apps) — before you push it.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check an image archive, a Dockerfile and/or an AppImageConfig (any combination).
    Check(CheckArgs),
    /// List every rule (generated from the rule declarations).
    Rules {
        #[arg(long, value_enum, default_value_t = CatalogFormat::Text)]
        format: CatalogFormat,
    },
}

#[derive(clap::Args)]
struct CheckArgs {
    /// The AppImageConfig JSON (CreateAppImageConfig input or DescribeAppImageConfig output).
    #[arg(long, value_name = "C.json")]
    app_image_config: Option<PathBuf>,
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
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
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
}

#[derive(Clone, Copy, ValueEnum)]
enum CatalogFormat {
    Text,
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
enum Color {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Rules { format } => {
            let text = match format {
                CatalogFormat::Text => render::catalog::text(),
                CatalogFormat::Json => render::catalog::json(),
                CatalogFormat::Markdown => render::markdown::rule_table(),
            };
            print(&text);
            ExitCode::SUCCESS
        }
        Command::Check(args) => check(args),
    }
}

/// A file the user named, read whole (AppImageConfigs and Dockerfiles are small).
fn read_small(path: &PathBuf, what: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: cannot read the {what}: {e}", path.display()))
}

fn check(args: CheckArgs) -> ExitCode {
    if args.app_image_config.is_none() {
        eprintln!("sm-image-check: nothing to check; give --app-image-config (see --help)");
        return ExitCode::from(2);
    }
    let config_bytes = match args.app_image_config.as_ref().map(|p| read_small(p, "AppImageConfig")).transpose() {
        Ok(b) => b,
        Err(message) => {
            eprintln!("sm-image-check: {message}");
            return ExitCode::from(2);
        }
    };
    let config_name = args.app_image_config.as_ref().map(|p| p.display().to_string());
    let request = Request {
        app_image_config: config_bytes.as_deref().zip(config_name.as_deref()).map(|(bytes, name)| NamedBytes { name, bytes }),
        options: smic_rules::Options { no_inline_ignores: args.no_inline_ignores },
    };
    let report = smic_engine::check(&request);

    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => args.output.is_none() && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let text = match args.format {
        Format::Human => render::text::render(&report, color),
        Format::Json => report.to_json(),
        Format::Sarif => render::sarif::render(&report),
        Format::Markdown => render::markdown::render(&report),
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
        let at = e.at.as_deref().map(|a| format!(" ({a})")).unwrap_or_default();
        eprintln!("sm-image-check: {}{at}: {}", e.file, e.message);
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
