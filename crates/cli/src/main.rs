//! `sm-image-check`: the command-line driver. It reads the files the user names, hands them to
//! the engine (the same one the page runs) and prints the report. Exit status: 0 = nothing at or
//! above `--fail-on`, 1 = findings at or above it, 2 = unusable input or usage.

mod inputs;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use inputs::{read_small, InputArgs, Inputs, When};
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
    /// Print the AppImageConfig to create for the image (CreateAppImageConfig input as JSON):
    /// the kernels Studio will find, the image's user, the start command the new apps need,
    /// starting from the given AppImageConfig. Exit status 0, or 2 when an input cannot be read.
    SuggestConfig(SuggestArgs),
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
    #[command(flatten)]
    inputs: InputArgs,
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

#[derive(clap::Args)]
struct SuggestArgs {
    #[command(flatten)]
    inputs: InputArgs,
    /// `json`: the CreateAppImageConfig input on standard output, the notes saying why on
    /// standard error; `text`: both on standard output.
    #[arg(long, value_enum, default_value_t = SuggestFormat::Json)]
    format: SuggestFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum SuggestFormat {
    Json,
    Text,
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
        Command::SuggestConfig(args) => suggest_config(args),
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

fn report_input_error(e: &smic_rules::InputError) {
    let at = e.at.as_deref().map(|a| format!(" ({a})")).unwrap_or_default();
    eprintln!("sm-image-check: {}{at}: {}", e.file, e.message);
}

fn check(args: CheckArgs) -> ExitCode {
    let inputs = match read_inputs(&args.inputs) {
        Ok(inputs) => inputs,
        Err(code) => return code,
    };
    let request = inputs.request(&args.inputs, args.no_inline_ignores);
    let report = smic_engine::check(&request);

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

/// The inputs, or exit status 2 with what could not be read.
fn read_inputs(args: &InputArgs) -> Result<Inputs, ExitCode> {
    Inputs::read(args).map_err(|message| {
        eprintln!("sm-image-check: {message}");
        ExitCode::from(2)
    })
}

fn suggest_config(args: SuggestArgs) -> ExitCode {
    let inputs = match read_inputs(&args.inputs) {
        Ok(inputs) => inputs,
        Err(code) => return code,
    };
    let (report, suggestion) = smic_engine::suggest(&inputs.request(&args.inputs, false));
    if report.has_fatal_input_error() {
        for e in report.input_errors.iter().filter(|e| e.fatal) {
            report_input_error(e);
        }
        return ExitCode::from(2);
    }
    let header = format!("Suggested AppImageConfig for {} ({}).\n", report.profile.id.app(), report.profile.reason);
    match args.format {
        SuggestFormat::Json => {
            print(&suggestion.to_json());
            eprint!("{header}{}{}", suggestion.notes_text(), suggestion.changes_text());
        }
        SuggestFormat::Text => {
            print(&format!("{}\n{header}{}{}", suggestion.to_json(), suggestion.notes_text(), suggestion.changes_text()))
        }
    }
    ExitCode::SUCCESS
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
