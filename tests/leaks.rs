//! What must never leave pack's outputs, on the real binary:
//! - a personal identifier whole, in any finding of any rule, from any
//!   command (`check` in every format, `build`, `import`);
//! - an evidence id in the family edition, whatever form its citation took
//!   and whichever field holds it, or what marked the citation up (a stray
//!   backtick or backslash);
//! - anything a reader's browser would fetch from elsewhere (a tracking
//!   pixel in Markdown or in raw HTML), read in Debian's headless Chromium;
//! - a footnote made into a broken link.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

/// Valid NHS numbers and a valid UPN (spec section 3), each used once below.
const IDS: [&str; 6] = [
    "9434765919",
    "4010232137",
    "4857773457",
    "1234567881",
    "9876543210",
    "B801200005001",
];

/// Every text output: none holds an identifier whole, nor more of it than
/// its last three characters.
fn assert_masked(place: &str, text: &str) {
    for id in IDS {
        let tail = &id[id.len() - 4..];
        assert!(
            !text.contains(id) && !text.contains(tail),
            "{place} shows {id} (or more than its last 3 characters):\n{text}"
        );
    }
}

#[test]
fn identifiers_are_masked_in_every_finding_of_every_rule_and_command() {
    let f = Fixture::new();
    let item = |id: &str, extra: &str| {
        format!(
            "{}{extra}",
            EVIDENCE
                .replace("E-2025-001", id)
                .replace("summary:", "# x\nsummary:")
        )
    };
    // duplicate-id: an id that is an NHS number, twice.
    f.write("evidence/2025/n1.yaml", &item("9434765919", ""));
    f.write("evidence/2025/n2.yaml", &item("9434765919", ""));
    // unknown-reference: an area that is a UPN.
    f.write(
        "evidence/2025/r.yaml",
        &item("E-2025-010", "").replace("areas: [A1]", "areas: [B801200005001]"),
    );
    // schema: a bad value, and an unknown field named by a number.
    f.write(
        "evidence/2025/s.yaml",
        &item("E-2025-011", "1234567881: x\n").replace("kind: data", "kind: '4857773457'"),
    );
    // unknown-citation: a cited id that is an NHS number.
    f.write(
        "plan/areas/a1.yaml",
        &AREA.replace("[@E-2025-001]", "[@4010232137]"),
    );
    // unused-acknowledgement, and an acknowledgement's reason in a hint.
    f.write(
        "plan/plan.yaml",
        &format!(
            "{PLAN}acknowledged:
  - rule: area-gap
    id: '9876543210'
    reason: agreed
    until: 2026-01-01
  - rule: unknown-reference
    id: E-2025-010
    reason: the family of 9876543210 asked us to wait
    until: 2026-01-01
"
        ),
    );
    let (code, r) = f.check_json(&["--as-of", "2025-05-20"]);
    assert_eq!(code, 1);
    for rule in [
        "duplicate-id",
        "unknown-reference",
        "unknown-citation",
        "schema",
        "unused-acknowledgement",
    ] {
        let fs = findings(&r, rule);
        assert!(
            fs.iter().any(|x| x.to_string().contains("919")
                || x.to_string().contains("001")
                || x.to_string().contains("137")
                || x.to_string().contains("457")
                || x.to_string().contains("881")
                || x.to_string().contains("210")),
            "{rule} quotes the (masked) value: {fs:#?}"
        );
    }
    for format in ["human", "json", "github", "junit", "markdown"] {
        let out = f
            .pack(&["check", "--as-of", "2025-05-20", "--format", format])
            .output()
            .unwrap();
        assert_masked(
            &format!("check --format {format}"),
            &String::from_utf8_lossy(&out.stdout),
        );
        assert_masked(
            &format!("check --format {format} (stderr)"),
            &String::from_utf8_lossy(&out.stderr),
        );
    }
    let out = f
        .pack(&["build", "--as-of", "2025-05-20"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_masked("build", &String::from_utf8_lossy(&out.stderr));
    assert_masked("build (stdout)", &String::from_utf8_lossy(&out.stdout));

    // An import's own findings: ids and values of rows.
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("log.csv");
    std::fs::write(
        &csv,
        "Ref,Title,Date,Organisation,Areas,Kind,Shows\n\
         9434765919,Survey of parents,30/04/2025,kcc,A1,survey,voice\n\
         9434765919,Training log,01/05/2025,kcc,A1,training,activity\n\
         E-2025-020,Training log,01/05/2025,4010232137,B801200005001,4857773457,activity\n",
    )
    .unwrap();
    let g = Fixture::new();
    for format in ["human", "json", "github"] {
        let out = g
            .pack(&[
                "import",
                csv.to_str().unwrap(),
                "--dry-run",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            all.contains("duplicate-id"),
            "import --format {format}: {all}"
        );
        assert!(
            all.contains("*******919"),
            "import --format {format}: {all}"
        );
        assert_masked(&format!("import --format {format}"), &all);
    }
}

// ---------------------------------------------------------------------
// The family edition: every citation form, in every field.

/// Every form an author may write meaning a citation, in one sentence, a
/// word before each: what is left must be exactly the words.
const FORMS: &str = "One [@E-2025-001] two [@E-2025-001; @E-2025-001] three [@ E-2025-001] \
four `[@E-2025-001]` five \\[@E-2025-001] six [@E-2025-001, @E-2025-001] seven \
**[@E-2025-001]** eight ([@E-2025-001]) nine ``[@E-2025-001]``.";
const WORDS: &str = "One two three four five six seven eight nine.";

/// A YAML literal block (in a mapping at the top level or one down): the
/// text exactly as written, line breaks and all.
fn block(s: &str) -> String {
    let lines: Vec<String> = s.lines().map(|l| format!("    {l}")).collect();
    format!("|\n{}\n", lines.join("\n"))
}

/// YAML single-quoted: backslashes stay as written.
fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

#[test]
fn every_citation_form_in_every_family_field_leaves_only_words() {
    let f = Fixture::new();
    let t = q(FORMS);
    f.write(
        "plan/plan.yaml",
        &format!(
            "{}family:\n  title: {t}\n  intro: {t}\n  glossary:\n    Caseworker: {t}\n",
            PLAN.replace("title: Test SEND plan", &format!("title: {t}"))
        ),
    );
    let unit =
        q("%[@E-2025-001][@E-2025-001; @E-2025-001]`[@E-2025-001]`\\[@E-2025-001][@ E-2025-001]");
    f.write(
        "plan/areas/a1.yaml",
        &format!(
            "{}family:\n  title: {t}\n  you_said: {t}\n  we_did: {t}\n  changed: {t}\n  measures: [A1.M1, A1.M2]\n  captions:\n    A1.M1: {t}\n",
            AREA.replace("unit: \"%\"", &format!("unit: {unit}")).replace(
                "measures:\n",
                &format!(
                    "measures:\n  - id: A1.M2\n    title: {t}\n    unit: {unit}\n    direction: up\n    data:\n      - {{ date: 2024-10-31, value: 30 }}\n      - {{ date: 2025-04-30, value: 45.5 }}\n"
                )
            )
        ),
    );
    f.write(
        "evidence/2025/dashboard.yaml",
        &EVIDENCE.replace(
            "title: Timeliness dashboard, April 2025",
            &format!("title: {t}\npublic: true"),
        ),
    );
    let out = f
        .pack(&[
            "build",
            "--as-of",
            "2025-05-20",
            "--edition",
            "family",
            "--format",
            "html,pdf,json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stem = f.file("out/test-plan-2025-05-family");
    let html = stem.with_extension("html");
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(stem.with_extension("json")).unwrap())
            .unwrap();
    let pdf = tool(
        "pdftotext",
        &[stem.with_extension("pdf").to_str().unwrap(), "-"],
    );
    let source = std::fs::read_to_string(&html).unwrap();
    assert!(!source.contains("E-2025-001"), "the HTML holds an id");
    let page = browser_read(&html, 1200);
    let text = page["text"].as_str().unwrap();
    // Each field: the title (twice: the page's and the area's), intro,
    // glossary, what families said, what we did, what changed, a
    // caption, a measure's title, a public item's title.
    assert!(text.matches(WORDS).count() >= 9, "{text}");
    let mut strings = Vec::new();
    collect_strings(&json, &mut strings);
    for (place, all) in [
        ("HTML (as read)", text.to_owned()),
        ("PDF", pdf.clone()),
        ("family view (JSON)", strings.join("\n")),
    ] {
        for stray in ["E-2025-001", "@", "`", "\\", "[]", "()", "**"] {
            assert!(!all.contains(stray), "{place} shows {stray:?}:\n{all}");
        }
    }
    assert!(pdf.contains("One two three"), "{pdf}");
    // The unit is `%` once its citations are gone: the chart says 45.5 as
    // a family reads a percentage (spec section 11).
    assert!(text.contains("46 in 100"), "{text}");
}

fn collect_strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out)),
        // The charts' SVG and file names are markup and paths, not text.
        Value::Object(o) => o
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "chart_svg" | "chart_file"))
            .for_each(|(_, x)| collect_strings(x, out)),
        _ => {}
    }
}

