//! Measures at a glance, the overdue and at-risk actions, the evidence index
//! by area and by letter point, At a glance's better/worse arrows and the
//! appendix's rules (spec section 11), in the JSON view and in every format.

mod common;

use std::path::PathBuf;

use common::*;
use serde_json::{Value, json};

/// Visits in November 2024 (with a letter of two points) and May 2025.
const GLANCE_PLAN: &str = "\
id: test-plan
title: Test SEND plan
organisations:
  - id: kcc
    name: Kent County Council
  - id: nhs
    name: NHS Kent and Medway
visits:
  - id: 2024-11
    date: 2024-11-20
    title: Autumn visit
    letter:
      date: 2024-12-15
      points:
        - id: L24-11.1
          text: Cut the assessment backlog.
          areas: [A1]
        - id: L24-11.2
          text: Show what families say.
          areas: [A2]
  - id: 2025-05
    date: 2025-05-20
    title: Spring visit
";

/// Measures whose change since before the autumn visit is better (up, in
/// points), worse (down, in the unit), no change, and none (no data).
const A1: &str = "\
id: A1
title: Parental confidence
weakness: Parents are not confident that needs will be met.
outcome: Parents feel more confident.
order: 1
actions:
  - id: A1.1
    title: Recruit more caseworkers
    owner: kcc
    due: 2025-03-31
    status: in-progress
  - id: A1.2
    title: Open a second hub
    owner: nhs
    due: 2026-03-31
    status: at-risk
  - id: A1.3
    title: Publish the local offer
    owner: kcc
    due: 2025-01-31
    status: complete
measures:
  - id: A1.M1
    title: Plans issued within 20 weeks
    unit: \"%\"
    direction: up
    target: { value: 80, date: 2026-03-31 }
    floor: 30
    data:
      - { date: 2024-10-31, value: 30 }
      - { date: 2025-04-30, value: 35.2 }
  - id: A1.M2
    title: Assessments waiting
    unit: cases
    direction: down
    data:
      - { date: 2024-11-20, value: 1200 }
      - { date: 2025-04-30, value: 1320 }
  - id: A1.M3
    title: Days to first contact
    unit: days
    direction: down
    target: { value: 10, date: 2025-12-31 }
    data:
      - { date: 2024-06-30, value: 12 }
      - { date: 2025-03-31, value: 12 }
  - id: A1.M4
    title: Families surveyed
    unit: families
    direction: up
";

/// A measure first measured after the autumn visit, and an overdue action.
const A2: &str = "\
id: A2
title: Inclusion in schools
weakness: Too few children are in mainstream settings.
outcome: More children learn in mainstream settings.
order: 2
actions:
  - id: A2.1
    title: Train mainstream staff
    owner: kcc
    due: 2025-04-01
    status: not-started
measures:
  - id: A2.M1
    title: Exclusions
    unit: \"%\"
    direction: down
    target: { value: 2, date: 2026-03-31 }
    floor: 5
    data:
      - { date: 2025-01-31, value: 6 }
      - { date: 2025-04-30, value: 5.5 }
";

fn fixture() -> Fixture {
    let f = Fixture::new();
    f.write("plan/plan.yaml", GLANCE_PLAN);
    f.write("plan/areas/a1.yaml", A1);
    f.write("plan/areas/a2.yaml", A2);
    f.write(
        "evidence/2025/dashboard.yaml",
        &format!("{EVIDENCE}responds_to: [L24-11.1]\n"),
    );
    f.write(
        "evidence/2025/survey.yaml",
        &EVIDENCE
            .replace("E-2025-001", "E-2025-002")
            .replace("areas: [A1]", "areas: [A2, A1]")
            .replace("actions: [A1.1]\n", "")
            .replace("measures: [A1.M1]\n", "")
            .replace("2025-04-30", "2025-03-31"),
    );
    f
}

