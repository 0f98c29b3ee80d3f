//! The report's contract for machines: the JSON Schema of `--format json` (and of the page's JSON
//! export), and the README's field table generated from it, so the schema is the one place the
//! contract is written down. `sm-image-check schema` prints the schema.

use alloc::borrow::ToOwned;
use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;

/// The JSON Schema (draft 2020-12) of the report.
pub const REPORT_SCHEMA: &str = include_str!("../../schema/report.schema.json");

/// The part of a JSON Schema the table needs; properties keep the order the schema lists them in.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Schema {
    #[serde(rename = "type")]
    types: Types,
    description: Option<String>,
    properties: Properties,
    required: Vec<String>,
    items: Option<Box<Schema>>,
    #[serde(rename = "oneOf")]
    one_of: Vec<Schema>,
    #[serde(rename = "$ref")]
    reference: Option<String>,
    #[serde(rename = "enum")]
    values: Vec<serde_json::Value>,
    #[serde(rename = "const")]
    constant: Option<serde_json::Value>,
    #[serde(rename = "$defs")]
    defs: Properties,
}

#[derive(Deserialize, Default)]
#[serde(untagged)]
enum Types {
    #[default]
    None,
    One(String),
    Several(Vec<String>),
}

#[derive(Default)]
struct Properties(Vec<(String, Schema)>);

impl<'de> Deserialize<'de> for Properties {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct InOrder;
        impl<'de> Visitor<'de> for InOrder {
            type Value = Properties;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("an object of schemas")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Properties, A::Error> {
                let mut all = Vec::new();
                while let Some(entry) = map.next_entry::<String, Schema>()? {
                    all.push(entry);
                }
                Ok(Properties(all))
            }
        }
        deserializer.deserialize_map(InOrder)
    }
}

impl Schema {
    fn property(&self, name: &str) -> Option<&Schema> {
        self.properties.0.iter().find(|(n, _)| n == name).map(|(_, s)| s)
    }
}

/// One row of the table.
struct Row {
    field: String,
    kind: String,
    meaning: String,
}

/// The README's table of every field of the report: `a[]` is an array of objects, `x?` a field
/// that is absent when it has no value. Generated from [`REPORT_SCHEMA`].
pub fn markdown_table() -> String {
    let root: Schema = match serde_json::from_str(REPORT_SCHEMA) {
        Ok(schema) => schema,
        // The schema is part of the build, not user input; its tests parse it.
        Err(e) => return format!("the report schema does not parse: {e}\n"),
    };
    let mut rows = Vec::new();
    walk(&root, &root, "", &mut rows);
    let mut out = String::from("| field | type | meaning |\n|---|---|---|\n");
    for row in rows {
        // An empty meaning leaves one space in its cell, as hand-written tables do.
        let meaning = if row.meaning.is_empty() { String::new() } else { format!(" {}", row.meaning) };
        let _ = writeln!(out, "| `{}` | {} |{meaning} |", row.field, row.kind);
    }
    out
}

fn walk(root: &Schema, schema: &Schema, prefix: &str, rows: &mut Vec<Row>) {
    let schema = resolve(root, schema);
    let items = schema.items.as_deref().map(|items| resolve(root, items));
    let object = items.unwrap_or(schema);
    let prefix = if items.is_some() { format!("{prefix}[]") } else { prefix.to_owned() };
    for (name, property) in &object.properties.0 {
        let optional = !object.required.contains(name);
        rows.push(Row { field: field(&prefix, name, optional), kind: type_of(root, property), meaning: meaning(property) });
        walk(root, property, &join(&prefix, name), rows);
    }
    // A tagged union (`oneOf` keyed by a constant field): each field once, with the variants it
    // belongs to named before what it means in each.
    let mut seen: Vec<&str> = object.properties.0.iter().map(|(n, _)| n.as_str()).collect();
    for variant in &object.one_of {
        for (name, property) in &variant.properties.0 {
            if seen.contains(&name.as_str()) {
                continue;
            }
            seen.push(name);
            let owners: Vec<(&str, &Schema, bool)> =
                object.one_of.iter().filter_map(|v| v.property(name).map(|p| (tag(v), p, v.required.contains(name)))).collect();
            let optional = owners.iter().all(|(_, _, required)| !required);
            let mut parts: Vec<(String, String)> = Vec::new();
            for (owner, p, _) in &owners {
                let text = meaning(p);
                match parts.iter_mut().find(|(_, t)| *t == text) {
                    Some((names, _)) => names.push_str(&format!(", `{owner}`")),
                    None => parts.push((format!("`{owner}`"), text)),
                }
            }
            let meaning = parts.iter().map(|(names, text)| format!("{names}: {text}")).collect::<Vec<_>>().join("; ");
            rows.push(Row { field: field(&prefix, name, optional), kind: type_of(root, property), meaning });
        }
    }
}

