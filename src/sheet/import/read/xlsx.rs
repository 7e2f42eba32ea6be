//! .xlsx and .xlsm: the zip parts are pre-scanned (decompressed once,
//! counted, shared strings counted as they are) before calamine opens the
//! workbook, and the sheet is then read cell by cell with calamine's cell
//! reader, so nothing is sized from the sheet's declared dimension.

use std::io::{BufReader, Read};
use std::path::Path;

use calamine::{DataRef, Reader, Xlsx, XlsxError};
use quick_xml::XmlVersion;
use quick_xml::events::Event;

use super::grid::{Builder, Grid, Value};
use super::limits::{self, MAX_SHARED_STRINGS};
use super::{Unreadable, choose, dates, zipped};

pub fn read(path: &Path, name: &str, sheet: Option<&str>) -> Result<Grid, Unreadable> {
    prescan(path, name)?;
    let f =
        std::fs::File::open(path).map_err(|e| Unreadable(format!("cannot read {name}: {e}")))?;
    let mut book: Xlsx<_> =
        Xlsx::new(BufReader::new(f)).map_err(|e| Unreadable(format!("cannot read {name}: {e}")))?;
    let chosen = choose(&book.sheet_names(), sheet, name)?;
    let mut cells = Builder::new(name);
    let mut reader = match book.worksheet_cells_reader(&chosen) {
        Ok(r) => r,
        // A chart sheet or dialog sheet holds no cells.
        Err(XlsxError::NotAWorksheet(_)) => return Ok(cells.finish(chosen)),
        Err(e) => {
            return Err(Unreadable(format!(
                "cannot read sheet `{chosen}` of {name}: {e}"
            )));
        }
    };
    loop {
        match reader.next_cell() {
            Ok(Some(cell)) => {
                let (row, col) = cell.get_position();
                cells.push(row.into(), col.into(), value(cell.get_value()))?;
            }
            Ok(None) => break,
            Err(e) => {
                return Err(Unreadable(format!(
                    "cannot read sheet `{chosen}` of {name}: {e}"
                )));
            }
        }
    }
    Ok(cells.finish(chosen))
}

/// Parts calamine keeps in memory whole when it opens a workbook.
fn held(part: &str) -> bool {
    let p = part.to_ascii_lowercase();
    p.ends_with("sharedstrings.xml")
        || p.ends_with("styles.xml")
        || p.ends_with("workbook.xml")
        || p.ends_with(".rels")
}

/// Bounds every part, and the shared strings by the count they declare
/// (calamine reserves room for it) and the strings they really hold.
fn prescan(path: &Path, name: &str) -> Result<(), Unreadable> {
    let mut archive = zipped::open(path, name)?;
    zipped::check(&mut archive, name, held, |part, r| {
        if part.to_ascii_lowercase().ends_with("sharedstrings.xml") {
            shared_strings(r, name)
        } else {
            Ok(())
        }
    })
}

fn shared_strings(r: &mut dyn Read, name: &str) -> Result<(), Unreadable> {
    let too_many = |what: &str, n: u64| {
        Unreadable(format!(
            "{name} {what} {} shared strings, more than the {} pack reads; pack refuses it",
            limits::n(n),
            limits::n(MAX_SHARED_STRINGS)
        ))
    };
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(r));
    let mut buf = Vec::new();
    let mut count: u64 = 0;
    loop {
        buf.clear();
        // A damaged part is for calamine to report; only counts matter here.
        let Ok(event) = xml.read_event_into(&mut buf) else {
            return Ok(());
        };
        match event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "sst" => {
                    // A count that is no number is ignored, as calamine does.
                    let declared = e
                        .try_get_attribute("uniqueCount")
                        .ok()
                        .flatten()
                        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok())
                        .and_then(|v| v.trim().parse::<u128>().ok());
                    if let Some(n) = declared
                        && n > u128::from(MAX_SHARED_STRINGS)
                    {
                        return Err(too_many("declares", u64::try_from(n).unwrap_or(u64::MAX)));
                    }
                }
                "si" => {
                    count += 1;
                    if count > MAX_SHARED_STRINGS {
                        return Err(too_many("holds more than", MAX_SHARED_STRINGS));
                    }
                }
                _ => {}
            },
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

fn value(d: &DataRef) -> Value {
    match d {
        DataRef::Empty => Value::Empty,
        DataRef::String(s) => Value::Text(s.clone()),
        DataRef::SharedString(s) => Value::Text((*s).to_owned()),
        DataRef::Int(i) => Value::Number(*i as f64),
        DataRef::Float(f) => Value::Number(*f),
        DataRef::Bool(b) => Value::Bool(*b),
        DataRef::DateTime(dt) if dt.is_duration() => Value::Number(dt.as_f64()),
        DataRef::DateTime(dt) => dates::from_serial(dt.as_f64(), dt.is_1904()),
        DataRef::DateTimeIso(s) => dates::from_iso(s),
        DataRef::DurationIso(s) => Value::Text(s.clone()),
        DataRef::Error(e) => Value::Error(e.to_string()),
    }
}
