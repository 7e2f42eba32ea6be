//! Root cause first (spec section 3, "Order and root causes"): the finding
//! of a file pack cannot read comes first in every format, the references
//! it breaks are folded into it, counts stay true, and the common YAML
//! slips are named and pointed at.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

const AS_OF: [&str; 2] = ["--as-of", "2025-05-20"];

/// The fixture's area file with an unclosed `[` in its title (line 2).
fn broken_area() -> String {
    AREA.replace("title: Parental confidence", "title: [Parental confidence")
}

fn stdout(f: &Fixture, args: &[&str]) -> String {
    String::from_utf8(f.pack(args).output().unwrap().stdout).unwrap()
}

/// The area file cannot be read; an unused attachment elsewhere gives a
/// finding whose file sorts before plan/ (evidence/ < plan/).
fn area_broken_and_a_stray_file() -> Fixture {
    let f = Fixture::new();
    f.write("plan/areas/a1.yaml", &broken_area());
    f.write("evidence/2025/stray.csv", "a,b\n");
    f
}

#[test]
fn every_format_lists_the_unreadable_file_first() {
    let f = area_broken_and_a_stray_file();
    let (code, r) = f.check_json(&AS_OF);
    assert_eq!(code, 1);
    let all = r["findings"].as_array().unwrap();
    assert!(all.len() >= 2, "{r:#}");
    assert_eq!(all[0]["rule"], "yaml-syntax", "{r:#}");
    assert_eq!(all[0]["file"], "plan/areas/a1.yaml");
    assert!(
        all.iter().any(|x| x["rule"] == "unused-file"),
        "the stray file is still reported: {r:#}"
    );

    let at = |text: &str, needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle} not in:\n{text}"))
    };
    let mut args = vec!["check", "--format", "human"];
    args.extend(AS_OF);
    let human = stdout(&f, &args);
    assert!(
        at(&human, "yaml-syntax") < at(&human, "unused-file"),
        "{human}"
    );
    args[2] = "github";
    let github = stdout(&f, &args);
    assert!(
        github.starts_with("::error file=plan/areas/a1.yaml"),
        "{github}"
    );
    args[2] = "gitlab";
    let gitlab: Value = serde_json::from_str(&stdout(&f, &args)).unwrap();
    assert_eq!(gitlab[0]["check_name"], "yaml-syntax", "{gitlab:#}");
    args[2] = "markdown";
    let markdown = stdout(&f, &args);
    assert!(
        at(&markdown, "`yaml-syntax`") < at(&markdown, "`unused-file`"),
        "{markdown}"
    );
    args[2] = "junit";
    let junit = stdout(&f, &args);
    let files = &junit[at(&junit, "<testsuite name=\"files\"")..];
    assert!(
        at(files, "plan/areas/a1.yaml") < at(files, "evidence/2025/stray.csv"),
        "{junit}"
    );
}

