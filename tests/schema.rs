//! Schemas for editors (spec section 13): `pack schema`, strict schemas
//! whose descriptions are docs/format.md's, checked with a real validator
//! (check-jsonschema, pinned in tests/schema/requirements.txt) against
//! every file the loader accepts and every `schema`-rule fixture, the
//! built view, `pack init`'s editor settings, and the YAML language server
//! (pinned in tests/lsp/package-lock.json) showing the underline.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::*;
use serde_json::{Value, json};

const KINDS: [&str; 5] = ["plan", "area", "evidence", "import", "view"];
const YAML_KINDS: [&str; 4] = ["plan", "area", "evidence", "import"];

fn tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// `pack schema KIND`, parsed.
fn schema(kind: &str) -> Value {
    let f = Fixture::empty();
    let out = f.pack_ok(&["schema", kind]);
    serde_json::from_slice(&out.stdout).expect("pack schema prints JSON")
}

/// Every schema written by `pack schema --out` into a fresh folder.
fn schema_dir() -> (Fixture, PathBuf) {
    let f = Fixture::empty();
    f.pack_ok(&["schema", "--out", "schemas"]);
    let dir = f.file("schemas");
    (f, dir)
}

/// check-jsonschema from tests/schema/venv (tests/setup.sh makes it).
fn validator() -> PathBuf {
    setup();
    let exe = tests_dir().join("schema/venv/bin/check-jsonschema");
    assert!(
        exe.is_file(),
        "check-jsonschema is missing from tests/schema/venv: run `bash tests/setup.sh` (it needs Debian's python3-venv: `sudo apt-get install python3-venv`)"
    );
    exe
}

/// Validates `files` against `schema_file`: the errors by file (an empty
/// list for a file that validates).
fn validate(schema_file: &Path, files: &[PathBuf]) -> BTreeMap<String, Vec<Value>> {
    let out = std::process::Command::new(validator())
        .args(["-o", "json", "--schemafile"])
        .arg(schema_file)
        .args(files)
        .output()
        .expect("check-jsonschema runs");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "check-jsonschema printed no JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert!(
        report["parse_errors"]
            .as_array()
            .is_none_or(|p| p.is_empty()),
        "check-jsonschema could not read a file: {report:#}"
    );
    let mut by_file: BTreeMap<String, Vec<Value>> = files
        .iter()
        .map(|f| (f.display().to_string(), Vec::new()))
        .collect();
    for e in report["errors"].as_array().into_iter().flatten() {
        by_file
            .entry(e["filename"].as_str().unwrap().to_owned())
            .or_default()
            .push(e.clone());
    }
    by_file
}

