//! plan/import.yaml and `--save-map` (spec 6.2, "A remembered mapping"),
//! on the real binary: import reads the file before matching headers and
//! `--map` still wins; `--save-map` merges the run's maps into it keeping
//! its comments; an entry for a header the sheet lacks is a warning at its
//! line; `pack check` validates the file like any plan file.

mod common;

use common::*;

/// A council's own headers: none of Date received, Lead agency or RAG is a
/// name pack knows.
const LOG: &str = "Title,Date received,Lead agency,Areas,Kind,Shows,RAG\n\
Parent carer survey spring 2025,30/04/2025,Kent County Council,A1,survey,voice,Green\n";

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn import_json(f: &Fixture, args: &[&str]) -> (i32, serde_json::Value, String) {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = f.pack(&all).output().unwrap();
    let report =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)));
    (out.status.code().unwrap(), report, text(&out))
}

fn survey(f: &Fixture) -> Option<String> {
    std::fs::read_to_string(f.file("evidence/2025/parent-carer-survey-spring-2025.yaml")).ok()
}

#[test]
fn the_file_maps_the_columns_and_ignore_skips_one_quietly() {
    let f = Fixture::new();
    f.write("log.csv", LOG);
    // Without the file, the columns are not read.
    let (code, report, all) = import_json(&f, &["log.csv"]);
    assert_eq!(code, 1, "{all}");
    assert!(!findings(&report, "import-column").is_empty(), "{report:#}");
    assert!(survey(&f).is_none());

    f.write(
        "plan/import.yaml",
        "# The columns of our log\ncolumns:\n  Date received: date\n  \"LEAD AGENCY\": organisation  # matched as headers are\n  RAG: ignore\n",
    );
    let (code, report, all) = import_json(&f, &["log.csv"]);
    assert_eq!(code, 0, "{all}");
    assert!(
        report["findings"].as_array().unwrap().is_empty(),
        "{report:#}"
    );
    let yaml = survey(&f).expect("written");
    assert!(
        yaml.contains("date: 2025-04-30\n") && yaml.contains("organisation: kcc\n"),
        "{yaml}"
    );
    // ... and `pack check` finds nothing wrong with the file.
    let (_, check) = f.check_json(&[]);
    let about: Vec<_> = check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["file"] == "plan/import.yaml")
        .collect();
    assert!(about.is_empty(), "{about:#?}");
}

#[test]
fn an_empty_value_skips_too_and_map_wins_over_the_file() {
    let f = Fixture::new();
    f.write("log.csv", LOG);
    // RAG with no value is ignore; the file reads Lead agency wrongly as
    // `shows`, and --map puts it right.
    f.write(
        "plan/import.yaml",
        "columns:\n  Date received: date\n  Lead agency: shows\n  RAG:\n",
    );
    let (code, report, all) = import_json(&f, &["log.csv", "--map", "Lead agency=organisation"]);
    assert_eq!(code, 0, "{all}");
    assert!(
        report["findings"].as_array().unwrap().is_empty(),
        "{report:#}"
    );
    assert!(survey(&f).unwrap().contains("organisation: kcc\n"));
}

#[test]
fn an_entry_for_a_header_the_sheet_lacks_is_a_warning_at_its_line() {
    let f = Fixture::new();
    f.write("log.csv", LOG);
    f.write(
        "plan/import.yaml",
        "columns:\n  Date received: date\n  Lead agency: organisation\n  RAG: ignore\n  Ref no: id\n",
    );
    let (code, report, all) = import_json(&f, &["log.csv"]);
    assert_eq!(code, 0, "a warning does not stop the import: {all}");
    let w = one(&report, "import-column");
    assert_eq!(w["severity"], "warning", "{w:#}");
    assert_eq!(w["file"], "plan/import.yaml", "{w:#}");
    assert_eq!(w["line"], 5, "{w:#}");
    assert_eq!(w["column"], 3, "{w:#}");
    assert!(w["message"].as_str().unwrap().contains("`Ref no`"), "{w:#}");
}

