//! A PDF laid out for reading (spec section 11, "Layout"; docs/layout.md),
//! checked page by page on the real PDFs with poppler's `pdftotext -layout`:
//! no table of up to 15 rows split across pages, longer tables split with
//! at least three rows on each side and their header repeated, no heading as
//! the last line of a page, no page under four lines unless it ends an area
//! or the document. Headings are known from the PDF's outline.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use regex::Regex;

/// The example's reviewer PDF, or its family PDF, built into `out`.
fn build_example(out: &Path, edition: &str) -> PathBuf {
    let res = assert_cmd::Command::cargo_bin("pack")
        .unwrap()
        .current_dir(example_root())
        .env("SOURCE_DATE_EPOCH", "1763596800")
        .args(["build", "--visit", "2025-11", "--format", "pdf"])
        .args(["--edition", edition, "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let stem = if edition == "family" {
        "kent-send-app-2025-11-family"
    } else {
        "kent-send-app-2025-11"
    };
    out.join(format!("{stem}.pdf"))
}

/// One page's own lines (no header, no footer), trimmed, none empty.
struct Page {
    lines: Vec<String>,
}

/// The pages of `pdf` as `pdftotext -layout` reads them, each without the
/// lines of its header and footer (`margin_lines` at the top and at the
/// bottom; the footer's carries "Page N of M", which this checks).
fn pages(pdf: &Path, top: usize, bottom: usize) -> Vec<Page> {
    let text = tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    let mut raw: Vec<&str> = text.split('\u{c}').collect();
    if raw.last().is_some_and(|p| p.trim().is_empty()) {
        raw.pop();
    }
    let total = raw.len();
    raw.iter()
        .enumerate()
        .map(|(i, p)| {
            let all: Vec<String> = p
                .lines()
                .map(|l| l.trim().to_owned())
                .filter(|l| !l.is_empty())
                .collect();
            let footer = &all[all.len() - bottom..];
            assert!(
                footer
                    .iter()
                    .any(|l| l.contains(&format!("Page {} of {total}", i + 1))),
                "page {}'s footer is not where expected: {footer:?}",
                i + 1
            );
            Page {
                lines: all[top..all.len() - bottom].to_vec(),
            }
        })
        .collect()
}

/// The titles of the PDF's outline: (depth from 1, title).
fn outline(pdf: &Path) -> Vec<(usize, String)> {
    let xml = tool(
        "pdftohtml",
        &["-xml", "-i", "-stdout", "-q", pdf.to_str().unwrap()],
    );
    let start = xml.find("<outline>").expect("the PDF has an outline");
    let item = Regex::new(r#"^<item page="\d+">(.*)</item>$"#).unwrap();
    let mut depth = 0;
    let mut out = Vec::new();
    for line in xml[start..].lines() {
        let line = line.trim();
        if line == "<outline>" {
            depth += 1;
        } else if line == "</outline>" {
            depth -= 1;
            if depth == 0 {
                break;
            }
        } else if let Some(c) = item.captures(line) {
            let title = c[1]
                .replace("&apos;", "'")
                .replace("&quot;", "\"")
                .replace("&amp;", "&");
            out.push((depth, squash(&title)));
        }
    }
    out
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether the page's lines end (or, with `start`, begin) with a heading:
/// one line, or a heading wrapped over two.
fn is_heading(lines: &[String], headings: &[String], start: bool) -> Option<String> {
    let n = lines.len();
    let candidates: Vec<String> = if start {
        (1..=n.min(2))
            .map(|k| squash(&lines[..k].join(" ")))
            .collect()
    } else {
        (1..=n.min(2))
            .map(|k| squash(&lines[n - k..].join(" ")))
            .collect()
    };
    candidates.into_iter().find(|c| headings.contains(c))
}

/// The layout rules every page of a PDF keeps (spec section 11). A page
/// holding the contents (`contents`, from 0) lists the headings' titles as
/// links: its last line may read as a heading without being one.
fn assert_pages_read_well(pdf: &Path, pages: &[Page], contents: Option<usize>) {
    let outline = outline(pdf);
    let all: Vec<String> = outline.iter().map(|(_, t)| t.clone()).collect();
    let parts: Vec<String> = outline
        .iter()
        .filter(|(d, _)| *d == 1)
        .map(|(_, t)| t.clone())
        .collect();
    assert!(parts.len() >= 3, "few top-level outline entries: {parts:?}");
    let mut faults = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let n = i + 1;
        let last = i + 1 == pages.len();
        if !last
            && contents != Some(i)
            && let Some(h) = is_heading(&page.lines, &all, false)
        {
            faults.push(format!("page {n} ends with the heading {h:?}"));
        }
        // A page ends an area (or a part of the pack) when the next opens
        // with a top-level heading.
        let ends_part = last || is_heading(&pages[i + 1].lines, &parts, true).is_some();
        if page.lines.len() < 4 && !ends_part {
            faults.push(format!(
                "page {n} holds {} lines and ends no area: {:?}",
                page.lines.len(),
                page.lines
            ));
        }
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

/// The page (from 0) holding the first line that `pred` accepts, from page
/// `from` on.
fn find_page(pages: &[Page], from: usize, pred: impl Fn(&str) -> bool) -> Option<usize> {
    (from..pages.len()).find(|&i| pages[i].lines.iter().any(|l| pred(l)))
}

/// The page (from 0) that opens with `title`.
fn opening(pages: &[Page], title: &str) -> Option<usize> {
    pages
        .iter()
        .position(|p| p.lines.first().is_some_and(|l| squash(l) == title))
}

/// The page each of the areas A1 to An opens on, by their outline titles.
fn area_pages(pdf: &Path, pages: &[Page], areas: usize) -> Vec<usize> {
    let outline = outline(pdf);
    (1..=areas)
        .map(|n| {
            let title = outline
                .iter()
                .find(|(d, t)| *d == 1 && t.starts_with(&format!("A{n} ")))
                .map(|(_, t)| t.clone())
                .unwrap_or_else(|| panic!("no area A{n} in the outline"));
            opening(pages, &title).unwrap_or_else(|| panic!("no page opens with {title:?}"))
        })
        .collect()
}

/// Rows of a table whose lines start with an id matching `id` on each page
/// of `range`: (page, ids in order).
fn rows_by_page(
    pages: &[Page],
    range: std::ops::Range<usize>,
    id: &Regex,
) -> Vec<(usize, Vec<String>)> {
    range
        .filter_map(|i| {
            let ids: Vec<String> = pages[i]
                .lines
                .iter()
                .filter_map(|l| id.captures(l).map(|c| c[1].to_owned()))
                .collect();
            (!ids.is_empty()).then_some((i, ids))
        })
        .collect()
}

#[test]
fn the_example_reviewer_pdf_reads_well_page_by_page() {
    let out = tempfile::tempdir().unwrap();
    let pdf = build_example(out.path(), "reviewer");
    // Header: the marking and the title line; footer: the built-from and
    // page line, and the marking.
    let pages = pages(&pdf, 2, 2);
    assert_pages_read_well(&pdf, &pages, None);

    // "Since the last visit" (one row per area, 9 rows) is on one page,
    // its header row above every area's row: the A9 row once sat alone.
    let header = |l: &str| l.starts_with("Area") && l.contains("What moved");
    let p = find_page(&pages, 0, header).expect("the Since the last visit table");
    let at = pages[p].lines.iter().position(|l| header(l)).unwrap();
    // Its heading and the sentence introducing it stand on the same page,
    // right above it (they once ended the page before).
    assert!(
        at >= 2
            && pages[p].lines[at - 2] == "Since the last visit"
            && pages[p].lines[at - 1].starts_with("Changes since"),
        "the table is parted from its heading: page {}:\n{}",
        p + 1,
        pages[p].lines.join("\n")
    );
    let row = Regex::new(r"^(A\d+)\s").unwrap();
    let mut below: Vec<String> = pages[p].lines[at + 1..]
        .iter()
        .filter_map(|l| row.captures(l).map(|c| c[1].to_owned()))
        .collect();
    below.dedup();
    let areas: Vec<String> = (1..=9).map(|n| format!("A{n}")).collect();
    assert_eq!(
        below,
        areas,
        "the Since the last visit table is split: page {}:\n{}",
        p + 1,
        pages[p].lines.join("\n")
    );

    // Each area's actions table (at most 15 rows) is on one page, with its
    // header row: its rows are found between the area's heading and the next.
    let starts = area_pages(&pdf, &pages, 9);
    let appendix = opening(&pages, "Appendix").expect("the appendix");
    for n in 1..=9 {
        let end = if n < 9 { starts[n] } else { appendix };
        let id = Regex::new(&format!(r"^(A{n}\.\d+)\s")).unwrap();
        let rows = rows_by_page(&pages, starts[n - 1]..end.max(starts[n - 1] + 1), &id);
        if rows.is_empty() {
            continue;
        }
        assert_eq!(
            rows.len(),
            1,
            "area A{n}'s actions table runs over pages {:?}",
            rows.iter().map(|r| r.0 + 1).collect::<Vec<_>>()
        );
        let (p, _) = &rows[0];
        assert!(
            pages[*p]
                .lines
                .iter()
                .any(|l| l.starts_with("Id") && l.contains("Action") && l.contains("Owner")),
            "area A{n}'s actions are on page {} without their header row",
            p + 1
        );
    }
}

#[test]
fn the_example_family_pdf_reads_well_page_by_page() {
    let out = tempfile::tempdir().unwrap();
    let pdf = build_example(out.path(), "family");
    // No header; the footer is one line: the title and the page.
    let pages = pages(&pdf, 0, 1);
    let contents = find_page(&pages, 0, |l| l == "What is in this booklet");
    assert_eq!(contents, Some(0), "the contents are on the cover");
    assert_pages_read_well(&pdf, &pages, contents);
}

#[test]
fn long_tables_split_between_rows_with_three_each_side_and_their_header_again() {
    setup();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layout");
    let out = tempfile::tempdir().unwrap();
    let res = assert_cmd::Command::cargo_bin("pack")
        .unwrap()
        .current_dir(&root)
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .args(["build", "--as-of", "2025-05-20", "--format", "pdf", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(res.status.success(), "{stderr}");
    let pdf = out.path().join("layout-plan-2025-05.pdf");
    let pages = pages(&pdf, 2, 2);
    assert_pages_read_well(&pdf, &pages, None);

    let starts = area_pages(&pdf, &pages, 3);
    let appendix = opening(&pages, "Appendix").expect("the appendix");
    let mut split = 0;
    for n in 1..=3 {
        let end = if n < 3 { starts[n] } else { appendix };
        let tables = [
            (
                format!(r"^(A{n}\.\d+)\s"),
                "actions",
                (|l: &str| l.starts_with("Id") && l.contains("Action") && l.contains("Owner"))
                    as fn(&str) -> bool,
            ),
            (r"^(E-2025-\d{3})\s".to_owned(), "evidence", |l: &str| {
                l.starts_with("Id") && l.contains("Organisation") && l.contains("Shows")
            }),
        ];
        for (pattern, what, header) in tables {
            let rows = rows_by_page(&pages, starts[n - 1]..end, &Regex::new(&pattern).unwrap());
            assert!(rows.len() > 1, "area A{n}'s {what} table fits one page");
            split += 1;
            for (p, ids) in &rows {
                assert!(
                    ids.len() >= 3,
                    "area A{n}'s {what} table has {} row(s) on page {}: {ids:?}",
                    ids.len(),
                    p + 1
                );
                let first = pages[*p]
                    .lines
                    .iter()
                    .position(|l| l.starts_with(ids[0].as_str()))
                    .unwrap();
                assert!(
                    pages[*p].lines[..first].iter().any(|l| header(l)),
                    "area A{n}'s {what} rows on page {} have no header row above them",
                    p + 1
                );
            }
        }
    }
    assert_eq!(split, 6);
    // The build's own page check agrees: nothing left to warn about.
    assert!(
        !stderr.contains("page "),
        "the page check left faults: {stderr}"
    );
}

/// The fixture with long tables copied into a temporary folder, its first
/// evidence item given a summary of `words` words ending "THE-END."
fn fixture_with_long_summary(words: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layout");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let to = dir.path().join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    let item = dir.path().join("evidence/2025/item-001.yaml");
    let text = std::fs::read_to_string(&item).unwrap();
    let summary: Vec<String> = (1..=words).map(|i| format!("word{i}")).collect();
    let text = Regex::new(r"(?m)^summary: .*$").unwrap().replace(
        &text,
        format!("summary: \"{} THE-END.\"", summary.join(" ")),
    );
    std::fs::write(&item, text.as_ref()).unwrap();
    dir
}

#[test]
fn a_row_taller_than_a_page_breaks_instead_of_running_off_the_page() {
    setup();
    // A summary of 1,600 words makes one row of area A1's evidence table
    // taller than a page: kept whole, it would be drawn past the page's foot.
    let repo = fixture_with_long_summary(1600);
    let out = tempfile::tempdir().unwrap();
    let res = assert_cmd::Command::cargo_bin("pack")
        .unwrap()
        .current_dir(repo.path())
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .args(["build", "--as-of", "2025-05-20", "--format", "pdf", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(res.status.success(), "{stderr}");
    let pdf = out.path().join("layout-plan-2025-05.pdf");
    // Every page's own text ends above its footer (`pages` checks the
    // footer is last), and the whole summary is in the table, in order.
    let pages = pages(&pdf, 2, 2);
    let appendix = opening(&pages, "Appendix").expect("the appendix");
    let word = Regex::new(r"^(word\d+|THE-END\.)$").unwrap();
    let table: Vec<String> = pages[..appendix]
        .iter()
        .flat_map(|p| p.lines.iter())
        .flat_map(|l| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .filter(|w| word.is_match(w))
        .collect();
    let expected: Vec<String> = (1..=1600)
        .map(|i| format!("word{i}"))
        .chain(["THE-END.".to_owned()])
        .collect();
    let first_wrong = table.iter().zip(&expected).position(|(a, b)| a != b);
    assert!(
        table.len() == expected.len() && first_wrong.is_none(),
        "the summary in the table has {} of {} words, the first out of place at {first_wrong:?}",
        table.len(),
        expected.len()
    );
    // The build says where the row had to be cut.
    assert!(
        Regex::new(r#"warning: layout-plan/layout-plan-2025-05: page \d+: a row of table "evidence-A1" is cut in two, running on to page \d+"#)
            .unwrap()
            .is_match(&stderr),
        "{stderr}"
    );
}