/// Builds the fixture as of the spring visit: the path of OUT/<stem>.EXT.
fn build<'a>(f: &'a Fixture, formats: &str) -> impl Fn(&str) -> PathBuf + 'a {
    f.pack_ok(&["build", "--as-of", "2025-05-20", "--format", formats]);
    move |ext| f.file(&format!("out/test-plan-2025-05.{ext}"))
}

fn view(f: &Fixture) -> Value {
    let path = build(f, "json")("json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn row<'a>(v: &'a Value, measure: &str) -> &'a Value {
    v["measures_at_a_glance"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["measure"] == measure)
        .unwrap_or_else(|| panic!("no row for {measure}"))
}

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_view_gives_each_measure_its_latest_figure_change_target_and_rating() {
    let v = view(&fixture());
    let rows = v["measures_at_a_glance"].as_array().unwrap();
    let ids: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["area"].as_str().unwrap(), r["measure"].as_str().unwrap()))
        .collect();
    assert_eq!(
        ids,
        [
            ("A1", "A1.M1"),
            ("A1", "A1.M2"),
            ("A1", "A1.M3"),
            ("A1", "A1.M4"),
            ("A2", "A2.M1")
        ]
    );
    let m1 = row(&v, "A1.M1");
    assert_eq!(m1["title"], "Plans issued within 20 weeks");
    assert_eq!(m1["unit"], "%");
    assert_eq!(
        m1["latest"],
        json!({"value": 35.2, "date": "2025-04-30", "period": "Apr 2025", "text": "35.2%"})
    );
    // From 30 (the figure before the visit of 20 November 2024): up is better, in points.
    assert_eq!(m1["change"]["words"], "better by 5.2 points");
    assert!((m1["change"]["value"].as_f64().unwrap() - 5.2).abs() < 1e-9);
    assert_eq!(
        m1["target"],
        json!({"value": 80.0, "date": "2026-03-31", "text": "80%"})
    );
    assert_eq!(m1["rating"]["word"], "Amber");
    assert_eq!(m1["rating"]["colour"], "#f47738");
    // No benchmark series without official statistics: null, never a guess.
    for k in ["england", "region", "neighbours"] {
        assert!(m1[k].is_null(), "{k}: {m1}");
    }
    // Down is better, so a rise of 120 is worse, in the measure's unit; a
    // figure dated on the visit's day is the one the visit saw.
    let m2 = row(&v, "A1.M2");
    assert_eq!(
        m2["change"],
        json!({"value": 120.0, "words": "worse by 120 cases"})
    );
    assert!(m2["target"].is_null() && m2["rating"].is_null(), "{m2}");
    assert_eq!(row(&v, "A1.M3")["change"]["words"], "no change");
    assert_eq!(row(&v, "A1.M3")["rating"]["word"], "Amber");
    let m4 = row(&v, "A1.M4");
    assert!(m4["latest"].is_null() && m4["change"].is_null(), "{m4}");
    // First measured after the visit: no figure to compare with.
    let a2 = row(&v, "A2.M1");
    assert!(a2["change"].is_null(), "{a2}");
    assert_eq!(a2["latest"]["text"], "5.5%");
    assert_eq!(a2["rating"]["word"], "Red");
}

#[test]
fn at_a_glance_arrows_say_better_or_worse_by_direction() {
    let f = fixture();
    let v = view(&f);
    let arrows: Vec<(&str, &str)> = v["areas"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["measures"].as_array().unwrap())
        .map(|m| (m["id"].as_str().unwrap(), m["arrow"].as_str().unwrap()))
        .collect();
    assert_eq!(
        arrows,
        [
            ("A1.M1", "↑ better"),
            ("A1.M2", "↑ worse"),
            ("A1.M3", "→ no change"),
            ("A1.M4", "no trend yet"),
            // Down is better: a falling arrow is good news.
            ("A2.M1", "↓ better"),
        ]
    );
    let md = std::fs::read_to_string(build(&f, "md")("md")).unwrap();
    let glance =
        &md[md.find("## At a glance").unwrap()..md.find("## Measures at a glance").unwrap()];
    assert!(glance.contains("A1.M2 no rating ↑ worse"), "{glance}");
    assert!(glance.contains("A2.M1 Red ↓ better"), "{glance}");
}

