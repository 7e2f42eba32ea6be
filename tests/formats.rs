//! End-to-end tests of every `check` output format on one fixture with a
//! few findings: insta snapshots, plus structural checks (JSON shape,
//! well-formed JUnit XML, GitHub escaping).

mod common;

use common::*;

fn fixture_with_findings() -> Fixture {
    let f = Fixture::new();
    f.write(
        "evidence/2025/dashboard.yaml",
        &EVIDENCE
            .replace("shows: impact", "shows: activity")
            .replace("date: 2025-04-30", "dat: 2025-04-30\ndate: 2025-04-30"),
    );
    f.write("evidence/2025/stray.csv", "a,b\n");
    f.write(
        "plan/areas/a1.md",
        "Progress: 50% of plans, see [@E-2025-009].\n",
    );
    f
}

fn run(f: &Fixture, format: &str) -> (i32, String) {
    let out = f
        .pack(&["check", "--as-of", "2025-05-20", "--format", format])
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn human() {
    let (code, text) = run(&fixture_with_findings(), "human");
    assert_eq!(code, 1);
    assert!(!text.contains('\u{1b}'), "no colour when not on a terminal");
    insta::assert_snapshot!(text);
}

#[test]
fn json_matches_the_spec_shape() {
    let (code, text) = run(&fixture_with_findings(), "json");
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    for key in ["as_of", "visit", "summary", "areas", "findings"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert!(v["summary"]["errors"].is_u64() && v["summary"]["warnings"].is_u64());
    for a in v["areas"].as_array().unwrap() {
        assert!(a["id"].is_string() && a["complete"].is_boolean() && a["current"].is_u64());
    }
    for x in v["findings"].as_array().unwrap() {
        for key in [
            "rule", "severity", "message", "file", "line", "column", "hint",
        ] {
            assert!(x.get(key).is_some(), "finding lacks {key}: {x}");
        }
    }
    insta::assert_snapshot!(text);
}

#[test]
fn github_annotations_and_escaping() {
    let (code, text) = run(&fixture_with_findings(), "github");
    assert_eq!(code, 1);
    assert!(
        text.lines().any(|l| l
            .starts_with("::error file=evidence/2025/dashboard.yaml,line=3,col=1,title=schema::")),
        "{text}"
    );
    // `%` in a message is escaped, and a hint's newline too.
    assert!(text.contains("50%25") || !text.contains("50%"), "{text}");
    for l in text.lines().filter(|l| l.starts_with("::")) {
        let (props, _) = l[2..].split_once("::").unwrap();
        assert!(!props.contains('\n'));
    }
    insta::assert_snapshot!(text);
}

#[test]
fn github_is_chosen_under_github_actions_and_writes_the_step_summary() {
    let f = fixture_with_findings();
    let summary = f.file("summary.md");
    let out = f
        .pack(&["check", "--as-of", "2025-05-20"])
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("::error file=plan/areas/a1.yaml,line=1,col=5,title=area-gap::"),
        "{text}"
    );
    assert!(
        text.contains("::warning file=evidence/2025/stray.csv,line=1,col=1,title=unused-file::"),
        "{text}"
    );
    let md = std::fs::read_to_string(summary).unwrap();
    assert!(
        md.contains("| A1 | Parental confidence | amber | **gap**"),
        "{md}"
    );
    assert!(md.contains("`area-gap`"), "{md}");
    assert_eq!(
        md.matches("\n| error |").count() + md.matches("\n| warning |").count(),
        4,
        "{md}"
    );
}

/// What the strict JUnit schema most CI servers validate against (the
/// `junit-10.xsd` of Jenkins' xunit plugin) lets each element carry:
/// (element, attributes it may have, attributes it must have, children it may have).
type Allowed = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);
const JUNIT_ALLOWED: &[Allowed] = &[
    (
        "testsuites",
        &["name", "time", "tests", "failures", "errors"],
        &[],
        &["testsuite"],
    ),
    (
        "testsuite",
        &[
            "name",
            "tests",
            "failures",
            "errors",
            "group",
            "time",
            "skipped",
            "timestamp",
            "hostname",
            "id",
            "package",
            "file",
            "log",
            "url",
        ],
        &["name", "tests", "failures", "errors"],
        &[
            "testsuite",
            "properties",
            "testcase",
            "system-out",
            "system-err",
        ],
    ),
    (
        "testcase",
        &["name", "time", "classname", "group"],
        &["name"],
        &["skipped", "error", "failure", "system-out", "system-err"],
    ),
    ("failure", &["type", "message"], &[], &[]),
    ("error", &["type", "message"], &[], &[]),
    ("skipped", &["type", "message"], &[], &[]),
    ("system-out", &[], &[], &[]),
    ("system-err", &[], &[], &[]),
];

