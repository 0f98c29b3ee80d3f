//! `sm-image-check`: the command-line driver. It reads the files the user names, hands them to
//! the engine (the same one the page runs) and prints the report. Exit status: 0 = nothing at or
//! above `--fail-on`, 1 = findings at or above it, 2 = unusable input or usage.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use smic_rules::render;

mod check;
mod explain;
mod inputs;
mod suggest;

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
    Check(Box<check::CheckArgs>),
    /// Print the AppImageConfig to create for the image (CreateAppImageConfig input as JSON):
    /// the kernels Studio will find, the image's user, the start command the new apps need,
    /// starting from the given AppImageConfig. Exit status 0, or 2 when an input cannot be read.
    SuggestConfig(Box<suggest::SuggestArgs>),
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
    Explain(Box<explain::ExplainArgs>),
    /// Print a Dockerfile's parse tree in the format of BuildKit's parser test data, to diff
    /// against the official parser.
    Dockerfile {
        /// The Dockerfile to print.
        #[arg(long, value_name = "FILE")]
        dump: PathBuf,
    },
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
pub enum When {
    Auto,
    Always,
    Never,
}

impl When {
    /// Whether to do it: `auto` decides in the `Auto` case.
    pub fn decide(self, auto: impl FnOnce() -> bool) -> bool {
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
        Command::Check(args) => check::run(*args),
        Command::SuggestConfig(args) => suggest::run(*args),
        Command::Explain(args) => explain::run(*args),
        Command::Dockerfile { dump } => {
            let bytes = match inputs::read_small(&dump, "Dockerfile") {
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

pub fn report_input_error(e: &smic_rules::InputError) {
    let at = e.at.as_deref().map(|a| format!(" ({a})")).unwrap_or_default();
    eprintln!("sm-image-check: {}{at}: {}", e.file, e.message);
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a panic.
pub fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
