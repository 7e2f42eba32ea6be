//! Workbooks made by hand for the bounds tests and the workbook fuzzer:
//! zips of parts (some streamed, so that a test's own memory stays small
//! while it writes a file of hundreds of megabytes), .xlsx logs written
//! with rust_xlsxwriter, and minimal .ods files.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::Path;

use rust_xlsxwriter::{Format, Workbook};

pub const HEADER: [&str; 6] = ["Title", "Date", "Organisation", "Areas", "Kind", "Shows"];

/// Serial 45777: 2025-04-30.
pub const APRIL_30: f64 = 45_777.0;

/// A part's bytes: given, or `head`, `unit` repeated `times`, `tail`
/// (written as a stream).
pub enum Part {
    Bytes(Vec<u8>),
    Repeat {
        head: Vec<u8>,
        unit: Vec<u8>,
        times: usize,
        tail: Vec<u8>,
    },
}

/// Writes a zip of `parts` to `out`, deflated (an ODS's `mimetype` stored).
pub fn zip_to(out: impl Write + std::io::Seek, parts: Vec<(String, Part)>) {
    let mut w = zip::ZipWriter::new(out);
    for (name, part) in parts {
        let method = if name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .large_file(false);
        w.start_file(name, opts).unwrap();
        match part {
            Part::Bytes(b) => w.write_all(&b).unwrap(),
            Part::Repeat {
                head,
                unit,
                times,
                tail,
            } => {
                w.write_all(&head).unwrap();
                // Whole units a megabyte at a time.
                let per = ((1 << 20) / unit.len().max(1)).max(1);
                let block = unit.repeat(per);
                let mut left = times;
                while left >= per {
                    w.write_all(&block).unwrap();
                    left -= per;
                }
                w.write_all(&unit.repeat(left)).unwrap();
                w.write_all(&tail).unwrap();
            }
        }
    }
    w.finish().unwrap();
}

pub fn zip(parts: Vec<(String, Part)>) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    zip_to(&mut out, parts);
    out.into_inner()
}

/// The parts of a zip, in order.
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..a.len())
        .map(|i| {
            let mut e = a.by_index(i).unwrap();
            let mut v = Vec::new();
            e.read_to_end(&mut v).unwrap();
            (e.name().to_owned(), v)
        })
        .collect()
}

/// The parts of `zip` as `Part`s, with `name` replaced by `edit`'s part.
pub fn with_part(zip: &[u8], name: &str, edit: impl FnOnce(String) -> Part) -> Vec<(String, Part)> {
    let mut edit = Some(edit);
    unzip(zip)
        .into_iter()
        .map(|(n, v)| {
            if n == name {
                let text = String::from_utf8(v).unwrap();
                let edit = edit.take().unwrap();
                (n, edit(text))
            } else {
                (n, Part::Bytes(v))
            }
        })
        .collect()
}

/// `zip` with part `name`'s text rewritten by `edit`.
pub fn rewrite(zip_bytes: &[u8], name: &str, edit: impl FnOnce(String) -> String) -> Vec<u8> {
    zip(with_part(zip_bytes, name, |t| {
        Part::Bytes(edit(t).into_bytes())
    }))
}

/// Writes `head`, `unit` `times` times, and `tail` to a file, a megabyte
/// at a time.
pub fn write_repeated(path: &Path, head: &[u8], unit: &[u8], times: usize, tail: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    f.write_all(head).unwrap();
    let per = ((1 << 20) / unit.len().max(1)).max(1);
    let block = unit.repeat(per);
    let mut left = times;
    while left >= per {
        f.write_all(&block).unwrap();
        left -= per;
    }
    f.write_all(&unit.repeat(left)).unwrap();
    f.write_all(tail).unwrap();
    f.flush().unwrap();
}

/// A log with the header in row 1 and one data row at 0-based `row`
/// (`date` a date serial), plus text cells at (row, col).
pub fn xlsx_log(row: u32, date: f64, far: &[(u32, u16, &str)]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Evidence").unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let day = Format::new().set_num_format("dd/mm/yyyy");
    sheet.write_string(row, 0, "Survey of parents").unwrap();
    sheet.write_number_with_format(row, 1, date, &day).unwrap();
    for (c, v) in [(2, "kcc"), (3, "A1"), (4, "data"), (5, "impact")] {
        sheet.write_string(row, c, v).unwrap();
    }
    for (r, c, v) in far {
        sheet.write_string(*r, *c, *v).unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// An .ods whose one sheet, Evidence, is `table` (its rows).
pub fn ods(table: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Evidence">{table}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    zip(vec![
        (
            "mimetype".into(),
            Part::Bytes(b"application/vnd.oasis.opendocument.spreadsheet".to_vec()),
        ),
        (
            "META-INF/manifest.xml".into(),
            Part::Bytes(manifest.as_bytes().to_vec()),
        ),
        ("content.xml".into(), Part::Bytes(content.into_bytes())),
    ])
}

pub fn ods_text(s: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"><text:p>{s}</text:p></table:table-cell>"#
    )
}

pub fn ods_header() -> String {
    format!(
        "<table:table-row>{}</table:table-row>",
        HEADER.iter().map(|h| ods_text(h)).collect::<String>()
    )
}

/// A data row's cells with the date cell `date` (an ODS `office:date-value`).
pub fn ods_data(date: &str) -> String {
    format!(
        r#"{}<table:table-cell office:value-type="date" office:date-value="{date}"><text:p>{date}</text:p></table:table-cell>{}"#,
        ods_text("Survey of parents"),
        ["kcc", "A1", "data", "impact"]
            .iter()
            .map(|v| ods_text(v))
            .collect::<String>()
    )
}
