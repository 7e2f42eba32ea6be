//! Fixture repositories for end-to-end tests: a small valid repository that
//! passes `pack check` cleanly, which each test then breaks in one way.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// 2025-06-01T00:00:00Z: "today" in every test unless a test says otherwise.
pub const TODAY_EPOCH: &str = "1748736000";

pub const PLAN: &str = "\
id: test-plan
title: Test SEND plan
organisations:
  - id: kcc
    name: Kent County Council
  - id: nhs
    name: NHS Kent and Medway
visits:
  - id: 2025-05
    date: 2025-05-20
    title: Spring visit
";

pub const AREA: &str = "\
id: A1
title: Parental confidence
weakness: Parents are not confident that needs will be met.
outcome: Parents feel more confident.
lead: Director of SEND
order: 1
progress:
  rating: amber
  date: 2025-04-30
  summary: Early signs of progress [@E-2025-001].
actions:
  - id: A1.1
    title: Recruit more caseworkers
    owner: kcc
    due: 2026-03-31
    status: in-progress
measures:
  - id: A1.M1
    title: Plans issued within 20 weeks
    unit: \"%\"
    direction: up
    target: { value: 80, date: 2026-03-31 }
    floor: 40
    data:
      - { date: 2024-10-31, value: 30 }
      - { date: 2025-04-30, value: 45.5 }
";

pub const EVIDENCE: &str = "\
id: E-2025-001
title: Timeliness dashboard, April 2025
date: 2025-04-30
organisation: kcc
kind: data
shows: impact
areas: [A1]
actions: [A1.1]
measures: [A1.M1]
summary: Timeliness rose to 45.5%.
";

pub struct Fixture {
    pub dir: TempDir,
}

impl Fixture {
    /// The valid base repository.
    pub fn new() -> Fixture {
        let f = Fixture::empty();
        f.write("plan/plan.yaml", PLAN);
        f.write("plan/areas/a1.yaml", AREA);
        f.write("evidence/2025/dashboard.yaml", EVIDENCE);
        f
    }