#[test]
fn within_each_group_findings_go_by_file_line_and_column() {
    let f = area_broken_and_a_stray_file();
    f.write("evidence/2024/bad.yaml", "id: E-9\ntitle: x\n\t- y\n");
    f.write("evidence/2025/stray2.csv", "a,b\n");
    let (_, r) = f.check_json(&AS_OF);
    let places: Vec<(bool, String, u64, u64)> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["rule"] != "yaml-syntax",
                x["file"].as_str().unwrap().to_owned(),
                x["line"].as_u64().unwrap(),
                x["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = places.clone();
    sorted.sort();
    assert_eq!(places, sorted, "{r:#}");
    assert_eq!(places[0].1, "evidence/2024/bad.yaml");
    assert_eq!(places[1].1, "plan/areas/a1.yaml");
}

#[test]
fn references_to_an_unreadable_area_are_folded_into_its_finding() {
    let f = Fixture::new();
    f.write("plan/areas/a1.yaml", &broken_area());
    f.write("plan/areas/a1.md", "Narrative.\n");
    // A second item naming the area, its action and its measure, and an id
    // no file defines, which stays a finding of its own.
    f.write(
        "evidence/2025/second.yaml",
        &EVIDENCE
            .replace("E-2025-001", "E-2025-002")
            .replace("areas: [A1]", "areas: [A1, A9]"),
    );
    let (code, r) = f.check_json(&AS_OF);
    assert_eq!(code, 1);
    let y = one(&r, "yaml-syntax");
    assert_at(y, "error", "plan/areas/a1.yaml", 2);
    let message = y["message"].as_str().unwrap();
    assert!(
        message.contains(
            "7 references to A1, A1.1 and 1 more depend on this file, first at evidence/2025/dashboard.yaml:7"
        ),
        "{message}"
    );
    let left = one(&r, "unknown-reference");
    assert_eq!(left["file"], "evidence/2025/second.yaml", "{left}");
    assert!(left["message"].as_str().unwrap().contains("`A9`"), "{left}");
}

#[test]
fn citations_and_attachments_of_an_unreadable_evidence_file_are_folded() {
    let f = Fixture::new();
    f.write(
        "plan/areas/a1.yaml",
        &AREA.replace("[@E-2025-001]", "[@E-2025-001] and [@E-2024-007]"),
    );
    f.write(
        "evidence/2024/minutes.yaml",
        "id: E-2024-007\ntitle: Board minutes\nfile: minutes.pdf\nsummary: {unclosed\n",
    );
    f.write("evidence/2024/minutes.pdf", "%PDF-1.4\n");
    let (_, r) = f.check_json(&AS_OF);
    assert!(findings(&r, "unknown-citation").is_empty(), "{r:#}");
    assert!(findings(&r, "unused-file").is_empty(), "{r:#}");
    let y = one(&r, "yaml-syntax");
    assert_at(y, "error", "evidence/2024/minutes.yaml", 4);
    let message = y["message"].as_str().unwrap();
    assert!(
        message.contains(
            "1 reference to E-2024-007 depends on this file, first at plan/areas/a1.yaml:10"
        ),
        "{message}"
    );
    assert!(
        message.contains("1 attachment beside it") && message.contains("evidence/2024/minutes.pdf"),
        "{message}"
    );
}

#[test]
fn references_to_what_an_unreadable_plan_defines_are_folded() {
    let f = Fixture::new();
    f.write(
        "plan/plan.yaml",
        &format!(
            "{PLAN}    letter:\n      date: 2025-05-30\n      points:\n        - id: P1\n          text: Do it.\n          areas: [A1]\n\tbad: tab\n"
        ),
    );
    f.write(
        "evidence/2025/dashboard.yaml",
        &format!("{EVIDENCE}responds_to: [P1]\n"),
    );
    let (_, r) = f.check_json(&AS_OF);
    assert!(findings(&r, "unknown-reference").is_empty(), "{r:#}");
    let y = one(&r, "yaml-syntax");
    assert_at(y, "error", "plan/plan.yaml", 18);
    let message = y["message"].as_str().unwrap();
    assert!(message.contains("indented with a tab"), "{message}");
    assert!(
        message.contains(
            "1 reference to P1 depends on this file, first at evidence/2025/dashboard.yaml:11"
        ),
        "{message}"
    );
    assert_eq!(r["summary"]["unreadable_files"], 1, "{r:#}");
}

#[test]
fn gaps_stay_and_say_evidence_could_not_be_read() {
    let f = Fixture::new();
    f.write(
        "evidence/2025/dashboard.yaml",
        &EVIDENCE.replace("title: Timeliness", "title: \"Timeliness"),
    );
    let (_, r) = f.check_json(&AS_OF);
    let gap = one(&r, "area-gap");
    assert!(
        gap["message"]
            .as_str()
            .unwrap()
            .ends_with("(1 evidence file could not be read)"),
        "{gap}"
    );
    assert_eq!(r["findings"][0]["rule"], "yaml-syntax", "{r:#}");
    assert_eq!(r["summary"]["unreadable_files"], 1);
}

#[test]
fn counts_stay_true_in_check_status_and_build() {
    let f = Fixture::new();
    f.write("plan/areas/a1.yaml", &broken_area());
    let (_, r) = f.check_json(&AS_OF);
    assert_eq!(r["summary"]["unreadable_files"], 1, "{r:#}");
    let said = "0 of 1 area complete (1 area file could not be read)";
    let mut args = vec!["check"];
    args.extend(AS_OF);
    let human = stdout(&f, &args);
    assert!(human.contains(said), "{human}");
    let markdown = stdout(
        &f,
        &["check", "--format", "markdown", "--as-of", "2025-05-20"],
    );
    assert!(markdown.contains(said), "{markdown}");
    let junit = stdout(&f, &["check", "--format", "junit", "--as-of", "2025-05-20"]);
    assert!(
        junit.contains("<testsuite name=\"areas\" tests=\"1\" failures=\"1\""),
        "{junit}"
    );
    let status = stdout(&f, &["status", "--as-of", "2025-05-20"]);
    assert!(
        status.contains("0 of 1 area complete (1 area file could not be read: plan/areas/a1.yaml;"),
        "{status}"
    );
    let status: Value = serde_json::from_str(&stdout(
        &f,
        &["status", "--format", "json", "--as-of", "2025-05-20"],
    ))
    .unwrap();
    assert_eq!(status["unreadable_files"], 1, "{status:#}");
    let out = f
        .pack(&["build", "--as-of", "2025-05-20", "--format", "md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let build = String::from_utf8(out.stdout).unwrap();
    assert!(build.contains(said), "{build}");
}

/// Each common slip: (file text, line, column, words the message must hold).
#[test]
fn common_yaml_slips_are_named_where_they_are() {
    let cases: &[(&str, &str, u64, u64, &str)] = &[
        (
            "unclosed [",
            "id: E-1\ntitle: [Parental confidence\ndate: 2025-01-01\n",
            2,
            8,
            "starts here with `[` and is not closed: its `]` is missing",
        ),
        (
            "unclosed {",
            "id: E-1\ntitle: x\nsummary: {a: 1,\n  b: 2\ndate: 2025-01-01\n",
            3,
            10,
            "starts here with `{` and is not closed: its `}` is missing",
        ),
        (
            "unclosed \"",
            "id: E-1\ntitle: \"Parental confidence\ndate: 2025-01-01\nkind: data\n",
            2,
            8,
            "starts here with `\"` but its closing quote is missing",
        ),
        (
            "unclosed '",
            "id: E-1\ntitle: x\nsummary: 'it is\n",
            3,
            10,
            "starts here with `'` but its closing quote is missing",
        ),
        (
            "tab",
            "id: E-1\nareas:\n  - A1\n\t- A2\n",
            4,
            1,
            "indented with a tab",
        ),
        (
            "missing space",
            "id: E-1\ntitle:Parental confidence\ndate: 2025-01-01\n",
            2,
            6,
            "a space is missing after `title:`",
        ),
        (
            "duplicate key",
            "id: E-1\ntitle: a\ndate: 2025-01-01\ntitle: b\n",
            4,
            1,
            "the field `title` is written twice in this item (first on line 2)",
        ),
        (
            "needs quotes",
            "id: E-1\ntitle: Note: parents asked\n",
            2,
            12,
            "the text of `title` holds `: `",
        ),
    ];
    for (name, yaml, line, column, says) in cases {
        let f = Fixture::new();
        f.write("evidence/2025/slip.yaml", yaml);
        let (_, r) = f.check_json(&AS_OF);
        let y = one(&r, "yaml-syntax");
        assert_eq!(y["file"], "evidence/2025/slip.yaml");
        assert_eq!(
            (y["line"].as_u64().unwrap(), y["column"].as_u64().unwrap()),
            (*line, *column),
            "{name}: {y}"
        );
        assert!(y["message"].as_str().unwrap().contains(says), "{name}: {y}");
    }
}

/// The issue's own case, on the project's example: one finding, first,
/// at the `[`, and nine areas counted.
#[test]
fn the_example_with_an_unclosed_bracket_gives_one_finding_at_the_bracket() {
    let f = Fixture::empty();
    let root = example_root();
    for dir in ["plan", "evidence", "data"] {
        copy_dir(&root.join(dir), &f.file(dir));
    }
    let area = f.file("plan/areas/01-parental-confidence.yaml");
    let text = std::fs::read_to_string(&area).unwrap();
    std::fs::write(
        &area,
        text.replacen(
            "\ntitle: Parental confidence",
            "\ntitle: [Parental confidence",
            1,
        ),
    )
    .unwrap();
    // Today is the example's latest visit, so that nothing else is due.
    let out = f
        .pack(&["check", "--format", "json"])
        .env("SOURCE_DATE_EPOCH", "1763424000")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["summary"]["errors"], 1, "{r:#}");
    let first = &r["findings"][0];
    assert_at(first, "error", "plan/areas/01-parental-confidence.yaml", 5);
    assert_eq!(first["column"], 8, "{first}");
    assert!(
        first["message"]
            .as_str()
            .unwrap()
            .contains("references to A1, A1.1 and "),
        "{first}"
    );
    let human = String::from_utf8(
        f.pack(&["check"])
            .env("SOURCE_DATE_EPOCH", "1763424000")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        human.contains("8 of 9 areas complete (1 area file could not be read)"),
        "{human}"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A schema error that costs a file its item is a root cause too: listed
/// first, and the file counted as unreadable.
#[test]
fn a_schema_error_that_loses_the_item_comes_first() {
    let f = Fixture::new();
    // A finding that sorts before the list file (2024 < 2025).
    f.write("evidence/2024/stray.csv", "a,b\n");
    f.write("evidence/2025/list.yaml", "- id: E-2025-009\n  title: x\n");
    let (_, r) = f.check_json(&AS_OF);
    let first = &r["findings"][0];
    assert_eq!(first["rule"], "schema", "{r:#}");
    assert_eq!(first["file"], "evidence/2025/list.yaml", "{r:#}");
    assert_eq!(r["summary"]["unreadable_files"], 1, "{r:#}");
}
