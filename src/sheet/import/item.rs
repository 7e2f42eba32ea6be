//! An evidence item as a set of field values: what a row says, what an
//! existing item holds, and the YAML written for it. Comparing two of these
//! is how a re-import knows that nothing changed.

use std::collections::BTreeMap;

use crate::model::{Choice, Classification, Date, Evidence};
use crate::sheet::Field;

/// One field's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Text(String),
    Date(Date),
    List(Vec<String>),
    Bool(bool),
    /// A value pack could not read (a bad date, an error cell): written as
    /// text so that the check reports it where it stands.
    Raw(String),
}

/// An item's fields; an absent field is not set.
pub type Fields = BTreeMap<Field, FieldValue>;

/// The fields of an item already in the repository, normalised as a row's
/// are (defaults left out; text as `cell_text::normalise` has it, the one
/// normalisation import gives a cell).
pub fn from_evidence(e: &Evidence) -> Fields {
    let mut f = Fields::new();
    if e.id_ok {
        f.insert(Field::Id, FieldValue::Text(e.id.value.to_string()));
    }
    put_text(&mut f, Field::Title, &e.title);
    if let Some(d) = &e.date {
        f.insert(Field::Date, FieldValue::Date(d.value));
    }
    if let Some(o) = &e.organisation {
        f.insert(Field::Organisation, FieldValue::Text(o.value.to_string()));
    }
    if let Some(k) = e.kind {
        f.insert(Field::Kind, FieldValue::Text(k.name().to_owned()));
    }
    if let Some(s) = e.shows {
        f.insert(Field::Shows, FieldValue::Text(s.name().to_owned()));
    }
    let mut list = |field: Field, v: Vec<String>| {
        if !v.is_empty() {
            f.insert(field, FieldValue::List(v));
        }
    };
    list(Field::Areas, ids(&e.areas));
    list(Field::Actions, ids(&e.actions));
    list(Field::Measures, ids(&e.measures));
    list(Field::Supersedes, ids(&e.supersedes));
    list(
        Field::RespondsTo,
        e.responds_to.iter().map(|x| x.value.clone()).collect(),
    );
    if let Some(a) = &e.attachment {
        put_text(&mut f, Field::File, &a.value);
    }
    if let Some(u) = &e.url {
        put_text(&mut f, Field::Url, u);
    }
    if let Some(s) = &e.summary {
        put_text(&mut f, Field::Summary, &s.value);
    }
    if e.classification != Classification::Official {
        f.insert(
            Field::Classification,
            FieldValue::Text(e.classification.name().to_owned()),
        );
    }
    if e.personal_data {
        f.insert(Field::PersonalData, FieldValue::Bool(true));
    }
    if let Some(v) = &e.valid_until {
        f.insert(Field::ValidUntil, FieldValue::Date(v.value));
    }
    // False is the default: the same as no `public:` at all.
    if e.public {
        f.insert(Field::Public, FieldValue::Bool(true));
    }
    f
}

/// Text as a cell would give it: normalised, and nothing when empty (an
/// empty cell is no value).
fn put_text(f: &mut Fields, field: Field, s: &str) {
    let n = crate::sheet::cell_text::normalise(s);
    if !n.is_empty() {
        f.insert(field, FieldValue::Text(n));
    }
}

fn ids<T: ToString>(v: &[crate::model::At<T>]) -> Vec<String> {
    v.iter().map(|x| x.value.to_string()).collect()
}

/// The item's YAML: `comment` on top, then one line per field in the
/// spec's order. Returns the text and, for each line, the field it holds
/// (so that a finding on a line can be put back on the row's cell).
pub fn to_yaml(comment: &str, fields: &Fields) -> (String, Vec<Option<Field>>) {
    let mut text = String::new();
    let mut lines = Vec::new();
    for l in comment.lines() {
        text.push_str("# ");
        text.push_str(l);
        text.push('\n');
        lines.push(None);
    }
    for (field, value) in fields {
        let key = field.column().key;
        let v = match value {
            FieldValue::Text(s) if is_plain_id(s) => s.clone(),
            FieldValue::Text(s) | FieldValue::Raw(s) => quote(s),
            FieldValue::Date(d) => d.to_string(),
            FieldValue::Bool(b) => b.to_string(),
            FieldValue::List(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(|i| if is_plain_id(i) { i.clone() } else { quote(i) })
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        text.push_str(&format!("{key}: {v}\n"));
        lines.push(Some(*field));
    }
    (text, lines)
}

/// A YAML double-quoted scalar (a JSON string is one), on one line.
fn quote(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// An id, organisation or choice YAML reads back as the same string
/// without quotes: id characters, a letter among them, and not a word YAML
/// reads as true, false or null.
fn is_plain_id(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && s.chars().any(|c| c.is_ascii_alphabetic())
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "y" | "n" | "yes" | "no" | "true" | "false" | "on" | "off" | "null"
        )
        // `1e5` and `inf` are numbers to YAML.
        && s.parse::<f64>().is_err()
        && !s.starts_with("0x")
        && !s.starts_with("0o")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_has_one_line_per_field_in_order() {
        let mut f = Fields::new();
        f.insert(
            Field::Title,
            FieldValue::Text("Survey: \"spring\"\nline two".into()),
        );
        f.insert(Field::Id, FieldValue::Text("E-2025-001".into()));
        f.insert(
            Field::Areas,
            FieldValue::List(vec!["A1".into(), "A 2".into()]),
        );
        f.insert(
            Field::Date,
            FieldValue::Date(Date::parse("2025-04-30").unwrap()),
        );
        let (text, lines) = to_yaml("From log.csv, row 3", &f);
        assert_eq!(
            text,
            "# From log.csv, row 3\nid: E-2025-001\ntitle: \"Survey: \\\"spring\\\"\\nline two\"\ndate: 2025-04-30\nareas: [A1, \"A 2\"]\n"
        );
        assert_eq!(
            lines,
            vec![
                None,
                Some(Field::Id),
                Some(Field::Title),
                Some(Field::Date),
                Some(Field::Areas)
            ]
        );
    }
}
