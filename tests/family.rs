//! The family edition end to end (spec section 8), with the real binary,
//! the real PDF read back with poppler and the real HTML read in Debian's
//! headless Chromium (visible text, links, axe-core).
//!
//! What it proves:
//! - the example's family edition is written under its own names, and
//!   nothing of the reviewer's pack beside it;
//! - no id, owner, rating, finding, acknowledgement, attachment or
//!   non-public or sensitive title reaches a family (read from the
//!   example's own YAML, so the test follows the example);
//! - each area's "What has changed", each caption and each public current
//!   item (linked) is there, in the PDF and in the HTML;
//! - the PDF is tagged PDF/UA-1 with H1s, figures with alt text and an
//!   outline; the HTML has no axe-core violation at desktop and phone width;
//! - the rules `plain-language` and `family-gap`, and `family.measures`
//!   references, point at the right file, line and column;
//! - what the family edition refuses on the command line (exit 2);
//! - which evidence items are listed: public, current and not sensitive.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

use regex::Regex;
use serde_json::Value;

use common::*;

// ---------------------------------------------------------------------
// The example repository and reading what it holds.

/// 2025-11-20: just after the example's latest visit (as tests/build.rs).
const EXAMPLE_EPOCH: &str = "1763596800";
const VISIT: &str = "2025-11";
const STEM: &str = "kent-send-app-2025-11-family";

/// `pack build --edition family --visit 2025-11 --out OUT EXTRA` on the
/// repository's own example.
fn build_example(out: &Path, extra: &[&str]) -> Output {
    let mut cmd = assert_cmd::Command::cargo_bin("pack").unwrap();
    cmd.current_dir(example_root())
        .env("SOURCE_DATE_EPOCH", EXAMPLE_EPOCH)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .args(["build", "--edition", "family", "--visit", VISIT, "--out"])
        .arg(out)
        .args(extra);
    cmd.output().unwrap()
}

/// The example's family edition, built into a temporary folder: (folder,
/// html, pdf). `formats` as for `--format`, or the default when empty.
fn example_edition(formats: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let extra: Vec<&str> = if formats.is_empty() {
        vec![]
    } else {
        vec!["--format", formats]
    };
    let res = build_example(out.path(), &extra);
    assert_success(&res);
    let html = out.path().join(format!("{STEM}.html"));
    let pdf = out.path().join(format!("{STEM}.pdf"));
    (out, html, pdf)
}

fn assert_success(res: &Output) {
    assert!(
        res.status.success(),
        "exit {:?}\n{}\n{}",
        res.status.code(),
        String::from_utf8_lossy(&res.stdout),
        String::from_utf8_lossy(&res.stderr)
    );
}

fn read_yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_saphyr::from_str::<Value>(&text)
        .unwrap_or_else(|e| panic!("{} is not YAML: {e}", path.display()))
}

fn example_plan() -> Value {
    read_yaml(&example_root().join("plan/plan.yaml"))
}

/// Every area of the example, in file name order.
fn example_areas() -> Vec<Value> {
    yaml_files(&example_root().join("plan/areas"))
        .iter()
        .map(|p| read_yaml(p))
        .collect()
}

/// Every evidence item of the example.
fn example_evidence() -> Vec<Value> {
    let items: Vec<Value> = yaml_files(&example_root().join("evidence"))
        .iter()
        .map(|p| read_yaml(p))
        .collect();
    assert!(items.len() > 50, "the example has its evidence");
    items
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

fn text_of(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

fn list(v: &Value) -> Vec<&Value> {
    v.as_array().map(|a| a.iter().collect()).unwrap_or_default()
}

/// Every string inside a YAML value (keys of mappings too).
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(m) => {
            for (k, x) in m {
                out.push(k.clone());
                strings(x, out);
            }
        }
        _ => {}
    }
}

fn is_sensitive(item: &Value) -> bool {
    item["classification"] == "OFFICIAL-SENSITIVE" || item["personal_data"] == true
}

fn date(v: &Value) -> Option<jiff::civil::Date> {
    v.as_str().and_then(|s| s.parse().ok())
}

/// README "The as-of date": dated on or before D, no more than
/// `max_age_months` before it, not superseded by an item dated on or
/// before D, not past its `valid_until`.
fn is_current(item: &Value, all: &[Value], as_of: jiff::civil::Date, max_age: i64) -> bool {
    let Some(d) = date(&item["date"]) else {
        return false;
    };
    let oldest = as_of
        .checked_sub(jiff::Span::new().months(max_age))
        .unwrap();
    let superseded = all.iter().any(|other| {
        list(&other["supersedes"]).contains(&&item["id"])
            && date(&other["date"]).is_some_and(|o| o <= as_of)
    });
    let expired = date(&item["valid_until"]).is_some_and(|v| v < as_of);
    d <= as_of && d >= oldest && !superseded && !expired
}

// ---------------------------------------------------------------------
// Reading the outputs.

