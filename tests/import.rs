//! `pack import` end to end, on spreadsheets pack did not write: CSV
//! fixtures turned into real workbooks by LibreOffice (en-GB, so UK dates
//! become date cells), a flat ODS workbook with a cover sheet, a merged
//! banner, a hidden column, a formula and an error cell, and hostile files.

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sheets")
        .join(name)
}

/// The base fixture with a second area, so that rows can name two.
fn repo() -> Fixture {
    let f = Fixture::new();
    f.write(
        "plan/areas/a2.yaml",
        &AREA
            .replace("id: A1", "id: A2")
            .replace("A1.", "A2.")
            .replace("title: Parental confidence", "title: Joint commissioning")
            .replace("order: 1", "order: 2")
            .replace(" [@E-2025-001]", ""),
    );
    f
}

/// A CSV fixture as LibreOffice saves it in `ext`, read as en-GB.
fn workbook(csv: &str, ext: &str, dir: &Path) -> PathBuf {
    let made = soffice(&fixture(csv), ext, Some("CSV:44,34,76,1,,2057"), dir);
    made.into_iter().next().unwrap()
}

fn yaml_files(f: &Fixture) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = walk(&f.file("evidence"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            let rel = p
                .strip_prefix(f.path())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn a_real_log_imports_into_items_that_pass_check_and_reimports_to_nothing() {
    let f = repo();
    let tmp = tempfile::tempdir().unwrap();
    let xlsx = workbook("log.csv", "xlsx", tmp.path());
    let before = yaml_files(&f);
    let out = f
        .pack(&["import", xlsx.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let after = yaml_files(&f);
    let new: Vec<&(String, String)> = after.iter().filter(|x| !before.contains(x)).collect();
    assert_eq!(new.len(), 3, "{new:#?}\n{}", text(&out));
    let find = |title: &str| {
        new.iter()
            .find(|(_, y)| y.contains(title))
            .unwrap_or_else(|| panic!("no item titled {title}: {new:#?}"))
    };
    // A date cell from `30/04/2025`, a name for the organisation, `A2; A1`,
    // `Survey`/`Voice` in any case, a two-line note, a generated id.
    let (path, survey) = find("Parent carer survey spring 2025");
    assert!(path.starts_with("evidence/2025/"), "{path}");
    assert!(survey.starts_with("# Imported by pack from "), "{survey}");
    assert!(survey.contains("sheet log, row 4"), "{survey}");
    assert!(survey.contains("date: 2025-04-30\n"), "{survey}");
    assert!(survey.contains("organisation: kcc\n"), "{survey}");
    assert!(survey.contains("areas: [A2, A1]\n"), "{survey}");
    assert!(survey.contains("kind: survey\nshows: voice\n"), "{survey}");
    assert!(
        survey.contains("summary: \"Survey of 400 families.\\nSecond line of notes.\""),
        "{survey}"
    );
    assert!(
        survey.contains("id: E-2025-051\n"),
        "the next id after E-2025-050: {survey}"
    );
    // `30 April 2025` in text; the id as given.
    let (_, training) = find("Caseworker training log");
    assert!(training.contains("id: E-2025-050\n") && training.contains("date: 2025-04-30\n"));
    // `04/05/2025` is 4 May, never 5 April; trailing spaces are trimmed.
    let (_, dashboard) = find("Timeliness dashboard May 2025\"");
    assert!(dashboard.contains("date: 2025-05-04\n"), "{dashboard}");
    assert!(dashboard.contains("organisation: nhs\n") && dashboard.contains("shows: impact\n"));
    // No-break spaces: the one at the end is trimmed, the one inside kept
    // (spec 6.1: only the two ends of a cell are normalised).
    assert!(
        dashboard.contains("summary: \"Weekly\u{a0}figures\"\n"),
        "{dashboard}"
    );
    // The banner above and the note below are not items; the note is named.
    assert!(
        text(&out).contains("row 9 skipped as notes"),
        "{}",
        text(&out)
    );
    // What was written passes `pack check` as if written by hand.
    let (code, report) = f.check_json(&[]);
    let errors: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| {
            x["severity"] == "error" && x["file"].as_str().unwrap().starts_with("evidence/")
        })
        .collect();
    assert!(errors.is_empty(), "{code} {errors:#?}");

    // Again: nothing changes, rows without an id included.
    let out = f
        .pack(&["import", xlsx.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("0 new, 0 to update, 3 unchanged"),
        "{}",
        text(&out)
    );
    assert_eq!(yaml_files(&f), after);
}

#[test]
fn every_bad_row_is_reported_at_its_cell_and_nothing_is_written() {
    let f = repo();
    let before = yaml_files(&f);
    let csv = fixture("bad.csv");
    let out = f.pack(&["import", csv.to_str().unwrap()]).output().unwrap();
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert_eq!(yaml_files(&f), before, "something was written");
    // A bad organisation and a bad area, in different rows, both reported.
    assert!(
        all.contains("bad!D2: `Nobody Council` is not an organisation"),
        "{all}"
    );
    assert!(all.contains("bad!E3") && all.contains("`A7`"), "{all}");
    // The NHS number in the notes cell: an error, never printed whole.
    assert!(all.contains("error[personal-identifier]: bad!H3"), "{all}");
    assert!(
        !all.contains("943 476 5919") && !all.contains("9434765919"),
        "{all}"
    );
    assert!(all.contains("nothing was written"), "{all}");

    // In CI the rows are annotated where they are.
    let out = f
        .pack(&["import", csv.to_str().unwrap(), "--format", "github"])
        .output()
        .unwrap();
    let gh = String::from_utf8_lossy(&out.stdout);
    assert!(gh.contains(",line=2,") && gh.contains(",col=4,"), "{gh}");
    assert!(gh.contains("bad!D2"), "{gh}");
    let out = f
        .pack(&["import", csv.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cells: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|x| x["cell"].as_str())
        .collect();
    assert!(
        cells.contains(&"bad!D2") && cells.contains(&"bad!H3"),
        "{json:#}"
    );
}

#[test]
fn a_workbook_sheet_by_name_with_banner_formula_hidden_column_and_error_cell() {
    let tmp = tempfile::tempdir().unwrap();
    for ext in ["xlsx", "ods", "xls"] {
        let book = soffice(&fixture("book.fods"), ext, None, &tmp.path().join(ext))
            .into_iter()
            .next()
            .unwrap();
        let f = repo();
        let before = yaml_files(&f);
        // The first sheet is a cover with no header row.
        let out = f
            .pack(&["import", book.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{ext}: {}", text(&out));
        assert!(
            text(&out).contains("sheet `Cover` has no header row"),
            "{}",
            text(&out)
        );
        // The log, by name: the #N/A of a formula is an error at its cell.
        let out = f
            .pack(&["import", book.to_str().unwrap(), "--sheet", "Evidence log"])
            .output()
            .unwrap();
        let all = text(&out);
        assert_eq!(out.status.code(), Some(1), "{ext}: {all}");
        // (.ods keeps no error value: LibreOffice saves the cell empty.)
        assert!(
            all.contains("'Evidence log'!C4: the cell holds the spreadsheet error #N/A")
                || (ext == "ods" && all.contains("'Evidence log'!C4: `date` is empty")),
            "{ext}: {all}"
        );
        assert!(
            !all.contains("'Evidence log'!A4"),
            "{ext}: said twice: {all}"
        );
        assert_eq!(yaml_files(&f), before);
        // A sheet that is not there is exit 2, naming the sheets.
        let out = f
            .pack(&["import", book.to_str().unwrap(), "--sheet", "Nope"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(
            text(&out).contains("`Cover`, `Evidence log`"),
            "{}",
            text(&out)
        );
    }
    // With the error cell mended, the log imports: the formula's cached
    // value is the title, the hidden column is read like any other, the
    // date cell is a date.
    let mended = tmp.path().join("mended.fods");
    let xml = std::fs::read_to_string(fixture("book.fods"))
        .unwrap()
        .replace(
            r#"table:formula="of:=NA()" office:value-type="string" office:string-value="""#,
            r#"office:value-type="date" office:date-value="2025-05-20""#,
        );
    std::fs::write(&mended, xml).unwrap();
    let book = soffice(&mended, "xlsx", None, &tmp.path().join("mended"))
        .into_iter()
        .next()
        .unwrap();
    let f = repo();
    let out = f
        .pack(&["import", book.to_str().unwrap(), "--sheet", "Evidence log"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let written = yaml_files(&f);
    let minutes = &written
        .iter()
        .find(|(_, y)| y.contains("E-2025-060"))
        .unwrap()
        .1;
    assert!(
        minutes.contains("title: \"Board minutes, May 2025\""),
        "{minutes}"
    );
    assert!(
        minutes.contains("date: 2025-05-14\norganisation: kcc\n"),
        "{minutes}"
    );
    let waiting = &written
        .iter()
        .find(|(_, y)| y.contains("E-2025-061"))
        .unwrap()
        .1;
    assert!(
        waiting.contains("date: 2025-05-20\norganisation: nhs\n"),
        "{waiting}"
    );
}

#[test]
fn csv_in_every_encoding_excel_writes() {
    for (file, title) in [
        ("bom.csv", "BOM survey"),
        ("utf16.csv", "UTF-16 survey ✓"),
        ("win1252.csv", "Budget £ report"),
    ] {
        let f = repo();
        let out = f
            .pack(&["import", fixture(file).to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{file}: {}", text(&out));
        let written = yaml_files(&f);
        assert!(
            written
                .iter()
                .any(|(_, y)| y.contains(&format!("title: \"{title}\""))),
            "{file}: {written:#?}"
        );
    }
}

#[test]
fn unreadable_workbooks_exit_2_with_a_reason() {
    let f = repo();
    let tmp = tempfile::tempdir().unwrap();
    // Encrypted (made with msoffcrypto-tool from a LibreOffice workbook).
    let out = f
        .pack(&["import", fixture("encrypted.xlsx").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("encrypted"), "{}", text(&out));
    // Damaged: a workbook cut in half.
    let xlsx = workbook("log.csv", "xlsx", tmp.path());
    let bytes = std::fs::read(&xlsx).unwrap();
    let cut = tmp.path().join("cut.xlsx");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let out = f.pack(&["import", cut.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    // Not a spreadsheet at all.
    let out = f.pack(&["import", "plan/plan.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    // Parts that would expand past 200 MB: refused from the directory, before
    // anything is inflated (this one holds 220 MB of zeros in 220 KB).
    let bomb = tmp.path().join("bomb.xlsx");
    {
        use std::io::Write;
        let mut z = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.start_file("[Content_Types].xml", opts).unwrap();
        z.write_all(b"<Types/>").unwrap();
        z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
        let zeros = vec![b' '; 1 << 20];
        for _ in 0..220 {
            z.write_all(&zeros).unwrap();
        }
        z.finish().unwrap();
    }
    assert!(std::fs::metadata(&bomb).unwrap().len() < 2 << 20);
    let out = f
        .pack(&["import", bomb.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("200 MiB"), "{}", text(&out));
}

#[test]
fn conflicts_need_update_which_keeps_comments() {
    let f = repo();
    f.write(
        "evidence/2025/dashboard.yaml",
        &format!(
            "# Kept by the data team\n{}",
            EVIDENCE.replace(
                "title: Timeliness dashboard, April 2025",
                "title: Timeliness dashboard, April 2025  # as on the cover",
            )
        ),
    );
    f.write(
        "log.csv",
        "Evidence ID,Title,Date,Organisation,Areas,Kind,Shows\nE-2025-001,\"Timeliness dashboard, April 2025 (final)\",2025-04-30,kcc,A1,data,impact\n",
    );
    let before = std::fs::read_to_string(f.file("evidence/2025/dashboard.yaml")).unwrap();
    let out = f.pack(&["import", "log.csv"]).output().unwrap();
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("error[import-conflict]: log!A2"), "{all}");
    assert!(all.contains("this row differs from it in `title`"), "{all}");
    // A --dry-run says the same and writes nothing.
    let out = f
        .pack(&["import", "log.csv", "--update", "--dry-run"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("would update evidence/2025/dashboard.yaml"),
        "{}",
        text(&out)
    );
    assert_eq!(
        std::fs::read_to_string(f.file("evidence/2025/dashboard.yaml")).unwrap(),
        before
    );
    // --update rewrites the fields the sheet has and keeps the rest.
    let out = f.pack(&["import", "log.csv", "--update"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let after = std::fs::read_to_string(f.file("evidence/2025/dashboard.yaml")).unwrap();
    assert!(after.contains("# Kept by the data team\n"), "{after}");
    assert!(
        after.contains("title: \"Timeliness dashboard, April 2025 (final)\"  # as on the cover\n"),
        "{after}"
    );
    assert!(
        after.contains("measures: [A1.M1]\n"),
        "a field the sheet lacks is kept: {after}"
    );
    // A field whose value is unchanged keeps its bytes (spec 6.1).
    assert!(
        after.contains("\nsummary: Timeliness rose to 45.5%.\n"),
        "{after}"
    );
    // And the result passes check.
    let (_, report) = f.check_json(&[]);
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["file"] != "evidence/2025/dashboard.yaml"),
        "{report:#}"
    );
}

#[test]
fn headers_are_matched_or_reported() {
    let f = repo();
    // Two columns for one field, a header that could be two, an unknown one.
    f.write(
        "log.csv",
        "Title,Date,Organisation,Area,Areas of weakness,Kind shows,RAG\nSurvey,2025-04-30,kcc,A1,A1,survey,G\n",
    );
    let out = f.pack(&["import", "log.csv"]).output().unwrap();
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(
        all.contains(
            "error[import-column]: log!E1: `Areas of weakness` and `Area` both hold `areas`"
        ),
        "{all}"
    );
    // No column holds `kind` ("Kind shows" is `shows`): the first run
    // teaches, listing RAG among the headers it did not recognise.
    assert!(all.contains("headers not recognised: `RAG`"), "{all}");
    assert!(
        all.contains("no column holds the required field `kind`"),
        "{all}"
    );
    // --map settles both.
    let out = f
        .pack(&[
            "import",
            "log.csv",
            "--map",
            "Areas of weakness=actions",
            "--map",
            "Kind shows=kind",
            "--map",
            "RAG=shows",
            "--dry-run",
        ])
        .output()
        .unwrap();
    // The RAG value `G` is not a `shows`: reported at its cell.
    assert!(
        text(&out).contains("log!G2: `G` is not a shows"),
        "{}",
        text(&out)
    );
}

#[test]
fn attachments_come_from_files_dir_and_are_copied_beside_the_item() {
    let f = repo();
    let docs = tempfile::tempdir().unwrap();
    std::fs::write(docs.path().join("minutes-may.pdf"), b"%PDF-1.4 minutes").unwrap();
    f.write(
        "log.csv",
        "Title,Date,Organisation,Areas,Kind,Shows,Attachment\n\
         Board minutes May 2025,14/05/2025,kcc,A1,minutes,activity,minutes-may.pdf\n\
         Missing paper,15/05/2025,kcc,A1,report,activity,nowhere.pdf\n",
    );
    let dir = docs.path().to_str().unwrap();
    // A file found nowhere is reported at its cell; nothing is written or copied.
    let out = f
        .pack(&["import", "log.csv", "--files", dir])
        .output()
        .unwrap();
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("error[missing-file]: log!G3"), "{all}");
    assert!(!f.file("evidence/2025/minutes-may.pdf").exists());
    // Without that row, the attachment is copied beside the new YAML.
    f.write(
        "log.csv",
        "Title,Date,Organisation,Areas,Kind,Shows,Attachment\n\
         Board minutes May 2025,14/05/2025,kcc,A1,minutes,activity,minutes-may.pdf\n",
    );
    let out = f
        .pack(&["import", "log.csv", "--files", dir])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(
        std::fs::read(f.file("evidence/2025/minutes-may.pdf")).unwrap(),
        b"%PDF-1.4 minutes"
    );
    let yaml =
        std::fs::read_to_string(f.file("evidence/2025/board-minutes-may-2025.yaml")).unwrap();
    assert!(yaml.contains("file: minutes-may.pdf\n"), "{yaml}");
    // And again: unchanged, the copy found beside the YAML.
    let out = f
        .pack(&["import", "log.csv", "--files", dir])
        .output()
        .unwrap();
    assert!(
        text(&out).contains("0 new, 0 to update, 1 unchanged"),
        "{}",
        text(&out)
    );
}

/// The Public column: yes/no, y/n, true/false, 1/0 in any case, an empty
/// cell, and LibreOffice's real boolean cells in the workbook. Only
/// `public: true` is written (false is the default).
#[test]
fn a_public_column_reads_yes_no_words_and_boolean_cells() {
    let tmp = tempfile::tempdir().unwrap();
    let xlsx = workbook("public.csv", "xlsx", tmp.path());
    // The workbook holds real booleans where the CSV says TRUE and FALSE.
    {
        use calamine::{Data, Reader};
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
        let range = book.worksheet_range("public").unwrap();
        let cells: Vec<Data> = range.rows().map(|r| r[6].clone()).collect();
        assert_eq!(cells[4], Data::Bool(true), "{cells:?}");
        assert_eq!(cells[6], Data::Bool(false), "{cells:?}");
    }
    for sheet in [fixture("public.csv"), xlsx] {
        let f = repo();
        let before = yaml_files(&f);
        let out = f
            .pack(&["import", sheet.to_str().unwrap()])
            .output()
            .unwrap();
        let name = sheet.display();
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out));
        let after = yaml_files(&f);
        let new: Vec<&(String, String)> = after.iter().filter(|x| !before.contains(x)).collect();
        assert_eq!(new.len(), 7, "{name}: {new:#?}");
        let yaml = |title: &str| {
            &new.iter()
                .find(|(_, y)| y.contains(&format!("title: \"{title}\"")))
                .unwrap_or_else(|| panic!("{name}: no item titled {title}: {new:#?}"))
                .1
        };
        for title in [
            "Local offer campaign",
            "Parent survey",
            "Family guide",
            "Weekly figures",
        ] {
            assert!(
                yaml(title).ends_with("areas: [A1]\npublic: true\n"),
                "{name}: {title} is public: {}",
                yaml(title)
            );
        }
        for title in ["Board minutes", "Caseworker training log", "Quality audit"] {
            assert!(
                !yaml(title).contains("\npublic:"),
                "{name}: {title} is not public, and false is not written: {}",
                yaml(title)
            );
        }
        // Read by pack as public, and no error in what was written.
        let loaded = pack::load::load(f.path()).unwrap();
        let mut public: Vec<&str> = loaded
            .repo
            .evidence
            .iter()
            .filter(|e| e.public)
            .map(|e| e.title.as_str())
            .collect();
        public.sort_unstable();
        assert_eq!(
            public,
            [
                "Family guide",
                "Local offer campaign",
                "Parent survey",
                "Weekly figures"
            ],
            "{name}"
        );
        let (_, report) = f.check_json(&[]);
        let errors: Vec<&serde_json::Value> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| {
                x["severity"] == "error" && x["file"].as_str().unwrap().starts_with("evidence/")
            })
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        // Again: `no`, FALSE and an empty cell are the absent `public:`.
        let out = f
            .pack(&["import", sheet.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(
            text(&out).contains("0 new, 0 to update, 7 unchanged"),
            "{name}: {}",
            text(&out)
        );
        assert_eq!(yaml_files(&f), after, "{name}");
    }
}

#[test]
fn a_public_value_that_is_not_yes_or_no_is_an_error_at_its_cell() {
    let f = repo();
    let before = yaml_files(&f);
    f.write(
        "log.csv",
        "Title,Date,Organisation,Areas,Kind,Shows,For families\n\
         Parent survey,2025-04-30,kcc,A1,survey,voice,yes\n\
         Board minutes,2025-05-01,kcc,A1,minutes,activity,maybe\n",
    );
    let out = f.pack(&["import", "log.csv"]).output().unwrap();
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(
        all.contains("error[schema]: log!G3: `maybe` is not yes or no"),
        "{all}"
    );
    assert!(all.contains("family edition"), "the hint: {all}");
    assert!(all.contains("nothing was written"), "{all}");
    assert_eq!(yaml_files(&f), before, "something was written");
    let out = f
        .pack(&["import", "log.csv", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cells: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|x| x["cell"].as_str())
        .collect();
    assert_eq!(cells, ["log!G3"], "{json:#}");
}

/// An item whose only change in the sheet is `public`: a conflict naming
/// it, and `--update` writes it, keeping the comments, both ways.
#[test]
fn updating_public_alone_keeps_comments() {
    let f = repo();
    let commented = format!(
        "# Kept by the data team\n{}",
        EVIDENCE.replace(
            "title: Timeliness dashboard, April 2025",
            "title: Timeliness dashboard, April 2025  # as on the cover",
        )
    );
    f.write("evidence/2025/dashboard.yaml", &commented);
    let yaml = || std::fs::read_to_string(f.file("evidence/2025/dashboard.yaml")).unwrap();
    let log = |public: &str| {
        f.write(
            "log.csv",
            &format!(
                "Evidence ID,Title,Date,Organisation,Public\n\
                 E-2025-001,\"Timeliness dashboard, April 2025\",2025-04-30,kcc,{public}\n"
            ),
        );
    };
    // Not public already: `no` changes nothing.
    log("no");
    let out = f.pack(&["import", "log.csv"]).output().unwrap();
    assert!(
        text(&out).contains("0 new, 0 to update, 1 unchanged"),
        "{}",
        text(&out)
    );

    log("Yes");
    let out = f.pack(&["import", "log.csv"]).output().unwrap();
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(
        all.contains("error[import-conflict]: log!A2")
            && all.contains("this row differs from it in `public`"),
        "{all}"
    );
    assert_eq!(yaml(), commented);

    let out = f.pack(&["import", "log.csv", "--update"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let after = yaml();
    assert!(
        after.starts_with(
            "# Updated by pack from log.csv, sheet log, row 2.\n# Kept by the data team\n"
        ),
        "{after}"
    );
    // Fields whose value is unchanged keep their bytes (spec 6.1).
    assert!(
        after.contains("\ntitle: Timeliness dashboard, April 2025  # as on the cover\n"),
        "{after}"
    );
    assert!(
        after.contains("measures: [A1.M1]\n")
            && after.contains("\nsummary: Timeliness rose to 45.5%.\n"),
        "the fields the sheet lacks are kept: {after}"
    );
    assert!(after.ends_with("public: true\n"), "{after}");
    let loaded = pack::load::load(f.path()).unwrap();
    assert!(loaded.repo.evidence[0].public);
    let out = f.pack(&["import", "log.csv"]).output().unwrap();
    assert!(
        text(&out).contains("0 new, 0 to update, 1 unchanged"),
        "{}",
        text(&out)
    );

    // And back: an empty cell is not public, the line goes, the comments stay.
    log("");
    let out = f.pack(&["import", "log.csv", "--update"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let back = yaml();
    assert!(!back.contains("\npublic:"), "{back}");
    assert!(
        back.contains("# Kept by the data team\n")
            && back.contains("April 2025  # as on the cover\n"),
        "{back}"
    );
    let loaded = pack::load::load(f.path()).unwrap();
    assert!(!loaded.repo.evidence[0].public);
}

/// The example exported by pack, then imported into a repository with the
/// same plan and no evidence (the attachments found under --files): the
/// same items, field by field; and a second import changes nothing.
#[test]
fn an_export_imports_back_to_the_same_items() {
    let tmp = tempfile::tempdir().unwrap();
    let example = example_root();
    for out in ["log.xlsx", "log.csv"] {
        let file = tmp.path().join(out);
        let res = assert_cmd::Command::cargo_bin("pack")
            .unwrap()
            .current_dir(&example)
            .env("SOURCE_DATE_EPOCH", "1763596800")
            .args([
                "export",
                "--visit",
                "2025-11",
                "--include-sensitive",
                "--out",
            ])
            .arg(&file)
            .output()
            .unwrap();
        assert!(res.status.success(), "{}", text(&res));
        let f = Fixture::empty();
        // The plan and the statistics its measures read.
        for e in walk(&example.join("plan"))
            .into_iter()
            .chain(walk(&example.join("data")))
        {
            let rel = e
                .strip_prefix(&example)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            f.write_bytes(&rel, &std::fs::read(&e).unwrap());
        }
        std::fs::create_dir_all(f.file("evidence")).unwrap();
        let files = example.join("evidence");
        let args = [
            "import",
            file.to_str().unwrap(),
            "--files",
            files.to_str().unwrap(),
        ];
        // Today as the example is built: its items are not in the future.
        let run = || {
            f.pack(&args)
                .env("SOURCE_DATE_EPOCH", "1763596800")
                .output()
                .unwrap()
        };
        let res = run();
        assert_eq!(res.status.code(), Some(0), "{out}: {}", text(&res));

        let items = |root: &Path| {
            let loaded = pack::load::load(root).unwrap();
            let mut m = std::collections::BTreeMap::new();
            for e in &loaded.repo.evidence {
                let mut fields = pack::sheet::import::item::from_evidence(e);
                // The attachment by its bytes: its path is relative to the YAML.
                let bytes = match &e.resolved {
                    Some(pack::model::Resolved::File(p)) => std::fs::read(root.join(p)).ok(),
                    _ => None,
                };
                fields.remove(&pack::sheet::Field::File);
                m.insert(e.id.value.to_string(), (format!("{fields:?}"), bytes));
            }
            m
        };
        let before = items(&example);
        let after = items(f.path());
        assert_eq!(before.len(), 99);
        // `public` is carried too: the example's six public items come back
        // public, and no other item does.
        let public = |m: &std::collections::BTreeMap<String, (String, Option<Vec<u8>>)>| {
            m.iter()
                .filter(|(_, (fields, _))| fields.contains("Public: Bool(true)"))
                .map(|(id, _)| id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(public(&before).len(), 6, "{:?}", public(&before));
        assert_eq!(public(&after), public(&before), "{out}");
        assert_eq!(
            before.keys().collect::<Vec<_>>(),
            after.keys().collect::<Vec<_>>()
        );
        for (id, b) in &before {
            assert_eq!(Some(b), after.get(id), "{out}: {id} differs");
        }
        let res = run();
        assert!(
            text(&res).contains("0 new, 0 to update, 99 unchanged"),
            "{out}: {}",
            text(&res)
        );
    }
}
