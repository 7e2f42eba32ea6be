//! A spreadsheet file to a grid of cells: one sheet of an .xlsx, .xlsm,
//! .xls or .ods (calamine, formula cells by their cached value), or a .csv
//! in UTF-8, UTF-16 or Windows-1252. A file that cannot be read at all is an
//! `Unreadable` error (exit 2), never a panic or a huge allocation.

use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader};

use crate::model::Date;

/// Workbooks whose parts would expand past this are refused before reading.
pub const MAX_EXPANDED_BYTES: u64 = 200 * 1024 * 1024;
/// Files larger than this are refused.
pub const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;

/// A cell's value, as the sheet holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// A real date cell.
    Date(Date),
    /// An error cell (`#N/A`, `#REF!`...), as the spreadsheet shows it.
    Error(String),
}

/// One sheet: rows of cells, by 0-based row and column of the sheet.
#[derive(Debug)]
pub struct Grid {
    pub sheet: String,
    pub rows: Vec<Vec<Value>>,
}

/// Why a file could not be read at all.
#[derive(Debug)]
pub struct Unreadable(pub String);

/// Reads `sheet` (default: the first) of the spreadsheet at `path`.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Grid, Unreadable> {
    let name = path.display();
    let meta =
        std::fs::metadata(path).map_err(|e| Unreadable(format!("cannot read {name}: {e}")))?;
    if !meta.is_file() {
        return Err(Unreadable(format!("{name} is not a file")));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Unreadable(format!(
            "{name} is {} MiB; pack imports spreadsheets of at most {} MiB",
            meta.len() >> 20,
            MAX_FILE_BYTES >> 20
        )));
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "csv" => read_csv(path, sheet),
        "xlsx" | "xlsm" | "xls" | "ods" => read_workbook(path, &ext, sheet),
        _ => Err(Unreadable(format!(
            "{name} is not a spreadsheet pack reads: give a .xlsx, .xlsm, .xls, .ods or .csv file"
        ))),
    }
}

fn read_csv(path: &Path, sheet: Option<&str>) -> Result<Grid, Unreadable> {
    let name = path.display();
    let bytes = std::fs::read(path).map_err(|e| Unreadable(format!("cannot read {name}: {e}")))?;
    let text = crate::load::decode::decode(&bytes)
        .map_err(|e| Unreadable(format!("{name} is not text: {}", e.0)))?;
    // A CSV file is one sheet, named after the file as spreadsheets name it.
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Sheet1".to_owned());
    if let Some(s) = sheet
        && s != stem
    {
        return Err(Unreadable(format!(
            "{name} is a CSV file: its one sheet is `{stem}`, not `{s}`"
        )));
    }
    // Excel in the UK writes `,`; some logs use `;` (Excel in much of
    // Europe) or tabs: take whichever the first lines use most.
    let delimiter = guess_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // The csv reader skips blank lines, which are rows to a spreadsheet:
    // a record's position is where the reader began looking for it, so the
    // line breaks between there and its first field are the blank rows.
    let raw = text.as_bytes();
    for record in reader.records() {
        let record = record.map_err(|e| Unreadable(format!("{name} is not valid CSV: {e}")))?;
        let mut b = record.position().map_or(0, |p| p.byte() as usize);
        while b < raw.len() && matches!(raw[b], b'\n' | b'\r') {
            if raw[b] == b'\n' {
                rows.push(Vec::new());
            }
            b += 1;
        }
        rows.push(
            record
                .iter()
                .map(|v| {
                    if v.trim().is_empty() {
                        Value::Empty
                    } else {
                        Value::Text(v.to_owned())
                    }
                })
                .collect(),
        );
    }
    Ok(Grid { sheet: stem, rows })
}

fn guess_delimiter(text: &str) -> u8 {
    let head: String = text.lines().take(20).collect::<Vec<_>>().join("\n");
    let count = |c: char| head.matches(c).count();
    [(b',', count(',')), (b';', count(';')), (b'\t', count('\t'))]
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map_or(b',', |(d, _)| d)
}

fn read_workbook(path: &Path, ext: &str, sheet: Option<&str>) -> Result<Grid, Unreadable> {
    let name = path.display();
    let mut head = [0u8; 8];
    let mut f =
        std::fs::File::open(path).map_err(|e| Unreadable(format!("cannot read {name}: {e}")))?;
    let n = f.read(&mut head).unwrap_or(0);
    let ole = n == 8 && head == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    let zip = n >= 4 && head[..4] == *b"PK\x03\x04";
    if ext != "xls" {
        if ole {
            // An .xlsx or .ods saved with a password is an OLE container.
            return Err(Unreadable(format!(
                "{name} is encrypted (password-protected): save a copy without a password and import that"
            )));
        }
        if !zip {
            return Err(Unreadable(format!(
                "{name} is not a .{ext} workbook (it may be damaged)"
            )));
        }
        check_expansion(path)?;
    } else if !ole {
        return Err(Unreadable(format!(
            "{name} is not an .xls workbook (it may be damaged)"
        )));
    }
    let mut book = calamine::open_workbook_auto(path)
        .map_err(|e| Unreadable(format!("cannot read {name}: {e}")))?;
    let names = book.sheet_names();
    let chosen = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(s)))
            .cloned()
            .ok_or_else(|| {
                Unreadable(format!(
                    "{name} has no sheet `{s}`; its sheets are {}",
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Unreadable(format!("{name} has no sheets")))?,
    };
    let range = book
        .worksheet_range(&chosen)
        .map_err(|e| Unreadable(format!("cannot read sheet `{chosen}` of {name}: {e}")))?;
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<Vec<Value>> = vec![Vec::new(); top as usize];
    for row in range.rows() {
        let mut cells = vec![Value::Empty; left as usize];
        cells.extend(row.iter().map(value));
        rows.push(cells);
    }
    Ok(Grid {
        sheet: chosen,
        rows,
    })
}

/// Refuses a zip-based workbook whose parts would expand past the limit,
/// from the sizes its central directory declares, before anything is
/// decompressed.
fn check_expansion(path: &Path) -> Result<(), Unreadable> {
    let name = path.display();
    let f =
        std::fs::File::open(path).map_err(|e| Unreadable(format!("cannot read {name}: {e}")))?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(f)).map_err(|e| {
        Unreadable(format!(
            "{name} is not a workbook pack can read (it may be damaged): {e}"
        ))
    })?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| Unreadable(format!("{name} is damaged: {e}")))?;
        total = total.saturating_add(entry.size());
        if total > MAX_EXPANDED_BYTES {
            return Err(Unreadable(format!(
                "{name} would expand to more than {} MiB; pack refuses it before reading (a workbook that large is likely not an evidence log, or is built to exhaust memory)",
                MAX_EXPANDED_BYTES >> 20
            )));
        }
    }
    Ok(())
}

fn value(d: &Data) -> Value {
    match d {
        Data::Empty => Value::Empty,
        Data::String(s) if s.trim().is_empty() => Value::Empty,
        Data::String(s) => Value::Text(s.clone()),
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(dt) => match dt
            .as_datetime()
            .and_then(|t| Date::parse(&t.date().to_string()).ok())
        {
            Some(date) => Value::Date(date),
            None => Value::Number(dt.as_f64()),
        },
        Data::DateTimeIso(s) => match s.get(..10).and_then(|d| Date::parse(d).ok()) {
            Some(date) => Value::Date(date),
            None => Value::Text(s.clone()),
        },
        Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Error(e) => Value::Error(e.to_string()),
    }
}
