//! `pack export` end to end: the real binary writes the workbook, which is
//! read back by LibreOffice (every sheet, as a user would see it), by
//! calamine (cell types: a date is a date, not text) and as the raw xlsx
//! XML (frozen panes, filters, drop-down lists, hyperlinks).

mod common;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::*;
use pack::model::Date;
use pack::sheet::COLUMNS;

/// 2025-11-20, as the build tests pin it.
const EPOCH: &str = "1763596800";

/// `pack ARGS` in `dir`, with today pinned.
fn pack_in(dir: &Path, args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("pack")
        .unwrap()
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

/// `pack ARGS` in `dir`, which must succeed: its stdout.
fn pack_ok_in(dir: &Path, args: &[&str]) -> String {
    let out = pack_in(dir, args);
    assert!(
        out.status.success(),
        "pack {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Exports the repository's own example for the November 2025 visit.
fn export_example(out: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "export",
        "--visit",
        "2025-11",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    pack_ok_in(&example_root(), &args)
}

/// A sheet's rows as calamine reads them (typed cells).
fn typed_rows(xlsx: &Path, sheet: &str) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = open_workbook(xlsx).unwrap();
    let range = book.worksheet_range(sheet).unwrap();
    range.rows().map(<[Data]>::to_vec).collect()
}

fn sheet_names(xlsx: &Path) -> Vec<String> {
    let book: Xlsx<_> = open_workbook(xlsx).unwrap();
    book.sheet_names()
}

/// One file of the xlsx zip, as text.
fn part(xlsx: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(xlsx).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(name)
        .unwrap_or_else(|e| panic!("{name} in {}: {e}", xlsx.display()))
        .read_to_string(&mut s)
        .unwrap();
    s
}

/// The spreadsheet serial number of a date (days since 1899-12-30).
fn serial(d: &str) -> f64 {
    Date::parse("1899-12-30")
        .unwrap()
        .days_until(Date::parse(d).unwrap()) as f64
}

/// The Evidence sheet's headers: the reader's columns first (the print
/// area), with the export-only Area titles and Current, then the rest.
const HEADERS: [&str; 20] = [
    "Evidence ID",
    "Title",
    "Date",
    "Organisation",
    "Areas",
    "Area titles",
    "Shows",
    "Current",
    "Kind",
    "Actions",
    "Measures",
    "File",
    "Link",
    "Summary",
    "Classification",
    "Personal data",
    "Valid until",
    "Supersedes",
    "Responds to",
    "Public",
];

/// The first row of every sheet of the example's export for its November
/// 2025 visit.
const BANNER: &str =
    "OFFICIAL — evidence log of Kent SEND Accelerated Progress Plan, as of 18 November 2025";

fn headers() -> Vec<String> {
    // Every field has its column, under the header import reads.
    for c in COLUMNS {
        assert!(HEADERS.contains(&c.header), "{}", c.header);
    }
    HEADERS.iter().map(|h| (*h).to_owned()).collect()
}

/// The row whose first cell is `id`, as a map from header to cell.
fn row_of<'a>(rows: &'a [Vec<String>], id: &str) -> std::collections::HashMap<&'a str, &'a str> {
    let row = rows
        .iter()
        .find(|r| r[0] == id)
        .unwrap_or_else(|| panic!("no row {id}"));
    rows[0]
        .iter()
        .map(String::as_str)
        .zip(row.iter().map(String::as_str))
        .collect()
}

#[test]
fn example_workbook_reads_back_in_libreoffice_sheet_by_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("log.xlsx");
    let stdout = export_example(&xlsx, &[]);
    let loaded = pack::load::load(&example_root()).unwrap();
    let repo = &loaded.repo;
    let sensitive: Vec<&str> = repo
        .evidence
        .iter()
        .filter(|e| e.is_sensitive())
        .map(|e| e.id.value.as_str())
        .collect();
    assert!(!sensitive.is_empty(), "the example has sensitive items");
    let shown = repo.evidence.len() - sensitive.len();
    assert!(
        stdout.contains(&format!(": {shown} items, 5 sheets")),
        "{stdout}"
    );

    assert_eq!(
        sheet_names(&xlsx),
        ["Evidence", "Actions", "Measures", "Areas", "Findings"]
    );
    let sheets = sheets_as_csv(&xlsx);
    let names: BTreeSet<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        BTreeSet::from(["Evidence", "Actions", "Measures", "Areas", "Findings"])
    );
    let sheet = |name: &str| &sheets.iter().find(|(n, _)| n == name).unwrap().1;

    // Every sheet starts with the marking and the as-of date.
    for (name, rows) in &sheets {
        assert_eq!(rows[0][0], BANNER, "{name}");
    }
    let with_banner = sheet("Evidence");
    let ev = &with_banner[1..];
    // Evidence: the import's headers, one row per item that may be shown, by id.
    assert_eq!(ev[0], headers());
    assert_eq!(ev.len() - 1, shown);
    let ids: Vec<&str> = ev[1..].iter().map(|r| r[0].as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted);

    let current = row_of(ev, "E-2025-019");
    assert_eq!(current["Title"], "SEND roadshows, summer 2025");
    assert_eq!(current["Date"], "2025-06-28");
    // Organisations by name, area titles beside the ids.
    assert_eq!(current["Organisation"], "Kent PACT (parent carer forum)");
    assert_eq!(current["Areas"], "A3; A1");
    assert_eq!(
        current["Area titles"],
        "Parent and carer participation; Parental confidence"
    );
    assert_eq!(current["Actions"], "A3.4; A1.1");
    assert_eq!(current["Kind"], "communication");
    assert_eq!(current["Shows"], "activity");
    assert_eq!(current["Classification"], "OFFICIAL");
    assert_eq!(current["Personal data"], "no");
    assert_eq!(current["Public"], "no");
    assert_eq!(current["Current"], "yes");
    // Public: yes for the items the family edition may list, no for the rest.
    let survey = row_of(ev, "E-2025-055");
    assert_eq!(survey["Title"], "Parent and carer survey, autumn 2025");
    assert_eq!(survey["Public"], "yes");
    let public_col = ev[0].iter().position(|h| h == "Public").unwrap();
    let public: Vec<&str> = ev[1..]
        .iter()
        .filter(|r| r[public_col] == "yes")
        .map(|r| r[0].as_str())
        .collect();
    let mut expected: Vec<&str> = repo
        .evidence
        .iter()
        .filter(|e| e.public && !e.is_sensitive())
        .map(|e| e.id.value.as_str())
        .collect();
    expected.sort_unstable();
    assert_eq!(public, expected);
    assert_eq!(public.len(), 6, "the example's public items");
    assert!(
        ev[1..]
            .iter()
            .all(|r| ["yes", "no"].contains(&r[public_col].as_str())),
        "Public is yes or no"
    );
    assert!(current["Summary"].starts_with("Kent PACT and KCC held roadshows"));
    let old = row_of(ev, "E-2023-009");
    assert_eq!(old["Current"], "no");
    assert_eq!(old["Areas"], "A6; A1");
    assert_eq!(old["File"], "ehc-backlogs-2023-09.csv");
    assert_eq!(old["Date"], "2023-09-30");

    // No sheet names a sensitive item.
    for (name, rows) in &sheets {
        for cell in rows.iter().flatten() {
            for id in &sensitive {
                assert!(!cell.contains(id), "{name} names {id}: {cell}");
            }
        }
    }

    // Actions: every action of every area, with the current items naming it.
    let actions = &sheet("Actions")[1..];
    let total: usize = repo.areas.iter().map(|a| a.actions.len()).sum();
    assert_eq!(actions.len() - 1, total);
    let a11 = actions.iter().find(|r| r[1] == "A1.1").unwrap();
    assert_eq!(a11[0], "A1");
    // Words as the pack writes them: an owner by name, a status in words.
    assert_eq!(actions[0][3], "Owner");
    let owners: BTreeSet<&str> = actions[1..].iter().map(|r| r[3].as_str()).collect();
    assert!(owners.contains("Kent County Council"), "{owners:?}");
    assert!(owners.contains("NHS Kent and Medway"), "{owners:?}");
    assert!(
        !owners.contains("kcc") && !owners.contains("nhs-km"),
        "{owners:?}"
    );
    let statuses: BTreeSet<&str> = actions[1..].iter().map(|r| r[5].as_str()).collect();
    assert!(statuses.contains("in progress"), "{statuses:?}");
    assert!(statuses.iter().all(|s| !s.contains('-')), "{statuses:?}");
    assert!(a11[7].split("; ").any(|id| id == "E-2025-019"), "{a11:?}");
    assert!(a11[6].parse::<usize>().unwrap() >= a11[7].split("; ").count());
    // Measures: one row per data point.
    let points: usize = repo
        .areas
        .iter()
        .flat_map(|a| &a.measures)
        .map(|m| m.data.len().max(1))
        .sum();
    let measures = &sheet("Measures")[1..];
    assert_eq!(measures.len() - 1, points);
    assert_eq!(measures[0][9], "Direction");
    assert!(
        measures[1..]
            .iter()
            .all(|r| ["Higher is better", "Lower is better"].contains(&r[9].as_str())),
        "{measures:?}"
    );
    // Areas: the status table, in plan order, rated as the pack rates.
    let area_rows = &sheet("Areas")[1..];
    let areas: Vec<&str> = area_rows[1..].iter().map(|r| r[0].as_str()).collect();
    let plan: Vec<&str> = repo.areas.iter().map(|a| a.id.value.as_str()).collect();
    assert_eq!(areas, plan);
    assert_eq!(area_rows[0][2..4], ["Rating", "State"]);
    for r in &area_rows[1..] {
        assert!(
            ["Red", "Amber", "Green", "Complete", ""].contains(&r[2].as_str()),
            "{r:?}"
        );
        assert!(
            ["Complete", "Gap", "Monitoring ended"].contains(&r[3].as_str()),
            "{r:?}"
        );
        assert!(!r[8].contains("amber") && !r[8].contains("green"), "{r:?}");
        // An arrow never alone: it says whether the move is better or worse.
        for m in r[8].split(", ").filter(|m| m.starts_with('A')) {
            assert!(
                ["better", "worse", "no change", "no trend yet"]
                    .iter()
                    .any(|w| m.ends_with(w)),
                "{m:?} in {r:?}"
            );
        }
    }
    assert!(
        area_rows[1..].iter().any(|r| r[8].contains("↓ better")),
        "a falling backlog is better"
    );
    assert!(area_rows[1..].iter().any(|r| r[2] == "Amber"));
    assert_eq!(sheet("Findings")[1][0], "Rule");

    // A date is a date cell, text is text.
    let typed = typed_rows(&xlsx, "Evidence");
    let date_col = typed[1]
        .iter()
        .position(|h| *h == Data::String("Date".into()))
        .unwrap();
    let row = typed
        .iter()
        .find(|r| r[0] == Data::String("E-2025-019".into()))
        .unwrap();
    match &row[date_col] {
        Data::DateTime(d) => assert_eq!(d.as_f64(), serial("2025-06-28")),
        other => panic!("the date is not a date cell: {other:?}"),
    }
    assert!(matches!(&row[1], Data::String(_)), "{:?}", row[1]);

    // The CSV export is the Evidence sheet, cell for cell, with ISO dates.
    let csv = dir.path().join("log.csv");
    let stdout = export_example(&csv, &[]);
    assert!(
        stdout.contains(&format!(": {shown} items, 1 sheet")),
        "{stdout}"
    );
    let bytes = std::fs::read(&csv).unwrap();
    assert!(!bytes.starts_with(b"\xEF\xBB\xBF"), "no byte-order mark");
    assert_eq!(parse_csv(&String::from_utf8(bytes).unwrap()), ev);
}