// ---------------------------------------------------------------------
// Remote content and footnotes in user Markdown.

/// Every way user Markdown (or raw HTML in it) could make a browser fetch
/// from an address the author chose.
const REMOTE: &str = "Trackers: ![pixel](https://tracker.example/p.gif) and ![](https://tracker.example/q.png) \
and [![logo](https://tracker.example/l.png)](https://example.org/) and \
<img src=\"https://tracker.example/r.gif\"> and <img srcset=\"https://tracker.example/t.png 1x\">.

<iframe src=\"https://tracker.example/f.html\"></iframe>

<div style=\"background: url(https://tracker.example/s.png)\">styled</div>

<picture><source srcset=\"https://tracker.example/u.png\"><img src=\"https://tracker.example/v.png\"></picture>

<link rel=\"stylesheet\" href=\"https://tracker.example/w.css\"><video poster=\"https://tracker.example/x.png\"></video><object data=\"https://tracker.example/y.swf\"></object><svg><image href=\"https://tracker.example/z.png\"/></svg>
";

/// `[^Src]: Survey` alone would read as a link definition: `[^Src]` a
/// link to `Survey`.
const FOOTNOTES: &str =
    "Caseworkers rose by a third[^Note] and plans were quicker[^2] and fairer[^Src].

[^Note]: Counted in March 2025.
[^2]: Weeks from request to plan.
[^Src]: Survey
";

