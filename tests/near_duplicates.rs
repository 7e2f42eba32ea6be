//! Near-duplicates (spec 6.2), on the real binary: an id-less row with an
//! existing item's date and organisation and a similar title is an
//! `import-conflict` error at its title cell, and `--new` imports it as a
//! new item. The base fixture's item is E-2025-001, "Timeliness dashboard,
//! April 2025", 2025-04-30, kcc.

mod common;

use common::*;

const HEAD: &str = "Title,Date,Organisation,Areas,Kind,Shows\n";

fn row(title: &str) -> String {
    format!("\"{title}\",30/04/2025,kcc,A1,data,impact\n")
}

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The import's JSON report of `log.csv` holding one row titled `title`.
fn import_one(f: &Fixture, title: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    f.write("log.csv", &format!("{HEAD}{}", row(title)));
    let mut args = vec!["import", "log.csv", "--format", "json"];
    args.extend_from_slice(extra);
    let out = f.pack(&args).output().unwrap();
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)));
    (out.status.code().unwrap(), report)
}

fn new_files(f: &Fixture) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(f.file("evidence/2025"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "dashboard.yaml")
        .collect();
    out.sort();
    out
}

#[test]
fn similar_titles_with_the_same_date_and_organisation_are_asked_about() {
    for title in [
        // One word changed.
        "Timeliness dashboard, May 2025",
        // Reordered.
        "April 2025 timeliness dashboard",
        // Contains the item's title.
        "Timeliness dashboard April 2025 (final, signed off)",
        // Contained in it.
        "Timeliness dashboard",
    ] {
        let f = Fixture::new();
        let (code, report) = import_one(&f, title, &[]);
        assert_eq!(code, 1, "{title}: {report:#}");
        let c = one(&report, "import-conflict");
        assert_eq!(c["severity"], "error", "{title}: {c:#}");
        // At the row's title cell; the sheet of a CSV is its name.
        assert_eq!(c["cell"], "log!A2", "{title}: {c:#}");
        assert_eq!(
            c["message"],
            "log!A2: row 2 may be E-2025-001 (same date and organisation; the title differs)",
            "{title}"
        );
        assert_eq!(
            c["hint"],
            "put E-2025-001 in its id column to update it, or import with `--new` to add it as a new item",
            "{title}"
        );
        assert!(new_files(&f).is_empty(), "{title}: nothing is written");

        // --new adds it as a new item, which passes check.
        let (code, report) = import_one(&f, title, &["--new"]);
        assert_eq!(code, 0, "{title}: {report:#}");
        assert!(
            findings(&report, "import-conflict").is_empty(),
            "{report:#}"
        );
        let files = new_files(&f);
        assert_eq!(files.len(), 1, "{title}: {files:?}");
        let yaml = std::fs::read_to_string(f.file(&format!("evidence/2025/{}", files[0]))).unwrap();
        assert!(yaml.contains("id: E-2025-002\n"), "{yaml}");
        let (code, check) = f.check_json(&[]);
        assert!(
            findings(&check, "duplicate-id").is_empty() && code != 2,
            "{check:#}"
        );
    }
}

#[test]
fn unrelated_titles_and_other_dates_or_organisations_are_new_items() {
    let f = Fixture::new();
    // Same date and organisation, an unrelated title (only "2025" shared).
    let mut csv = format!("{HEAD}{}", row("Parent carer survey spring 2025"));
    // The item's title word for word, but another date, or organisation.
    csv.push_str("\"Timeliness dashboard, May 2025\",31/05/2025,kcc,A1,data,impact\n");
    csv.push_str("\"Timeliness dashboard, May 2025\",30/04/2025,nhs,A1,data,impact\n");
    f.write("log.csv", &csv);
    let out = f.pack(&["import", "log.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!text(&out).contains("import-conflict"), "{}", text(&out));
    assert_eq!(new_files(&f).len(), 3, "{:?}", new_files(&f));
}

#[test]
fn a_row_that_is_the_item_exactly_or_names_it_by_id_is_no_near_duplicate() {
    let f = Fixture::new();
    // The exact title: the item, unchanged.
    f.write(
        "log.csv",
        &format!("{HEAD}{}", row("Timeliness dashboard, April 2025")),
    );
    let out = f.pack(&["import", "log.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("1 unchanged"), "{}", text(&out));
    // In another case and spacing, the titles match (spec 6.1): the row is
    // the item, and differs from it in its title; not a near-duplicate.
    f.write(
        "log.csv",
        &format!("{HEAD}{}", row("  TIMELINESS DASHBOARD, APRIL 2025 ")),
    );
    let out = f.pack(&["import", "log.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("differs from it in `title`"),
        "{}",
        text(&out)
    );
    assert!(!text(&out).contains("may be E-2025-001"), "{}", text(&out));
    // With the id given, the retyped title is an update of that item.
    f.write(
        "log.csv",
        "Evidence ID,Title,Date,Organisation,Areas,Kind,Shows,Actions,Measures,Summary\nE-2025-001,\"Timeliness dashboard, May 2025\",30/04/2025,kcc,A1,data,impact,A1.1,A1.M1,Timeliness rose to 45.5%.\n",
    );
    let out = f.pack(&["import", "log.csv", "--update"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(new_files(&f).is_empty(), "{:?}", new_files(&f));
    let yaml = std::fs::read_to_string(f.file("evidence/2025/dashboard.yaml")).unwrap();
    assert!(yaml.contains("Timeliness dashboard, May 2025"), "{yaml}");
}

#[test]
fn every_near_duplicate_is_reported_at_once_with_the_row_s_other_errors() {
    let f = Fixture::new();
    let mut csv = HEAD.to_owned();
    csv.push_str(&row("Timeliness dashboard April"));
    csv.push_str("\"Timeliness dashboard, April 2025 v2\",30/04/2025,kcc,A9,data,impact\n");
    f.write("log.csv", &csv);
    let out = f
        .pack(&["import", "log.csv", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cells: Vec<&str> = findings(&report, "import-conflict")
        .iter()
        .map(|c| c["cell"].as_str().unwrap())
        .collect();
    assert_eq!(cells, ["log!A2", "log!A3"], "{report:#}");
    // The unknown area in row 3 is reported too, at its cell.
    let all = report.to_string();
    assert!(all.contains("log!D3"), "{report:#}");
    assert!(text(&out).contains("2 conflicting"), "{}", text(&out));
    assert!(new_files(&f).is_empty());
}
