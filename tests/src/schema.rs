//! Every JSON report the suite produces is checked against the report's JSON Schema
//! (`crates/rules/schema/report.schema.json`), with boon, a validator that passes the official
//! JSON-Schema test suite. [`crate::run_cli`] calls this on every JSON report the CLI prints.

use std::sync::OnceLock;

use boon::{Compiler, SchemaIndex, Schemas};

const SCHEMA_URL: &str = "urn:sm-image-check:report:1";

fn compiled() -> &'static (Schemas, SchemaIndex) {
    static COMPILED: OnceLock<(Schemas, SchemaIndex)> = OnceLock::new();
    COMPILED.get_or_init(|| {
        let schema: serde_json::Value = serde_json::from_str(smic_rules::render::schema::REPORT_SCHEMA).expect("the report schema is JSON");
        let mut schemas = Schemas::new();
        let mut compiler = Compiler::new();
        compiler.add_resource(SCHEMA_URL, schema).expect("schema resource");
        // Compiling checks the schema against the draft 2020-12 meta-schema too.
        let index =
            compiler.compile(SCHEMA_URL, &mut schemas).unwrap_or_else(|e| panic!("the report schema is not a valid JSON Schema: {e:#}"));
        (schemas, index)
    })
}

/// Panics with every violation when `report` does not follow the schema.
pub fn assert_valid_report(report: &serde_json::Value) {
    let (schemas, index) = compiled();
    if let Err(e) = schemas.validate(report, *index) {
        panic!("a report does not follow crates/rules/schema/report.schema.json:\n{e:#}\nreport: {report:#}");
    }
}

/// When `text` is a JSON report (an object with `schema_version`), validates it; other output is
/// left alone. Returns whether it was a report.
pub fn check_if_report(text: &str) -> bool {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value) if value.get("schema_version").is_some() => {
            assert_valid_report(&value);
            true
        }
        _ => false,
    }
}
