//! The Evidence table as CSV: RFC 4180 (quotes where needed, CRLF line
//! ends), UTF-8 without a byte-order mark, dates as ISO `YYYY-MM-DD`. No BOM:
//! `pack import` reads UTF-8 either way and so do LibreOffice and Google
//! Sheets; Excel guesses Windows-1252 for a file without one, which only
//! matters for text beyond ASCII, and a .xlsx export is the file for Excel.

use anyhow::{Context, Result};

use super::table::Table;

pub fn write(table: &Table) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(&table.headers)?;
    for row in &table.rows {
        w.write_record(row.iter().map(|v| v.as_text()))?;
    }
    w.into_inner().context("cannot write the CSV")
}
