//! Spec 6.1 on the real binary: a spreadsheet is read within bounds
//! whatever it declares, sparsely however far apart its cells are, with the
//! rows a spreadsheet shows, and date cells before 1900-03-01 or holding a
//! time are errors at the cell. Each refused file must end with exit 2 and
//! the limit it passes, and each run's own peak memory (wait4 on its pid)
//! must stay under 300 MB; `--nocapture` prints every run's peak.

mod child;
mod common;
mod workbooks;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::*;
use rust_xlsxwriter::{Format, Workbook};
use workbooks::*;

const MAX_MIB: f64 = 300.0 * 1_000_000.0 / 1_048_576.0;

/// `pack import FILE --dry-run ARGS` in `f`, measured; the time bound
/// only catches hangs.
fn import(f: &Fixture, file: &Path, extra: &[&str]) -> child::Run {
    let mut args = vec!["import", file.to_str().unwrap(), "--dry-run"];
    args.extend_from_slice(extra);
    let run = child::pack(f.path(), &args, Duration::from_secs(120));
    eprintln!(
        "peak {:>6.1} MiB (floor {:>5.1}), exit {:?}, {:.1} s: {}",
        run.peak_mib,
        run.floor_mib,
        run.code,
        run.took.as_secs_f64(),
        file.file_name().unwrap().to_string_lossy()
    );
    assert!(!run.killed_for_time, "{} hung", file.display());
    assert_eq!(run.signal, None, "{}: killed by a signal", file.display());
    assert!(
        run.peak_mib < MAX_MIB,
        "{}: peak memory {:.1} MiB",
        file.display(),
        run.peak_mib
    );
    run
}

/// Refused with exit 2, naming `limit`.
fn refused(f: &Fixture, file: &Path, limit: &str) {
    let run = import(f, file, &[]);
    assert_eq!(run.code, Some(2), "{}: {}", file.display(), run.output());
    assert!(
        run.stderr.contains(limit),
        "{}: expected `{limit}` in: {}",
        file.display(),
        run.output()
    );
}

/// Read, and its one data row would be created from `row`.
fn imported_from_row(f: &Fixture, file: &Path, row: u32) {
    let run = import(f, file, &[]);
    assert_eq!(run.code, Some(0), "{}: {}", file.display(), run.output());
    assert!(
        run.stdout.contains(&format!(") from row {row}\n")),
        "{}: expected row {row}: {}",
        file.display(),
        run.output()
    );
}

fn write(f: &Fixture, name: &str, bytes: &[u8]) -> PathBuf {
    f.write_bytes(&format!("in/{name}"), bytes);
    f.file(&format!("in/{name}"))
}

// ---- Sparse: far cells inside the limits are read, as cells ----

#[test]
fn far_apart_cells_inside_the_limits_import_at_their_real_rows() {
    let f = Fixture::new();
    // Cells at A1 and XFD1048576: the data row is the sheet's last row, and
    // its far cell is in the last column.
    let xlsx = write(
        &f,
        "far.xlsx",
        &xlsx_log(1_048_575, APRIL_30, &[(1_048_575, 16_383, "far")]),
    );
    imported_from_row(&f, &xlsx, 1_048_576);

    // The same in ODS, its empty rows and columns declared by repeats.
    let table = format!(
        r#"{}<table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="16384"/></table:table-row><table:table-row>{}<table:table-cell table:number-columns-repeated="16377"/>{}</table:table-row><table:table-row table:number-rows-repeated="1000000000"><table:table-cell table:number-columns-repeated="1000000000"/></table:table-row>"#,
        ods_header(),
        ods_data("2025-04-30"),
        ods_text("far")
    );
    let ods = write(&f, "far.ods", &ods(&table));
    imported_from_row(&f, &ods, 1_048_576);

    // And in .xls, as LibreOffice saves it: cells at A1 and IV65536.
    let src = write(
        &f,
        "far-xls.xlsx",
        &xlsx_log(65_535, APRIL_30, &[(65_535, 255, "far")]),
    );
    let out = f.file("xls");
    let xls = soffice(&src, "xls", None, &out).remove(0);
    imported_from_row(&f, &xls, 65_536);
}