/// The value of a variant's constant `kind`-like property (the first `const` string).
fn tag(variant: &Schema) -> &str {
    variant.properties.0.iter().find_map(|(_, p)| p.constant.as_ref().and_then(|c| c.as_str())).unwrap_or("?")
}

fn resolve<'a>(root: &'a Schema, schema: &'a Schema) -> &'a Schema {
    match schema.reference.as_deref().and_then(|r| r.strip_prefix("#/$defs/")) {
        Some(name) => root.defs.0.iter().find(|(n, _)| n == name).map_or(schema, |(_, s)| s),
        None => schema,
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

fn field(prefix: &str, name: &str, optional: bool) -> String {
    let path = join(prefix, name);
    if optional {
        format!("{path}?")
    } else {
        path
    }
}

fn meaning(schema: &Schema) -> String {
    schema.description.clone().unwrap_or_default()
}

fn type_of(root: &Schema, schema: &Schema) -> String {
    let target = resolve(root, schema);
    let base = match &target.types {
        Types::One(t) => vec_of(t),
        Types::Several(ts) => ts.clone(),
        Types::None => {
            let value = target.constant.as_ref().or(target.values.first());
            vec_of(match value {
                Some(serde_json::Value::Number(_)) => "integer",
                Some(serde_json::Value::Bool(_)) => "boolean",
                _ => "string",
            })
        }
    };
    let base: Vec<String> = match (&target.items, base.first().map(String::as_str)) {
        (Some(items), Some("array")) => {
            let element = type_of(root, items);
            [format!("{element}[]")].into_iter().chain(base.iter().skip(1).cloned()).collect()
        }
        _ => base,
    };
    base.join(" or ")
}

fn vec_of(t: &str) -> Vec<String> {
    alloc::vec![t.to_owned()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_parses_and_lists_the_top_level_fields_in_order() {
        let table = markdown_table();
        let fields: Vec<&str> = table.lines().skip(2).filter_map(|l| l.split('`').nth(1)).filter(|f| !f.contains('.')).collect();
        assert_eq!(
            fields,
            [
                "schema_version",
                "tool",
                "profile",
                "inputs",
                "verdict",
                "headline",
                "other_profiles",
                "stages",
                "image",
                "findings",
                "rules",
                "suppressed",
                "input_errors",
                "summary",
                "patch?"
            ]
        );
    }

    #[test]
    fn union_fields_name_the_variants_they_belong_to() {
        let table = markdown_table();
        let row = |field: &str| table.lines().find(|l| l.starts_with(&format!("| `{field}` |"))).map(str::to_owned);
        assert_eq!(
            row("findings[].locations[].file").as_deref(),
            Some("| `findings[].locations[].file` | string | `dockerfile`, `app-image-config`: the input's name |")
        );
        assert_eq!(
            row("findings[].locations[].link_target?").as_deref(),
            Some("| `findings[].locations[].link_target?` | string | `image-file`: symlink or hard-link target |")
        );
        assert_eq!(row("image.layers").as_deref(), Some("| `image.layers` | object[] | in the order they apply |"));
        assert_eq!(row("inputs.dockerfile").as_deref(), Some("| `inputs.dockerfile` | object or null | `{name}` |"));
        assert_eq!(row("summary.errors").as_deref(), Some("| `summary.errors` | integer | |"));
    }
}
