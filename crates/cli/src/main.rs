//! `sm-image-check`: the command-line driver. It reads the files the user names, hands them to
//! the engine (the same one the page runs) and prints the report. Exit status: 0 = nothing at or
//! above `--fail-on`, 1 = findings at or above it, 2 = unusable input or usage.

mod explain;
mod inputs;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use inputs::{read_small, InputArgs, When};
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
    /// Find the rules that explain an error message from Studio or CloudWatch, ranked; with
    /// inputs, say for each what they show (the rule fired, passed, or could not be checked).
    Explain(explain::ExplainArgs),
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
    #[command(flatten)]
    inputs: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit with status 1 when a finding at or above this severity remains.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
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
        Command::Explain(args) => explain::run(args),
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

pub(crate) fn report_input_error(e: &smic_rules::InputError) {
    let at = e.at.as_deref().map(|a| format!(" ({a})")).unwrap_or_default();
    eprintln!("sm-image-check: {}{at}: {}", e.file, e.message);
}

fn check(args: CheckArgs) -> ExitCode {
    let report = match args.inputs.check(args.image.clone()) {
        Ok(Some(report)) => report,
        Ok(None) => {
            eprintln!("sm-image-check: nothing to check; give an image archive, --dockerfile and/or --app-image-config (see --help)");
            return ExitCode::from(2);
        }
        Err(message) => {
            eprintln!("sm-image-check: {message}");
            return ExitCode::from(2);
        }
    };

    let color = args.color.decide(|| args.output.is_none() && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none());
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
pub(crate) fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