#[test]
fn overdue_and_at_risk_actions_are_listed_across_areas() {
    let v = view(&fixture());
    let got: Vec<Value> = v["overdue_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            json!([
                x["id"],
                x["area"],
                x["anchor"],
                x["owner"],
                x["due"],
                x["status"],
                x["overdue"],
                x["at_risk"]
            ])
        })
        .collect();
    assert_eq!(
        got,
        [
            json!([
                "A1.1",
                "A1",
                "area-a1",
                "Kent County Council",
                "2025-03-31",
                "in progress",
                true,
                false
            ]),
            json!([
                "A1.2",
                "A1",
                "area-a1",
                "NHS Kent and Medway",
                "2026-03-31",
                "at risk",
                false,
                true
            ]),
            json!([
                "A2.1",
                "A2",
                "area-a2",
                "Kent County Council",
                "2025-04-01",
                "not started",
                true,
                false
            ]),
        ]
    );
    assert_eq!(v["overdue_actions"][0]["title"], "Recruit more caseworkers");
}

#[test]
fn with_nothing_overdue_the_pack_says_so_in_one_sentence() {
    // The base fixture: one action, due in 2026, in progress; one visit.
    let f = Fixture::new();
    let out = build(&f, "md,json,pdf");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(out("json")).unwrap()).unwrap();
    assert_eq!(v["overdue_actions"], json!([]));
    // No earlier visit: no change to state.
    assert!(v["measures_at_a_glance"][0]["change"].is_null());
    let md = std::fs::read_to_string(out("md")).unwrap();
    assert!(
        md.contains("### Overdue and at-risk actions\n\nNo action is overdue or at risk.\n"),
        "{md}"
    );
    let pdf = flat(&tool("pdftotext", &[out("pdf").to_str().unwrap(), "-"]));
    assert!(
        pdf.contains("Overdue and at-risk actions No action is overdue or at risk."),
        "{pdf}"
    );
}

#[test]
fn the_evidence_index_is_also_by_area_and_by_letter_point_with_links_both_ways() {
    let v = view(&fixture());
    let groups = |k: &str| -> Vec<Value> {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|g| {
                let items: Vec<&Value> = g["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| &e["id"])
                    .collect();
                json!([g["id"], g["anchor"], items])
            })
            .collect()
    };
    assert_eq!(
        groups("evidence_by_area"),
        [
            json!(["A1", "area-a1", ["E-2025-001", "E-2025-002"]]),
            json!(["A2", "area-a2", ["E-2025-002"]]),
        ]
    );
    assert_eq!(
        groups("evidence_by_point"),
        [
            json!(["L24-11.1", "letter-l24-11-1", ["E-2025-001"]]),
            json!(["L24-11.2", "letter-l24-11-2", []]),
        ]
    );
    assert_eq!(
        v["evidence_by_area"][0]["items"][0]["anchor"],
        "ev-e-2025-001"
    );
    // And back: each entry links to its areas and to the points it answers.
    let e1 = &v["evidence_index"][0];
    assert_eq!(e1["area_links"], json!([{"id": "A1", "anchor": "area-a1"}]));
    assert_eq!(
        e1["answers"],
        json!([{"id": "L24-11.1", "anchor": "letter-l24-11-1"}])
    );
    let e2 = &v["evidence_index"][1];
    assert_eq!(
        e2["area_links"],
        json!([{"id": "A2", "anchor": "area-a2"}, {"id": "A1", "anchor": "area-a1"}])
    );
    assert_eq!(e2["answers"], json!([]));
}