fn files_under(dir: &Path, pred: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if pred(&p) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn is_yaml(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// A repository's YAML files by schema kind.
fn repo_files(root: &Path) -> Vec<(&'static str, Vec<PathBuf>)> {
    vec![
        ("plan", vec![root.join("plan/plan.yaml")]),
        (
            "area",
            files_under(&root.join("plan/areas"), &|p| {
                is_yaml(p) && p.parent().unwrap().ends_with("plan/areas")
            }),
        ),
        ("evidence", files_under(&root.join("evidence"), &is_yaml)),
        // Optional: only where the repository has one.
        (
            "import",
            [root.join("plan/import.yaml")]
                .into_iter()
                .filter(|p| p.is_file())
                .collect(),
        ),
    ]
}

/// Every schema object in a schema: (JSON pointer, object).
fn objects(v: &Value) -> Vec<(String, &serde_json::Map<String, Value>)> {
    fn walk<'a>(
        v: &'a Value,
        at: String,
        out: &mut Vec<(String, &'a serde_json::Map<String, Value>)>,
    ) {
        let Value::Object(m) = v else { return };
        out.push((at.clone(), m));
        for (k, child) in m {
            match k.as_str() {
                "properties" => {
                    for (name, s) in child.as_object().unwrap() {
                        walk(s, format!("{at}/properties/{name}"), out);
                    }
                }
                "items" | "additionalProperties" | "propertyNames" | "not" => {
                    walk(child, format!("{at}/{k}"), out)
                }
                "anyOf" | "allOf" | "oneOf" => {
                    for (i, s) in child.as_array().unwrap().iter().enumerate() {
                        walk(s, format!("{at}/{k}/{i}"), out);
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(v, String::new(), &mut out);
    out
}

#[test]
fn schema_prints_each_kind_and_out_writes_them_all() {
    let (f, dir) = schema_dir();
    for kind in KINDS {
        let written = std::fs::read_to_string(dir.join(format!("{kind}.schema.json"))).unwrap();
        let printed = f.pack_ok(&["schema", kind]).stdout;
        assert_eq!(written.as_bytes(), printed, "{kind}");
        let v: Value = serde_json::from_str(&written).unwrap();
        assert_eq!(
            v["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{kind}"
        );
    }
    let names: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), 5, "{names:?}");
    // `--out` refreshes: an old schema is replaced.
    std::fs::write(dir.join("plan.schema.json"), "{}").unwrap();
    f.pack_ok(&["schema", "--out", "schemas"]);
    assert_eq!(
        std::fs::read(dir.join("plan.schema.json")).unwrap(),
        f.pack_ok(&["schema", "plan"]).stdout
    );
    // -C: the folder is relative to DIR, like every path.
    let other = Fixture::empty();
    other.pack_ok(&["-C", f.path().to_str().unwrap(), "schema", "--out", "again"]);
    assert!(f.file("again/view.schema.json").is_file());
    // Neither a kind nor --out: exit 2 with what to do.
    let out = f.pack(&["schema"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--out") && err.contains("plan"), "{err}");
    let out = f.pack(&["schema", "nothing"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// The keywords of JSON Schema draft-07 (validation, core and annotation
/// vocabularies). Every schema keeps to them, so every YAML language
/// server reads it whatever draft it implements.
const DRAFT_07: &[&str] = &[
    "$schema",
    "$id",
    "$ref",
    "$comment",
    "title",
    "description",
    "default",
    "examples",
    "readOnly",
    "writeOnly",
    "type",
    "enum",
    "const",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "items",
    "additionalItems",
    "maxItems",
    "minItems",
    "uniqueItems",
    "contains",
    "maxProperties",
    "minProperties",
    "required",
    "properties",
    "patternProperties",
    "additionalProperties",
    "dependencies",
    "propertyNames",
    "if",
    "then",
    "else",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "format",
    "definitions",
];

#[test]
fn schemas_are_strict_and_use_only_draft_07_keywords() {
    let (_f, dir) = schema_dir();
    for kind in KINDS {
        let s = schema(kind);
        for (at, m) in objects(&s) {
            for k in m.keys() {
                assert!(
                    DRAFT_07.contains(&k.as_str()),
                    "{kind}{at}: `{k}` is not a draft-07 keyword"
                );
            }
            if let Some(props) = m.get("properties") {
                assert_eq!(
                    m.get("additionalProperties"),
                    Some(&json!(false)),
                    "{kind}{at}: an object must be closed"
                );
                let req = m
                    .get("required")
                    .and_then(Value::as_array)
                    .unwrap_or_else(|| panic!("{kind}{at}: no `required` list"));
                for r in req {
                    assert!(props.get(r.as_str().unwrap()).is_some(), "{kind}{at}: {r}");
                }
                for (name, p) in props.as_object().unwrap() {
                    let types = p.get("type").map(|t| t.to_string()).unwrap_or_default();
                    let is_id = name == "id" || name.ends_with("_id");
                    let is_date = ["date", "due", "until", "as_of", "build_date"]
                        .contains(&name.as_str())
                        || name.ends_with("_date")
                        || name.ends_with("_until")
                        || name.ends_with("_due")
                        || name.ends_with("_start")
                        || name.ends_with("_day");
                    // An acknowledgement's `id` is whatever the finding is about.
                    let free_text = at.contains("acknowledged");
                    if (is_id && !free_text || is_date) && types.contains("string") {
                        assert!(
                            p.get("pattern").is_some(),
                            "{kind}{at}/properties/{name}: an id or date needs a pattern"
                        );
                    }
                    if kind != "view" {
                        assert!(
                            p.get("description").is_some(),
                            "{kind}{at}/properties/{name}: no description"
                        );
                    }
                }
            }
        }
        assert!(s.get("$defs").is_none() && !s.to_string().contains("\"$defs\""));
    }
    // The choices are listed.
    let ev = schema("evidence");
    assert_eq!(
        ev["properties"]["shows"]["enum"],
        json!(["activity", "impact", "voice"])
    );
    assert_eq!(
        ev["properties"]["classification"]["enum"],
        json!(["OFFICIAL", "OFFICIAL-SENSITIVE", null])
    );
    let plan = schema("plan");
    let ack_rules = plan["properties"]["acknowledged"]["items"]["properties"]["rule"]["enum"]
        .as_array()
        .unwrap()
        .clone();
    assert!(ack_rules.contains(&json!("area-gap")));
    assert!(!ack_rules.contains(&json!("personal-identifier")));
    let view = schema("view");
    assert_eq!(
        view["properties"]["areas"]["items"]["properties"]["monitoring"]["enum"],
        json!(["formal", "reduced", "ended"])
    );
    // Valid as 2020-12 (check-jsonschema's own check) and as draft-07
    // (the draft the YAML language server implements).
    let out = std::process::Command::new(validator())
        .arg("--check-metaschema")
        .args(KINDS.map(|k| dir.join(format!("{k}.schema.json"))))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let python = tests_dir().join("schema/venv/bin/python");
    let out = std::process::Command::new(python)
        .args([
            "-c",
            "import json, sys, jsonschema\nfor p in sys.argv[1:]:\n    jsonschema.Draft7Validator.check_schema(json.load(open(p)))",
        ])
        .args(KINDS.map(|k| dir.join(format!("{k}.schema.json"))))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "not valid draft-07: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The rows of the tables in one section of docs/format.md: field name to
/// its last cell ("Meaning").
fn doc_rows(doc: &str, section: &str) -> BTreeMap<String, String> {
    let mut lines = doc.lines();
    lines
        .find(|l| l.trim_start_matches('#').trim() == section && l.starts_with('#'))
        .unwrap_or_else(|| panic!("docs/format.md has no heading `{section}`"));
    let mut rows = BTreeMap::new();
    // Only the field tables (`| Field | ...`), not tables of values.
    let mut in_field_table = false;
    for l in lines.take_while(|l| !l.starts_with('#')) {
        if !l.starts_with('|') {
            in_field_table = false;
            continue;
        }
        if l.starts_with("| Field |") {
            in_field_table = true;
        }
        let Some(row) = l.strip_prefix("| `").filter(|_| in_field_table) else {
            continue;
        };
        // Cells are split on `|` that is not escaped (`\|` in choices).
        let mut cells = Vec::new();
        let mut cell = String::new();
        let mut chars = row.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\\' && chars.peek() == Some(&'|') {
                cell.push('|');
                chars.next();
            } else if c == '|' {
                cells.push(cell.trim().to_owned());
                cell.clear();
            } else {
                cell.push(c);
            }
        }
        let name = cells[0].trim_end_matches('`').to_owned();
        rows.insert(name, cells.last().unwrap().clone());
    }
    rows
}

#[test]
fn each_description_equals_its_row_in_docs_format_md() {
    let doc =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/format.md"))
            .unwrap();
    let comment =
        regex::Regex::new(r#"^docs/format\.md, section "(.*)"(?:, rows (\S+)\*)?$"#).unwrap();
    let mut sections_seen = 0;
    for kind in YAML_KINDS {
        let s = schema(kind);
        for (at, m) in objects(&s) {
            let Some(props) = m.get("properties").and_then(Value::as_object) else {
                continue;
            };
            let c = m
                .get("$comment")
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("{kind}{at}: no $comment naming its docs section"));
            let caps = comment.captures(c).unwrap_or_else(|| panic!("{c}"));
            let prefix = caps.get(2).map_or("", |p| p.as_str());
            let rows: BTreeMap<String, String> = doc_rows(&doc, &caps[1])
                .into_iter()
                .filter_map(|(k, v)| {
                    let rest = k.strip_prefix(prefix)?;
                    (!rest.contains("[].")).then(|| (rest.to_owned(), v))
                })
                .collect();
            let names: BTreeSet<&String> = props.keys().collect();
            assert_eq!(
                rows.keys().collect::<BTreeSet<_>>(),
                names,
                "{kind}{at}: the fields of docs/format.md \"{}\" ({prefix}) and the schema differ",
                &caps[1]
            );
            for (name, p) in props {
                assert_eq!(
                    p["description"].as_str(),
                    Some(rows[name].as_str()),
                    "{kind}{at}/properties/{name}"
                );
            }
            sections_seen += 1;
        }
    }
    assert!(sections_seen >= 15, "{sections_seen}");
}

/// A plan and area using every field of the table, with the loose forms the
/// loader accepts (empty optional fields, numbers as text, ids that look
/// like numbers, `.yml`, a BOM).
const FULL_PLAN: &str = "\
id: test-plan
title: 2025
classification: OFFICIAL
organisations:
  - id: kcc
    name: Kent County Council
  - id: nhs
    name: NHS Kent and Medway
rules:
  max_age_months: 6
  min_current_per_area: 1
  require_shows: [impact, voice]
  action_evidence: warn
visits:
  - id: 2025-05
    date: 2025-05-20
    title: Spring visit
    evidence_due: \"2025-05-06\"
  - id: 2024-11
    date: 2024-11-20
    title:
    letter:
      date: 2024-12-10
      evidence: E-2025-001
      points:
        - id: L24-11.1
          text: Show the effect on families.
          areas: [A1]
acknowledged:
  - rule: unused-file
    id: A1
    reason: Agreed with DfE
    until: 2025-11-30
family:
  title: What has changed
  intro: This is our report for families.
  glossary:
    SEND: Special educational needs and disabilities.
";

const FULL_AREA: &str = "\u{feff}\
id: A1
title: Parental confidence
weakness: Parents are not confident that needs will be met.
outcome: Parents feel more confident.
lead: ~
order: 1
monitoring: formal
progress:
  rating: amber
  date: 2025-04-30
  summary: Early signs of progress [@E-2025-001].
  history:
    - { date: 2024-10-31, rating: red }
actions:
  - id: A1.1
    title: Recruit more caseworkers
    owner: kcc
    due: 2026-03-31
    status: in-progress
  - id: 1.10
    title: 1.5
measures:
  - id: A1.M1
    title: Plans issued within 20 weeks
    unit: \"%\"
    direction: up
    source: SEN2
    baseline: { value: 13.2, date: 2023-06-30, note: estimate }
    target: { value: 80, date: 2026-03-31, note: stretch }
    floor: 40
    data:
      - { date: 2024-10-31, value: 30 }
      - { date: 2025-04-30, value: 45.5, note: provisional }
family:
  title: Being listened to
  you_said: Parents told us they were not listened to.
  we_did: We have taken on more caseworkers.
  changed: More parents now say they are listened to.
  measures: [A1.M1]
  captions:
    A1.M1: More plans are now on time.
";

const FULL_EVIDENCE: &str = "\
id: E-2025-001
title: Timeliness dashboard, April 2025
date: 2025-04-30
organisation: kcc
kind: data
shows: impact
areas: [A1]
actions: [A1.1]
measures: [A1.M1]
file: dashboard.csv
url: https://example.org/report
summary: Timeliness rose to 45.5%.
classification: OFFICIAL
personal_data: False
valid_until: 2025-10-31
supersedes: [E-2024-088]
responds_to: [L24-11.1]
public: true
";

fn full_fixture() -> Fixture {
    let f = Fixture::empty();
    f.write("plan/plan.yaml", FULL_PLAN);
    f.write("plan/areas/a1.yml", FULL_AREA);
    f.write("evidence/2025/dashboard.yaml", FULL_EVIDENCE);
    f.write("evidence/2025/dashboard.csv", "month,value\n2025-04,45.5\n");
    f.write(
        "plan/import.yaml",
        "# Our log's headers\ncolumns:\n  Date received: date\n  \"Lead agency\": organisation\n  RAG: ignore\n  Notes:\n  Blank: \"\"\nsheet: Evidence log\nfiles: shared/documents\n",
    );
    f.write(
        "evidence/2024/old.yaml",
        &EVIDENCE
            .replace("E-2025-001", "E-2024-088")
            .replace("2025-04-30", "2024-12-31")
            .replace("shows: impact", "shows: voice"),
    );
    f
}

/// Which of the schema's properties an instance uses, as schema pointers.
fn used(schema: &Value, instance: &Value, at: &str, out: &mut BTreeSet<String>) {
    match instance {
        Value::Object(m) => {
            for (k, v) in m {
                if let Some(p) = schema.get("properties").and_then(|p| p.get(k)) {
                    let here = format!("{at}/{k}");
                    out.insert(here.clone());
                    used(p, v, &here, out);
                }
            }
        }
        Value::Array(items) => {
            if let Some(s) = schema.get("items") {
                for v in items {
                    used(s, v, &format!("{at}[]"), out);
                }
            }
        }
        _ => {}
    }
}

fn all_properties(schema: &Value, at: &str, out: &mut BTreeSet<String>) {
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (k, p) in props {
            let here = format!("{at}/{k}");
            out.insert(here.clone());
            all_properties(p, &here, out);
        }
    }
    if let Some(items) = schema.get("items") {
        all_properties(items, &format!("{at}[]"), out);
    }
}

/// A YAML file as JSON, the way a validator sees it.
fn yaml_value(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_saphyr::from_str(text.trim_start_matches('\u{feff}')).unwrap()
}

#[test]
fn every_file_the_loader_accepts_validates() {
    let (_s, dir) = schema_dir();
    let init = Fixture::empty();
    init.pack_ok(&["init", "."]);
    let full = full_fixture();
    let base = Fixture::new();
    let repos: Vec<(&str, PathBuf)> = vec![
        ("the example", example_root()),
        ("the base fixture", base.path().to_path_buf()),
        ("pack init", init.path().to_path_buf()),
        ("the full fixture", full.path().to_path_buf()),
    ];
    let mut coverage: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (name, root) in &repos {
        // The loader accepts every file: no schema or syntax finding.
        let out = assert_cmd::Command::cargo_bin("pack")
            .unwrap()
            .current_dir(root)
            .env("SOURCE_DATE_EPOCH", "1763596800")
            .args(["check", "--format", "json", "--as-of", "2025-05-20"])
            .output()
            .unwrap();
        let r: Value = serde_json::from_slice(&out.stdout).unwrap();
        for rule in ["schema", "yaml-syntax", "limit"] {
            assert!(findings(&r, rule).is_empty(), "{name}: {r:#}");
        }
        for (kind, files) in repo_files(root) {
            if kind == "import" && files.is_empty() {
                continue;
            }
            assert!(!files.is_empty(), "{name}: no {kind} files");
            let schema_file = dir.join(format!("{kind}.schema.json"));
            for (file, errors) in validate(&schema_file, &files) {
                assert!(errors.is_empty(), "{name}: {file}: {errors:#?}");
            }
            let s: Value =
                serde_json::from_str(&std::fs::read_to_string(&schema_file).unwrap()).unwrap();
            for f in &files {
                used(&s, &yaml_value(f), "", coverage.entry(kind).or_default());
            }
        }
    }
    // Together they use every field the schemas (and so the loader) know.
    for kind in YAML_KINDS {
        let mut all = BTreeSet::new();
        all_properties(&schema(kind), "", &mut all);
        let missing: Vec<_> = all.difference(&coverage[kind]).collect();
        assert!(
            missing.is_empty(),
            "{kind}: no accepted file uses {missing:?}"
        );
    }
}

/// A `schema`-rule fixture: a file of the base fixture replaced, and the
/// field both the loader and the validator must name.
struct Bad {
    kind: &'static str,
    text: String,
    field: &'static str,
}

fn bad(kind: &'static str, text: String, field: &'static str) -> Bad {
    Bad { kind, text, field }
}

fn schema_fixtures() -> Vec<Bad> {
    let ev = |from: &str, to: &str| EVIDENCE.replacen(from, to, 1);
    let area = |from: &str, to: &str| AREA.replacen(from, to, 1);
    let plan = |from: &str, to: &str| PLAN.replacen(from, to, 1);
    let full_area = |from: &str, to: &str| FULL_AREA.replacen(from, to, 1);
    let full_plan = |from: &str, to: &str| FULL_PLAN.replacen(from, to, 1);
    vec![
        // Evidence: every kind of value.
        bad("evidence", ev("date:", "dat:"), "dat"),
        bad("evidence", ev("date:", "dat:"), "date"),
        bad(
            "evidence",
            ev("title: Timeliness dashboard, April 2025\n", ""),
            "title",
        ),
        bad(
            "evidence",
            ev("title: Timeliness dashboard, April 2025", "title: \"  \""),
            "title",
        ),
        bad("evidence", ev("kind: data", "kind: dta"), "kind"),
        bad("evidence", ev("shows: impact", "shows: [impact]"), "shows"),
        bad(
            "evidence",
            ev("date: 2025-04-30", "date: 30/04/2025"),
            "date",
        ),
        bad(
            "evidence",
            ev("date: 2025-04-30", "date: 2025-02-30"),
            "date",
        ),
        bad(
            "evidence",
            ev("date: 2025-04-30", "date: 2025-04-30T10:00:00Z"),
            "date",
        ),
        bad("evidence", ev("areas: [A1]", "areas: []"), "areas"),
        bad("evidence", ev("id: E-2025-001", "id: \"-E1\""), "id"),
        bad(
            "evidence",
            ev("organisation: kcc", "organisation: k c c"),
            "organisation",
        ),
        bad(
            "evidence",
            ev("measures: [A1.M1]", "measures: [\"A1 M1\"]"),
            "measures",
        ),
        bad(
            "evidence",
            format!("{EVIDENCE}personal_data: no\n"),
            "personal_data",
        ),
        bad("evidence", format!("{EVIDENCE}public: yes\n"), "public"),
        bad(
            "evidence",
            format!("{EVIDENCE}classification: official\n"),
            "classification",
        ),
        bad("evidence", format!("{EVIDENCE}url: [a, b]\n"), "url"),
        bad(
            "evidence",
            format!("{EVIDENCE}valid_until: 2025-13-01\n"),
            "valid_until",
        ),
        bad(
            "evidence",
            format!("{EVIDENCE}supersedes: E-1\n"),
            "supersedes",
        ),
        bad(
            "evidence",
            format!("{EVIDENCE}responds_to: [{{id: L1}}]\n"),
            "responds_to",
        ),
        bad(
            "evidence",
            format!("{EVIDENCE}Summary: capitals\n"),
            "Summary",
        ),
        // Area, at every level.
        bad("area", area("outcome:", "outcom:"), "outcom"),
        bad(
            "area",
            area(
                "weakness: Parents are not confident that needs will be met.\n",
                "",
            ),
            "weakness",
        ),
        bad("area", area("order: 1", "order: 1.5"), "order"),
        bad("area", area("lead: Director of SEND", "lead: [a]"), "lead"),
        bad("area", format!("{AREA}monitoring: paused\n"), "monitoring"),
        bad("area", area("rating: amber", "rating: purple"), "rating"),
        bad("area", area("  summary:", "  sumary:"), "sumary"),
        bad(
            "area",
            area("    status: in-progress", "    status: done"),
            "status",
        ),
        bad("area", area("    owner: kcc", "    owner: k c c"), "owner"),
        bad(
            "area",
            area("    due: 2026-03-31", "    due: 31/03/2026"),
            "due",
        ),
        bad(
            "area",
            area("    title: Recruit more caseworkers\n", ""),
            "title",
        ),
        bad(
            "area",
            area("    direction: up", "    direction: sideways"),
            "direction",
        ),
        bad("area", area("    unit: \"%\"", "    units: \"%\""), "units"),
        bad("area", area("    floor: 40", "    floor: \"40\""), "floor"),
        bad("area", area("    floor: 40", "    floor: 1e16"), "floor"),
        bad(
            "area",
            area("{ date: 2024-10-31, value: 30 }", "{ date: 2024-10-31 }"),
            "value",
        ),
        bad(
            "area",
            area(
                "{ date: 2024-10-31, value: 30 }",
                "{ date: 2024-10-31, value: 30, notes: x }",
            ),
            "notes",
        ),
        bad(
            "area",
            area(
                "target: { value: 80, date: 2026-03-31 }",
                "target: { value: 80 }",
            ),
            "date",
        ),
        bad(
            "area",
            full_area("{ date: 2024-10-31, rating: red }", "{ date: 2024-10-31 }"),
            "rating",
        ),
        bad(
            "area",
            full_area("  you_said:", "  you_sayed:"),
            "you_sayed",
        ),
        bad(
            "area",
            full_area(
                "  measures: [A1.M1]\n  captions",
                "  measures: A1.M1\n  captions",
            ),
            "measures",
        ),
        // Plan, at every level.
        bad("plan", plan("id: test-plan", "id: Test_Plan"), "id"),
        bad("plan", plan("title: Test SEND plan\n", ""), "title"),
        bad(
            "plan",
            format!("{PLAN}classification: SECRET\n"),
            "classification",
        ),
        bad(
            "plan",
            plan(
                "  - id: nhs\n    name: NHS Kent and Medway\n",
                "  - id: nhs\n",
            ),
            "name",
        ),
        bad(
            "plan",
            "id: test-plan\ntitle: T\norganisations: []\n".into(),
            "organisations",
        ),
        bad(
            "plan",
            format!("{PLAN}rules:\n  max_age_months: 0\n"),
            "max_age_months",
        ),
        bad(
            "plan",
            format!("{PLAN}rules:\n  min_current_per_area: two\n"),
            "min_current_per_area",
        ),
        bad(
            "plan",
            format!("{PLAN}rules:\n  require_shows: [impcat]\n"),
            "require_shows",
        ),
        bad(
            "plan",
            format!("{PLAN}rules:\n  action_evidence: maybe\n"),
            "action_evidence",
        ),
        bad("plan", format!("{PLAN}rules:\n  max_age: 6\n"), "max_age"),
        bad(
            "plan",
            plan("    date: 2025-05-20", "    date: 2025-5-20"),
            "date",
        ),
        bad("plan", plan("  - id: 2025-05", "  - id: Spring"), "id"),
        bad(
            "plan",
            format!("{PLAN}    evidence_by: 2025-05-06\n"),
            "evidence_by",
        ),
        bad(
            "plan",
            format!(
                "{PLAN}acknowledged:\n  - rule: area-gapp\n    id: A1\n    reason: r\n    until: 2025-11-30\n"
            ),
            "rule",
        ),
        bad(
            "plan",
            format!(
                "{PLAN}acknowledged:\n  - rule: personal-identifier\n    id: A1\n    reason: r\n    until: 2025-11-30\n"
            ),
            "rule",
        ),
        bad(
            "plan",
            format!("{PLAN}acknowledged:\n  - rule: area-gap\n    id: A1\n    until: 2025-11-30\n"),
            "reason",
        ),
        bad(
            "plan",
            full_plan("          areas: [A1]\n", "          areas: []\n"),
            "areas",
        ),
        bad(
            "plan",
            full_plan("      points:\n", "      pointz:\n"),
            "pointz",
        ),
        bad(
            "plan",
            full_plan("      evidence: E-2025-001", "      evidence: E 2025"),
            "evidence",
        ),
        bad(
            "plan",
            full_plan("  intro: This is our report for families.", "  intro: [a]"),
            "intro",
        ),
        bad(
            "plan",
            full_plan("  intro:", "  introduction:"),
            "introduction",
        ),
        // Wrong shapes, and files that are not a mapping at all (`$`).
        bad(
            "plan",
            "id: test-plan\ntitle: T\norganisations: kcc\n".into(),
            "organisations",
        ),
        bad("plan", format!("{PLAN}rules: [a]\n"), "rules"),
        bad(
            "area",
            area(
                "progress:\n  rating: amber\n  date: 2025-04-30\n  summary: Early signs of progress [@E-2025-001].\n",
                "progress: amber\n",
            ),
            "progress",
        ),
        bad(
            "area",
            area(
                "    data:\n      - { date: 2024-10-31, value: 30 }\n      - { date: 2025-04-30, value: 45.5 }\n",
                "    data: { date: 2024-10-31, value: 30 }\n",
            ),
            "data",
        ),
        bad("evidence", format!("{EVIDENCE}1: one\n"), "1"),
        bad("plan", "- just\n- a list\n".into(), "$"),
        bad("area", "# only a comment\n".into(), "$"),
        bad("evidence", "just text\n".into(), "$"),
        // plan/import.yaml: a misspelt field, a value that names no
        // evidence field, wrong shapes.
        bad("import", "colums:\n  RAG: ignore\n".into(), "colums"),
        bad(
            "import",
            "columns:\n  Agency: organization\n".into(),
            "Agency",
        ),
        bad("import", "columns:\n  RAG: Ignore\n".into(), "RAG"),
        bad("import", "columns: [date, title]\n".into(), "columns"),
        bad("import", "sheet: [a, b]\n".into(), "sheet"),
        bad("import", "- a list\n".into(), "$"),
    ]
}

#[test]
fn every_schema_rule_fixture_fails_the_schema_for_the_same_field() {
    let (_s, dir) = schema_dir();
    let fixtures = schema_fixtures();
    let work = Fixture::empty();
    let mut by_kind: BTreeMap<&str, Vec<(PathBuf, &Bad)>> = BTreeMap::new();
    for (i, b) in fixtures.iter().enumerate() {
        // The loader: a `schema` finding in the file that names the field.
        let f = Fixture::new();
        let rel = match b.kind {
            "plan" => "plan/plan.yaml",
            "area" => "plan/areas/a1.yaml",
            "import" => "plan/import.yaml",
            _ => "evidence/2025/dashboard.yaml",
        };
        f.write(rel, &b.text);
        let (_, r) = f.check_json(&["--as-of", "2025-05-20"]);
        let named = format!("`{}`", b.field);
        // The finding names the field, or points at the line it is on.
        let lines: Vec<u64> = b
            .text
            .lines()
            .enumerate()
            .filter(|(_, l)| {
                l.trim_start_matches(['\u{feff}', ' ', '-'])
                    .starts_with(&format!("{}:", b.field))
            })
            .map(|(n, _)| n as u64 + 1)
            .collect();
        let whole = b.field == "$";
        assert!(
            r["findings"].as_array().unwrap().iter().any(|x| {
                (x["rule"] == "schema" || x["rule"] == "limit")
                    && x["file"] == rel
                    && (whole
                        || x["message"].as_str().unwrap().contains(&named)
                        || lines.contains(&x["line"].as_u64().unwrap()))
            }),
            "fixture {i} ({}, {named}): pack check reports no schema finding naming it:\n{}\n{r:#}",
            b.kind,
            b.text
        );
        let path = work.file(&format!("{}-{i}.yaml", b.kind));
        work.write(&format!("{}-{i}.yaml", b.kind), &b.text);
        by_kind.entry(b.kind).or_default().push((path, b));
    }
    // The validator: the file fails, and an error names the same field.
    for (kind, items) in by_kind {
        let files: Vec<PathBuf> = items.iter().map(|(p, _)| p.clone()).collect();
        let results = validate(&dir.join(format!("{kind}.schema.json")), &files);
        for (path, b) in items {
            let errors = &results[&path.display().to_string()];
            let quoted = format!("'{}'", b.field);
            let dotted = format!(".{}", b.field);
            assert!(
                errors.iter().any(|e| {
                    let p = e["path"].as_str().unwrap();
                    (b.field == "$" && p == "$")
                        || p.ends_with(&dotted)
                        || p.contains(&format!("{dotted}["))
                        || p.contains(&format!("{dotted}."))
                        || e["message"].as_str().unwrap().contains(&quoted)
                }),
                "{}: the schema does not fail for `{}`:\n{}\n{errors:#?}",
                path.display(),
                b.field,
                b.text
            );
        }
    }
}

/// A change to a view: where, and what.
type Mutation = (&'static str, Box<dyn Fn(&mut Value)>);

/// The example's JSON view, as `pack build --format json` writes it.
fn example_view(out: &Path) -> PathBuf {
    let run = std::process::Command::new(assert_cmd::cargo::cargo_bin("pack"))
        .current_dir(example_root())
        .env("SOURCE_DATE_EPOCH", "1763596800")
        .args(["build", "--visit", "2025-11", "--format", "json", "--out"])
        .arg(out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    out.join("kent-send-app-2025-11.json")
}

#[test]
fn the_built_view_validates_and_a_view_with_a_field_added_or_removed_fails() {
    let (_s, dir) = schema_dir();
    let work = Fixture::empty();
    let built = example_view(&work.file("out"));
    let view: Value = serde_json::from_str(&std::fs::read_to_string(&built).unwrap()).unwrap();
    assert!(
        view["last_letter"].is_object() && view["since"].is_object(),
        "the example's view should have every part"
    );
    // A view with gaps, sensitive items and an attachment too.
    let f = Fixture::new();
    f.write("evidence/2025/dashboard.csv", "month,value\n2025-04,45.5\n");
    f.write(
        "evidence/2025/dashboard.yaml",
        &format!("{EVIDENCE}file: dashboard.csv\n"),
    );
    f.write(
        "plan/areas/a2.yaml",
        "id: A2\ntitle: T\nweakness: W\noutcome: O\n",
    );
    f.pack_ok(&[
        "build",
        "--as-of",
        "2025-05-20",
        "--format",
        "json",
        "--allow-gaps",
    ]);
    let gaps = f.file("out/test-plan-2025-05.json");

    let mut files = vec![built.clone(), gaps];
    let mutations: Vec<Mutation> = vec![
        ("root", Box::new(|v| v["extra"] = json!(1))),
        ("meta", Box::new(|v| v["meta"]["colour"] = json!("red"))),
        ("areas[0]", Box::new(|v| v["areas"][0]["score"] = json!(3))),
        (
            "areas[0].measures[0]",
            Box::new(|v| v["areas"][0]["measures"][0]["chart_png"] = json!("")),
        ),
        (
            "evidence_index[0]",
            Box::new(|v| v["evidence_index"][0]["secret"] = json!(true)),
        ),
        (
            "meta.title",
            Box::new(|v| {
                v["meta"].as_object_mut().unwrap().remove("title");
            }),
        ),
        (
            "areas[0].actions[0].owner",
            Box::new(|v| {
                v["areas"][0]["actions"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("owner");
            }),
        ),
        (
            "evidence_index[0].kind",
            Box::new(|v| {
                v["evidence_index"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("kind");
            }),
        ),
        (
            "rules.rules[0].description",
            Box::new(|v| {
                v["rules"]["rules"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("description");
            }),
        ),
        (
            "last_letter.points[0].responses",
            Box::new(|v| {
                v["last_letter"]["points"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("responses");
            }),
        ),
        (
            "areas[0].state.monitoring",
            Box::new(|v| v["areas"][0]["state"]["monitoring"] = json!("paused")),
        ),
        (
            "meta.as_of",
            Box::new(|v| v["meta"]["as_of"] = json!("20/11/2025")),
        ),
        (
            "measures_at_a_glance[0]",
            Box::new(|v| v["measures_at_a_glance"][0]["trend"] = json!("up")),
        ),
        (
            "measures_at_a_glance[0].latest.period",
            Box::new(|v| {
                v["measures_at_a_glance"][0]["latest"]
                    .as_object_mut()
                    .unwrap()
                    .remove("period");
            }),
        ),
        (
            "measures_at_a_glance[0].change.value",
            Box::new(|v| v["measures_at_a_glance"][0]["change"]["value"] = json!("5.2")),
        ),
        (
            "overdue_actions[0]",
            Box::new(|v| v["overdue_actions"][0]["late"] = json!(true)),
        ),
        (
            "evidence_by_area[0].items[0]",
            Box::new(|v| v["evidence_by_area"][0]["items"][0]["title"] = json!("x")),
        ),
        (
            "evidence_index[0].answers",
            Box::new(|v| {
                v["evidence_index"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("answers");
            }),
        ),
    ];
    let mut mutated = Vec::new();
    for (i, (what, change)) in mutations.iter().enumerate() {
        let mut v = view.clone();
        change(&mut v);
        let p = work.file(&format!("mutated-{i}.json"));
        std::fs::write(&p, serde_json::to_vec(&v).unwrap()).unwrap();
        mutated.push((p.clone(), *what));
        files.push(p);
    }
    let results = validate(&dir.join("view.schema.json"), &files);
    assert!(
        results[&built.display().to_string()].is_empty(),
        "{results:#?}"
    );
    assert!(
        results[&files[1].display().to_string()].is_empty(),
        "{results:#?}"
    );
    for (p, what) in mutated {
        assert!(
            !results[&p.display().to_string()].is_empty(),
            "a view changed at {what} still validates"
        );
    }
}

/// `.vscode/settings.json`'s `yaml.schemas`: schema path to globs.
fn yaml_schemas(settings: &Value) -> BTreeMap<String, Vec<String>> {
    settings["yaml.schemas"]
        .as_object()
        .expect("yaml.schemas")
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|g| g.as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn init_writes_the_schemas_and_the_editor_settings_and_never_overwrites() {
    let f = Fixture::empty();
    let out = f.pack_ok(&["init", "."]);
    let text = String::from_utf8_lossy(&out.stdout);
    for kind in KINDS {
        let written = std::fs::read(f.file(&format!(".pack/schemas/{kind}.schema.json")))
            .unwrap_or_else(|e| panic!("{kind}: {e}\n{text}"));
        assert_eq!(written, f.pack_ok(&["schema", kind]).stdout, "{kind}");
    }
    let settings: Value =
        serde_json::from_str(&std::fs::read_to_string(f.file(".vscode/settings.json")).unwrap())
            .unwrap();
    let map = yaml_schemas(&settings);
    let expect: BTreeMap<String, Vec<String>> = [
        ("./.pack/schemas/plan.schema.json", vec!["plan/plan.yaml"]),
        (
            "./.pack/schemas/area.schema.json",
            vec!["plan/areas/*.yaml", "plan/areas/*.yml"],
        ),
        (
            "./.pack/schemas/evidence.schema.json",
            vec!["evidence/**/*.yaml", "evidence/**/*.yml"],
        ),
        (
            "./.pack/schemas/import.schema.json",
            vec!["plan/import.yaml"],
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.into_iter().map(String::from).collect()))
    .collect();
    assert_eq!(map, expect);
    for path in map.keys() {
        assert!(f.file(path).is_file(), "{path}");
    }

    // Run again: the settings already map the schemas, nothing to add.
    let again = f.pack_ok(&["init", "."]);
    let again = String::from_utf8_lossy(&again.stdout);
    assert!(
        again.contains("skipped .vscode/settings.json (it exists and already maps")
            && !again.contains("\"yaml.schemas\""),
        "{again}"
    );

    // Existing settings are left as they were, and the lines to add printed.
    let g = Fixture::empty();
    let mine = "{\n  \"editor.tabSize\": 2\n}\n";
    g.write(".vscode/settings.json", mine);
    g.write(".pack/schemas/plan.schema.json", "{}");
    let out = g.pack_ok(&["init", "."]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        std::fs::read_to_string(g.file(".vscode/settings.json")).unwrap(),
        mine
    );
    assert_eq!(
        std::fs::read_to_string(g.file(".pack/schemas/plan.schema.json")).unwrap(),
        "{}"
    );
    assert!(
        text.contains("skipped .pack/schemas/plan.schema.json")
            && text.contains("pack schema --out .pack/schemas"),
        "{text}"
    );
    let start = text.find("  \"yaml.schemas\"").expect(&text);
    let lines: String = text[start..]
        .lines()
        .take_while(|l| l.starts_with(' '))
        .collect::<Vec<_>>()
        .join("\n");
    let pasted: Value = serde_json::from_str(&format!("{{\n{lines}\n}}")).expect(&lines);
    assert_eq!(yaml_schemas(&pasted), expect, "{text}");
}

#[test]
fn the_yaml_language_server_underlines_a_typo_with_init_s_settings() {
    setup();
    let f = Fixture::empty();
    f.pack_ok(&["init", "."]);
    let typo = "evidence/2025/typo.yaml";
    f.write(typo, &EVIDENCE.replace("date:", "dat:"));
    let area = "plan/areas/02-typo.yaml";
    f.write(
        area,
        "id: A2\ntitle: T\nweakness: W\noutcome: O\nmonitorin: formal\n",
    );
    let import = "plan/import.yaml";
    f.write(import, "sheet: log\ncolums:\n  RAG: ignore\n");
    let clean = files_under(&f.file("evidence"), &is_yaml)
        .into_iter()
        .find(|p| p.ends_with("example-dashboard.yaml"))
        .unwrap();
    let client = tests_dir().join("lsp/client.mjs");
    let out = std::process::Command::new("node")
        .arg(&client)
        .arg(f.path())
        .arg(f.file(typo))
        .arg(f.file(area))
        .arg(f.file(import))
        .arg(&clean)
        .arg(f.file("plan/plan.yaml"))
        .output()
        .expect("node runs (tests/setup.sh installs it)");
    assert!(
        out.status.success(),
        "the language-server client failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let diags = |p: PathBuf| r[p.display().to_string()].as_array().unwrap().clone();
    let all: Vec<Value> = r
        .as_object()
        .unwrap()
        .values()
        .flat_map(|d| d.as_array().unwrap().clone())
        .collect();
    assert!(
        !all.iter().any(|d| d["message"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("unable to load schema")),
        "{all:#?}"
    );
    // `dat:` is on line 3 (the server counts from 0): underlined there.
    let on_line = |ds: &[Value], line: u64, word: &str| {
        ds.iter().any(|d| {
            d["range"]["start"]["line"] == line
                && d["range"]["start"]["character"] == 0
                && d["range"]["end"]["character"] == word.chars().count() as u64
                && d["message"].as_str().unwrap().contains(word)
        })
    };
    let typo_diags = diags(f.file(typo));
    assert!(on_line(&typo_diags, 2, "dat"), "{typo_diags:#?}");
    let area_diags = diags(f.file(area));
    assert!(on_line(&area_diags, 4, "monitorin"), "{area_diags:#?}");
    let import_diags = diags(f.file(import));
    assert!(on_line(&import_diags, 1, "colums"), "{import_diags:#?}");
    assert_eq!(diags(clean), Vec::<Value>::new());
    assert_eq!(diags(f.file("plan/plan.yaml")), Vec::<Value>::new());
}

#[test]
fn the_pre_commit_hook_runs_pack_from_path() {
    let root = example_root();
    let hooks = std::fs::read_to_string(root.join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: Value = serde_saphyr::from_str(&hooks).unwrap();
    let hook = &hooks[0];
    assert_eq!(hook["id"], "pack-check");
    assert_eq!(hook["language"], "system", "{hook}");
    assert_eq!(hook["entry"], "pack check");
    let ci = std::fs::read_to_string(root.join("docs/ci.md")).unwrap();
    assert!(
        ci.contains("language: system"),
        "docs/ci.md explains the hook"
    );
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(
        readme.contains("pack schema --out .pack/schemas")
            && readme.contains(".vscode/settings.json"),
        "the README shows the editor setup"
    );
}