/// Text as a reader compares it: typographic quotes as plain ones, every
/// run of whitespace (line ends, page breaks) as one space.
fn norm(s: &str) -> String {
    s.replace(['\u{2019}', '\u{2018}'], "'")
        .replace(['\u{201c}', '\u{201d}'], "\"")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The PDF's text (pdftotext), without the running footer (the edition's
/// title and "Page N of M"), normalised: a paragraph that runs over a
/// page break reads on.
fn pdf_text(pdf: &Path, title: &str) -> String {
    let raw = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    let page = Regex::new(r"^Page \d+ of \d+$").unwrap();
    let kept: Vec<&str> = raw
        .lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{c}'))
        .filter(|l| *l != title && !page.is_match(l))
        .collect();
    norm(&kept.join("\n"))
}

/// The HTML source without its style sheet: the text and every attribute
/// (alt text, aria-label, title, href) a browser or screen reader uses.
fn html_source(html: &Path) -> String {
    let src = std::fs::read_to_string(html).unwrap();
    let style = Regex::new(r"(?s)<style>.*?</style>").unwrap();
    style
        .replace_all(&src, "")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn links(v: &Value) -> Vec<(String, String)> {
    list(v)
        .iter()
        .map(|l| (text_of(&l["href"]).to_owned(), norm(text_of(&l["text"]))))
        .collect()
}

/// Whole words (or ids) only: `A1` is not inside `A10`, `kcc` not inside `kccx`.
fn word(w: &str, ignore_case: bool) -> Regex {
    Regex::new(&format!(
        r"{}(?:^|[^\w-]){}(?:$|[^\w-])",
        if ignore_case { "(?i)" } else { "" },
        regex::escape(w)
    ))
    .unwrap()
}

/// What must never reach a family, with why.
struct Forbidden {
    what: String,
    pattern: Regex,
}

impl Forbidden {
    fn word(what: &str, w: &str, ignore_case: bool) -> Forbidden {
        Forbidden {
            what: format!("{what} `{w}`"),
            pattern: word(w, ignore_case),
        }
    }

    fn phrase(what: &str, p: &str) -> Forbidden {
        Forbidden {
            what: format!("{what} `{p}`"),
            pattern: Regex::new(&regex::escape(&norm(p))).unwrap(),
        }
    }
}

/// Each forbidden thing found in `text`, named with where it was.
fn leaks(forbidden: &[Forbidden], text: &str, place: &str) -> Vec<String> {
    forbidden
        .iter()
        .filter(|f| f.pattern.is_match(text))
        .map(|f| format!("{} in the {place}", f.what))
        .collect()
}

// ---------------------------------------------------------------------
// 1. The example's family edition: its files, and only its files.

#[test]
fn the_example_family_edition_writes_its_own_files_only() {
    let out = tempfile::tempdir().unwrap();
    let res = build_example(out.path(), &[]);
    assert_success(&res);
    assert_eq!(res.status.code(), Some(0));
    let written: BTreeSet<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let expected: BTreeSet<String> = [format!("{STEM}.html"), format!("{STEM}.pdf")].into();
    assert_eq!(
        written, expected,
        "the family edition writes its html and pdf, and nothing of the reviewer's pack"
    );
    let stdout = String::from_utf8_lossy(&res.stdout);
    for name in &expected {
        assert!(stdout.contains(name.as_str()), "{stdout}");
    }
    let pdf = out.path().join(format!("{STEM}.pdf"));
    assert!(
        std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"),
        "not a PDF"
    );
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    let title = text_of(&example_plan()["family"]["title"]).to_owned();
    assert!(
        info.contains(&format!("Title:           {title}")),
        "{info}"
    );

    // With --format json, the family view too, under the same stem.
    let out = tempfile::tempdir().unwrap();
    assert_success(&build_example(out.path(), &["--format", "json"]));
    let written: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(written, [format!("{STEM}.json")]);
}

// ---------------------------------------------------------------------
// 2. Nothing a family must not meet.

#[test]
fn the_example_family_edition_shows_no_id_owner_rating_finding_or_hidden_item() {
    let plan = example_plan();
    let areas = example_areas();
    let items = example_evidence();

    // What the families' own text says: a word it uses is not a leak.
    let mut authored = Vec::new();
    strings(&plan["family"], &mut authored);
    for a in &areas {
        strings(&a["family"], &mut authored);
    }
    let authored = norm(&authored.join("\n"));
    assert!(authored.len() > 1000, "the example has family text");
    let exempt = |w: &str| word(w, true).is_match(&authored);

    let mut forbidden = Vec::new();
    // Ids: evidence, areas, actions, measures, letter points.
    for e in &items {
        forbidden.push(Forbidden::word("evidence id", text_of(&e["id"]), false));
    }
    for a in &areas {
        forbidden.push(Forbidden::word("area id", text_of(&a["id"]), false));
        for x in list(&a["actions"]) {
            forbidden.push(Forbidden::word("action id", text_of(&x["id"]), false));
        }
        for m in list(&a["measures"]) {
            forbidden.push(Forbidden::word("measure id", text_of(&m["id"]), false));
        }
    }
    for v in list(&plan["visits"]) {
        for p in list(&v["letter"]["points"]) {
            forbidden.push(Forbidden::word("letter point id", text_of(&p["id"]), false));
        }
    }
    // Owners: the organisation id and name of every action's owner, unless
    // the family text itself names it (it may say "NHS Kent and Medway").
    let owners: BTreeSet<&str> = areas
        .iter()
        .flat_map(|a| list(&a["actions"]))
        .map(|x| text_of(&x["owner"]))
        .collect();
    let mut strict_owners = Vec::new();
    for o in list(&plan["organisations"]) {
        if !owners.contains(text_of(&o["id"])) {
            continue;
        }
        for w in [text_of(&o["id"]), text_of(&o["name"])] {
            if !exempt(w) {
                strict_owners.push(w.to_owned());
                forbidden.push(Forbidden::word("action owner", w, true));
            }
        }
    }
    assert!(
        strict_owners.iter().any(|o| o == "kcc")
            && strict_owners.iter().any(|o| o == "Kent County Council"),
        "the owners checked: {strict_owners:?}"
    );
    // Ratings.
    for w in ["amber", "rating", "ratings", "RAG"] {
        forbidden.push(Forbidden::word("rating word", w, w != "RAG"));
    }
    for w in ["Red", "Green"] {
        if !exempt(w) {
            forbidden.push(Forbidden::word("rating word", w, false));
        }
    }
    // Rule names; and no finding at all to show (a finding's text is
    // checked in only_public_current_items_that_are_not_sensitive_reach_families).
    for r in pack::rules::Rule::ALL.map(pack::rules::Rule::name) {
        if !exempt(r) {
            forbidden.push(Forbidden::word("rule name", r, false));
        }
    }
    let findings = assert_cmd::Command::cargo_bin("pack")
        .unwrap()
        .current_dir(example_root())
        .env("SOURCE_DATE_EPOCH", EXAMPLE_EPOCH)
        .args(["check", "--format", "json", "--edition", "family"])
        .args(["--visit", VISIT])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&findings.stdout).unwrap();
    assert_eq!(
        report["findings"].as_array().map(Vec::len),
        Some(0),
        "the example's family text passes its own rules: {report:#}"
    );
    // Acknowledgements.
    for a in list(&plan["acknowledged"]) {
        forbidden.push(Forbidden::phrase(
            "acknowledgement reason",
            text_of(&a["reason"]),
        ));
    }
    // Attachments, and the titles of items families may not see.
    let mut hidden_titles = 0;
    for e in &items {
        if let Some(file) = e["file"].as_str() {
            forbidden.push(Forbidden::phrase("attachment", file));
        }
        if e["public"] != true || is_sensitive(e) {
            hidden_titles += 1;
            forbidden.push(Forbidden::phrase(
                "title of a non-public or sensitive item",
                text_of(&e["title"]),
            ));
        }
    }
    assert!(
        items.iter().any(is_sensitive) && hidden_titles > 50,
        "the example has sensitive and non-public items"
    );

    let (out, html, pdf) = example_edition("html,pdf,json");
    let title = text_of(&plan["family"]["title"]);
    let page = browser_read(&html, 1280);
    let mut found = leaks(&forbidden, &pdf_text(&pdf, title), "PDF text");
    found.extend(leaks(
        &forbidden,
        &norm(text_of(&page["text"])),
        "HTML as shown in chromium",
    ));
    found.extend(leaks(&forbidden, &html_source(&html), "HTML source"));
    let json = std::fs::read_to_string(out.path().join(format!("{STEM}.json"))).unwrap();
    found.extend(leaks(&forbidden, &json, "family view (JSON)"));
    assert!(
        found.is_empty(),
        "the family edition shows what families must not meet:\n{}",
        found.join("\n")
    );
}

// ---------------------------------------------------------------------
// 3. What has changed, the captions and the public items, in both formats.

#[test]
fn the_example_family_edition_says_what_has_changed_and_lists_public_items() {
    let plan = example_plan();
    let areas = example_areas();
    let items = example_evidence();
    let title = text_of(&plan["family"]["title"]);
    let (_out, html, pdf) = example_edition("html,pdf");
    let pdf_text = pdf_text(&pdf, title);
    let page = browser_read(&html, 1280);
    let pdf_links = tool(
        "pdftohtml",
        &["-xml", "-i", "-stdout", "-q", pdf.to_str().unwrap()],
    );

    let family_areas: Vec<&Value> = areas.iter().filter(|a| a["family"].is_object()).collect();
    assert!(
        family_areas.len() >= 8,
        "the example's areas have family blocks"
    );
    let as_of = date(
        &list(&plan["visits"])
            .into_iter()
            .find(|v| v["id"] == VISIT)
            .unwrap()["date"],
    )
    .unwrap();
    let max_age = plan["rules"]["max_age_months"].as_i64().unwrap_or(6);
    // A caption may repeat a sentence of the family text: in the PDF it must
    // then be there once more than the text has it.
    let mut prose = Vec::new();
    for a in &family_areas {
        for k in ["title", "you_said", "we_did", "changed"] {
            prose.push(norm(text_of(&a["family"][k])));
        }
    }
    let prose = prose.join("\n");
    let mut missing = Vec::new();
    let mut listed = 0;
    for a in &family_areas {
        let fam = &a["family"];
        let heading = norm(fam["title"].as_str().unwrap_or(text_of(&a["title"])));
        let section = list(&page["sections"])
            .into_iter()
            .find(|s| norm(text_of(&s["heading"])) == heading)
            .unwrap_or_else(|| panic!("no section headed {heading}"));
        let section_text = norm(text_of(&section["text"]));
        if let Some(c) = fam["changed"].as_str() {
            let c = norm(c);
            if !pdf_text.contains(&c) {
                missing.push(format!("{heading}: what has changed not in the PDF: {c}"));
            }
            if !section_text.contains(&c) {
                missing.push(format!(
                    "{heading}: what has changed not in its HTML section: {c}"
                ));
            }
        }
        let figcaptions: Vec<String> = list(&section["captions"])
            .iter()
            .map(|c| norm(text_of(c)))
            .collect();
        for (_, caption) in fam["captions"].as_object().into_iter().flatten() {
            let c = norm(text_of(caption));
            if pdf_text.matches(&c).count() <= prose.matches(&c).count() {
                missing.push(format!("{heading}: caption not in the PDF: {c}"));
            }
            if !figcaptions.contains(&c) {
                missing.push(format!(
                    "{heading}: caption not a figure caption in the HTML: {c} (captions: {figcaptions:?})"
                ));
            }
        }
        let charts = list(&fam["measures"]).len();
        if figcaptions.len() != charts {
            missing.push(format!(
                "{heading}: {} figures in the HTML for {charts} measures",
                figcaptions.len()
            ));
        }
        // The area's section lists its public, current, not sensitive items,
        // each linked to its url.
        let section_links = links(&section["links"]);
        for e in &items {
            let names_area = list(&e["areas"]).contains(&&a["id"]);
            if !names_area || e["public"] != true || is_sensitive(e) {
                continue;
            }
            if !is_current(e, &items, as_of, max_age) {
                continue;
            }
            listed += 1;
            let t = norm(text_of(&e["title"]));
            if !section_text.contains(&t) {
                missing.push(format!("{heading}: public item not listed: {t}"));
            }
            if !pdf_text.contains(&t) {
                missing.push(format!("{heading}: public item not in the PDF: {t}"));
            }
            if let Some(url) = e["url"].as_str() {
                if !section_links.contains(&(url.to_owned(), t.clone())) {
                    missing.push(format!(
                        "{heading}: no <a href=\"{url}\">{t}</a> in the HTML: {section_links:?}"
                    ));
                }
                if !pdf_links.contains(&format!("<a href=\"{url}\"")) {
                    missing.push(format!("{heading}: no link to {url} in the PDF"));
                }
            }
        }
    }
    assert!(
        listed >= 6,
        "the example has public current items ({listed})"
    );
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

// ---------------------------------------------------------------------
// 4. A tagged PDF/UA-1 with H1s, figures with alt text and an outline.

/// The /Alt text of every /Figure structure element in the PDF's bytes
/// (poppler's pdfinfo -struct shows the figures but not their alt text).
fn figure_alts(pdf: &[u8]) -> Vec<String> {
    let figure = regex::bytes::Regex::new(r"/S\s*/Figure\b").unwrap();
    let alt = regex::bytes::Regex::new(r"/Alt\s*([(<])").unwrap();
    let mut out = Vec::new();
    for m in figure.find_iter(pdf) {
        // The element's dictionary: up to the next structure element.
        let rest = &pdf[m.end()..];
        let end = find(rest, b"/Type/StructElem").unwrap_or(rest.len().min(4000));
        let dict = &rest[..end];
        let Some(c) = alt.captures(dict) else {
            out.push(String::new());
            continue;
        };
        let start = c.get(1).unwrap().end();
        let bytes = if &c[1] == b"(" {
            literal_string(&dict[start..])
        } else {
            let hex: Vec<u8> = dict[start..]
                .iter()
                .take_while(|b| **b != b'>')
                .filter(|b| b.is_ascii_hexdigit())
                .copied()
                .collect();
            hex.chunks(2)
                .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap())
                .collect()
        };
        out.push(pdf_text_string(&bytes));
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A PDF literal string's bytes, from after its `(` to its balanced `)`.
fn literal_string(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'\\' if i + 1 < s.len() => {
                i += 1;
                out.push(match s[i] {
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    c => c,
                });
            }
            b'(' => {
                depth += 1;
                out.push(b'(');
            }
            b')' if depth == 0 => break,
            b')' => {
                depth -= 1;
                out.push(b')');
            }
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// A PDF text string: UTF-16BE with its mark, else (near enough) Latin-1.
fn pdf_text_string(b: &[u8]) -> String {
    if let Some(rest) = b.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|p| u16::from_be_bytes([p[0], *p.get(1).unwrap_or(&0)]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        b.iter().map(|c| *c as char).collect()
    }
}

/// The titles at the top level of the PDF's outline (pdftohtml -xml).
fn outline_top_level(pdf: &Path) -> Vec<String> {
    let xml = tool(
        "pdftohtml",
        &["-xml", "-i", "-stdout", "-q", pdf.to_str().unwrap()],
    );
    let start = xml.find("<outline>").expect("the PDF has an outline");
    let item = Regex::new(r#"^<item page="\d+">(.*)</item>$"#).unwrap();
    let mut depth = 0;
    let mut top = Vec::new();
    for line in xml[start..].lines() {
        let line = line.trim();
        if line == "<outline>" {
            depth += 1;
        } else if line == "</outline>" {
            depth -= 1;
            if depth == 0 {
                break;
            }
        } else if let Some(c) = item.captures(line)
            && depth == 1
        {
            top.push(norm(
                &c[1]
                    .replace("&apos;", "'")
                    .replace("&quot;", "\"")
                    .replace("&amp;", "&"),
            ));
        }
    }
    top
}

#[test]
fn the_example_family_pdf_is_tagged_with_headings_figures_and_an_outline() {
    let plan = example_plan();
    let areas = example_areas();
    let (_out, _html, pdf) = example_edition("pdf");
    let path = pdf.to_str().unwrap();

    let info = tool("pdfinfo", &[path]);
    assert!(info.contains("Tagged:          yes"), "{info}");
    let meta = tool("pdfinfo", &["-meta", path]);
    assert!(
        meta.contains("<pdfuaid:part>1</pdfuaid:part>"),
        "not marked PDF/UA-1: {meta}"
    );

    let family_titles: Vec<String> = areas
        .iter()
        .filter(|a| a["family"].is_object())
        .map(|a| {
            norm(
                a["family"]["title"]
                    .as_str()
                    .unwrap_or(text_of(&a["title"])),
            )
        })
        .collect();
    assert!(family_titles.len() >= 8);

    // The structure tree: an H1 per area, a Figure per chart.
    let structure = tool("pdfinfo", &["-struct", path]);
    let h1: Vec<String> = structure
        .lines()
        .filter_map(|l| l.trim().strip_prefix("H1 \""))
        .map(|l| norm(l.rsplit_once('"').map_or(l, |(t, _)| t)))
        .collect();
    for t in &family_titles {
        assert!(h1.contains(t), "no H1 {t:?} in the structure tree: {h1:?}");
    }
    let charts: usize = areas
        .iter()
        .map(|a| list(&a["family"]["measures"]).len())
        .sum();
    assert!(charts >= 8, "the example shows its charts");
    let figures = structure
        .lines()
        .filter(|l| l.trim().starts_with("Figure"))
        .count();
    assert_eq!(figures, charts, "one Figure per chart:\n{structure}");
    let alts = figure_alts(&std::fs::read(&pdf).unwrap());
    assert_eq!(alts.len(), charts, "{alts:?}");
    for (i, alt) in alts.iter().enumerate() {
        assert!(
            alt.trim().len() >= 20 && alt.chars().any(|c| c.is_ascii_digit()),
            "figure {} has no alt text that tells its data: {alt:?}",
            i + 1
        );
    }
    let distinct: BTreeSet<&String> = alts.iter().collect();
    assert_eq!(distinct.len(), alts.len(), "each chart its own alt text");

    // The outline: the edition's title, each area's family title, the glossary.
    let top = outline_top_level(&pdf);
    assert_eq!(
        top.first().map(String::as_str),
        Some(text_of(&plan["family"]["title"]))
    );
    for t in &family_titles {
        assert!(top.contains(t), "no bookmark {t:?}: {top:?}");
    }
}

// ---------------------------------------------------------------------
// 5. Accessible HTML.

#[test]
fn the_example_family_html_has_no_accessibility_violation() {
    let (_out, html, _pdf) = example_edition("html");
    let widths = [1280, 375];
    let results = axe(&html, &widths);
    assert_eq!(results.len(), widths.len());
    for r in results {
        let v = r["violations"].as_array().unwrap();
        assert!(
            v.is_empty(),
            "{} px: {}",
            r["width"],
            serde_json::to_string_pretty(v).unwrap()
        );
    }
}

// ---------------------------------------------------------------------
// Fixture repositories for the rules and the listing of items.

const AS_OF: [&str; 2] = ["--as-of", "2025-05-20"];

/// (line, column), 1-based, of `needle` on the one line of `text` that
/// holds `line_has`.
fn pos(text: &str, line_has: &str, needle: &str) -> (u64, u64) {
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(line_has))
        .collect();
    assert_eq!(lines.len(), 1, "{line_has:?} is on one line of the fixture");
    let (n, line) = lines[0];
    let col = line[..line.find(needle).expect("needle on its line")]
        .chars()
        .count();
    (n as u64 + 1, col as u64 + 1)
}

fn assert_pos(f: &Value, file: &str, at: (u64, u64)) {
    assert_eq!(f["file"], file, "{f:#}");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(at.0), Some(at.1)),
        "{f:#}"
    );
}

/// The one finding of `rule` whose message holds `needle`.
fn finding_with<'a>(r: &'a Value, rule: &str, needle: &str) -> &'a Value {
    let fs: Vec<&Value> = findings(r, rule)
        .into_iter()
        .filter(|f| text_of(&f["message"]).contains(needle))
        .collect();
    assert_eq!(
        fs.len(),
        1,
        "one {rule} finding saying {needle:?}:\n{:#}",
        r["findings"]
    );
    fs[0]
}