#[test]
fn sheet_and_files_come_from_the_file_when_not_given() {
    let f = Fixture::new();
    f.write("shared/docs/survey.pdf", "%PDF-1.4 survey\n");
    f.write(
        "log.csv",
        "Title,Date received,Lead agency,Areas,Kind,Shows,File\n\
Parent carer survey spring 2025,30/04/2025,kcc,A1,survey,voice,survey.pdf\n",
    );
    f.write(
        "plan/import.yaml",
        "columns: { \"Date received\": date, \"Lead agency\": organisation }\nfiles: shared/docs\n",
    );
    let (code, _, all) = import_json(&f, &["log.csv"]);
    assert_eq!(code, 0, "{all}");
    assert!(f.file("evidence/2025/survey.pdf").exists(), "{all}");
    // A folder that is not there is an error at its line.
    f.write(
        "plan/import.yaml",
        "columns: { \"Date received\": date, \"Lead agency\": organisation }\nfiles: shared/none\n",
    );
    f.write("log.csv", &LOG.replace("30/04/2025", "15/05/2025"));
    let (code, report, all) = import_json(&f, &["log.csv", "--map", "RAG="]);
    assert_eq!(code, 1, "{all}");
    let e = one(&report, "schema");
    assert_eq!(
        (e["file"].as_str(), e["line"].as_u64()),
        (Some("plan/import.yaml"), Some(2)),
        "{e:#}"
    );
}

#[test]
fn save_map_creates_then_merges_keeping_comments_and_dry_run_saves_nothing() {
    let f = Fixture::new();
    f.write("log.csv", LOG);
    let maps = [
        "--map",
        "Date received=date",
        "--map",
        "Lead agency=organisation",
        "--map",
        "RAG=",
    ];
    let mut args = vec!["log.csv", "--save-map", "--dry-run"];
    args.extend_from_slice(&maps);
    let (code, _, all) = import_json(&f, &args);
    assert_eq!(code, 0, "{all}");
    assert!(
        !f.file("plan/import.yaml").exists(),
        "a dry run writes nothing"
    );

    let mut args = vec!["log.csv", "--save-map"];
    args.extend_from_slice(&maps);
    let (code, _, all) = import_json(&f, &args);
    assert_eq!(code, 0, "{all}");
    assert!(
        all.contains("saved 3 column names to plan/import.yaml"),
        "{all}"
    );
    let saved = std::fs::read_to_string(f.file("plan/import.yaml")).unwrap();
    assert_eq!(
        saved,
        "columns:\n  \"Date received\": date\n  \"Lead agency\": organisation\n  \"RAG\": ignore\n"
    );
    // The next log imports with no --map at all.
    f.write("log.csv", &LOG.replace("30/04/2025", "15/05/2025"));
    let (code, report, all) = import_json(&f, &["log.csv"]);
    assert_eq!(code, 0, "{all}");
    assert!(
        report["findings"].as_array().unwrap().is_empty(),
        "{report:#}"
    );

    // Merging into a file a person wrote keeps its comments and layout.
    f.write(
        "plan/import.yaml",
        "# Kent's log\ncolumns:\n  # the day it came in\n  Date received: shows  # fix me\n  RAG: ignore\nsheet: log\n",
    );
    f.write("log.csv", &LOG.replace("30/04/2025", "16/05/2025"));
    let (code, _, all) = import_json(
        &f,
        &[
            "log.csv",
            "--save-map",
            "--map",
            "date received=date",
            "--map",
            "Lead agency=organisation",
        ],
    );
    assert_eq!(code, 0, "{all}");
    assert_eq!(
        std::fs::read_to_string(f.file("plan/import.yaml")).unwrap(),
        "# Kent's log\ncolumns:\n  # the day it came in\n  Date received: date  # fix me\n  RAG: ignore\n  \"Lead agency\": organisation\nsheet: log\n"
    );
}