    pub fn empty() -> Fixture {
        Fixture {
            dir: tempfile::Builder::new()
                .prefix("pack-fixture")
                .tempdir()
                .expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        self.write_bytes(rel, text.as_bytes())
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let p = self.file(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.file(rel)).unwrap();
        self
    }

    /// `pack ARGS` run in the fixture with today pinned.
    pub fn pack(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("pack").unwrap();
        cmd.current_dir(self.path())
            .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
            .env_remove("GITHUB_ACTIONS")
            .env_remove("GITHUB_STEP_SUMMARY")
            .env("NO_COLOR", "1")
            .args(args);
        cmd
    }

    /// `pack ARGS`, which must succeed; its stderr explains a failure.
    pub fn pack_ok(&self, args: &[&str]) -> std::process::Output {
        let out = self.pack(args).output().unwrap();
        assert!(
            out.status.success(),
            "pack {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Gives the item an attachment and builds a bundle: the zip's path.
    pub fn bundle(&self) -> PathBuf {
        self.write("evidence/2025/dashboard.csv", "month,value\n2025-04,45.5\n");
        self.write(
            "evidence/2025/dashboard.yaml",
            &format!("{EVIDENCE}file: dashboard.csv\n"),
        );
        self.pack_ok(&[
            "build",
            "--as-of",
            "2025-05-20",
            "--bundle",
            "--format",
            "md",
        ]);
        self.file("out/test-plan-2025-05-bundle.zip")
    }

    /// `pack check --format json ARGS`: exit code and parsed report.
    pub fn check_json(&self, args: &[&str]) -> (i32, Value) {
        let mut full = vec!["check", "--format", "json"];
        full.extend_from_slice(args);
        let out = self.pack(&full).output().unwrap();
        let code = out.status.code().unwrap_or(-1);
        let text = String::from_utf8(out.stdout).unwrap();
        let json = serde_json::from_str(&text).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {text}\nstderr: {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (code, json)
    }
}

/// The findings of a rule in a JSON report.
pub fn findings<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

/// Exactly one finding of `rule`; panics with the whole report otherwise.
pub fn one<'a>(report: &'a Value, rule: &str) -> &'a Value {
    let fs = findings(report, rule);
    assert_eq!(
        fs.len(),
        1,
        "expected one {rule} finding, got {}:\n{}",
        fs.len(),
        serde_json::to_string_pretty(&report["findings"]).unwrap()
    );
    fs[0]
}

/// (file, line) of every finding of `rule`.
pub fn places(report: &Value, rule: &str) -> Vec<(String, u64)> {
    findings(report, rule)
        .iter()
        .map(|x| {
            (
                x["file"].as_str().unwrap().to_owned(),
                x["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

pub fn assert_at(f: &Value, severity: &str, file: &str, line: u64) {
    assert_eq!(f["severity"], severity, "{f}");
    assert_eq!(f["file"], file, "{f}");
    assert_eq!(f["line"], line, "{f}");
    assert!(f["column"].as_u64().unwrap() >= 1, "{f}");
}

/// The repository's own example, at the crate root.
pub fn example_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Makes sure what the tests need from outside Rust is there (see
/// `tests/setup.sh`: poppler-utils, chromium, node and the pinned npm
/// packages), installing it where it can. A missing tool fails the test with
/// what to install; nothing is skipped.
pub fn setup() {
    static DONE: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    let result = DONE.get_or_init(|| {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/setup.sh");
        let out = std::process::Command::new("bash")
            .arg(&script)
            .output()
            .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    });
    if let Err(e) = result {
        panic!("the test setup failed:\n{e}");
    }
}

/// axe-core's violations (WCAG 2.2 AA and best practice) for a page in
/// headless Chromium, at each viewport width: one JSON object per width,
/// `{"width", "violations": [{"id", "impact", "help", "nodes", "count"}]}`.
pub fn axe(page: &Path, widths: &[u32]) -> Vec<Value> {
    setup();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/browser/axe.mjs");
    let mut cmd = std::process::Command::new("node");
    cmd.arg(&script).arg(page);
    for w in widths {
        cmd.arg(w.to_string());
    }
    let out = cmd
        .output()
        .expect("node runs (tests/setup.sh installs it)");
    assert!(
        out.status.success(),
        "axe in chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Vec<Value>>(&out.stdout).expect("axe.mjs prints JSON")
}

/// Runs an outside tool the tests read outputs with (poppler's pdftotext,
/// pdfinfo, pdftohtml) and returns its standard output; fails on error.
pub fn tool(name: &str, args: &[&str]) -> String {
    setup();
    let out = std::process::Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed for this test (see tests/setup.sh): {e}"));
    assert!(
        out.status.success(),
        "{name} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// LibreOffice, headless, converting `input` to `convert_to` (its
/// `--convert-to` argument, e.g. `xlsx` or a CSV filter with options) into
/// `outdir`, with `infilter` for reading CSV (e.g. `CSV:44,34,76,1,,2057`:
/// comma, double quote, UTF-8, from row 1, en-GB so `30/04/2025` becomes a
/// date cell). Each call has its own profile, so tests may run at once.
/// Returns the files LibreOffice wrote, sorted.
pub fn soffice(
    input: &Path,
    convert_to: &str,
    infilter: Option<&str>,
    outdir: &Path,
) -> Vec<PathBuf> {
    setup();
    let profile = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outdir).unwrap();
    let before: std::collections::BTreeSet<PathBuf> = std::fs::read_dir(outdir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let mut cmd = std::process::Command::new("soffice");
    cmd.arg(format!(
        "-env:UserInstallation=file://{}",
        profile.path().display()
    ))
    .args(["--headless", "--norestore", "--nolockcheck"]);
    if let Some(f) = infilter {
        cmd.arg(format!("--infilter={f}"));
    }
    cmd.args(["--convert-to", convert_to, "--outdir"])
        .arg(outdir)
        .arg(input);
    let out = cmd
        .output()
        .expect("soffice runs (tests/setup.sh installs libreoffice-calc-nogui)");
    let mut made: Vec<PathBuf> = std::fs::read_dir(outdir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !before.contains(p))
        .collect();
    made.sort();
    assert!(
        out.status.success() && !made.is_empty(),
        "soffice --convert-to {convert_to} {}: {}{}",
        input.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    made
}

/// Every sheet of a workbook as CSV, read by LibreOffice: (sheet name, rows).
pub fn sheets_as_csv(workbook: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    let out = tempfile::tempdir().unwrap();
    // Token 12 = -1: one CSV per sheet, named <stem>-<sheet>.csv.
    let files = soffice(
        workbook,
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,2057,false,true,false,false,false,-1",
        None,
        out.path(),
    );
    let stem = workbook.file_stem().unwrap().to_string_lossy().into_owned();
    files
        .iter()
        .map(|f| {
            let name = f.file_stem().unwrap().to_string_lossy();
            let sheet = name
                .strip_prefix(&format!("{stem}-"))
                .unwrap_or(&name)
                .to_owned();
            let text = std::fs::read_to_string(f).unwrap();
            let rows = parse_csv(&text);
            (sheet, rows)
        })
        .collect()
}

/// A small RFC 4180 reader for what LibreOffice writes.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// What a reader meets on a page in headless Chromium at `width` pixels:
/// `{"text": body.innerText, "links": [{"href", "text"}], "sections":
/// [{"heading", "text", "links", "captions"}]}`, one section per `<section>`
/// with its first heading and its figures' captions. The browser comes from tests/browser/harness.mjs.
pub fn browser_read(page: &Path, width: u32) -> Value {
    setup();
    const SCRIPT: &str = r#"
const [harness, target, width] = process.argv.slice(1);
const { launch } = await import(harness);
const { pathToFileURL } = await import("node:url");
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
  await page.goto(pathToFileURL(target).href, { waitUntil: "load" });
  const out = await page.evaluate(() => {
    const links = (root) => [...root.querySelectorAll("a[href]")]
      .map((a) => ({ href: a.getAttribute("href"), text: a.innerText }));
    return {
      text: document.body.innerText,
      links: links(document),
      sections: [...document.querySelectorAll("section")].map((s) => ({
        heading: (s.querySelector("h1, h2, h3, h4, h5, h6") || { innerText: "" }).innerText,
        text: s.innerText,
        links: links(s),
        captions: [...s.querySelectorAll("figcaption")].map((c) => c.innerText),
      })),
    };
  });
  console.log(JSON.stringify(out));
} finally {
  await browser.close();
}
"#;
    page_script(SCRIPT, page, &[width.to_string()])
}

/// Runs `script`, a Node module that drives Debian's chromium through
/// tests/browser/harness.mjs (its first argument), on `page` (the second)
/// and `extra`, and reads the JSON it prints.
pub fn page_script(script: &str, page: &Path, extra: &[String]) -> Value {
    let harness = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/browser/harness.mjs");
    let out = std::process::Command::new("node")
        .args(["--input-type=module", "-e", script])
        .arg(format!("file://{}", harness.display()))
        .arg(page)
        .args(extra)
        .output()
        .expect("node runs (tests/setup.sh installs it)");
    assert!(
        out.status.success(),
        "reading {} in chromium failed: {}",
        page.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the page script prints JSON")
}