// 6. plain-language: where each finding points, and what is clean.

/// A family block with everything plain language forbids: a long sentence
/// in a folded block (starting mid-line, after a sentence that starts with
/// the same word) and one in a list item of a literal block, a hard
/// paragraph, an unexplained abbreviation and a citation.
const HARD_FAMILY: &str = "\
family:
  title: Trusting us
  you_said: >
    We heard you. We know it was hard. Then we sat
    down with you. Then one day we sat down with the mums and dads in the town
    hall and we heard each one say what went wrong for them.
  we_did: |
    - We met you.
    - Then one day we sat down with the mums and dads in the town hall and we heard each one say what went wrong for them.

    Educational professionals facilitate communication.
    Statutory assessment procedures continue.
    Organisational accountability improves.
  changed: >
    More plans are on time now,
    and the SENCO in each school helps.
    You can read about it [@E-2025-001].
  measures: [A1.M1]
";

#[test]
fn plain_language_points_at_each_hard_sentence_word_and_citation() {
    let f = Fixture::new();
    let area = format!("{AREA}{HARD_FAMILY}");
    f.write("plan/areas/a1.yaml", &area);
    let file = "plan/areas/a1.yaml";
    let (code, r) = f.check_json(&AS_OF);
    assert_eq!(code, 0, "plain-language is a warning: {r:#}");
    let all = r["findings"].as_array().unwrap();
    assert_eq!(findings(&r, "plain-language").len(), 5, "{r:#}");
    assert_eq!(all.len(), 5, "nothing but plain-language: {r:#}");
    for x in all {
        assert_eq!(x["severity"], "warning", "{x:#}");
        assert!(!text_of(&x["hint"]).is_empty(), "a hint: {x:#}");
    }

    let long: Vec<&Value> = findings(&r, "plain-language")
        .into_iter()
        .filter(|x| text_of(&x["message"]).contains("26 words"))
        .collect();
    assert_eq!(long.len(), 2, "{r:#}");
    assert_pos(
        long[0],
        file,
        pos(&area, "down with you. Then one day", "Then one day"),
    );
    assert_pos(long[1], file, pos(&area, "- Then one day", "Then"));
    assert!(
        text_of(&long[0]["hint"]).contains("shorter sentences"),
        "{:#}",
        long[0]
    );

    let hard = finding_with(&r, "plain-language", "reading ease");
    assert_pos(
        hard,
        file,
        pos(&area, "Educational professionals", "Educational"),
    );
    assert!(
        text_of(&hard["hint"]).contains("everyday words"),
        "{hard:#}"
    );

    let abbr = finding_with(&r, "plain-language", "`SENCO`");
    assert_pos(abbr, file, pos(&area, "the SENCO in each", "SENCO"));
    assert!(text_of(&abbr["hint"]).contains("words (SENCO)"), "{abbr:#}");

    let cite = finding_with(&r, "plain-language", "E-2025-001");
    assert_pos(cite, file, pos(&area, "read about it [@", "[@E-2025-001]"));
    assert!(!text_of(&cite["hint"]).is_empty(), "{cite:#}");

    // A warning: only --deny-warnings fails the check.
    let (code, _) = f.check_json(&["--as-of", "2025-05-20", "--deny-warnings"]);
    assert_eq!(code, 1);
}