#[test]
fn check_validates_the_file_like_any_plan_file() {
    let f = Fixture::new();
    f.write(
        "plan/import.yaml",
        "colums:\n  RAG: ignore\ncolumns:\n  Date received: dat\n  Lead agency: organization\n  RAG: ignore\nsheet: [a]\n",
    );
    let (code, report) = f.check_json(&[]);
    assert_eq!(code, 1, "{report:#}");
    let mine: Vec<(u64, u64, String, String)> = findings(&report, "schema")
        .into_iter()
        .filter(|x| x["file"] == "plan/import.yaml")
        .map(|x| {
            (
                x["line"].as_u64().unwrap(),
                x["column"].as_u64().unwrap(),
                x["message"].as_str().unwrap().to_owned(),
                x["hint"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(mine.len(), 4, "{mine:#?}");
    assert_eq!((mine[0].0, mine[0].1), (1, 1), "{mine:#?}");
    assert!(mine[0].3.contains("did you mean `columns`?"), "{mine:#?}");
    assert_eq!((mine[1].0, mine[1].1), (4, 18), "{mine:#?}");
    assert!(mine[1].3.contains("did you mean `date`?"), "{mine:#?}");
    assert_eq!((mine[2].0, mine[2].1), (5, 16), "{mine:#?}");
    assert!(
        mine[2].3.contains("did you mean `organisation`?"),
        "{mine:#?}"
    );
    assert_eq!(mine[3].0, 7, "{mine:#?}");
    // A syntax error is one too.
    f.write("plan/import.yaml", "columns: {\n");
    let (code, report) = f.check_json(&[]);
    assert_eq!(code, 1, "{report:#}");
    assert!(
        findings(&report, "yaml-syntax")
            .iter()
            .any(|x| x["file"] == "plan/import.yaml"),
        "{report:#}"
    );
}

#[test]
fn a_wrong_file_stops_the_import_and_save_map_never_breaks_it() {
    let f = Fixture::new();
    f.write("log.csv", LOG);
    // A value that is no field: an error at its line, and nothing written.
    f.write(
        "plan/import.yaml",
        "columns:\n  Date received: date\n  Lead agency: organization\n  RAG: ignore\n",
    );
    let (code, report, all) = import_json(&f, &["log.csv"]);
    assert_eq!(code, 1, "{all}");
    let e = findings(&report, "schema")
        .into_iter()
        .find(|x| x["file"] == "plan/import.yaml")
        .unwrap_or_else(|| panic!("{report:#}"));
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(3), Some(16)),
        "{e:#}"
    );
    assert!(
        e["hint"].as_str().unwrap().contains("`organisation`"),
        "{e:#}"
    );
    assert!(survey(&f).is_none());

    // A file that is not YAML is not edited: exit 2, the file as it was.
    let broken = "columns: { \"Date received\": date\n";
    f.write("plan/import.yaml", broken);
    let out = f
        .pack(&[
            "import",
            "log.csv",
            "--save-map",
            "--map",
            "Lead agency=organisation",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("plan/import.yaml"), "{}", text(&out));
    assert_eq!(
        std::fs::read_to_string(f.file("plan/import.yaml")).unwrap(),
        broken
    );
    assert!(survey(&f).is_none());
}

#[test]
fn a_files_folder_outside_the_repository_is_never_looked_in() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("survey.pdf"), "%PDF-1.4 secret\n").unwrap();
    let log = "Title,Date received,Lead agency,Areas,Kind,Shows,File\n\
Parent carer survey spring 2025,30/04/2025,kcc,A1,survey,voice,survey.pdf\n";
    let link = {
        let f = Fixture::new();
        f.write("log.csv", log);
        std::os::unix::fs::symlink(outside.path(), f.file("shared")).unwrap();
        f
    };
    let abs = outside.path().display().to_string();
    for (f, dir) in [
        (Fixture::new(), abs.as_str()),
        (Fixture::new(), "../.."),
        (Fixture::new(), "shared/../../x"),
        (Fixture::new(), "~/docs"),
        (Fixture::new(), "C:/docs"),
        (link, "shared"),
    ] {
        f.write("log.csv", log);
        f.write(
            "plan/import.yaml",
            &format!(
                "columns: {{ \"Date received\": date, \"Lead agency\": organisation }}\nfiles: \"{dir}\"\n"
            ),
        );
        let (code, report, all) = import_json(&f, &["log.csv"]);
        assert_eq!(code, 1, "{dir}: {all}");
        let e = one(&report, "unsafe-path");
        assert_eq!(
            (e["file"].as_str(), e["line"].as_u64()),
            (Some("plan/import.yaml"), Some(2)),
            "{dir}: {e:#}"
        );
        assert!(!f.file("evidence/2025/survey.pdf").exists(), "{dir}");
    }
}