#[test]
fn include_sensitive_adds_the_sensitive_items() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("log.xlsx");
    let stdout = export_example(&xlsx, &["--include-sensitive"]);
    assert!(!stdout.contains("left out"), "{stdout}");
    let loaded = pack::load::load(&example_root()).unwrap();
    let rows = typed_rows(&xlsx, "Evidence");
    assert_eq!(rows.len() - 2, loaded.repo.evidence.len());
    // The marking is the pack's with sensitive items in it.
    assert_eq!(
        rows[0][0],
        Data::String(BANNER.replace("OFFICIAL", "OFFICIAL-SENSITIVE"))
    );
    let ids: BTreeSet<String> = rows.iter().map(|r| r[0].to_string()).collect();
    for e in loaded.repo.evidence.iter().filter(|e| e.is_sensitive()) {
        assert!(ids.contains(e.id.value.as_str()), "{} missing", e.id.value);
    }
}

/// The fixture with an attachment and a link.
fn linked_fixture() -> Fixture {
    let f = Fixture::new();
    f.write("evidence/2025/dashboard.csv", "month,value\n2025-04,45.5\n");
    f.write(
        "evidence/2025/dashboard.yaml",
        &format!("{EVIDENCE}file: dashboard.csv\nurl: https://example.org/dash?m=4&y=2025\n"),
    );
    f
}

