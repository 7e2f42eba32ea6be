//! `pack init [DIR]`: a working evidence repository that passes `pack check`
//! at once. Never overwrites a file: what exists is listed as skipped.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};

use crate::check::placeholder::{
    ACTION_TITLE, AREA_OUTCOME, AREA_PROGRESS, AREA_TITLE, AREA_WEAKNESS, EVIDENCE_SUMMARY,
    EVIDENCE_TITLE, MEASURE_TITLE, ORGANISATION_NAME,
};
use crate::model::Date;

pub fn run(dir: &Path) -> Result<ExitCode> {
    let today = crate::timeline::today().map_err(|e| anyhow!(e))?;
    let visit = today.plus_months(3);
    let year = today.year();
    let files: Vec<(String, String)> = vec![
        ("plan/plan.yaml".into(), plan(today, visit)),
        ("plan/areas/01-example.yaml".into(), area(today, visit)),
        (
            format!("evidence/{year}/example-dashboard.yaml"),
            evidence(today, year),
        ),
        (".gitignore".into(), "out/\n".into()),
        (".github/workflows/pack.yml".into(), workflow()),
        (".pre-commit-config.yaml".into(), pre_commit()),
    ];
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut skipped = Vec::new();
    for (rel, text) in &files {
        let path = dir.join(rel);
        if path.exists() {
            skipped.push(rel.clone());
            continue;
        }
        std::fs::create_dir_all(path.parent().unwrap_or(dir))
            .with_context(|| format!("cannot create the folder for {rel}"))?;
        // create_new: never replace a file that appeared meanwhile.
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .with_context(|| format!("cannot create {rel}"))?;
        f.write_all(text.as_bytes())
            .with_context(|| format!("cannot write {rel}"))?;
        println!("created {rel}");
    }
    for rel in &skipped {
        println!("skipped {rel} (it exists; pack never overwrites a file)");
    }
    editor_settings(dir)?;
    if !inside_git(dir) {
        // A pack says which commit it was built from; outside git it can
        // only say "files not under version control".
        println!(
            "\nNext: `git init` (the folder is not under version control yet; a pack names the commit it was built from)."
        );
        println!(
            "Then: edit plan/plan.yaml and plan/areas/, replace the example text (pack check points at each), add evidence with `pack new evidence`, and run `pack check`."
        );
    } else {
        println!(
            "\nNext: edit plan/plan.yaml and plan/areas/, replace the example text (pack check points at each), add evidence with `pack new evidence`, and run `pack check`."
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether `dir` is inside a git work tree, as the user's git sees it. No
/// git at all counts as outside: `git init` is then still the next step.
fn inside_git(dir: &Path) -> bool {
    std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .is_ok_and(|o| o.status.success() && o.stdout.starts_with(b"true"))
}

/// The editor's part (spec section 13): the schemas in `.pack/schemas/`
/// and a `.vscode/settings.json` that maps them to the YAML files for the
/// YAML language server (VS Code's YAML extension), so a typo is underlined
/// while typing. Like the rest of init it never overwrites: an existing
/// settings file is left, and the lines to add to it are printed.
fn editor_settings(dir: &Path) -> Result<()> {
    use crate::schema::Kind;
    let schemas = dir.join(SCHEMA_DIR);
    std::fs::create_dir_all(&schemas)
        .with_context(|| format!("cannot create {}", schemas.display()))?;
    for kind in Kind::ALL {
        let rel = format!("{SCHEMA_DIR}/{}", kind.file_name());
        if create_new(&dir.join(&rel), &kind.text())? {
            println!("created {rel}");
        } else {
            println!(
                "skipped {rel} (it exists; `pack schema --out {SCHEMA_DIR}` refreshes the schemas)"
            );
        }
    }
    let rel = ".vscode/settings.json";
    let path = dir.join(rel);
    std::fs::create_dir_all(dir.join(".vscode"))
        .with_context(|| format!("cannot create the folder for {rel}"))?;
    let lines = yaml_schemas_lines();
    if create_new(&path, &format!("{{\n{lines}\n}}\n"))? {
        println!("created {rel}");
    } else if maps_the_schemas(&path) {
        println!("skipped {rel} (it exists and already maps pack's schemas)");
    } else {
        println!(
            "skipped {rel} (it exists; pack never overwrites a file). For your editor to check \
             the YAML files as you type, add these lines to it:\n{lines}"
        );
    }
    Ok(())
}

/// Whether existing settings already hold init's `yaml.schemas` entries
/// (init run again): then there is nothing to add. Settings VS Code reads
/// but JSON does not (comments) get the lines printed, to be safe.
fn maps_the_schemas(path: &Path) -> bool {
    let wanted: serde_json::Value = serde_json::from_str(&format!("{{{}}}", yaml_schemas_lines()))
        .expect("init's own lines are JSON");
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    let Ok(have) = serde_json::from_str::<serde_json::Value>(&text) else {
        return false;
    };
    let (Some(want), Some(have)) = (
        wanted["yaml.schemas"].as_object(),
        have["yaml.schemas"].as_object(),
    ) else {
        return false;
    };
    want.iter().all(|(k, v)| have.get(k) == Some(v))
}

/// Where init writes the schemas, relative to the repository.
const SCHEMA_DIR: &str = ".pack/schemas";

/// The `"yaml.schemas"` entry of `.vscode/settings.json`, indented as a
/// member of its top-level object: each YAML schema and the files it is for.
fn yaml_schemas_lines() -> String {
    let mut map = serde_json::Map::new();
    for kind in crate::schema::Kind::ALL {
        if !kind.globs().is_empty() {
            map.insert(
                format!("./{SCHEMA_DIR}/{}", kind.file_name()),
                serde_json::json!(kind.globs()),
            );
        }
    }
    let value =
        serde_json::to_string_pretty(&serde_json::Value::Object(map)).expect("a JSON value prints");
    let body = format!("\"yaml.schemas\": {value}");
    body.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Writes `text` to a new file; false when the file exists (never replaced).
fn create_new(path: &Path, text: &str) -> Result<bool> {
    use std::io::Write;
    let mut f = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", path.display())),
    };
    f.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(true)
}

fn plan(_today: Date, visit: Date) -> String {
    format!(
        r#"# The plan: who the organisations are, when the monitoring visits are, and
# how complete the evidence must be. Every field is described in docs/format.md.
id: my-send-plan                      # lower-case letters, digits and -; used in file names
title: Our SEND improvement plan      # printed on every page of the pack
classification: OFFICIAL              # the marking on every page

organisations:                        # evidence names its organisation by id
  - id: council
    name: {org}
  # - id: icb
  #   name: NHS Integrated Care Board
  # - id: pcf
  #   name: Parent carer forum

rules:
  max_age_months: 6                   # older evidence is stale on the visit date
  min_current_per_area: 1             # current items each area needs
  require_shows: [impact]             # each area needs current evidence of impact
  action_evidence: warn               # off | warn | error: each action needs current evidence

visits:                               # the six-monthly monitoring visits
  - id: next-visit
    date: {visit}
    title: Next progress monitoring visit

# acknowledged:                       # gaps the board has accepted, for a time
#   - rule: area-gap
#     id: A1
#     reason: Survey results delayed; agreed with DfE
#     until: {visit}
"#,
        org = ORGANISATION_NAME.text,
    )
}

fn area(today: Date, visit: Date) -> String {
    format!(
        r#"# One area of weakness. Copy this file for each area (02-....yaml, ...).
id: A1
title: {title}
weakness: >-
  {weakness}
outcome: >-
  {outcome}
lead: Director of SEND
order: 1
progress:
  rating: amber                       # red | amber | green | complete
  date: {today}
  summary: {progress}
actions:
  - id: A1.1
    title: {action}
    owner: council
    due: {due}
    status: in-progress               # not-started | in-progress | complete | at-risk
measures:
  - id: A1.M1
    title: {measure}
    unit: "%"
    direction: up                     # up | down: which way is better
    target: {{ value: 80, date: {due} }}
    floor: 40
    data:
      - {{ date: {today}, value: 50 }}
"#,
        due = visit.plus_months(6),
        title = AREA_TITLE.text,
        weakness = AREA_WEAKNESS.text,
        outcome = AREA_OUTCOME.text,
        progress = AREA_PROGRESS.written(today.year()),
        action = ACTION_TITLE.text,
        measure = MEASURE_TITLE.text,
    )
}

fn evidence(today: Date, year: i16) -> String {
    format!(
        r#"# One evidence item. Add more with `pack new evidence`.
id: E-{year}-001
title: {title}
date: {today}                         # the date the evidence is as at
organisation: council
kind: data                            # data | report | minutes | survey | case-study | audit | policy | letter | training | communication | other
shows: impact                         # activity | impact | voice
areas: [A1]
actions: [A1.1]
measures: [A1.M1]
summary: {summary}
"#,
        title = EVIDENCE_TITLE.text,
        summary = EVIDENCE_SUMMARY.text,
    )
}

/// The project's address, from `repository` in Cargo.toml: the one place
/// it is set (docs/releasing.md).
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// `OWNER/pack`: the repository as GitHub's `uses:` names it.
fn repository_slug() -> &'static str {
    REPOSITORY
        .trim_end_matches('/')
        .trim_end_matches(".git")
        .trim_start_matches("https://github.com/")
}

/// The CI workflow: the GitHub Action of this repository, pinned to the
/// version of pack that wrote it, checks every push in seconds; on the
/// default branch the pack is built and kept as an artifact.
fn workflow() -> String {
    let action = repository_slug();
    let version = env!("CARGO_PKG_VERSION");
    format!(
        r#"# Checks the evidence on every push with a released pack (installed in
# seconds by the pack Action, pinned to the version that wrote this file);
# on the default branch it also builds the pack and keeps it as an artifact.
name: evidence
on: [push, pull_request]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: {action}@v{version}
        with:
          version: {version}
          args: check
  pack:
    needs: check
    if: github.event_name == 'push' && github.ref_name == github.event.repository.default_branch
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: {action}@v{version}
        with:
          version: {version}
          args: build --allow-gaps
      - uses: actions/upload-artifact@v4
        with:
          name: evidence-pack
          path: out/
"#
    )
}

/// Runs `pack check` before each commit, pinned like the workflow.
fn pre_commit() -> String {
    format!(
        r#"# Runs `pack check` before each commit (https://pre-commit.com).
repos:
  - repo: {REPOSITORY}
    rev: v{version}
    hooks:
      - id: pack-check
"#,
        version = env!("CARGO_PKG_VERSION")
    )
}
