//! `plan/import.yaml` (spec 6.2, "A remembered mapping"): the column
//! names a local area's logs use, so that each import needs no `--map`.
//! `pack check` reads it like any plan file (every problem a `schema`
//! finding at its line, with a did-you-mean), and `pack import` reads it
//! before matching headers.

use std::path::Path;

use crate::finding::{Finding, Pos, Rule, did_you_mean};
use crate::sheet::Field;

use super::fields::Reader;
use super::yaml::{self, Node, Value};

/// Where the file sits in a repository.
pub const IMPORT_FILE: &str = "plan/import.yaml";

const IMPORT_FIELDS: &[&str] = crate::field_names!(IMPORT);

/// What plan/import.yaml says.
#[derive(Debug, Clone, Default)]
pub struct ImportMap {
    pub columns: Vec<MapColumn>,
    pub sheet: Option<String>,
    /// The folder, relative to the repository, and where it is written.
    pub files: Option<(String, Pos)>,
}

/// One `columns:` entry.
#[derive(Debug, Clone)]
pub struct MapColumn {
    /// The header as written.
    pub header: String,
    /// The field, or `None` to skip the column without a warning.
    pub field: Option<Field>,
    /// Where the entry's key is, for a warning about it.
    pub pos: Pos,
}

/// Reads the file's tree; problems go to `r`. Entries that are wrong are
/// left out, the rest kept, so one run reports every problem.
pub fn read(r: &mut Reader, root: &Node) -> ImportMap {
    let mut out = ImportMap::default();
    // An empty file says nothing, and that is fine.
    if root.value == Value::Null {
        return out;
    }
    let Some(f) = r.map(root, "plan/import.yaml", IMPORT_FIELDS) else {
        return out;
    };
    out.sheet = r.opt_text(&f, "sheet").map(|t| t.value);
    out.files = r.opt_text(&f, "files").map(|t| (t.value, t.pos));
    let Some(columns) = r.node(&f, "columns") else {
        return out;
    };
    let Value::Map(pairs) = &columns.value else {
        r.schema(
            columns.pos,
            format!(
                "`columns` in plan/import.yaml must be a mapping of headers to fields, found {}",
                columns.kind_name()
            ),
            "write it as `columns: { \"Date received\": date, \"RAG\": ignore }`",
        );
        return out;
    };
    let targets = crate::schema::table::import_targets();
    for (k, v) in pairs {
        let Some(header) = Reader::text_of(k).filter(|h| !h.trim().is_empty()) else {
            r.schema(
                k.pos,
                "a header in `columns` is empty",
                "write the column's header as the sheet has it, e.g. `\"Date received\": date`",
            );
            continue;
        };
        let field = match &v.value {
            Value::Null => None,
            Value::Str(s) if s.is_empty() || s == "ignore" => None,
            Value::Str(s) if Field::all().any(|f| f.column().key == s) => {
                Field::all().find(|f| f.column().key == s)
            }
            _ => {
                let shown = Reader::text_of(v).unwrap_or_else(|| v.kind_name().to_owned());
                let hint = match did_you_mean(&shown, targets.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the fields are {}", targets.join(", ")),
                };
                r.findings.push(
                    Finding::new(
                        Rule::Schema,
                        r.file,
                        v.pos,
                        format!(
                            "`{shown}` (for the column `{header}`) is not an evidence field or `ignore`"
                        ),
                    )
                    .hint(hint)
                    .width(shown.chars().count()),
                );
                continue;
            }
        };
        out.columns.push(MapColumn {
            header,
            field,
            pos: k.pos,
        });
    }
    out
}

/// Reads plan/import.yaml from the repository, if it is there: the map
/// and the problems with it (a syntax error leaves no map).
pub fn load(root: &Path) -> (Option<ImportMap>, Vec<Finding>) {
    let path = root.join(IMPORT_FILE);
    if !path.exists() {
        return (None, Vec::new());
    }
    let text = match super::read::read_text(root, IMPORT_FILE) {
        Ok(t) => t,
        Err(f) => return (None, vec![*f]),
    };
    match yaml::parse(&text) {
        Err(e) => (
            None,
            vec![Finding::new(Rule::YamlSyntax, IMPORT_FILE, e.pos, e.message).hint(e.hint)],
        ),
        Ok(node) => {
            let mut r = Reader::new(IMPORT_FILE);
            let map = read(&mut r, &node);
            (Some(map), r.findings)
        }
    }
}

/// A key or value as text, numbers as written (a header `2025` is text).
pub fn text_of(n: &Node) -> Option<String> {
    Reader::text_of(n)
}
