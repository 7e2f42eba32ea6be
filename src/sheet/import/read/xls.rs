//! .xls (BIFF): calamine parses every sheet when it opens the workbook;
//! the vendored copy (vendor/calamine/PATCHES.md) keeps cells sparse,
//! reserves nothing from the declared DIMENSIONS and stops past the cell
//! limit, and the file is held to `MAX_XLS_BYTES` since it is read whole.

use std::io::BufReader;
use std::path::Path;

use calamine::{Data, Reader, Xls, XlsError, XlsOptions};

use super::grid::{Builder, Grid, Value};
use super::limits::{self, MAX_CELLS};
use super::{Unreadable, choose, dates};

pub fn read(path: &Path, name: &str, sheet: Option<&str>) -> Result<Grid, Unreadable> {
    let f =
        std::fs::File::open(path).map_err(|e| Unreadable(format!("cannot read {name}: {e}")))?;
    let mut options = XlsOptions::default();
    options.max_cells = Some(MAX_CELLS);
    let book = Xls::new_with_options(BufReader::new(f), options).map_err(|e| match e {
        XlsError::CellLimit(n) => Unreadable(format!(
            "{name} has more than {} non-empty cells (an .xls is read whole, so this counts every sheet); pack refuses it",
            limits::n(n as u64)
        )),
        XlsError::Password => Unreadable(format!(
            "{name} is encrypted (password-protected): save a copy without a password and import that"
        )),
        e => Unreadable(format!("cannot read {name}: {e}")),
    })?;
    let chosen = choose(&book.sheet_names(), sheet, name)?;
    let mut cells = Builder::new(name);
    for cell in book.worksheet_cells(&chosen).unwrap_or_default() {
        let (row, col) = cell.get_position();
        cells.push(row.into(), col.into(), value(cell.get_value()))?;
    }
    Ok(cells.finish(chosen))
}

fn value(d: &Data) -> Value {
    match d {
        Data::Empty => Value::Empty,
        Data::String(s) => Value::Text(s.clone()),
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(dt) if dt.is_duration() => Value::Number(dt.as_f64()),
        Data::DateTime(dt) => dates::from_serial(dt.as_f64(), dt.is_1904()),
        Data::DateTimeIso(s) => dates::from_iso(s),
        Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Error(e) => Value::Error(e.to_string()),
    }
}