#[test]
fn the_appendix_lists_only_the_rules_a_built_pack_can_show() {
    let v = view(&fixture());
    let names: Vec<&str> = v["rules"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    for shown in [
        "area-gap",
        "action-gap",
        "overdue-action",
        "measure-gap",
        "letter-point",
        "stale-citation",
        "data-source",
    ] {
        assert!(names.contains(&shown), "{shown} missing: {names:?}");
    }
    for hidden in [
        "yaml-syntax",
        "schema",
        "duplicate-id",
        "personal-identifier",
        "import-column",
        "import-conflict",
        "plain-language",
        "family-gap",
        "secret-key",
        "limit",
    ] {
        assert!(!names.contains(&hidden), "{hidden} listed: {names:?}");
    }
}

#[test]
fn the_pdf_shows_both_sections_after_at_a_glance_and_in_its_outline() {
    let f = fixture();
    let pdf = build(&f, "pdf")("pdf");
    let text = flat(&tool("pdftotext", &[pdf.to_str().unwrap(), "-"]));
    // After the contents page (which names them too).
    let body = &text[text.rfind("At a glance Areas with").expect("At a glance")..];
    let glance = body
        .find("Measures at a glance Each measure")
        .expect("the section");
    let overdue = body
        .find("Overdue and at-risk actions Actions due")
        .expect("the list");
    let letter = body.find("What the last letter asked").expect("the letter");
    assert!(
        glance < overdue && overdue < letter,
        "{glance} {overdue} {letter}"
    );
    let section = &body[glance..overdue];
    for cell in [
        "A1 Parental confidence",
        "A1.M1 Plans issued within 20 weeks",
        "35.2% (Apr 2025)",
        "better by 5.2 points",
        "80% by 31 Mar 2026",
        "worse by 120 cases",
        "A2 Inclusion in schools",
        "Red",
    ] {
        assert!(section.contains(cell), "{cell:?} not in {section}");
    }
    let list = &body[overdue..letter];
    for cell in ["A1.1", "in progress, overdue", "A1.2", "at risk", "A2.1"] {
        assert!(list.contains(cell), "{cell:?} not in {list}");
    }
    assert!(
        !list.contains("A1.3"),
        "a complete action is listed: {list}"
    );
    // The appendix's indexes: lists of ids.
    assert!(text.contains("A1: E-2025-001, E-2025-002"), "{text}");
    assert!(text.contains("L24-11.1: E-2025-001"), "{text}");
    assert!(text.contains("answers L24-11.1"), "{text}");
    let xml = tool(
        "pdftohtml",
        &["-xml", "-i", "-stdout", "-q", pdf.to_str().unwrap()],
    );
    let outline = &xml[xml.find("<outline").expect("an outline")..];
    let at = |t: &str| {
        outline
            .find(t)
            .unwrap_or_else(|| panic!("no bookmark {t}: {outline}"))
    };
    assert!(at("At a glance") < at("Measures at a glance"));
    assert!(at("Measures at a glance") < at("Overdue and at-risk actions"));
    assert!(at("Evidence by area") < at("Evidence index"), "{outline}");
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("Tagged:          yes"), "{info}");
    // A real tagged table: eight column headers, and every cell of the body
    // (the area rows too) labelled by the column headers of its own row 0.
    let tags = tool("pdfinfo", &["-struct", pdf.to_str().unwrap()]);
    let from = tags
        .find("H1 \"Measures at a glance\"")
        .expect("the heading is tagged");
    let table = &tags[from..from
        + tags[from..]
            .find("\"Overdue and at-risk actions\"")
            .unwrap()];
    let head = &table[table.find("THead").expect("a header row")..table.find("TBody").unwrap()];
    assert_eq!(head.matches("TH <").count(), 8, "{head}");
    let body = &table[table.find("TBody").unwrap()..];
    let cells: Vec<&str> = body.lines().filter(|l| l.contains("/Headers [")).collect();
    assert!(cells.len() >= 8 * 5, "{body}");
    for c in cells {
        assert!(c.contains("y0)") && !c.contains("y1)"), "{c} in {body}");
    }
}