#[test]
fn declared_dimensions_are_not_trusted() {
    let f = Fixture::new();
    let small = xlsx_log(1, APRIL_30, &[]);
    // A sheet that declares every cell of a sheet and holds seven rows.
    let huge = rewrite(&small, "xl/worksheets/sheet1.xml", |x| {
        regex::Regex::new(r#"<dimension ref="[^"]*"/>"#)
            .unwrap()
            .replace(&x, r#"<dimension ref="A1:XFD1048576"/>"#)
            .into_owned()
    });
    assert_ne!(huge, small);
    let xlsx = write(&f, "dimension.xlsx", &huge);
    imported_from_row(&f, &xlsx, 2);

    // An .xls whose DIMENSIONS record claims 4 billion rows and 65,535
    // columns (BIFF8: rwMic, rwMac u32, colMic, colMac u16).
    let src = write(&f, "dims.xlsx", &small);
    let xls = soffice(&src, "xls", None, &f.file("xls")).remove(0);
    let mut bytes = std::fs::read(&xls).unwrap();
    let at = bytes
        .windows(4)
        .position(|w| w == [0x00, 0x02, 0x0E, 0x00])
        .expect("a DIMENSIONS record");
    bytes[at + 8..at + 12].copy_from_slice(&u32::MAX.to_le_bytes());
    bytes[at + 14..at + 16].copy_from_slice(&u16::MAX.to_le_bytes());
    let xls = write(&f, "dims.xls", &bytes);
    imported_from_row(&f, &xls, 2);
}

// ---- Refused: past a limit, in bounded memory ----

#[test]
fn workbooks_past_a_limit_are_refused_in_bounded_memory() {
    let f = Fixture::new();
    let small = xlsx_log(1, APRIL_30, &[]);

    // A shared-strings table declaring 4 billion strings.
    let bomb = rewrite(&small, "xl/sharedStrings.xml", |x| {
        regex::Regex::new(r#"uniqueCount="\d+""#)
            .unwrap()
            .replace(&x, r#"uniqueCount="4000000000""#)
            .into_owned()
    });
    refused(&f, &write(&f, "unique.xlsx", &bomb), "2,000,000 pack reads");

    // A cell below row 1,048,576, and one right of column XFD.
    let far = xlsx_log(1_048_575, APRIL_30, &[(1_048_575, 16_383, "far")]);
    let below = rewrite(&far, "xl/worksheets/sheet1.xml", |x| {
        x.replace("1048576\"", "1048577\"")
    });
    refused(&f, &write(&f, "below.xlsx", &below), "1,048,576 rows");
    let right = rewrite(&far, "xl/worksheets/sheet1.xml", |x| {
        x.replace("\"XFD1048576\"", "\"XFE1048576\"")
    });
    refused(&f, &write(&f, "right.xlsx", &right), "16,384 columns");

    // 2,000,100 number cells (cell positions by order, as Excel allows).
    let many = f.file("in/many.xlsx");
    zip_to(
        std::fs::File::create(&many).unwrap(),
        with_part(&small, "xl/worksheets/sheet1.xml", |x| {
            let start = x.find("<sheetData>").unwrap() + "<sheetData>".len();
            let end = x.find("</sheetData>").unwrap();
            Part::Repeat {
                head: x.as_bytes()[..start].to_vec(),
                unit: format!("<row>{}</row>", "<c><v>1</v></c>".repeat(100)).into_bytes(),
                times: 20_001,
                tail: x.as_bytes()[end..].to_vec(),
            }
        }),
    );
    refused(&f, &many, "2,000,000 non-empty cells");

    // One 1 MiB shared string in 70 cells: 70 MiB of text.
    let long = rewrite(&small, "xl/sharedStrings.xml", |x| {
        x.replace("Survey of parents", &"x".repeat(1 << 20))
    });
    let long = rewrite(&long, "xl/worksheets/sheet1.xml", |x| {
        let end = x.find("</sheetData>").unwrap();
        let cells: String = (0..70)
            .map(|c| format!(r#"<c r="{}3" t="s"><v>6</v></c>"#, column(c + 6)))
            .collect();
        format!("{}<row r=\"3\">{cells}</row>{}", &x[..end], &x[end..])
    });
    refused(&f, &write(&f, "text.xlsx", &long), "MiB of text");

    // A part that expands past 200 MiB (a few hundred KiB compressed).
    let zeros = zeros(&f, "expands.xlsx");
    refused(&f, &zeros, "200 MiB");
    // The same with every size declared as 1,000 bytes: what is
    // decompressed is counted, whatever the archive says.
    let lies = lie_about_sizes(&std::fs::read(zeros).unwrap());
    let run = import(&f, &write(&f, "lies.xlsx", &lies), &[]);
    assert_eq!(run.code, Some(2), "{}", run.output());
}

/// A log with a part of 210 MiB of zeros, written as a stream.
fn zeros(f: &Fixture, name: &str) -> PathBuf {
    let mut parts: Vec<(String, Part)> = unzip(&xlsx_log(1, APRIL_30, &[]))
        .into_iter()
        .map(|(n, v)| (n, Part::Bytes(v)))
        .collect();
    parts.push((
        "xl/media/zeros.bin".into(),
        Part::Repeat {
            head: Vec::new(),
            unit: vec![0u8; 1 << 20],
            times: 210,
            tail: Vec::new(),
        },
    ));
    let path = f.file(&format!("in/{name}"));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    zip_to(std::fs::File::create(&path).unwrap(), parts);
    path
}

/// Column letters of a 0-based column.
fn column(mut c: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap()
}

/// Sets every entry's declared uncompressed size (local headers and
/// central directory) to 1,000 bytes.
fn lie_about_sizes(zip: &[u8]) -> Vec<u8> {
    let mut b = zip.to_vec();
    let mut i = 0;
    while i + 30 <= b.len() {
        match b[i..i + 4] {
            [0x50, 0x4B, 0x03, 0x04] => {
                b[i + 22..i + 26].copy_from_slice(&1000u32.to_le_bytes());
                i += 30;
            }
            [0x50, 0x4B, 0x01, 0x02] if i + 46 <= b.len() => {
                b[i + 24..i + 28].copy_from_slice(&1000u32.to_le_bytes());
                i += 46;
            }
            _ => i += 1,
        }
    }
    b
}

#[test]
fn ods_repeats_past_a_limit_are_refused_in_bounded_memory() {
    let f = Fixture::new();
    // The 1 KiB bomb: 6,000 rows of 16,384 copies of a number.
    let table = r#"<table:table-row table:number-rows-repeated="6000"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>"#;
    let bytes = ods(table);
    assert!(bytes.len() < 2048, "{}", bytes.len());
    refused(
        &f,
        &write(&f, "repeat.ods", &bytes),
        "2,000,000 non-empty cells",
    );
    // One row whose one cell is repeated a billion times.
    let table = format!(
        r#"{}<table:table-row><table:table-cell table:number-columns-repeated="1000000000" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#,
        ods_header()
    );
    refused(
        &f,
        &write(&f, "columns.ods", &ods(&table)),
        "16,384 columns",
    );
    // A non-empty row repeated past the last row.
    let table = format!(
        r#"{}<table:table-row table:number-rows-repeated="2000000">{}</table:table-row>"#,
        ods_header(),
        ods_text("x")
    );
    refused(&f, &write(&f, "rows.ods", &ods(&table)), "1,048,576 rows");
    // A cell whose text is a trillion spaces.
    let table = format!(
        r#"{}<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="1000000000000"/>b</text:p></table:table-cell></table:table-row>"#,
        ods_header()
    );
    refused(&f, &write(&f, "spaces.ods", &ods(&table)), "MiB of text");
}

#[test]
fn csv_past_a_limit_is_refused_in_bounded_memory() {
    let f = Fixture::new();
    let header = "Title,Date,Organisation,Areas,Kind,Shows\n";
    // 150 MB of blank lines.
    let blank = f.file("in/blank.csv");
    write_repeated(&blank, b"", b"\n", 150_000_000, b"");
    refused(&f, &blank, "1,000,000 records");
    // One row of 150 million commas.
    let commas = f.file("in/commas.csv");
    write_repeated(&commas, header.as_bytes(), b",", 150_000_000, b"");
    refused(&f, &commas, "16,384 columns");
    // One quoted field of 3 MiB.
    let giant = format!("{header}\"{}\",2025-04-30\n", "x".repeat(3 << 20));
    refused(
        &f,
        &write(&f, "giant.csv", giant.as_bytes()),
        "longer than 1 MiB",
    );
    // 1,000,001 short records.
    let short = f.file("in/short.csv");
    write_repeated(&short, header.as_bytes(), b"a\n", 1_000_000, b"");
    refused(&f, &short, "1,000,000 records");
    // UTF-16 (with its byte-order mark) blank lines, CRLF.
    let utf16 = f.file("in/utf16.csv");
    write_repeated(&utf16, &[0xFF, 0xFE], &[b'\r', 0, b'\n', 0], 1_100_000, b"");
    refused(&f, &utf16, "1,000,000 records");
    // Two million one-cell rows, each ended by a lone CR.
    let cr = f.file("in/cr.csv");
    write_repeated(&cr, header.as_bytes(), b"a\r", 2_000_000, b"");
    refused(&f, &cr, "1,000,000 records");
}

// ---- Rows are what a spreadsheet shows ----

/// A log whose second row is a quoted cell over two lines, third row
/// blank, fourth row a valid item (or, `bad`, one whose date is no date).
fn rows_csv(eol: &str, bad: bool) -> String {
    let date = if bad { "not a date" } else { "30/04/2025" };
    format!(
        "Title,Date,Organisation,Areas,Kind,Shows{eol}\"Survey of{eol}parents\",30/04/2025,kcc,A1,data,impact{eol}{eol}Visit notes,{date},kcc,A1,data,impact{eol}"
    )
}

#[test]
fn csv_rows_are_the_rows_libreoffice_shows() {
    for (eol, name) in [("\n", "lf"), ("\r\n", "crlf"), ("\r", "cr")] {
        let f = Fixture::new();
        let good = write(&f, &format!("{name}.csv"), rows_csv(eol, false).as_bytes());
        let bad = write(
            &f,
            &format!("{name}bad.csv"),
            rows_csv(eol, true).as_bytes(),
        );

        // LibreOffice's own reading of the same files, saved as .xlsx.
        let xlsx = soffice(&bad, "xlsx", Some("CSV:44,34,76,1,,2057"), &f.file("lo")).remove(0);
        let shown = sheets_as_csv(&xlsx).remove(0).1;
        let lo_row = shown
            .iter()
            .position(|r| r.first().is_some_and(|c| c == "Visit notes"))
            .unwrap_or_else(|| panic!("{name}: {shown:?}"))
            + 1;
        assert_eq!(lo_row, 4, "{name}: LibreOffice shows {shown:?}");

        let run = import(&f, &good, &[]);
        assert_eq!(run.code, Some(0), "{name}: {}", run.output());
        assert!(
            run.stdout.contains(") from row 2\n") && run.stdout.contains(") from row 4\n"),
            "{name}: {}",
            run.stdout
        );
        for file in [&bad, &xlsx] {
            let run = import(&f, file, &["--format", "json"]);
            assert_eq!(run.code, Some(1), "{name}: {}", run.output());
            let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
            let finding = one(&json, "schema");
            assert_eq!(finding["line"], lo_row as u64, "{name}: {finding}");
            assert_eq!(
                finding["cell"],
                format!("{name}bad!B{lo_row}"),
                "{name}: {finding}"
            );
        }
    }
}

#[test]
fn the_from_row_comment_names_the_row_libreoffice_shows() {
    let f = Fixture::new();
    let csv = write(&f, "log.csv", rows_csv("\r\n", false).as_bytes());
    let run = child::pack(
        f.path(),
        &["import", csv.to_str().unwrap()],
        Duration::from_secs(60),
    );
    assert_eq!(run.code, Some(0), "{}", run.output());
    let written: Vec<String> = std::fs::read_dir(f.file("evidence/2025"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .filter(|t| t.contains("Imported by pack"))
        .collect();
    assert_eq!(written.len(), 2, "{written:?}");
    let rows: Vec<bool> = [2, 4]
        .iter()
        .map(|r| {
            written
                .iter()
                .any(|t| t.contains(&format!("sheet log, row {r}.")))
        })
        .collect();
    assert_eq!(rows, [true, true], "{written:?}");
}

// ---- Dates in cells ----

/// Rows 2.. hold one date cell each, by serial; the findings by row.
fn date_findings(f: &Fixture, file: &Path) -> Vec<(u64, String)> {
    let run = import(f, file, &["--format", "json"]);
    assert!(matches!(run.code, Some(0 | 1)), "{}", run.output());
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let mut out: Vec<(u64, String)> = findings(&json, "schema")
        .iter()
        .map(|x| {
            (
                x["line"].as_u64().unwrap(),
                x["cell"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

const SERIALS: [f64; 5] = [60.0, 0.0, -1.0, APRIL_30 + 0.5, 61.0];

#[test]
fn date_cells_before_march_1900_or_with_a_time_are_errors_at_the_cell() {
    let f = Fixture::new();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Evidence").unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let day = Format::new().set_num_format("dd/mm/yyyy");
    for (i, serial) in SERIALS.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_string(r, 0, format!("Item {r}")).unwrap();
        sheet.write_number_with_format(r, 1, *serial, &day).unwrap();
        for (c, v) in [(2, "kcc"), (3, "A1"), (4, "data"), (5, "impact")] {
            sheet.write_string(r, c, v).unwrap();
        }
    }
    let xlsx = write(&f, "dates.xlsx", &book.save_to_buffer().unwrap());
    let bad: Vec<(u64, String)> = (2..=5).map(|r| (r, format!("Evidence!B{r}"))).collect();
    assert_eq!(date_findings(&f, &xlsx), bad);

    // The same cells as LibreOffice saves them in .xls: its serial for
    // 1900-02-28 and before, a time of day, and 1900-03-01.
    let xls = soffice(&xlsx, "xls", None, &f.file("xls")).remove(0);
    let found = date_findings(&f, &xls);
    assert!(
        found.contains(&(5, "Evidence!B5".into())) && !found.iter().any(|(r, _)| *r == 6),
        "{found:?}"
    );
    assert!(found.len() >= 3, "{found:?}");

    // ODS date cells: before 1900-03-01, with a time, and 1900-03-01.
    let rows: String = [
        "1900-02-28",
        "1899-12-30",
        "1899-12-29",
        "2025-04-30T12:00:00",
        "1900-03-01",
    ]
    .iter()
    .map(|d| format!("<table:table-row>{}</table:table-row>", ods_data(d)))
    .collect();
    let ods = write(&f, "dates.ods", &ods(&format!("{}{rows}", ods_header())));
    assert_eq!(date_findings(&f, &ods), bad);
}

#[test]
fn an_xls_past_the_cell_limit_is_refused_in_bounded_memory() {
    let f = Fixture::new();
    // 8,001 rows of 250 numbers, as LibreOffice saves them in .xls.
    let csv = f.file("in/many.csv");
    let row = format!("{}\n", vec!["1"; 250].join(","));
    write_repeated(&csv, b"", row.as_bytes(), 8_001, b"");
    let xls = soffice(&csv, "xls", Some("CSV:44,34,76,1"), &f.file("xls")).remove(0);
    refused(&f, &xls, "2,000,000 non-empty cells");
}

#[test]
fn a_truncated_xls_is_refused_never_a_crash() {
    let f = Fixture::new();
    let src = write(&f, "log.xlsx", &xlsx_log(1, APRIL_30, &[(9, 3, "far")]));
    let whole = std::fs::read(soffice(&src, "xls", None, &f.file("xls")).remove(0)).unwrap();
    // Cut short anywhere (the fuzzer found a cut at 73% that panicked).
    for sixteenth in 1..16 {
        let cut = &whole[..whole.len() * sixteenth / 16];
        let run = import(&f, &write(&f, &format!("cut{sixteenth}.xls"), cut), &[]);
        // Refused, or read when the cut only lost unused parts.
        assert!(
            matches!(run.code, Some(0 | 2)) && !run.stderr.contains("panicked"),
            "cut at {sixteenth}/16: {}",
            run.output()
        );
    }
    let cut = &whole[..whole.len() * 47_663 / 65_536];
    let run = import(&f, &write(&f, "cut.xls", cut), &[]);
    assert_eq!(run.code, Some(2), "{}", run.output());
}

#[test]
fn packs_own_csv_export_imports_at_the_rows_libreoffice_shows() {
    let f = Fixture::new();
    f.pack_ok(&["export", "--out", "out/log.csv"]);
    let csv = f.file("out/log.csv");
    assert!(
        std::fs::read(&csv)
            .unwrap()
            .windows(2)
            .any(|w| w == b"\r\n")
    );
    let xlsx = soffice(&csv, "xlsx", Some("CSV:44,34,76,1"), &f.file("lo")).remove(0);
    let shown = sheets_as_csv(&xlsx).remove(0).1;
    let row = shown
        .iter()
        .position(|r| r.iter().any(|c| c == "E-2025-001"))
        .unwrap_or_else(|| panic!("{shown:?}"))
        + 1;
    // The item gone from the repository, the export brings it back.
    f.remove("evidence/2025/dashboard.yaml");
    let run = import(&f, &csv, &[]);
    assert_eq!(run.code, Some(0), "{}", run.output());
    assert!(
        run.stdout
            .contains(&format!("(E-2025-001) from row {row}\n")),
        "LibreOffice shows it in row {row}: {}",
        run.stdout
    );
}
