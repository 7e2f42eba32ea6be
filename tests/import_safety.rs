//! `pack import` on logs that try to take a file from elsewhere, to write
//! half of themselves, to hide twins, or to slip past `--map` (spec 6.1):
//! each case on the real binary, in CSV and in workbooks LibreOffice made.

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

/// Every file under `dir`, relative to it, sorted (hidden ones included).
fn tree(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    out.sort();
    out
}

/// Every file under the repository's evidence/ with its text.
fn snapshot(root: &Path) -> Vec<(String, String)> {
    let dir = root.join("evidence");
    tree(&dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(dir.join(&p)).unwrap_or_default();
            (p, String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect()
}

const HEAD: &str = "Title,Date,Organisation,Areas,Kind,Shows,File\n";

/// A CSV log of `rows` (after the header above).
fn log(f: &Fixture, rows: &str) -> PathBuf {
    f.write("log.csv", &format!("{HEAD}{rows}"));
    f.file("log.csv")
}

/// The CSV as LibreOffice saves it in `ext` (en-GB).
fn as_workbook(csv: &Path, ext: &str) -> PathBuf {
    let dir = csv.parent().unwrap().join(format!("made-{ext}"));
    soffice(csv, ext, Some("CSV:44,34,76,1,,2057"), &dir)
        .into_iter()
        .next()
        .unwrap()
}

fn findings_json(out: &std::process::Output) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(out)));
    v["findings"].as_array().unwrap().clone()
}

/// (rule, message) of each finding at `cell` (e.g. "log!G2").
fn at<'a>(findings: &'a [serde_json::Value], cell: &str) -> Vec<(&'a str, &'a str)> {
    findings
        .iter()
        .filter(|f| {
            f["message"]
                .as_str()
                .is_some_and(|m| m.starts_with(&format!("{cell}:")))
        })
        .map(|f| (f["rule"].as_str().unwrap(), f["message"].as_str().unwrap()))
        .collect()
}