#[test]
fn junit_holds_only_what_the_strict_schema_allows() {
    let f = fixture_with_findings();
    // Control characters and U+FFFF in titles must not break the file either.
    f.write(
        "plan/areas/a1.yaml",
        &AREA.replace(
            "title: Parental confidence",
            "title: \"Parental \\uFFFF \\e]8;; confidence\"",
        ),
    );
    let (_, text) = run(&f, "junit");
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        let (_, may, must, children) = JUNIT_ALLOWED
            .iter()
            .find(|(e, ..)| *e == name)
            .unwrap_or_else(|| panic!("element <{name}> is not in the schema"));
        for a in node.attributes() {
            assert!(
                may.contains(&a.name()),
                "<{name} {}> is not allowed",
                a.name()
            );
        }
        for m in *must {
            assert!(node.attribute(*m).is_some(), "<{name}> needs {m}");
        }
        for c in node.children().filter(|c| c.is_element()) {
            let c = c.tag_name().name();
            assert!(children.contains(&c), "<{c}> may not be inside <{name}>");
        }
    }
}

#[test]
fn junit_is_well_formed_with_a_case_per_area_and_file() {
    let (code, text) = run(&fixture_with_findings(), "junit");
    assert_eq!(code, 1);
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let names: Vec<&str> = cases.iter().map(|c| c.attribute("name").unwrap()).collect();
    assert!(names.contains(&"A1 Parental confidence"), "{names:?}");
    assert!(names.contains(&"evidence/2025/dashboard.yaml"), "{names:?}");
    assert!(names.contains(&"plan/areas/a1.md"), "{names:?}");
    let area = cases
        .iter()
        .find(|c| c.attribute("name") == Some("A1 Parental confidence"))
        .unwrap();
    assert!(
        area.children().any(|n| n.has_tag_name("failure")),
        "incomplete area fails"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn markdown_summary() {
    let (_, text) = run(&fixture_with_findings(), "markdown");
    insta::assert_snapshot!(text);
}

#[test]
fn status_human_and_json() {
    let f = Fixture::new();
    let out = f
        .pack(&["status", "--as-of", "2025-05-20"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!(text);
    let out = f
        .pack(&["status", "--as-of", "2025-05-20", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let a = &v["areas"][0];
    assert_eq!(a["id"], "A1");
    assert_eq!(a["rating"], "amber");
    assert_eq!(a["impact"], 1);
    assert_eq!(a["actions_covered"], 1);
    assert_eq!(a["measures"][0]["rating"], "amber");
    assert_eq!(a["measures"][0]["trend"], "improving");
    assert_eq!(a["next_expiry"]["id"], "E-2025-001");
    // 2025-04-30 is current up to 2025-10-31 (2025-10-31 minus 6 months clamps to 2025-04-30).
    assert_eq!(a["next_expiry"]["last_current_day"], "2025-10-31");
}

#[test]
fn example_status_shows_nine_areas() {
    let mut cmd = assert_cmd::Command::cargo_bin("pack").unwrap();
    let out = cmd
        .current_dir(example_root())
        .args(["status", "--visit", "2025-11"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for i in 1..=9 {
        assert!(
            text.lines().any(|l| l.starts_with(&format!("A{i} "))),
            "A{i} missing:\n{text}"
        );
    }
}

#[test]
fn exit_codes_for_bad_arguments_and_no_repository() {
    let f = Fixture::new();
    let out = f
        .pack(&["check", "--as-of", "30/04/2025"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DD"));
    let out = f.pack(&["check", "--visit", "2031-01"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the visits are 2025-05"));
    let out = f
        .pack(&["check", "--visit", "2025-05", "--as-of", "2025-01-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let empty = Fixture::empty();
    let out = empty.pack(&["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no plan/plan.yaml found"));
}

#[test]
fn finds_the_root_upwards_and_with_dash_c() {
    let f = Fixture::new();
    let out = f
        .pack(&["check", "--as-of", "2025-05-20"])
        .current_dir(f.file("evidence/2025"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let out = assert_cmd::Command::cargo_bin("pack")
        .unwrap()
        .args([
            "-C",
            f.path().to_str().unwrap(),
            "check",
            "--as-of",
            "2025-05-20",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn bom_and_crlf_are_accepted() {
    let f = Fixture::new();
    let crlf = EVIDENCE.replace('\n', "\r\n");
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(crlf.as_bytes());
    f.write_bytes("evidence/2025/dashboard.yaml", &bytes);
    let (code, r) = f.check_json(&["--as-of", "2025-05-20"]);
    assert_eq!(code, 0, "{r:#}");
    // and positions still point at the right line and column
    f.write_bytes(
        "evidence/2025/dashboard.yaml",
        &[&bytes[..], b"dat: 1\r\n"].concat(),
    );
    let (_, r) = f.check_json(&["--as-of", "2025-05-20"]);
    assert_at(
        one(&r, "schema"),
        "error",
        "evidence/2025/dashboard.yaml",
        11,
    );
}
