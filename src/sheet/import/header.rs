//! Finding the header row and what each column holds. The header row is the
//! first in which at least three cells name fields, so title banners, notes
//! and blank rows above it are skipped. `--map HEADER=FIELD` overrides the
//! usual names.

use std::collections::BTreeMap;

use crate::finding::{Cell, Finding, Pos, Rule};
use crate::sheet::columns::{HeaderMatch, match_header, normalise};
use crate::sheet::{COLUMNS, Field};

use super::read::{Grid, Value};

/// The header row and the field of each imported column.
#[derive(Debug)]
pub struct Header {
    /// 0-based row of the headers.
    pub row: usize,
    /// Column index to field, for the columns that are imported.
    pub columns: BTreeMap<usize, Field>,
}

/// One `--map HEADER=FIELD`.
#[derive(Debug, Clone)]
pub struct Map {
    /// The header as given.
    pub header: String,
    /// The header normalised, as headers are compared.
    key: String,
    /// The field, or `None` to skip the column without a warning
    /// (`HEADER=` or `HEADER=ignore`, spec 6.2).
    pub field: Option<Field>,
    /// Where plan/import.yaml gives it; `None` for a `--map`.
    pub in_file: Option<Pos>,
}

impl Map {
    /// A `columns:` entry of plan/import.yaml.
    pub fn from_file(c: &crate::load::import_map::MapColumn) -> Map {
        Map {
            header: c.header.trim().to_owned(),
            key: normalise(&c.header),
            field: c.field,
            in_file: Some(c.pos),
        }
    }
}

/// `--map` arguments, `HEADER=FIELD`. A map that names no header or no
/// field is an error in words (pack cannot run as asked: exit 2).
pub fn parse_maps(maps: &[String]) -> Result<Vec<Map>, String> {
    let mut out = Vec::new();
    for m in maps {
        let shown = crate::pii::mask_all(m);
        let Some((header, field)) = m.rsplit_once('=') else {
            return Err(format!(
                "--map {shown}: write it as HEADER=FIELD, e.g. --map \"Ref no=id\""
            ));
        };
        let key = normalise(header);
        if key.is_empty() {
            return Err(format!(
                "--map {shown}: the header before `=` is empty; write the column's header as the sheet has it, e.g. --map \"Ref no=id\""
            ));
        }
        let field = if field.trim().is_empty() || normalise(field) == "ignore" {
            None
        } else {
            match Field::from_name(field) {
                Some(f) => Some(f),
                None => {
                    return Err(format!(
                        "--map {shown}: `{}` is not an evidence field; the fields are {} (or `ignore`, to skip the column)",
                        crate::pii::mask_all(field),
                        COLUMNS.iter().map(|c| c.key).collect::<Vec<_>>().join(", ")
                    ));
                }
            }
        };
        out.push(Map {
            header: header.trim().to_owned(),
            key,
            field,
            in_file: None,
        });
    }
    Ok(out)
}

/// The end of the warning for a header that names no field.
const UNRECOGNISED: &str = "names no evidence field: its values are not imported";

/// Whether `f` is the warning for a header that names no field.
pub fn is_unrecognised(f: &Finding) -> bool {
    f.rule == Rule::ImportColumn && f.message.ends_with(UNRECOGNISED)
}

/// What `--map` says of a header, if it names it (the last map wins).
fn mapped<'m>(maps: &'m [Map], header: &str) -> Option<&'m Map> {
    let n = normalise(header);
    maps.iter().rev().find(|m| m.key == n)
}