#[cfg(unix)]
#[test]
fn a_file_cell_never_takes_a_file_from_outside_its_folder() {
    let f = Fixture::new();
    // What must never be read: a secret beside the repository.
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("id_rsa");
    std::fs::write(&secret, "PRIVATE KEY").unwrap();
    std::fs::create_dir_all(outside.path().join("secret")).unwrap();
    std::fs::write(outside.path().join("secret/id_rsa"), "PRIVATE KEY").unwrap();
    // --files is a folder inside `outside`, holding one good file and links out.
    let files = outside.path().join("files");
    std::fs::create_dir_all(files.join("sub")).unwrap();
    std::fs::write(files.join("good.pdf"), "%PDF good").unwrap();
    std::os::unix::fs::symlink(&secret, files.join("link.pdf")).unwrap();
    std::os::unix::fs::symlink(outside.path(), files.join("sub/up")).unwrap();
    // And in the repository, a link out of it.
    std::os::unix::fs::symlink(&secret, f.file("evidence/2025/repo-link.pdf")).unwrap();
    let bad = [
        "/proc/self/environ".to_owned(),
        "../secret/id_rsa".to_owned(),
        secret.display().to_string(),
        "~/.ssh/id_rsa".to_owned(),
        "C:\\Users\\me\\id_rsa".to_owned(),
        "C:id_rsa".to_owned(),
        "docs\\minutes.pdf".to_owned(),
        "file:///etc/passwd".to_owned(),
        "https://evil.example/x.pdf".to_owned(),
        "link.pdf".to_owned(),
        "sub/up/id_rsa".to_owned(),
        "nope/../../secret/id_rsa".to_owned(),
        "2025/repo-link.pdf".to_owned(),
    ];
    let mut rows = String::new();
    for (n, b) in bad.iter().enumerate() {
        rows.push_str(&format!(
            "Item {n},30/04/2025,kcc,A1,data,impact,\"{}\"\n",
            b.replace('"', "\"\"")
        ));
    }
    rows.push_str("Good item,30/04/2025,kcc,A1,data,impact,good.pdf\n");
    let csv = log(&f, &rows);
    let before = snapshot(f.path());
    let files_arg = files.to_str().unwrap();
    for sheet in [
        csv.clone(),
        as_workbook(&csv, "xlsx"),
        as_workbook(&csv, "ods"),
    ] {
        let sheet_arg = sheet.to_str().unwrap();
        for extra in [&[][..], &["--dry-run"][..]] {
            let mut args = vec![
                "import", sheet_arg, "--files", files_arg, "--format", "json",
            ];
            args.extend_from_slice(extra);
            let out = f.pack(&args).output().unwrap();
            assert_eq!(out.status.code(), Some(1), "{}", text(&out));
            let all = text(&out);
            assert!(
                !all.contains("PRIVATE KEY") && !all.contains("would copy"),
                "{all}"
            );
            let findings = findings_json(&out);
            let name = sheet.file_stem().unwrap().to_string_lossy().into_owned();
            for (n, b) in bad.iter().enumerate() {
                let here = at(&findings, &format!("{name}!G{}", n + 2));
                assert!(
                    here.iter().any(|(rule, _)| *rule == "unsafe-path"),
                    "{b}: {here:?}\n{all}"
                );
            }
            // The good row is fine.
            assert!(at(&findings, &format!("{name}!G{}", bad.len() + 2)).is_empty());
            assert_eq!(snapshot(f.path())[..], before[..], "{sheet_arg} {extra:?}");
        }
    }
    // Without --files, a path is looked up in the repository, bounded by it.
    let out = f
        .pack(&["import", "log.csv", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let findings = findings_json(&out);
    for row in [2, 3, 4, 14] {
        let here = at(&findings, &format!("log!G{row}"));
        assert!(
            here.iter().any(|(r, _)| *r == "unsafe-path"),
            "row {row}: {here:?}"
        );
    }
    assert_eq!(snapshot(f.path())[..], before[..]);
}

#[test]
fn paths_that_clash_in_any_letter_case_write_nothing() {
    let f = Fixture::new();
    let files = tempfile::tempdir().unwrap();
    let put = |rel: &str, bytes: &str| {
        let p = files.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    };
    put("clash.yaml", "not an item");
    put("a/Report.pdf", "one");
    put("b/report.pdf", "two");
    put("Minutes.PDF", "new minutes");
    put("same.pdf", "same");
    f.write("evidence/2025/minutes.pdf", "old minutes");
    let csv = log(
        &f,
        "Clash,30/04/2025,kcc,A1,data,impact,clash.yaml\n\
         First report,30/04/2025,kcc,A1,data,impact,a/Report.pdf\n\
         Second report,30/04/2025,kcc,A1,data,impact,b/report.pdf\n\
         Minutes,30/04/2025,kcc,A1,data,impact,Minutes.PDF\n\
         Fine,30/04/2025,kcc,A1,data,impact,same.pdf\n\
         Fine too,30/04/2025,kcc,A1,data,impact,same.pdf\n",
    );
    let before = snapshot(f.path());
    for sheet in [csv.clone(), as_workbook(&csv, "xlsx")] {
        let name = sheet.file_stem().unwrap().to_string_lossy().into_owned();
        let out = f
            .pack(&[
                "import",
                sheet.to_str().unwrap(),
                "--files",
                files.path().to_str().unwrap(),
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        let findings = findings_json(&out);
        // The attachment clash.yaml and the item's own clash.yaml.
        let title = at(&findings, &format!("{name}!A2"));
        let file = at(&findings, &format!("{name}!G2"));
        assert!(
            title
                .iter()
                .any(|(r, m)| *r == "import-conflict" && m.contains("G2")),
            "{title:?}"
        );
        assert!(
            file.iter()
                .any(|(r, m)| *r == "import-conflict" && m.contains("A2")),
            "{file:?}"
        );
        // Report.pdf and report.pdf: one file on Windows and macOS.
        for (cell, other) in [("G3", "G4"), ("G4", "G3")] {
            let here = at(&findings, &format!("{name}!{cell}"));
            assert!(
                here.iter()
                    .any(|(r, m)| *r == "import-conflict" && m.contains(other)),
                "{cell}: {here:?}"
            );
        }
        // Minutes.PDF beside an existing minutes.pdf.
        let here = at(&findings, &format!("{name}!G5"));
        assert!(
            here.iter()
                .any(|(r, m)| *r == "import-conflict" && m.contains("exists already")),
            "{here:?}"
        );
        // One file copied for two rows is one write, not a clash.
        assert!(at(&findings, &format!("{name}!G6")).is_empty());
        assert!(at(&findings, &format!("{name}!G7")).is_empty());
        assert_eq!(snapshot(f.path())[..], before[..]);
    }
}

/// Many attachments, so that the import is still staging when it is
/// killed: whatever it left, `pack check` says nothing of it, and the next
/// import removes it and writes everything.
#[cfg(unix)]
#[test]
fn a_killed_import_leaves_nothing_that_check_reports() {
    let f = Fixture::new();
    let files = tempfile::tempdir().unwrap();
    let mut rows = String::new();
    let big = vec![b'x'; 256 * 1024];
    for n in 0..400 {
        std::fs::write(files.path().join(format!("a{n}.pdf")), &big).unwrap();
        rows.push_str(&format!(
            "Item {n},30/04/2025,kcc,A1,data,impact,a{n}.pdf\n"
        ));
    }
    log(&f, &rows);
    let (_, clean) = f.check_json(&[]);
    let before = tree(f.path());
    for signal in ["-KILL", "-INT"] {
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("pack"))
            .current_dir(f.path())
            .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
            .args([
                "import",
                "log.csv",
                "--files",
                files.path().to_str().unwrap(),
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut child = child;
        // Wait for the staging folder, then kill.
        let staging = || {
            std::fs::read_dir(f.file("evidence"))
                .unwrap()
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with(".pack-import-"))
        };
        let start = std::time::Instant::now();
        while !staging() {
            assert!(
                child.try_wait().unwrap().is_none(),
                "the import ended before its staging folder was seen"
            );
            assert!(start.elapsed().as_secs() < 120, "no staging folder");
        }
        std::process::Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        child.wait().unwrap();
        assert!(
            staging(),
            "{signal}: the killed run left its staging folder"
        );
        // Nothing of it is an item, and check reports nothing new.
        let now: Vec<String> = tree(f.path())
            .into_iter()
            .filter(|p| !p.starts_with("evidence/.pack-import-"))
            .collect();
        assert_eq!(now, before, "{signal}");
        let (_, report) = f.check_json(&[]);
        assert_eq!(report["findings"], clean["findings"], "{signal}");
    }
    // The next import cleans up and writes everything.
    let out = f
        .pack(&[
            "import",
            "log.csv",
            "--files",
            files.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!tree(f.path()).iter().any(|p| p.contains(".pack-import-")));
    assert_eq!(tree(&f.file("evidence/2025")).len(), 1 + 400 * 2);
}

#[test]
fn id_less_twins_are_a_duplicate_id_naming_both_cells() {
    let f = Fixture::new();
    // Same title (in another case and with spaces at the ends), date and
    // organisation (by id and by name), no id.
    let csv = log(
        &f,
        "Parent survey,30/04/2025,kcc,A1,survey,voice,\n\
         Other,30/04/2025,kcc,A1,survey,voice,\n\
         \"  PARENT SURVEY \",30/04/2025,Kent County Council,A1,survey,voice,\n",
    );
    for sheet in [csv.clone(), as_workbook(&csv, "ods")] {
        let name = sheet.file_stem().unwrap().to_string_lossy().into_owned();
        for extra in [&[][..], &["--update"][..]] {
            let mut args = vec!["import", sheet.to_str().unwrap(), "--format", "json"];
            args.extend_from_slice(extra);
            let out = f.pack(&args).output().unwrap();
            assert_eq!(out.status.code(), Some(1), "{}", text(&out));
            let findings = findings_json(&out);
            let here = at(&findings, &format!("{name}!A4"));
            assert!(
                here.iter().any(|(r, m)| *r == "duplicate-id"
                    && m.contains(&format!("{name}!A2"))
                    && m.contains(&format!("{name}!A4"))),
                "{here:?}"
            );
            assert!(
                text(&out).contains("3 item rows; 2 new, 0 to update, 0 unchanged, 1 with errors"),
                "{}",
                text(&out)
            );
            assert_eq!(tree(&f.file("evidence")), ["2025/dashboard.yaml"]);
        }
    }
    // A row without an id that is an existing item another row names by id.
    f.write(
        "log.csv",
        "Evidence ID,Title,Date,Organisation,Areas,Kind,Shows,Summary\n\
         E-2025-001,\"Timeliness dashboard, April 2025\",30/04/2025,kcc,A1,data,impact,One\n\
         ,\"timeliness dashboard, april 2025\",30/04/2025,kcc,A1,data,impact,Two\n",
    );
    let out = f
        .pack(&["import", "log.csv", "--update", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let findings = findings_json(&out);
    let here = at(&findings, "log!B3");
    assert!(
        here.iter()
            .any(|(r, m)| *r == "duplicate-id" && m.contains("E-2025-001") && m.contains("row 2")),
        "{here:?}"
    );
    assert_eq!(
        std::fs::read_to_string(f.file("evidence/2025/dashboard.yaml")).unwrap(),
        EVIDENCE
    );
}

#[test]
fn names_from_titles_are_ascii_and_never_a_device_name() {
    let f = Fixture::new();
    log(
        &f,
        "CON,30/04/2025,kcc,A1,data,impact,\n\
         Aux,30/04/2025,kcc,A1,data,impact,\n\
         nul,30/04/2025,kcc,A1,data,impact,\n\
         COM1,30/04/2025,kcc,A1,data,impact,\n\
         lpt9.,30/04/2025,kcc,A1,data,impact,\n\
         Ünïcödé Café résumé,30/04/2025,kcc,A1,data,impact,\n\
         Straße in Łódź,30/04/2025,kcc,A1,data,impact,\n",
    );
    let out = f.pack(&["import", "log.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(
        tree(&f.file("evidence/2025")),
        [
            "aux-item.yaml",
            "com1-item.yaml",
            "con-item.yaml",
            "dashboard.yaml",
            "lpt9-item.yaml",
            "nul-item.yaml",
            "strasse-in-lodz.yaml",
            "unicode-cafe-resume.yaml",
        ]
    );
    // pack new evidence names its file the same way.
    for (title, file) in [
        ("PRN", "prn-item.yaml"),
        ("Café résumé", "cafe-resume.yaml"),
    ] {
        f.pack_ok(&[
            "new",
            "evidence",
            "--title",
            title,
            "--area",
            "A1",
            "--kind",
            "data",
            "--shows",
            "impact",
            "--org",
            "kcc",
            "--date",
            "2025-04-30",
        ]);
        assert!(f.file("evidence/2025").join(file).is_file(), "{title}");
    }
}

#[test]
fn a_map_that_does_nothing_is_said_and_a_wrong_one_stops() {
    let f = Fixture::new();
    log(&f, "Survey,30/04/2025,kcc,A1,survey,voice,\n");
    let out = f
        .pack(&[
            "import",
            "log.csv",
            "--map",
            "Nope=title",
            "--map",
            "Ref no=id",
            "--dry-run",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let all = text(&out);
    for header in ["`Nope`", "`Ref no`"] {
        assert!(
            all.lines()
                .any(|l| l.contains("warning[import-column]") && l.contains(header)),
            "{header}: {all}"
        );
    }
    for (map, why) in [
        ("=title", "the header before `=` is empty"),
        ("  =title", "the header before `=` is empty"),
        ("Title=nonsense", "`nonsense` is not an evidence field"),
        ("Title", "write it as HEADER=FIELD"),
    ] {
        let out = f
            .pack(&["import", "log.csv", "--map", map])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{map}: {}", text(&out));
        assert!(text(&out).contains(why), "{map}: {}", text(&out));
    }
    assert_eq!(tree(&f.file("evidence")), ["2025/dashboard.yaml"]);
    // `HEADER=ignore` (or nothing after `=`) skips a column without a word.
    f.write(
        "log.csv",
        &format!(
            "{}RAG\nSurvey,30/04/2025,kcc,A1,survey,voice,,red\n",
            HEAD.trim_end().to_owned() + ","
        ),
    );
    for map in ["RAG=ignore", "RAG="] {
        let out = f
            .pack(&["import", "log.csv", "--map", map, "--dry-run"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        assert!(
            !text(&out).contains("import-column"),
            "{map}: {}",
            text(&out)
        );
    }
}

#[test]
fn the_summary_counts_every_row_and_messages_mask_identifiers() {
    let f = Fixture::new();
    f.write(
        "log.csv",
        "Evidence ID,Title,Date,Organisation,Areas,Kind,Shows,Summary\n\
         E-2025-001,\"Timeliness dashboard, April 2025\",30/04/2025,kcc,A1,data,impact,Different\n\
         ,New survey,30/04/2025,kcc,A1,survey,voice,\n\
         ,Bad kind,30/04/2025,kcc,A1,9434765919,voice,\n\
         9434765919,One,30/04/2025,kcc,A1,data,impact,\n\
         9434765919,Two,30/04/2025,kcc,A1,data,impact,\n",
    );
    let out = f.pack(&["import", "log.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let all = text(&out);
    assert!(
        all.contains("5 item rows; 1 new, 0 to update, 0 unchanged, 1 conflicting, 3 with errors"),
        "{all}"
    );
    // A bad cell and a duplicate id, both holding an NHS number.
    assert!(
        all.contains("error[schema]: log!F4") && all.contains("error[duplicate-id]: log!A6"),
        "{all}"
    );
    assert!(!all.contains("9434765919"), "{all}");
    assert!(all.contains("*******919"), "{all}");
    // A conflict whose item's file name holds one.
    let f = Fixture::new();
    f.remove("evidence/2025/dashboard.yaml");
    f.write("evidence/2025/review-9434765919.yaml", EVIDENCE);
    f.write(
        "log.csv",
        "Evidence ID,Title,Date,Organisation,Areas,Kind,Shows\n\
         E-2025-001,Another title,30/04/2025,kcc,A1,data,impact\n",
    );
    let out = f.pack(&["import", "log.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let all = text(&out);
    assert!(all.contains("error[import-conflict]: log!A2"), "{all}");
    assert!(!all.contains("9434765919"), "{all}");
}
