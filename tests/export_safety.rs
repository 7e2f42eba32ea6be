//! `pack export` names nothing of an item it leaves out, in any cell of any
//! sheet, and never replaces a file it did not write (spec 6.1).

mod common;

use common::*;

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The fixture with two items left out of an export (one personal, one
/// OFFICIAL-SENSITIVE), each with an attachment whose path holds a child's
/// name, and shown items that point at them every way an item can.
fn repo() -> Fixture {
    let f = Fixture::new();
    let item = |id: &str, title: &str, rest: &str| {
        format!(
            "id: {id}\ntitle: {title}\ndate: 2025-04-30\norganisation: kcc\nkind: report\nshows: impact\nareas: [A1]\nactions: [A1.1]\n{rest}"
        )
    };
    f.write(
        "evidence/2025/case-review.yaml",
        &item(
            "E-2025-010",
            "Case review for Jane Smith",
            "personal_data: true\nfile: children/jane-smith-plan.txt\n",
        ),
    );
    // A text attachment holding an NHS number: a finding about its path.
    f.write(
        "evidence/2025/children/jane-smith-plan.txt",
        "NHS 943 476 5919\n",
    );
    f.write(
        "evidence/2025/audit.yaml",
        &item(
            "E-2025-011",
            "Safeguarding audit of Tom Brown",
            "classification: OFFICIAL-SENSITIVE\nfile: tom-brown-audit.pdf\n",
        ),
    );
    // Shown items naming them: supersedes, a citation, a title, an action.
    f.write(
        "evidence/2025/shown.yaml",
        &item(
            "E-2025-012",
            "Board minutes",
            "supersedes: [E-2025-011]\nsummary: \"After [@E-2025-010], see children/jane-smith-plan.txt and tom-brown-audit.pdf.\"\n",
        ),
    );
    f
}

const SECRETS: [&str; 8] = [
    "E-2025-010",
    "E-2025-011",
    "Case review for Jane Smith",
    "Safeguarding audit of Tom Brown",
    "case-review.yaml",
    "jane-smith-plan",
    "tom-brown-audit",
    "audit.yaml",
];

#[test]
fn no_cell_of_any_sheet_names_an_item_left_out() {
    let f = repo();
    let tmp = tempfile::tempdir().unwrap();
    let xlsx = tmp.path().join("log.xlsx");
    let csv = tmp.path().join("log.csv");
    for out in [&xlsx, &csv] {
        let res = f
            .pack(&["export", "--out", out.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(res.status.code(), Some(0), "{}", text(&res));
        assert!(
            text(&res).contains("2 sensitive items left out"),
            "{}",
            text(&res)
        );
        for s in SECRETS {
            assert!(!text(&res).contains(s), "{s}: {}", text(&res));
        }
    }
    // Every cell of every sheet, as LibreOffice reads it.
    let sheets = sheets_as_csv(&xlsx);
    assert_eq!(sheets.len(), 5);
    let raw_csv = std::fs::read_to_string(&csv).unwrap();
    for (name, rows) in &sheets {
        for cell in rows.iter().flatten() {
            for s in SECRETS {
                assert!(!cell.contains(s), "{name}: `{s}` in {cell:?}");
            }
        }
    }
    for s in SECRETS {
        assert!(!raw_csv.contains(s), "csv: `{s}` in {raw_csv}");
    }
    // The shown item is there, its supersedes emptied of the left-out id,
    // and the shown item's own file name is not mistaken for a hidden one.
    let evidence = &sheets.iter().find(|(n, _)| n == "Evidence").unwrap().1;
    let shown = evidence
        .iter()
        .find(|r| r.first().is_some_and(|c| c == "E-2025-012"))
        .expect("the shown item");
    assert!(
        shown.iter().any(|c| c.contains("After [@(left out)]")),
        "{shown:?}"
    );

    // The same search finds them all with --include-sensitive: it can see.
    let res = f
        .pack(&[
            "export",
            "--out",
            xlsx.to_str().unwrap(),
            "--include-sensitive",
            "--force",
        ])
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(0), "{}", text(&res));
    let all: Vec<String> = sheets_as_csv(&xlsx)
        .into_iter()
        .flat_map(|(_, rows)| rows.into_iter().flatten())
        .collect();
    // (No finding names the YAML files themselves.)
    for s in SECRETS.iter().filter(|s| !s.ends_with(".yaml")) {
        assert!(
            all.iter().any(|c| c.contains(s)),
            "{s} with --include-sensitive"
        );
    }
}

#[test]
fn export_never_replaces_a_file_it_did_not_write() {
    let f = Fixture::new();
    for name in ["partner.xlsx", "partner.csv", "Partner.XLSX"] {
        f.write(name, "the partner's own workbook");
        let out = f.pack(&["export", "--out", name]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}: {}", text(&out));
        assert!(text(&out).contains("--force"), "{}", text(&out));
        assert_eq!(
            std::fs::read_to_string(f.file(name)).unwrap(),
            "the partner's own workbook"
        );
        let out = f
            .pack(&["export", "--out", name, "--force"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out));
        assert_ne!(
            std::fs::read(f.file(name)).unwrap(),
            b"the partner's own workbook"
        );
    }
    // A link in the way is a file in the way too.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(f.file("nowhere.xlsx"), f.file("link.xlsx")).unwrap();
        let out = f.pack(&["export", "--out", "link.xlsx"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        assert!(!f.file("nowhere.xlsx").exists());
    }
    // The default path under out/ is pack's own: replaced without a word.
    for _ in 0..2 {
        f.pack_ok(&["export"]);
    }
    assert!(f.file("out/test-plan-evidence-log.xlsx").is_file());
}