#[test]
fn plain_family_text_with_explained_abbreviations_is_clean() {
    let f = Fixture::new();
    f.write(
        "plan/plan.yaml",
        &format!(
            "{PLAN}family:
  title: Our plan for families
  intro: This page says what we are doing for children with SEND.
  glossary:
    SEND: Special educational needs and disabilities.
"
        ),
    );
    f.write(
        "plan/areas/a1.yaml",
        &format!(
            "{AREA}family:
  title: Getting a plan on time
  you_said: >
    You told us that an education, health and care plan (EHCP)
    took too long. You want to hear from us.
  we_did: |
    - We took on more staff.
    - We check each EHCP before we send it.
  changed: >
    More plans are on time now. Children with SEND get help sooner.
  measures: [A1.M1]
  captions:
    A1.M1: More EHCPs are now ready on time.
"
        ),
    );
    for edition in ["reviewer", "family"] {
        let (code, r) = f.check_json(&["--as-of", "2025-05-20", "--edition", edition]);
        assert_eq!(
            r["findings"].as_array().unwrap().len(),
            0,
            "--edition {edition}: {r:#}"
        );
        assert_eq!(code, 0);
    }
}

#[test]
fn an_abbreviation_explained_in_one_area_is_unexplained_in_another() {
    let f = Fixture::new();
    f.write(
        "plan/areas/a1.yaml",
        &format!(
            "{AREA}family:
  title: Getting a plan on time
  changed: >
    An education, health and care plan (EHCP) is now on time more often.
    Each EHCP is checked.
"
        ),
    );
    let a2 = format!(
        "{}family:
  title: Part two
  changed: Each EHCP is now checked.
",
        area("A2", 2, None, false)
    );
    f.write("plan/areas/a2.yaml", &a2);
    f.write(
        "evidence/2025/dashboard.yaml",
        &EVIDENCE.replace("areas: [A1]", "areas: [A1, A2]"),
    );
    let (code, r) = f.check_json(&AS_OF);
    assert_eq!(code, 0, "{r:#}");
    let x = one(&r, "plain-language");
    assert_eq!(x["severity"], "warning");
    assert_pos(x, "plan/areas/a2.yaml", pos(&a2, "Each EHCP", "EHCP"));
}

