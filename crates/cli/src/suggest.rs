//! `sm-image-check suggest-config`: the AppImageConfig to create for the inputs (the
//! CreateAppImageConfig input as JSON), with why for each value. Exit status 0, or 2 when an
//! input cannot be read.

use std::process::ExitCode;

use clap::ValueEnum;

use crate::inputs::InputArgs;
use crate::{print, report_input_error};

#[derive(clap::Args)]
pub struct SuggestArgs {
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

pub fn run(args: SuggestArgs) -> ExitCode {
    let loaded = match args.inputs.load() {
        Ok(loaded) => loaded,
        Err(message) => {
            eprintln!("sm-image-check: {message}");
            return ExitCode::from(2);
        }
    };
    let (report, suggestion) = smic_engine::suggest(&loaded.request(&args.inputs, false), loaded.build_context());
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
