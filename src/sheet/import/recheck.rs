//! The YAML an import would write, checked exactly as `pack check` will
//! see it (the repository loaded with those files laid over it), and every
//! finding in one of those files put back on the cell its line came from.
//! Then every message is masked: a cell, an id or a path may hold an NHS
//! number or a UPN (spec section 3).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use anyhow::Result;

use crate::finding::{Cell, Finding};
use crate::load::Overlay;
use crate::sheet::Field;

/// Where each laid-over file came from.
pub struct Placed<'a> {
    /// For each file: its row (0-based) and the field of each of its lines.
    pub origin: &'a HashMap<String, (usize, Vec<Option<Field>>)>,
    /// Required fields already said to be empty, by row: not said twice.
    pub empty_required: &'a BTreeSet<(usize, Field)>,
    /// The column of each field.
    pub field_col: &'a BTreeMap<Field, usize>,
    /// The column for a finding about no field in particular.
    pub first_col: usize,
    pub sheet: &'a str,
    pub file_name: &'a str,
}

/// Checks `overlay` and adds its findings, at their cells, to `findings`
/// (one finding per cell: a cell already reported is not reported again).
pub fn onto_cells(
    root: &Path,
    overlay: &Overlay,
    at: &Placed,
    findings: &mut Vec<Finding>,
) -> Result<()> {
    if overlay.yaml.is_empty() {
        return Ok(());
    }
    let checked = crate::pipeline::check_overlaid(root, overlay)?;
    let taken: BTreeSet<(u32, u32)> = findings
        .iter()
        .filter_map(|f| f.cell.as_ref().map(|c| (c.row, c.column)))
        .collect();
    for f in checked {
        let Some((row, lines)) = at.origin.get(&f.file) else {
            continue;
        };
        let field = lines
            .get(f.line.saturating_sub(1) as usize)
            .copied()
            .flatten();
        let column = field
            .and_then(|fl| at.field_col.get(&fl))
            .copied()
            .unwrap_or(at.first_col);
        if taken.contains(&(*row as u32 + 1, column as u32 + 1)) {
            continue;
        }
        let said_empty = at.empty_required.iter().any(|(r, fl)| {
            r == row
                && f.message
                    .contains(&format!("required field `{}`", fl.column().key))
        });
        if said_empty {
            continue;
        }
        let cell = Cell {
            sheet: at.sheet.to_owned(),
            row: *row as u32 + 1,
            column: column as u32 + 1,
        };
        let mut g = Finding::in_cell(f.rule, at.file_name, cell, f.message.clone());
        g.severity = f.severity;
        g.hint = f.hint.as_deref().map(|h| in_sheet_words(h, field));
        g.subject = f.subject.clone();
        findings.push(g);
    }
    Ok(())
}

/// A hint `pack check` gives for a YAML file, said of the sheet instead: a
/// hint that speaks of YAML keys or "this file" becomes one of columns and
/// cells (spec 6.2); any other is kept.
fn in_sheet_words(hint: &str, field: Option<Field>) -> String {
    let outside = hint.to_lowercase().replace("plan/plan.yaml", "");
    let speaks_yaml = outside.contains("yaml")
        || outside.contains("this file")
        || outside.contains(": [")
        || outside.contains("`letter`")
        || crate::sheet::COLUMNS
            .iter()
            .any(|c| hint.contains(&format!("`{}", c.key)));
    if !speaks_yaml {
        return hint.to_owned();
    }
    match field {
        Some(Field::File) => "put the attachment in the repository (or import with --files FOLDER) and write its name in the File column".to_owned(),
        Some(Field::Areas) => "put an area id such as A1 in the Areas column".to_owned(),
        Some(Field::RespondsTo) => "put the id of a point of a visit's letter, as the plan lists them, in the Responds to column".to_owned(),
        Some(f) => format!("correct the cell in the {} column", f.column().header),
        None => "correct the row's cells".to_owned(),
    }
}

/// Every message and hint with personal identifiers masked.
pub fn mask(findings: &mut [Finding]) {
    for f in findings {
        if let std::borrow::Cow::Owned(m) = crate::pii::mask_all(&f.message) {
            f.message = m;
        }
        if let Some(h) = &f.hint
            && let std::borrow::Cow::Owned(m) = crate::pii::mask_all(h)
        {
            f.hint = Some(m);
        }
    }
}
