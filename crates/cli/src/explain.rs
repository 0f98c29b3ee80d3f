//! `sm-image-check explain "MESSAGE"`: the rules that explain an error message from Studio or
//! CloudWatch, ranked by the core's look-up; with inputs, each candidate's status in them.
//! Exit status: 0 = some rule (or a known account-side error) matched, 1 = nothing did, 2 = an
//! input could not be read.

use std::process::ExitCode;

use clap::ValueEnum;
use smic_rules::explain::explain;
use smic_rules::render;

use crate::inputs::InputArgs;

#[derive(clap::Args)]
pub(crate) struct ExplainArgs {
    /// The error message, as Studio or CloudWatch shows it (a part of it is enough).
    #[arg(value_name = "MESSAGE")]
    message: String,
    #[command(flatten)]
    inputs: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    format: ExplainFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExplainFormat {
    Text,
    Json,
}

pub(crate) fn run(args: ExplainArgs) -> ExitCode {
    let report = match args.inputs.any_given().then(|| args.inputs.load()).transpose() {
        Ok(loaded) => loaded.map(|l| smic_engine::check_in_context(&l.request(&args.inputs, false), l.build_context())),
        Err(message) => {
            eprintln!("sm-image-check: {message}");
            return ExitCode::from(2);
        }
    };
    if let Some(report) = &report {
        for e in report.input_errors.iter().filter(|e| e.fatal) {
            crate::report_input_error(e);
        }
        if report.has_fatal_input_error() {
            return ExitCode::from(2);
        }
    }
    let explanation = explain(&args.message, report.as_ref());
    crate::print(&match args.format {
        ExplainFormat::Text => render::explain::text(&explanation),
        ExplainFormat::Json => explanation.to_json(),
    });
    if explanation.candidates.is_empty() && explanation.account.is_none() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