// ---------------------------------------------------------------------
// 7. family-gap, only for the family edition.

/// An area under `monitoring` (none: the default, formal) with an optional
/// family block.
fn area(id: &str, order: u32, monitoring: Option<&str>, family: bool) -> String {
    let mut s = format!(
        "id: {id}\ntitle: Area {id}\nweakness: Something is weak.\noutcome: It is better.\norder: {order}\n"
    );
    if let Some(m) = monitoring {
        s.push_str(&format!("monitoring: {m}\n"));
    }
    if family {
        s.push_str("family:\n  title: A part for families\n  changed: We now answer you sooner.\n");
    }
    s
}

#[test]
fn family_gap_only_for_monitored_areas_without_a_family_block_and_only_for_the_family_edition() {
    let f = Fixture::new();
    // A1 (the base area): formal by default, no family block.
    f.write("plan/areas/a2.yaml", &area("A2", 2, Some("reduced"), false));
    f.write("plan/areas/a3.yaml", &area("A3", 3, Some("ended"), false));
    f.write("plan/areas/a4.yaml", &area("A4", 4, Some("formal"), true));
    f.write(
        "evidence/2025/dashboard.yaml",
        &EVIDENCE.replace("areas: [A1]", "areas: [A1, A2, A3, A4]"),
    );

    // Plain `pack check`: no family-gap.
    let (code, r) = f.check_json(&AS_OF);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["findings"].as_array().unwrap().len(), 0, "{r:#}");

    // `pack check --edition family`: A1 and A2, at their ids, as warnings.
    let (code, r) = f.check_json(&["--as-of", "2025-05-20", "--edition", "family"]);
    assert_eq!(code, 0, "family-gap is a warning: {r:#}");
    assert_eq!(
        places(&r, "family-gap"),
        [
            ("plan/areas/a1.yaml".to_owned(), 1),
            ("plan/areas/a2.yaml".to_owned(), 1)
        ],
        "{r:#}"
    );
    assert_eq!(r["findings"].as_array().unwrap().len(), 2, "{r:#}");
    for x in findings(&r, "family-gap") {
        assert_eq!(x["severity"], "warning");
        assert_eq!(x["column"], 5, "at the id: {x:#}");
        assert!(text_of(&x["hint"]).contains("family:"), "{x:#}");
    }

    // The reviewer's build counts no family-gap.
    let out = f
        .pack(&["build", "--as-of", "2025-05-20", "--format", "html"])
        .output()
        .unwrap();
    assert_success(&out);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("0 warnings") && !said.contains("family-gap"),
        "{said}"
    );
}