/// Finds the header row and maps its columns; problems go to `findings`.
/// `None` when no row names three fields.
pub fn find(grid: &Grid, maps: &[Map], file: &str, findings: &mut Vec<Finding>) -> Option<Header> {
    let what = |v: &Value| -> HeaderMatch {
        let Value::Text(t) = v else {
            return HeaderMatch::None;
        };
        match mapped(maps, t) {
            Some(Map { field: Some(f), .. }) => HeaderMatch::Field(*f),
            // Skipped as asked: like a column only export writes.
            Some(Map { field: None, .. }) => HeaderMatch::ExportOnly,
            None => match_header(t),
        }
    };
    let row = grid.rows.iter().position(|r| {
        r.iter()
            .filter(|v| matches!(what(v), HeaderMatch::Field(_) | HeaderMatch::Ambiguous(_)))
            .count()
            >= 3
    });
    let Some(row) = row else {
        findings.push(
            Finding::new(
                Rule::ImportColumn,
                file,
                Pos::START,
                format!(
                    "sheet `{}` has no header row: no row has three cells naming evidence fields",
                    grid.sheet
                ),
            )
            .severity(crate::finding::Severity::Error)
            .hint("head the columns Title, Date, Organisation, Areas, Kind, Shows (docs/spreadsheets.md lists every name), or choose the sheet with --sheet"),
        );
        return None;
    };
    let cell = |col: usize| Cell {
        sheet: grid.sheet.clone(),
        row: row as u32 + 1,
        column: col as u32 + 1,
    };
    let mut columns: BTreeMap<usize, Field> = BTreeMap::new();
    let mut first: BTreeMap<Field, (usize, String)> = BTreeMap::new();
    for (col, v) in grid.rows.get(row).cells() {
        let Value::Text(header) = v else {
            continue;
        };
        let header = header.trim();
        match what(v) {
            HeaderMatch::Field(f) => {
                if let Some((_, earlier)) = first.get(&f) {
                    findings.push(
                        Finding::in_cell(
                            Rule::ImportColumn,
                            file,
                            cell(col),
                            format!("`{header}` and `{earlier}` both hold `{}`", f.column().key),
                        )
                        .severity(crate::finding::Severity::Error)
                        .hint(format!(
                            "keep one, or say what the other holds with --map \"{header}=FIELD\""
                        )),
                    );
                } else {
                    first.insert(f, (col, header.to_owned()));
                    columns.insert(col, f);
                }
            }
            HeaderMatch::Ambiguous(fields) => findings.push(
                Finding::in_cell(
                    Rule::ImportColumn,
                    file,
                    cell(col),
                    format!(
                        "`{header}` could hold {}",
                        fields
                            .iter()
                            .map(|f| format!("`{}`", f.column().key))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ),
                )
                .severity(crate::finding::Severity::Error)
                .hint(format!(
                    "say which with --map \"{header}={}\"",
                    fields[0].column().key
                )),
            ),
            HeaderMatch::ExportOnly => {}
            HeaderMatch::None => findings.push(
                Finding::in_cell(
                    Rule::ImportColumn,
                    file,
                    cell(col),
                    format!("`{header}` {UNRECOGNISED}"),
                )
                .hint(format!(
                    "rename the column, or --map \"{header}=FIELD\" with a field of {}",
                    COLUMNS.iter().map(|c| c.key).collect::<Vec<_>>().join(", ")
                )),
            ),
        }
    }
    // A map naming no header of the sheet did nothing: say so.
    let headers: Vec<&str> = grid
        .rows
        .get(row)
        .cells()
        .filter_map(|(_, v)| match v {
            Value::Text(t) if !t.trim().is_empty() => Some(t.trim()),
            _ => None,
        })
        .collect();
    for m in maps {
        if headers.iter().any(|h| normalise(h) == m.key) {
            continue;
        }
        let shown = crate::pii::mask_all(&m.header);
        let hint = format!(
            "the headers are {}",
            headers
                .iter()
                .map(|h| format!("`{}`", crate::pii::mask_all(h)))
                .collect::<Vec<_>>()
                .join(", ")
        );
        findings.push(match m.in_file {
            // Said where it is written, so an editor shows it there.
            Some(pos) => Finding::new(
                Rule::ImportColumn,
                crate::load::import_map::IMPORT_FILE,
                pos,
                format!(
                    "`columns` names the header `{shown}`, which is not in the header row of {file}, sheet {}: the entry does nothing here",
                    grid.sheet
                ),
            )
            .hint(hint),
            None => Finding::in_cell(
                Rule::ImportColumn,
                file,
                cell(0),
                format!(
                    "--map names the header `{shown}`, which is not in the header row: the map does nothing"
                ),
            )
            .hint(hint),
        });
    }
    Some(Header { row, columns })
}
