//! The letter after a visit (spec section 5): `visits[].letter`,
//! `responds_to`, the rule `letter-point`, the pack's section "What the last
//! letter asked" in every format, and `pack status`.

mod common;

use common::*;

const AS_OF: [&str; 2] = ["--as-of", "2025-11-18"];

/// Visits in May and November 2025; the May visit's letter has two points.
fn plan(letter_date: &str) -> String {
    format!(
        "{PLAN}    letter:\n      date: {letter_date}\n      evidence: E-2025-001\n      points:\n        - id: L25-05.1\n          text: Keep reducing the backlog of annual reviews.\n          areas: [A1]\n        - id: L25-05.2\n          text: Show what families say about it.\n          areas: [A1]\n  - id: 2025-11\n    date: 2025-11-18\n    title: Autumn visit\n"
    )
}

/// An item current on 2025-11-18 that answers the first point.
fn answer(f: &Fixture) {
    f.write(
        "evidence/2025/backlog.yaml",
        &(EVIDENCE
            .replace("E-2025-001", "E-2025-002")
            .replace("2025-04-30", "2025-09-30")
            .replace(
                "Timeliness dashboard, April 2025",
                "Annual review backlog, September",
            )
            + "responds_to: [L25-05.1]\n"),
    );
}

/// 2025-11-20, after the autumn visit: the autumn evidence is not in the future.
const LATER: &str = "1763596800";

/// `pack check --format json` with today after the autumn visit.
fn check(f: &Fixture, args: &[&str]) -> (i32, serde_json::Value) {
    let mut full = vec!["check", "--format", "json"];
    full.extend_from_slice(args);
    let out = f
        .pack(&full)
        .env("SOURCE_DATE_EPOCH", LATER)
        .output()
        .unwrap();
    let r = serde_json::from_slice(&out.stdout).unwrap();
    (out.status.code().unwrap_or(-1), r)
}