#[test]
fn markdown_and_html_show_the_tables_and_the_html_passes_axe() {
    let f = fixture();
    let out = build(&f, "md,html");
    let md = std::fs::read_to_string(out("md")).unwrap();
    assert!(
        md.contains("- [Measures at a glance](#measures-at-a-glance)"),
        "{md}"
    );
    assert!(
        md.contains(
            "| Measure | Latest | Change | Target | England | Region | Neighbours | Rating |"
        ),
        "{md}"
    );
    assert!(
        md.contains("| **[A1 Parental confidence](#area-a1)** |"),
        "{md}"
    );
    assert!(
        md.contains("| A1.M1 Plans issued within 20 weeks | 35.2% (Apr 2025) | better by 5.2 points | 80% by 31 Mar 2026 | – | – | – | Amber |"),
        "{md}"
    );
    assert!(
        md.contains("| [A2.1](#area-a2) | Train mainstream staff | Kent County Council | 1 Apr 2025 | not started, overdue |"),
        "{md}"
    );
    assert!(
        md.contains("- [**L24-11.2**](#letter-l24-11-2): none yet"),
        "{md}"
    );
    assert!(md.contains("areas [A2](#area-a2), [A1](#area-a1)"), "{md}");
    let (g, o, l) = (
        md.find("## Measures at a glance").unwrap(),
        md.find("### Overdue and at-risk actions").unwrap(),
        md.find("## What the last letter asked").unwrap(),
    );
    assert!(md.find("## At a glance").unwrap() < g && g < o && o < l);

    let html = std::fs::read_to_string(out("html")).unwrap();
    assert!(html.contains("<h2 id=\"measures-at-a-glance\">"), "{html}");
    assert!(
        html.contains("href=\"#measures-at-a-glance\""),
        "contents link"
    );
    assert!(
        html.contains("<th scope=\"rowgroup\" colspan=\"8\" class=\"group\"><a href=\"#area-a1\">A1 Parental confidence</a></th>"),
        "{html}"
    );
    assert!(
        html.contains("<span class=\"rating red\" style=\"background: #d4351c\">Red</span>"),
        "the rating's word and colour"
    );
    assert!(
        html.contains("<h3 id=\"overdue-and-at-risk-actions\">"),
        "{html}"
    );
    assert!(
        html.contains("answers <a href=\"#letter-l24-11-1\">L24-11.1</a>"),
        "{html}"
    );
    for r in axe(&out("html"), &[1280, 390]) {
        let v = r["violations"].as_array().unwrap();
        assert!(v.is_empty(), "at {} px: {v:#?}", r["width"]);
    }
}

#[test]
fn a_source_ending_in_a_full_stop_is_written_with_one() {
    let f = Fixture::new();
    f.write(
        "plan/areas/a1.yaml",
        &AREA.replace(
            "    direction: up\n",
            "    direction: up\n    source: DfE SEN2 statistics (see data/README.md).\n",
        ),
    );
    f.pack_ok(&["build", "--as-of", "2025-05-20", "--format", "md,html,pdf"]);
    let md = std::fs::read_to_string(f.file("out/test-plan-2025-05.md")).unwrap();
    let html = std::fs::read_to_string(f.file("out/test-plan-2025-05.html")).unwrap();
    let pdf_path = f.file("out/test-plan-2025-05.pdf");
    let pdf = flat(&tool("pdftotext", &[pdf_path.to_str().unwrap(), "-"]));
    for (what, text) in [("md", md), ("html", html), ("pdf", pdf)] {
        assert!(
            text.contains("README.md).") && !text.contains("README.md).."),
            "{what}: {text}"
        );
    }
}