#[test]
fn pack_build_family_reports_each_family_gap() {
    let f = Fixture::new();
    // A1 (the base area): formal by default, no family block; A2 has one.
    f.write("plan/areas/a2.yaml", &area("A2", 2, None, true));
    f.write(
        "evidence/2025/dashboard.yaml",
        &EVIDENCE.replace("areas: [A1]", "areas: [A1, A2]"),
    );
    let out = f
        .pack(&["build", "--as-of", "2025-05-20", "--edition", "family"])
        .output()
        .unwrap();
    assert_success(&out);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("1 warning"), "{said}");
    // Spec section 8: family-gap is "reported by `pack check --edition
    // family` and `pack build --edition family` only": the build must say
    // which area has nothing for families, not only count a warning.
    assert!(
        said.contains("family-gap") && said.contains("plan/areas/a1.yaml"),
        "pack build --edition family does not report the family-gap of plan/areas/a1.yaml:\n{said}"
    );
    assert!(!said.contains("a2.yaml"), "{said}");
}

// ---------------------------------------------------------------------
// 8. A family block shows only its own area's measures.

#[test]
fn family_measures_may_only_name_the_areas_own_measures() {
    let f = Fixture::new();
    let a2 = format!(
        "{}measures:
  - id: A2.M1
    title: Children seen within 18 weeks
    unit: \"%\"
    direction: up
    data:
      - {{ date: 2025-04-30, value: 60 }}
",
        area("A2", 2, None, true)
    );
    f.write("plan/areas/a2.yaml", &a2);
    let a1 = format!(
        "{AREA}family:
  title: Getting a plan on time
  changed: More plans are on time now.
  measures: [A1.M1, A2.M1]
"
    );
    f.write("plan/areas/a1.yaml", &a1);
    f.write(
        "evidence/2025/dashboard.yaml",
        &EVIDENCE.replace("areas: [A1]", "areas: [A1, A2]"),
    );
    let (code, r) = f.check_json(&AS_OF);
    assert_eq!(code, 1, "{r:#}");
    let x = one(&r, "unknown-reference");
    assert_eq!(x["severity"], "error");
    assert_pos(
        x,
        "plan/areas/a1.yaml",
        pos(&a1, "measures: [A1.M1, A2.M1]", "A2.M1"),
    );
    assert!(text_of(&x["message"]).contains("A2.M1"), "{x:#}");
    assert!(
        text_of(&x["hint"]).contains("A1.M1"),
        "the area's own measures: {x:#}"
    );

    // And the build refuses, writing nothing.
    let out = f
        .pack(&["build", "--as-of", "2025-05-20", "--edition", "family"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!f.file("out").exists());
}

// ---------------------------------------------------------------------
// 9. What the family edition refuses.

#[test]
fn the_family_edition_refuses_md_sensitive_items_and_bundles() {
    let f = Fixture::new();
    let cases: [(&[&str], &[&str]); 4] = [
        (&["--format", "md"], &["html", "pdf", "json"]),
        (&["--format", "html,md"], &["html", "pdf", "json"]),
        (&["--include-sensitive"], &["sensitive"]),
        (&["--bundle"], &["--bundle", "attachments"]),
    ];
    for (extra, says) in cases {
        let mut args = vec!["build", "--as-of", "2025-05-20", "--edition", "family"];
        args.extend_from_slice(extra);
        let out = f.pack(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        for s in says {
            assert!(stderr.contains(s), "{args:?} should say {s:?}: {stderr}");
        }
        assert!(!f.file("out").exists(), "{args:?} wrote something");
    }
}

// ---------------------------------------------------------------------
// 10. Which items a family sees.

/// An evidence item of area A1, as at `date`, with extra fields.
fn item(id: &str, title: &str, date: &str, extra: &str) -> String {
    format!(
        "id: {id}\ntitle: {title}\ndate: {date}\norganisation: kcc\nkind: communication\nshows: activity\nareas: [A1]\n{extra}"
    )
}

const ACK_REASON: &str = "Schools say SENCO every day; agreed with the parent forum";

/// The base fixture with a family block, an acknowledged plain-language
/// finding, an attachment, and items of every kind.
fn items_fixture() -> Fixture {
    let f = Fixture::new();
    f.write(
        "plan/plan.yaml",
        &format!(
            "{PLAN}acknowledged:
  - rule: plain-language
    id: A1
    reason: {ACK_REASON}
    until: 2025-12-31
family:
  title: Our plan for families
"
        ),
    );
    f.write(
        "plan/areas/a1.yaml",
        &format!(
            "{AREA}family:
  title: Getting a plan on time
  you_said: You told us plans took too long.
  we_did: We took on more staff.
  changed: More plans are on time now. The SENCO in each school helps.
  measures: [A1.M1]
"
        ),
    );
    f.write("evidence/2025/dashboard.csv", "month,value\n2025-04,45.5\n");
    f.write(
        "evidence/2025/dashboard.yaml",
        &format!(
            "{EVIDENCE}file: dashboard.csv\nurl: https://example.org/dashboard\npublic: true\n"
        ),
    );
    let items = [
        (
            "internal",
            item(
                "E-2025-002",
                "Caseworker supervision notes, May 2025",
                "2025-05-10",
                "",
            ),
        ),
        (
            "case-study",
            item(
                "E-2025-003",
                "Case study of one family, May 2025",
                "2025-05-02",
                "url: https://example.org/case\npublic: true\npersonal_data: true\n",
            ),
        ),
        (
            "risk",
            item(
                "E-2025-004",
                "Tribunal risk register, May 2025",
                "2025-05-03",
                "public: true\nclassification: OFFICIAL-SENSITIVE\n",
            ),
        ),
        (
            "old",
            item(
                "E-2024-005",
                "Parent newsletter, September 2024",
                "2024-09-30",
                "url: https://example.org/old\npublic: true\n",
            ),
        ),
        (
            "leaflet",
            item(
                "E-2025-006",
                "Leaflet for families, March 2025",
                "2025-03-15",
                "public: true\n",
            ),
        ),
        (
            "later",
            item(
                "E-2025-007",
                "Summer newsletter, May 2025",
                "2025-05-25",
                "url: https://example.org/later\npublic: true\n",
            ),
        ),
        (
            "guide-1",
            item(
                "E-2025-008",
                "Parent guide, first edition",
                "2025-02-01",
                "url: https://example.org/guide-1\npublic: true\n",
            ),
        ),
        (
            "guide-2",
            item(
                "E-2025-009",
                "Parent guide, second edition",
                "2025-04-01",
                "url: https://example.org/guide-2\npublic: true\nsupersedes: [E-2025-008]\n",
            ),
        ),
    ];
    for (name, text) in &items {
        f.write(&format!("evidence/2025/{name}.yaml"), text);
    }
    f
}

#[test]
fn only_public_current_items_that_are_not_sensitive_reach_families() {
    let f = items_fixture();
    // The fixture is valid, and its one plain-language finding acknowledged.
    let (code, r) = f.check_json(&["--as-of", "2025-05-20", "--edition", "family"]);
    assert_eq!(code, 0, "{r:#}");
    let ack = one(&r, "plain-language");
    assert_eq!(ack["severity"], "acknowledged", "{ack:#}");

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
    assert_success(&out);
    let stem = "test-plan-2025-05-family";
    let html = f.file(&format!("out/{stem}.html"));
    let pdf = f.file(&format!("out/{stem}.pdf"));
    let json = std::fs::read_to_string(f.file(&format!("out/{stem}.json"))).unwrap();

    let page = browser_read(&html, 1280);
    let shown = norm(text_of(&page["text"]));
    let source = html_source(&html);
    let pdf_text = pdf_text(&pdf, "Our plan for families");
    let page_links = links(&page["links"]);

    // Listed: public, current, not sensitive; linked when it has a url.
    let listed = [
        (
            "Timeliness dashboard, April 2025",
            Some("https://example.org/dashboard"),
        ),
        (
            "Parent guide, second edition",
            Some("https://example.org/guide-2"),
        ),
        ("Leaflet for families, March 2025", None),
    ];
    let pdf_xml = tool(
        "pdftohtml",
        &["-xml", "-i", "-stdout", "-q", pdf.to_str().unwrap()],
    );
    for (title, url) in listed {
        assert!(
            shown.contains(title),
            "{title} not listed in the HTML:\n{shown}"
        );
        assert!(
            pdf_text.contains(title),
            "{title} not listed in the PDF:\n{pdf_text}"
        );
        match url {
            Some(u) => {
                assert!(
                    page_links.contains(&(u.to_owned(), title.to_owned())),
                    "{title} not linked to {u}: {page_links:?}"
                );
                assert!(
                    pdf_xml.contains(&format!("<a href=\"{u}\"")),
                    "no link to {u} in the PDF"
                );
            }
            None => assert!(
                !page_links.iter().any(|(_, t)| t == title),
                "{title} has no url, so no link: {page_links:?}"
            ),
        }
    }
    // Newest first.
    let at = |t: &str| shown.find(t).unwrap();
    assert!(
        at(listed[0].0) < at(listed[1].0) && at(listed[1].0) < at(listed[2].0),
        "listed newest first:\n{shown}"
    );

    // Never listed: not public, personal data, sensitive, too old, after the
    // as-of date, superseded; nor any id, the attachment or the reason.
    let never = [
        "Caseworker supervision notes",
        "Case study of one family",
        "Tribunal risk register",
        "Parent newsletter, September 2024",
        "Summer newsletter",
        "Parent guide, first edition",
        "example.org/case",
        "example.org/old",
        "example.org/later",
        "example.org/guide-1",
        "dashboard.csv",
        "agreed with the parent forum",
        "not explained where it is first used",
        "E-2025-00",
        "E-2024-005",
    ];
    let mut found = Vec::new();
    for n in never {
        for (place, text) in [
            ("HTML as shown", &shown),
            ("HTML source", &source),
            ("PDF text", &pdf_text),
            ("family view (JSON)", &json),
        ] {
            if text.contains(n) {
                found.push(format!("{n:?} in the {place}"));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    assert!(
        !pdf_xml.contains("example.org/case"),
        "the sensitive item's url in the PDF"
    );
}

// ---------------------------------------------------------------------
// A citation is a warning in family text, and its id never reaches a family,
// whichever family field holds it.

#[test]
fn a_citation_in_any_family_text_never_shows_its_id() {
    let f = Fixture::new();
    f.write(
        "plan/plan.yaml",
        &format!(
            "{PLAN}family:
  title: Our plan for families [@E-2025-001]
  intro: This page is for families [@E-2025-001].
  glossary:
    Caseworker: The person who looks after your plan [@E-2025-001].
"
        ),
    );
    f.write(
        "plan/areas/a1.yaml",
        &format!(
            "{AREA}family:
  title: Getting a plan on time [@E-2025-001]
  you_said: You told us plans took too long [@E-2025-001].
  we_did: We took on more staff [@E-2025-001].
  changed: More plans are on time now [@E-2025-001].
  measures: [A1.M1]
  captions:
    A1.M1: More plans are now on time [@E-2025-001].
"
        ),
    );
    let (code, r) = f.check_json(&["--as-of", "2025-05-20", "--edition", "family"]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(
        findings(&r, "plain-language").len(),
        8,
        "each citation is a plain-language warning: {r:#}"
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
    assert_success(&out);
    let stem = "test-plan-2025-05-family";
    let html = std::fs::read_to_string(f.file(&format!("out/{stem}.html"))).unwrap();
    let json = std::fs::read_to_string(f.file(&format!("out/{stem}.json"))).unwrap();
    let pdf = tool(
        "pdftotext",
        &[f.file(&format!("out/{stem}.pdf")).to_str().unwrap(), "-"],
    );
    let mut found = Vec::new();
    for (place, text) in [
        ("HTML", &html),
        ("PDF text", &pdf),
        ("family view (JSON)", &json),
    ] {
        for line in text.lines().filter(|l| l.contains("E-2025-001")) {
            found.push(format!("{place}: {}", line.trim()));
        }
    }
    assert!(
        found.is_empty(),
        "an evidence id reaches families:\n{}",
        found.join("\n")
    );
}

// Templates: the edition's own, overridable from the repository's templates/.

#[test]
fn a_repository_template_overrides_the_family_edition() {
    let f = Fixture::new();
    let area = std::fs::read_to_string(f.file("plan/areas/a1.yaml")).unwrap();
    f.write(
        "plan/areas/a1.yaml",
        &format!(
            "{area}family:\n  title: Getting plans on time\n  changed: More plans are on time.\n"
        ),
    );
    f.write(
        "templates/family.html.j2",
        "<!DOCTYPE html><title>{{ meta.title }}</title>{% for a in areas %}<h2>OURS {{ a.title }}</h2>{% endfor %}\n",
    );
    f.write(
        "templates/family.typ",
        "#let view = json(\"/view.json\")\n#set document(title: view.meta.title)\n#set text(lang: \"en\")\n= OURS #view.areas.at(0).title\n",
    );
    f.pack_ok(&["build", "--edition", "family", "--out", "fam"]);
    let dir = f.file("fam");
    let html = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "html"))
        .unwrap();
    let pdf = html.with_extension("pdf");
    assert!(
        std::fs::read_to_string(&html)
            .unwrap()
            .contains("<h2>OURS Getting plans on time</h2>")
    );
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(text.contains("OURS Getting plans on time"), "{text}");
    // The reviewer's templates are not used for the family edition.
    f.write("templates/pack.html.j2", "{{ no_such_field }}");
    f.pack_ok(&[
        "build",
        "--edition",
        "family",
        "--out",
        "fam",
        "--format",
        "html",
    ]);
}
