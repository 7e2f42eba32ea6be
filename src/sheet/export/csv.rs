//! The Evidence table as CSV: RFC 4180 (quotes where needed, CRLF line
//! ends), UTF-8 without a byte-order mark, dates as ISO `YYYY-MM-DD`. No BOM:
//! `pack import` reads UTF-8 either way and so do LibreOffice and Google
//! Sheets; Excel guesses Windows-1252 for a file without one, which only
//! matters for text beyond ASCII, and a .xlsx export is the file for Excel.
//! Text that starts with a formula character (`=`, `+`, `-`, `@`, a tab or a
//! carriage return) gets a leading `'`, so that a spreadsheet opening the
//! file shows it as text rather than running it (`=HYPERLINK(...)` in a
//! title would otherwise be a live link); import takes the `'` off again
//! (`sheet::cell_text`).

use anyhow::{Context, Result};

use super::table::{Table, Value};
use crate::sheet::cell_text::csv_escape;

pub fn write(table: &Table) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(table.headers.iter().map(|h| csv_escape(h).into_owned()))?;
    for row in &table.rows {
        w.write_record(row.iter().map(|v| match v {
            // Numbers and dates are written by pack, never as a formula.
            Value::Number(_) | Value::Date(_) | Value::Blank => v.as_text(),
            Value::Text(s) | Value::Url(s) | Value::File { text: s, .. } => {
                csv_escape(s).into_owned()
            }
        }))?;
    }
    w.into_inner().context("cannot write the CSV")
}
