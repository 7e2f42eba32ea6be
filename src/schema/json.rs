//! The table's objects as JSON Schema (draft 2020-12), written with only
//! the keywords draft-07 also has (no `$defs`, `prefixItems` or
//! `unevaluatedProperties`), so that every YAML language server reads them.
//! Everything is inline: no `$ref`, whose neighbouring keywords draft-07
//! would ignore.

use serde_json::{Map, Value, json};

use super::table::{self, Field, Object, Ty};

pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The largest magnitude of a number the loader reads (its `MAX_NUMBER`, a
/// documented `limit`).
const MAX_NUMBER: f64 = 1e15;

/// The whole schema of one file.
pub fn file_schema(file: table::File) -> Value {
    let mut root = Map::new();
    root.insert("$schema".into(), json!(DIALECT));
    root.insert("title".into(), json!(format!("pack: {}", file.path())));
    root.insert(
        "description".into(),
        json!(format!(
            "The fields of {} (docs/format.md). Made by `pack schema {}`.",
            file.path(),
            super::Kind::from(file).name()
        )),
    );
    let Value::Object(body) = object(file.object(), true) else {
        unreachable!("an object's schema is a JSON object")
    };
    root.extend(body);
    Value::Object(root)
}

/// Where docs/format.md describes an object's fields, in a form a test can
/// follow: `docs/format.md, section "HEADING"[, rows PREFIX*]`.
pub fn doc_comment(o: &Object) -> String {
    let mut s = format!("docs/format.md, section \"{}\"", o.section);
    if !o.prefix.is_empty() {
        s.push_str(&format!(", rows {}*", o.prefix));
    }
    s
}

fn object(o: &Object, required: bool) -> Value {
    let mut properties = Map::new();
    for f in o.fields {
        properties.insert(f.name.into(), field(f));
    }
    let names: Vec<&str> = o
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect();
    json!({
        "$comment": doc_comment(o),
        "type": nullable("object", required),
        "additionalProperties": false,
        "required": names,
        "properties": properties,
    })
}

/// A field that may be left empty (`lead:` alone) also takes null: the
/// loader reads it as not given.
fn nullable(ty: &str, required: bool) -> Value {
    if required {
        json!(ty)
    } else {
        json!([ty, "null"])
    }
}

/// Text accepts a bare number (`title: 2025`), read as written.
fn text(required: bool) -> Value {
    let mut v = json!({ "type": ["string", "number"] });
    if required {
        // An empty or blank required text is "empty" to the loader.
        v["pattern"] = json!("\\S");
    } else {
        v["type"] = json!(["string", "number", "null"]);
    }
    v
}

fn field(f: &Field) -> Value {
    let mut v = ty(f.ty, f.required);
    v["description"] = json!(f.description);
    v
}

fn ty(t: Ty, required: bool) -> Value {
    match t {
        Ty::Text | Ty::Markdown => text(required),
        Ty::Id(_) => {
            // An id may look like a number (`1.10`): YAML reads it as one.
            let mut types = vec!["string", "number"];
            if !required {
                types.push("null");
            }
            json!({ "type": types, "pattern": t.pattern() })
        }
        Ty::Date => json!({ "type": nullable("string", required), "pattern": t.pattern() }),
        Ty::Bool => json!({ "type": nullable("boolean", required) }),
        Ty::Number => json!({
            "type": nullable("number", required),
            "minimum": -MAX_NUMBER,
            "maximum": MAX_NUMBER,
        }),
        Ty::Int { min, max } => {
            let mut v = json!({ "type": nullable("integer", required) });
            if let Some(min) = min {
                v["minimum"] = json!(min);
            }
            if let Some(max) = max {
                v["maximum"] = json!(max);
            }
            v
        }
        Ty::Choice(_) => {
            let mut values: Vec<Value> = t
                .choices()
                .into_iter()
                .flatten()
                .map(|n| json!(n))
                .collect();
            if !required {
                values.push(Value::Null);
            }
            json!({ "enum": values })
        }
        Ty::Choices(_) => json!({
            "type": nullable("array", required),
            "items": { "enum": t.choices() },
        }),
        Ty::Ids { min } => {
            let mut v = json!({
                "type": nullable("array", required),
                "items": { "type": ["string", "number"], "pattern": t.pattern() },
            });
            if min > 0 {
                v["minItems"] = json!(min);
            }
            v
        }
        Ty::Object(o) => object(o, required),
        Ty::List { of, min } => {
            let mut v = json!({
                "type": nullable("array", required),
                "items": object(of, true),
            });
            if min > 0 {
                v["minItems"] = json!(min);
            }
            v
        }
        Ty::ChoiceMap(_) => {
            // `HEADER:` alone (null) or `""` skips the column, as `ignore` does.
            let mut values: Vec<Value> = t
                .choices()
                .into_iter()
                .flatten()
                .map(|n| json!(n))
                .collect();
            values.push(json!(""));
            values.push(Value::Null);
            json!({
                "type": nullable("object", required),
                "additionalProperties": { "enum": values },
            })
        }
        Ty::TextMap { key } => {
            let mut v = json!({
                "type": nullable("object", required),
                "additionalProperties": text(true),
            });
            if let Some(pattern) = key {
                v["propertyNames"] = json!({ "pattern": pattern });
            }
            v
        }
    }
}