#[test]
fn workbook_has_frozen_filtered_headers_drop_downs_and_links() {
    let f = linked_fixture();
    let stdout = pack_ok_in(f.path(), &["export"]);
    assert_eq!(
        stdout,
        "wrote out/test-plan-evidence-log.xlsx: 1 item, 5 sheets\n"
    );
    let xlsx = f.file("out/test-plan-evidence-log.xlsx");

    for n in 1..=5 {
        let xml = part(&xlsx, &format!("xl/worksheets/sheet{n}.xml"));
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let pane = doc
            .descendants()
            .find(|n| n.has_tag_name("pane"))
            .unwrap_or_else(|| panic!("sheet{n} has no pane"));
        assert_eq!(pane.attribute("state"), Some("frozen"), "sheet{n}");
        // Below the banner and the header row.
        assert_eq!(pane.attribute("ySplit"), Some("2"), "sheet{n}");
        let filter = doc
            .descendants()
            .find(|n| n.has_tag_name("autoFilter"))
            .unwrap_or_else(|| panic!("sheet{n} has no filter"));
        assert!(
            filter.attribute("ref").unwrap().starts_with("A2:"),
            "sheet{n}"
        );
        assert!(
            doc.descendants().any(|n| n.has_tag_name("col")),
            "sheet{n} sized"
        );
    }

    // Drop-downs for kind, shows, organisation and public over rows 3 to 1003.
    let xml = part(&xlsx, "xl/worksheets/sheet1.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let lists: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("dataValidation"))
        .map(|n| {
            let formula = n
                .descendants()
                .find(|c| c.has_tag_name("formula1"))
                .and_then(|c| c.text())
                .unwrap_or_default();
            (n.attribute("sqref").unwrap().to_owned(), formula.to_owned())
        })
        .collect();
    let column = |header: &str| {
        let i = HEADERS.iter().position(|h| *h == header).unwrap();
        char::from(b'A' + i as u8)
    };
    let list = |header: &str| {
        let range = format!("{0}3:{0}1003", column(header));
        lists
            .iter()
            .find(|(r, _)| *r == range)
            .unwrap_or_else(|| panic!("no list over {range}: {lists:?}"))
            .1
            .clone()
    };
    assert_eq!(
        list("Kind"),
        "\"data,report,minutes,survey,case-study,audit,policy,letter,training,communication,other\""
    );
    assert_eq!(list("Shows"), "\"activity,impact,voice\"");
    // Organisations by name, as the cells hold them.
    assert_eq!(
        list("Organisation"),
        "\"Kent County Council,NHS Kent and Medway\""
    );
    assert_eq!(list("Public"), "\"yes,no\"");

    // The url and the attachment are hyperlinks; the attachment's is
    // relative to the workbook in out/.
    let rels = part(&xlsx, "xl/worksheets/_rels/sheet1.xml.rels");
    assert!(
        rels.contains("Target=\"https://example.org/dash?m=4&amp;y=2025\""),
        "{rels}"
    );
    assert!(
        rels.contains("Target=\"../evidence/2025/dashboard.csv\""),
        "{rels}"
    );
    assert_eq!(xml.matches("<hyperlink ").count(), 2, "{xml}");

    // The workbook is dated by the pinned "today", not the clock, so the
    // same repository gives the same bytes; a second export replaces
    // the file by renaming a complete one over it and leaves nothing else.
    let core = part(&xlsx, "docProps/core.xml");
    assert!(
        core.contains(">2025-11-20T00:00:00Z</dcterms:created>"),
        "{core}"
    );
    let first = std::fs::read(&xlsx).unwrap();
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&xlsx).unwrap());
    pack_ok_in(f.path(), &["export"]);
    assert!(std::fs::read(&xlsx).unwrap() == first, "two exports differ");
    #[cfg(unix)]
    assert_ne!(
        std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&xlsx).unwrap()),
        inode,
        "rewritten in place, not renamed over"
    );
    let left: Vec<_> = std::fs::read_dir(f.file("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["test-plan-evidence-log.xlsx"]);

    // Written outside the repository, the attachment stays text.
    let elsewhere = tempfile::tempdir().unwrap();
    let outside = elsewhere.path().join("log.xlsx");
    pack_ok_in(f.path(), &["export", "--out", outside.to_str().unwrap()]);
    let rels = part(&outside, "xl/worksheets/_rels/sheet1.xml.rels");
    assert!(!rels.contains("dashboard.csv"), "{rels}");
    assert!(rels.contains("https://example.org/dash"), "{rels}");
}

#[test]
fn export_refuses_other_extensions_and_the_input_folders() {
    let f = Fixture::new();
    let out = pack_in(f.path(), &["export", "--out", "log.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(".xlsx") && err.contains(".csv"), "{err}");
    assert!(!f.file("log.txt").exists());

    for target in ["evidence/log.xlsx", "plan/log.csv"] {
        let out = pack_in(f.path(), &["export", "--out", target]);
        assert_eq!(out.status.code(), Some(2), "{target}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("which pack reads"), "{target}: {err}");
        assert!(!f.file(target).exists(), "{target}");
    }
}

#[test]
fn findings_sheet_lists_the_check_but_nothing_of_a_sensitive_item() {
    let f = Fixture::new();
    // A public item and a sensitive one, each naming an area that does not exist.
    f.write(
        "evidence/2025/public.yaml",
        &EVIDENCE
            .replace("E-2025-001", "E-2025-002")
            .replace("areas: [A1]", "areas: [A1, A9]"),
    );
    f.write(
        "evidence/2025/secret.yaml",
        &format!(
            "{}classification: OFFICIAL-SENSITIVE\n",
            EVIDENCE
                .replace("E-2025-001", "E-2025-003")
                .replace("areas: [A1]", "areas: [A1, A8]")
        ),
    );
    // Errors do not stop an export: they are its Findings sheet.
    let stdout = pack_ok_in(f.path(), &["export", "--out", "log.xlsx"]);
    assert!(
        stdout.contains(": 2 items, 5 sheets (1 sensitive item left out"),
        "{stdout}"
    );
    let cells = |rows: &[Vec<Data>]| -> Vec<String> {
        rows.iter().flatten().map(|c| c.to_string()).collect()
    };
    let xlsx = f.file("log.xlsx");
    let findings = typed_rows(&xlsx, "Findings");
    assert_eq!(
        findings[1]
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>(),
        [
            "Rule", "Severity", "File", "Line", "Column", "Message", "Hint"
        ]
    );
    let public = findings
        .iter()
        .find(|r| r[2] == Data::String("evidence/2025/public.yaml".into()))
        .expect("the public item's finding");
    assert_eq!(public[0], Data::String("unknown-reference".into()));
    assert_eq!(public[1], Data::String("error".into()));
    assert!(
        matches!(public[3], Data::Float(l) if l >= 1.0),
        "{:?}",
        public[3]
    );
    for sheet in ["Evidence", "Actions", "Areas", "Findings"] {
        let all = cells(&typed_rows(&xlsx, sheet));
        assert!(
            !all.iter()
                .any(|c| c.contains("E-2025-003") || c.contains("secret")),
            "{sheet}: {all:?}"
        );
    }

    pack_ok_in(
        f.path(),
        &[
            "export",
            "--out",
            "log.xlsx",
            "--include-sensitive",
            "--force",
        ],
    );
    let findings = cells(&typed_rows(&xlsx, "Findings"));
    assert!(
        findings.contains(&"evidence/2025/secret.yaml".to_owned()),
        "{findings:?}"
    );
    let evidence = cells(&typed_rows(&xlsx, "Evidence"));
    assert!(evidence.contains(&"E-2025-003".to_owned()));
    assert!(evidence.contains(&"OFFICIAL-SENSITIVE".to_owned()));
}

/// Every file under evidence/, with its bytes.
fn evidence_files(f: &Fixture) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(f.file("evidence"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect();
    out.sort();
    out
}

/// Organisations by name, where import reads the name back as the same
/// organisation: not a name that is another organisation's id, nor the
/// second of two organisations with one name, nor an empty name; those keep
/// their id. The export-only Area titles and Current, and the banner, are
/// passed over without a word, so that export then import (.xlsx and .csv)
/// reports every item unchanged and writes nothing.
#[test]
fn organisations_by_name_and_area_titles_read_back_unchanged() {
    let f = Fixture::new();
    f.write(
        "plan/plan.yaml",
        &PLAN.replace(
            "  - id: nhs\n    name: NHS Kent and Medway\n",
            "  - id: nhs\n    name: NHS Kent and Medway\n  - id: icb\n    name: KCC\n  - id: schools\n    name: Kent schools\n  - id: schools2\n    name: Kent Schools\n  - id: forum\n    name: \"\"\n",
        ),
    );
    for (n, org) in ["nhs", "icb", "schools", "schools2", "forum"]
        .iter()
        .enumerate()
    {
        f.write(
            &format!("evidence/2025/{org}.yaml"),
            &EVIDENCE
                .replace("E-2025-001", &format!("E-2025-01{n}"))
                .replace("organisation: kcc", &format!("organisation: {org}"))
                .replace("Timeliness dashboard", &format!("Dashboard {org}")),
        );
    }
    let before = evidence_files(&f);
    // (An empty name is a finding of check's; the export still writes.)

    let tmp = tempfile::tempdir().unwrap();
    let xlsx = tmp.path().join("log.xlsx");
    let csv = tmp.path().join("log.csv");
    for out in [&xlsx, &csv] {
        pack_ok_in(f.path(), &["export", "--out", out.to_str().unwrap()]);
    }
    let rows = typed_rows(&xlsx, "Evidence");
    let org = |id: &str| {
        rows.iter()
            .find(|r| r[0] == Data::String(id.into()))
            .map(|r| r[3].to_string())
            .unwrap()
    };
    assert_eq!(rows[1][3], Data::String("Organisation".into()));
    assert_eq!(rows[1][5], Data::String("Area titles".into()));
    assert_eq!(org("E-2025-001"), "Kent County Council");
    assert_eq!(org("E-2025-010"), "NHS Kent and Medway");
    // "KCC" would read back as kcc, whose id it is.
    assert_eq!(org("E-2025-011"), "icb");
    assert_eq!(org("E-2025-012"), "Kent schools");
    // "Kent Schools" would read back as the first organisation of that name.
    assert_eq!(org("E-2025-013"), "schools2");
    assert_eq!(org("E-2025-014"), "forum");
    assert_eq!(rows[2][5], Data::String("Parental confidence".into()));

    for sheet in [&xlsx, &csv] {
        for extra in [&[][..], &["--update"][..]] {
            let mut args = vec!["import", sheet.to_str().unwrap()];
            args.extend_from_slice(extra);
            let out = f.pack(&args).output().unwrap();
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(out.status.code(), Some(0), "{sheet:?} {extra:?}: {all}");
            assert!(
                all.contains("6 item rows; 0 new, 0 to update, 6 unchanged"),
                "{sheet:?} {extra:?}: {all}"
            );
            // Not a word about the export-only columns or the banner.
            assert!(!all.contains("import-column"), "{sheet:?}: {all}");
            assert!(!all.contains("Area titles"), "{sheet:?}: {all}");
            assert_eq!(evidence_files(&f), before, "{sheet:?} {extra:?}");
        }
    }
}

/// The banner spans the print area and wraps there, so a long plan title
/// is printed whole; import still skips it. The marking of the banner and
/// of every printed page's header and footer is the pack's: OFFICIAL-SENSITIVE
/// once `--include-sensitive` may put sensitive items in.
#[test]
fn the_banner_spans_the_print_area_and_the_marking_follows_the_contents() {
    let f = Fixture::new();
    let title = "Test SEND plan of the local area partnership, its schools, colleges, health services and parent carer forum, 2025 to 2027, as agreed by the board";
    f.write(
        "plan/plan.yaml",
        &PLAN.replace("title: Test SEND plan", &format!("title: {title}")),
    );
    let before = evidence_files(&f);
    pack_ok_in(f.path(), &["export", "--out", "log.xlsx"]);
    let xlsx = f.file("log.xlsx");
    let rows = typed_rows(&xlsx, "Evidence");
    assert_eq!(
        rows[0][0],
        Data::String(format!(
            "OFFICIAL — evidence log of {title}, as of 20 May 2025"
        ))
    );
    let xml = part(&xlsx, "xl/worksheets/sheet1.xml");
    assert!(xml.contains("<mergeCell ref=\"A1:H1\"/>"), "{xml}");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let height = |r: &str| -> f64 {
        doc.descendants()
            .find(|n| n.has_tag_name("row") && n.attribute("r") == Some(r))
            .and_then(|n| n.attribute("ht"))
            .unwrap_or_else(|| panic!("row {r} has no height"))
            .parse()
            .unwrap()
    };
    // Two lines of banner over the print area (a row of one line has the
    // default height, 15 pt, which the file need not spell out).
    assert_eq!(height("1"), 30.0);
    let header = |x: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name(x))
            .and_then(|n| n.text())
            .unwrap_or_else(|| panic!("no {x}"))
            .to_owned()
    };
    assert_eq!(header("oddHeader"), "&C&\"-,Bold\"OFFICIAL");
    assert_eq!(
        header("oddFooter"),
        "&L&A&C&\"-,Bold\"OFFICIAL&R&\"-,Regular\"as of 20 May 2025, page &P of &N"
    );
    let out = f.pack(&["import", "log.xlsx"]).output().unwrap();
    let all =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        all.contains("1 item row; 0 new, 0 to update, 1 unchanged"),
        "{all}"
    );
    assert!(!all.contains("import-column"), "{all}");
    assert_eq!(evidence_files(&f), before);

    pack_ok_in(
        f.path(),
        &[
            "export",
            "--out",
            "log.xlsx",
            "--force",
            "--include-sensitive",
        ],
    );
    let rows = typed_rows(&xlsx, "Actions");
    assert_eq!(
        rows[0][0],
        Data::String(format!(
            "OFFICIAL-SENSITIVE — evidence log of {title}, as of 20 May 2025"
        ))
    );
    let xml = part(&xlsx, "xl/worksheets/sheet2.xml");
    assert!(
        xml.contains("<oddHeader>&amp;C&amp;\"-,Bold\"OFFICIAL-SENSITIVE</oddHeader>"),
        "{xml}"
    );
}
