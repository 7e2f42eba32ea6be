//! The JSON view's schema (`pack build --format json`, docs/view.md), from
//! the view types' own `JsonSchema` derives: a field added to or removed
//! from a view type changes the schema with it.

use schemars::generate::SchemaSettings;
use serde_json::Value;

/// The schema of `crate::view::PackView`, strict: every object closed
/// (`additionalProperties: false`) and every field it always writes
/// required, so that a view with a field added or removed fails.
pub fn schema() -> Value {
    // Draft-07's shape (inline, no `$defs`) under the 2020-12 dialect: only
    // keywords both drafts have.
    let mut settings = SchemaSettings::draft07().for_serialize();
    settings.inline_subschemas = true;
    settings.meta_schema = Some(super::json::DIALECT.into());
    let generator = settings.into_generator();
    let root = generator.into_root_schema_for::<crate::view::PackView>();
    let mut v = root.to_value();
    close(&mut v);
    if let Value::Object(m) = &mut v {
        m.insert("title".into(), "pack: the JSON view".into());
        m.insert(
            "description".into(),
            "What `pack build --format json` writes, and every template receives (docs/view.md). Made by `pack schema view`."
                .into(),
        );
    }
    v
}

/// Closes every object that lists its properties.
fn close(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if m.contains_key("properties") {
                m.insert("additionalProperties".into(), Value::Bool(false));
                m.entry("required")
                    .or_insert_with(|| Value::Array(Vec::new()));
            }
            for (_, child) in m.iter_mut() {
                close(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(close),
        _ => {}
    }
}