fn pack_ok(f: &Fixture, args: &[&str]) -> std::process::Output {
    let out = f
        .pack(args)
        .env("SOURCE_DATE_EPOCH", LATER)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn an_unanswered_point_is_a_warning_at_its_id() {
    let f = Fixture::new();
    f.write("plan/plan.yaml", &plan("2025-06-20"));
    answer(&f);
    let (code, r) = check(&f, &AS_OF);
    assert_eq!(code, 0, "warnings only: {r:#}");
    let w = one(&r, "letter-point");
    assert_at(w, "warning", "plan/plan.yaml", 19);
    assert_eq!(w["column"], 15);
    assert!(w["message"].as_str().unwrap().contains("L25-05.2"), "{w}");
    // Answered: no finding.
    f.write(
        "evidence/2025/voice.yaml",
        &(EVIDENCE
            .replace("E-2025-001", "E-2025-003")
            .replace("2025-04-30", "2025-10-01")
            + "responds_to: [L25-05.2]\n"),
    );
    let (code, r) = check(&f, &AS_OF);
    assert_eq!(code, 0);
    assert!(findings(&r, "letter-point").is_empty(), "{r:#}");
    // Acknowledged by the point's id.
    let f = Fixture::new();
    f.write(
        "plan/plan.yaml",
        &format!("{}acknowledged:\n  - {{rule: letter-point, id: L25-05.2, reason: Survey due in December, until: 2025-12-31}}\n", plan("2025-06-20")),
    );
    answer(&f);
    let (_, r) = check(&f, &AS_OF);
    assert_eq!(one(&r, "letter-point")["severity"], "acknowledged");
}

#[test]
fn only_the_last_letter_dated_by_the_as_of_date_counts() {
    // A letter dated after the as-of date is not yet the one to answer.
    let f = Fixture::new();
    f.write("plan/plan.yaml", &plan("2025-12-01"));
    let (_, r) = check(&f, &AS_OF);
    assert!(findings(&r, "letter-point").is_empty(), "{r:#}");
    // Before the visit the letter followed, nothing is asked either.
    let f = Fixture::new();
    f.write("plan/plan.yaml", &plan("2025-06-20"));
    let (_, r) = check(&f, &["--as-of", "2025-05-20"]);
    assert!(findings(&r, "letter-point").is_empty(), "{r:#}");
}

#[test]
fn letters_and_responses_are_checked_like_every_reference() {
    let f = Fixture::new();
    f.write(
        "plan/plan.yaml",
        &plan("2025-06-20")
            .replace("evidence: E-2025-001", "evidence: E-2025-404")
            .replace(
                "          areas: [A1]\n        - id: L25-05.2",
                "          areas: [A7]\n        - id: A1",
            ),
    );
    f.write(
        "evidence/2025/dashboard.yaml",
        &format!("{EVIDENCE}responds_to: [L25-05.9]\n"),
    );
    let (code, r) = check(&f, &AS_OF);
    assert_eq!(code, 1);
    let unknown = places(&r, "unknown-reference");
    assert!(
        unknown.contains(&("plan/plan.yaml".into(), 14)),
        "the letter's item: {unknown:?}"
    );
    assert!(
        unknown.contains(&("plan/plan.yaml".into(), 18)),
        "a point's area: {unknown:?}"
    );
    assert!(
        unknown.contains(&("evidence/2025/dashboard.yaml".into(), 11)),
        "responds_to: {unknown:?}"
    );
    assert_at(one(&r, "duplicate-id"), "error", "plan/plan.yaml", 19);
    // A letter needs a date and at least one point.
    let f = Fixture::new();
    f.write(
        "plan/plan.yaml",
        &format!("{PLAN}    letter:\n      points: []\n"),
    );
    let (_, r) = check(&f, &AS_OF);
    let schema: Vec<u64> = findings(&r, "schema")
        .iter()
        .map(|x| x["line"].as_u64().unwrap())
        .collect();
    assert_eq!(schema.len(), 2, "{r:#}");
}

#[test]
fn the_pack_says_what_the_last_letter_asked_in_every_format() {
    let f = Fixture::new();
    f.write("plan/plan.yaml", &plan("2025-06-20"));
    answer(&f);
    pack_ok(
        &f,
        &[
            "build",
            "--as-of",
            "2025-11-18",
            "--format",
            "pdf,md,html,json",
            "--allow-gaps",
        ],
    );
    let stem = "out/test-plan-2025-11";
    let pdf = f.file(&format!("{stem}.pdf"));
    let text = tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("What the last letter asked"), "{flat}");
    assert!(
        flat.contains("Keep reducing the backlog of annual reviews."),
        "{flat}"
    );
    assert!(
        flat.contains("E-2025-002 Annual review backlog, September"),
        "{flat}"
    );
    assert!(flat.contains("No current evidence yet"), "{flat}");
    assert!(
        flat.contains("1 of 2 points has no current evidence yet"),
        "{flat}"
    );
    // Right after "At a glance", with an outline entry and links.
    let glance = flat
        .find("At a glance 1 of 1")
        .or_else(|| flat.rfind("At a glance"))
        .unwrap();
    let letter = flat.rfind("What the last letter asked").unwrap();
    let area = flat.rfind("A1 Parental confidence Board rating").unwrap();
    assert!(
        glance < letter && letter < area,
        "order: {glance} {letter} {area}"
    );
    let xml = tool(
        "pdftohtml",
        &["-xml", "-i", "-stdout", "-q", pdf.to_str().unwrap()],
    );
    let outline = &xml[xml.find("<outline").expect("an outline")..];
    assert!(outline.contains("What the last letter asked"), "{outline}");
    let md = std::fs::read_to_string(f.file(&format!("{stem}.md"))).unwrap();
    assert!(md.contains("## What the last letter asked"), "{md}");
    assert!(
        md.contains("[E-2025-002](#ev-e-2025-002) Annual review backlog, September"),
        "{md}"
    );
    let html = std::fs::read_to_string(f.file(&format!("{stem}.html"))).unwrap();
    assert!(
        html.contains("<h2 id=\"what-the-last-letter-asked\">"),
        "{html}"
    );
    assert!(
        html.contains("href=\"#what-the-last-letter-asked\""),
        "contents link"
    );
    let view: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(f.file(&format!("{stem}.json"))).unwrap())
            .unwrap();
    let l = &view["last_letter"];
    assert_eq!(l["visit_id"], "2025-05");
    assert_eq!(l["date"], "2025-06-20");
    assert_eq!(l["unanswered"], 1);
    assert_eq!(l["points"][0]["responses"][0]["id"], "E-2025-002");
    assert!(l["points"][1]["responses"].as_array().unwrap().is_empty());
    // pack status names the open point.
    let out = pack_ok(&f, &["status", "--as-of", "2025-11-18"]);
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.contains("1 of 2 points has no current evidence yet: L25-05.2"),
        "{s}"
    );
    let out = pack_ok(&f, &["status", "--as-of", "2025-11-18", "--format", "json"]);
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["letter"]["points"][1]["answered"], false);
}

#[test]
fn the_example_answers_every_point_of_its_last_letter() {
    let out = assert_cmd::Command::cargo_bin("pack")
        .unwrap()
        .current_dir(example_root())
        .env("SOURCE_DATE_EPOCH", "1763596800")
        .args(["status", "--visit", "2025-11", "--format", "json"])
        .output()
        .unwrap();
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let points = j["letter"]["points"].as_array().unwrap();
    assert_eq!(points.len(), 4);
    assert!(points.iter().all(|p| p["answered"] == true), "{points:#?}");
}
