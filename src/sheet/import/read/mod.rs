//! A spreadsheet file to a sparse grid of cells: one sheet of an .xlsx,
//! .xlsm (calamine's cell reader, after a pre-scan of the zip parts), .xls
//! (a patched calamine, vendor/calamine), .ods (a streaming reader of its
//! content.xml) or a .csv in UTF-8, UTF-16 or Windows-1252 (read as a
//! stream). Formula cells are read by their cached value. Nothing is sized
//! from what a file declares: every reader counts what it finds against
//! `limits`, and a file that cannot be read at all, or passes a limit, is an
//! `Unreadable` error (exit 2), never a panic or a huge allocation.

mod csv;
mod dates;
mod grid;
pub mod limits;
mod ods;
mod xls;
mod xlsx;
mod zipped;

use std::io::Read;
use std::path::Path;

pub use grid::{Grid, Row, Rows, RowsIter, Value};

/// Why a file could not be read at all.
#[derive(Debug)]
pub struct Unreadable(pub String);

/// Reads `sheet` (default: the first) of the spreadsheet at `path`.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Grid, Unreadable> {
    let name = path.display().to_string();
    let meta =
        std::fs::metadata(path).map_err(|e| Unreadable(format!("cannot read {name}: {e}")))?;
    if !meta.is_file() {
        return Err(Unreadable(format!("{name} is not a file")));
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let most = if ext == "xls" {
        limits::MAX_XLS_BYTES
    } else {
        limits::MAX_FILE_BYTES
    };
    if meta.len() > most {
        return Err(Unreadable(format!(
            "{name} is {} MiB; pack imports .{ext} files of at most {} MiB",
            meta.len() >> 20,
            most >> 20
        )));
    }
    match ext.as_str() {
        "csv" => csv::read(path, &name, sheet),
        "xlsx" | "xlsm" | "ods" => {
            let head = head(path, &name)?;
            if head.starts_with(&OLE) {
                // An .xlsx or .ods saved with a password is an OLE container.
                return Err(Unreadable(format!(
                    "{name} is encrypted (password-protected): save a copy without a password and import that"
                )));
            }
            if !head.starts_with(b"PK\x03\x04") {
                return Err(Unreadable(format!(
                    "{name} is not a .{ext} workbook (it may be damaged)"
                )));
            }
            if ext == "ods" {
                ods::read(path, &name, sheet)
            } else {
                xlsx::read(path, &name, sheet)
            }
        }
        "xls" => {
            if !head(path, &name)?.starts_with(&OLE) {
                return Err(Unreadable(format!(
                    "{name} is not an .xls workbook (it may be damaged)"
                )));
            }
            xls::read(path, &name, sheet)
        }
        _ => Err(Unreadable(format!(
            "{name} is not a spreadsheet pack reads: give a .xlsx, .xlsm, .xls, .ods or .csv file"
        ))),
    }
}

const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The first bytes of the file (fewer when it is shorter).
fn head(path: &Path, name: &str) -> Result<Vec<u8>, Unreadable> {
    let f =
        std::fs::File::open(path).map_err(|e| Unreadable(format!("cannot read {name}: {e}")))?;
    let mut head = Vec::with_capacity(8);
    f.take(8)
        .read_to_end(&mut head)
        .map_err(|e| Unreadable(format!("cannot read {name}: {e}")))?;
    Ok(head)
}

/// The sheet asked for among `names` (exact, then ignoring ASCII case), or
/// the first.
fn choose(names: &[String], sheet: Option<&str>, file: &str) -> Result<String, Unreadable> {
    match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(s)))
            .cloned()
            .ok_or_else(|| {
                Unreadable(format!(
                    "{file} has no sheet `{s}`; its sheets are {}",
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            }),
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Unreadable(format!("{file} has no sheets"))),
    }
}