/// The page as Chromium loads it: every request it made that was not for
/// the file itself or inline data, every attribute other than a link's
/// address that names the tracker, the visible text and the links.
fn load_in_chromium(page: &Path) -> Value {
    setup();
    const SCRIPT: &str = r#"
const [harness, target] = process.argv.slice(1);
const { launch } = await import(harness);
const { pathToFileURL } = await import("node:url");
const browser = await launch();
try {
  const page = await browser.newPage();
  const requests = [];
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
    requests.push(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(target).href, { waitUntil: "load" });
  await page.waitForTimeout(300);
  const out = await page.evaluate(() => ({
    text: document.body.innerText,
    links: [...document.querySelectorAll("a[href]")].map((a) => ({ href: a.getAttribute("href"), text: a.innerText })),
    fetching: [...document.querySelectorAll("*")].flatMap((el) =>
      [...el.attributes]
        .filter((at) => at.value.includes("tracker.example") && !(el.tagName === "A" && at.name === "href"))
        .map((at) => `${el.tagName} ${at.name}=${at.value}`)),
  }));
  out.requests = requests;
  console.log(JSON.stringify(out));
} finally {
  await browser.close();
}
"#;
    page_script(SCRIPT, page, &[])
}

fn assert_nothing_fetched(place: &str, page: &Value) {
    assert_eq!(
        page["requests"],
        Value::Array(vec![]),
        "{place} fetched: {page:#}"
    );
    assert_eq!(
        page["fetching"],
        Value::Array(vec![]),
        "{place} would fetch: {page:#}"
    );
    let links: Vec<(&str, &str)> = page["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["href"].as_str().unwrap(), l["text"].as_str().unwrap()))
        .collect();
    // Markdown images are links to them, named by their alt text.
    assert!(
        links.contains(&("https://tracker.example/p.gif", "pixel")),
        "{place}: {links:?}"
    );
    assert!(
        links
            .iter()
            .any(|(h, t)| *h == "https://tracker.example/q.png" && !t.trim().is_empty()),
        "{place}: an image without alt text is still a named link: {links:?}"
    );
    assert!(
        links.contains(&("https://example.org/", "logo")),
        "{place}: a linked image is its link: {links:?}"
    );
    assert!(
        !links.iter().any(|(h, _)| h.contains("l.png")),
        "{place}: a link in a link: {links:?}"
    );
}

fn assert_footnotes_are_notes(place: &str, page: &Value) {
    let text = page["text"].as_str().unwrap();
    for href in page["links"].as_array().unwrap() {
        let h = href["href"].as_str().unwrap();
        assert!(
            h.starts_with("https://") || h.starts_with('#') && !h.starts_with("#fn"),
            "{place}: a footnote became a link to {h:?}"
        );
    }
    assert!(text.contains("by a third1 and"), "{place}: {text}");
    assert!(text.contains("quicker2 and fairer3."), "{place}: {text}");
    assert!(text.contains("3 Survey"), "{place}: {text}");
    assert!(text.contains("1 Counted in March 2025."), "{place}: {text}");
    assert!(
        text.contains("2 Weeks from request to plan."),
        "{place}: {text}"
    );
    assert!(!text.contains("[^"), "{place}: {text}");
}

#[test]
fn remote_images_are_links_and_footnotes_are_notes_in_every_format() {
    let f = Fixture::new();
    f.write("plan/areas/a1.md", &format!("{REMOTE}\n{FOOTNOTES}"));
    let summary = "Timeliness rose[^n] ![chart](https://tracker.example/p.gif).\n\n[^n]: Counted in March 2025.\n";
    f.write(
        "evidence/2025/dashboard.yaml",
        &EVIDENCE.replace(
            "summary: Timeliness rose to 45.5%.",
            &format!("summary: {}", block(summary)),
        ),
    );
    f.pack_ok(&["build", "--as-of", "2025-05-20", "--format", "html,md,pdf"]);
    let html = f.file("out/test-plan-2025-05.html");
    let page = load_in_chromium(&html);
    assert_nothing_fetched("the pack (HTML)", &page);
    assert_footnotes_are_notes("the pack (HTML)", &page);
    // Raw HTML is shown as text, never made into elements.
    let text = page["text"].as_str().unwrap();
    assert!(text.contains("<iframe src="), "{text}");

    let md = std::fs::read_to_string(f.file("out/test-plan-2025-05.md")).unwrap();
    let remote_image = regex::Regex::new(r"!\[[^\]]*\]\(\s*<?(https?:)?//").unwrap();
    assert!(
        !remote_image.is_match(&md),
        "a remote image in the Markdown pack:\n{md}"
    );
    assert!(
        md.contains("[pixel](https://tracker.example/p.gif)"),
        "{md}"
    );
    // Raw HTML and footnote syntax are there only escaped (`\<img`, `\[^`).
    let live = regex::Regex::new(
        r"(^|[^\\])(<(img|iframe|div|picture|source|link|video|object|svg|image)\b|\[\^)",
    )
    .unwrap();
    assert!(
        !md.lines().any(|l| live.is_match(l)),
        "live HTML or a footnote in the Markdown pack:\n{md}"
    );
    assert!(md.contains("Counted in March 2025."), "{md}");

    let pdf = tool(
        "pdftotext",
        &[f.file("out/test-plan-2025-05.pdf").to_str().unwrap(), "-"],
    );
    assert!(pdf.contains("Counted in March 2025."), "{pdf}");
    assert!(!pdf.contains("[^"), "{pdf}");
    let links = tool(
        "pdfinfo",
        &[
            "-url",
            f.file("out/test-plan-2025-05.pdf").to_str().unwrap(),
        ],
    );
    assert!(
        links.contains("https://tracker.example/p.gif"),
        "the image is a link in the PDF: {links}"
    );
    assert!(!links.contains("Note"), "{links}");
}

#[test]
fn remote_images_in_family_text_are_links() {
    let f = Fixture::new();
    f.write(
        "plan/areas/a1.yaml",
        &format!(
            "{AREA}family:\n  we_did: {}\n  changed: {}\n",
            block(REMOTE),
            block(FOOTNOTES)
        ),
    );
    f.pack_ok(&[
        "build",
        "--as-of",
        "2025-05-20",
        "--edition",
        "family",
        "--format",
        "html",
    ]);
    let page = load_in_chromium(&f.file("out/test-plan-2025-05-family.html"));
    assert_nothing_fetched("the family edition", &page);
    assert_footnotes_are_notes("the family edition", &page);
}
