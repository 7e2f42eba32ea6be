//! The exported workbook as a partner meets it on paper (spec 6.2, "A
//! workbook fit to send"): the example's export printed to PDF by
//! LibreOffice, as `soffice --convert-to pdf` prints it, and read back with
//! poppler. Every page is landscape, carries the marking at its top and
//! foot and the as-of date and page number at its foot, repeats its sheet's
//! header row and holds the reader's columns side by side (never a page of
//! one lone column), in type no smaller than 8 pt, with no text drawn over
//! other text.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;

/// The reader's columns of each sheet: the print area, on every page.
const PRINTED: &[(&str, &[&str])] = &[
    (
        "Evidence",
        &[
            "Evidence ID",
            "Title",
            "Date",
            "Organisation",
            "Areas",
            "Area titles",
            "Shows",
            "Current",
        ],
    ),
    (
        "Actions",
        &["Area", "Action", "Title", "Owner", "Due", "Status"],
    ),
    (
        "Measures",
        &[
            "Area",
            "Measure",
            "Title",
            "Date",
            "Value",
            "Target",
            "Direction",
        ],
    ),
    ("Areas", &["Area", "Title", "Rating", "State", "Current"]),
    ("Findings", &["Rule", "Severity", "File", "Message", "Hint"]),
];

/// Headers of columns left outside the print area: in the sheet, not on paper.
const UNPRINTED: &[(&str, &[&str])] = &[
    ("Evidence", &["Summary", "Classification", "Supersedes"]),
    ("Measures", &["Source"]),
];

/// A word's box in the PDF is this many times its type size: Carlito, the
/// metric twin of Calibri that LibreOffice prints for the workbook's font
/// (an 11 pt word, printed at 100%, is 14.3 pt tall).
const BOX_PER_POINT: f64 = 1.2998;

/// One word of a page, as `pdftotext -bbox` places it.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

/// Each page's words.
fn words(pdf: &Path) -> Vec<Vec<Word>> {
    let xml = tool("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    let mut pages: Vec<Vec<Word>> = Vec::new();
    let attr = |line: &str, name: &str| -> f64 {
        let at = line.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        let end = at + line[at..].find('"').unwrap();
        line[at..end].parse().unwrap()
    };
    for line in xml.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            pages.push(Vec::new());
        } else if line.starts_with("<word ") {
            let text = &line[line.find('>').unwrap() + 1..line.rfind("</word>").unwrap()];
            pages.last_mut().unwrap().push(Word {
                text: text.replace("&amp;", "&"),
                x0: attr(line, "xMin"),
                y0: attr(line, "yMin"),
                x1: attr(line, "xMax"),
                y1: attr(line, "yMax"),
            });
        }
    }
    pages
}

/// Each page's text, laid out as printed.
fn page_texts(pdf: &Path, pages: usize) -> Vec<String> {
    (1..=pages)
        .map(|p| {
            let p = p.to_string();
            tool(
                "pdftotext",
                &["-layout", "-f", &p, "-l", &p, pdf.to_str().unwrap(), "-"],
            )
        })
        .collect()
}

/// (width, height) of each page, in points.
fn page_sizes(pdf: &Path) -> Vec<(f64, f64)> {
    let info = tool("pdfinfo", &["-f", "1", "-l", "9999", pdf.to_str().unwrap()]);
    info.lines()
        .filter(|l| l.starts_with("Page") && l.contains(" size:"))
        .map(|l| {
            let dims: Vec<f64> = l
                .split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect();
            // "Page    1 size: 841.89 x 595.304 pts (A4)"
            (dims[dims.len() - 2], dims[dims.len() - 1])
        })
        .collect()
}

#[test]
fn the_example_workbook_prints_landscape_marked_and_readable() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("log.xlsx");
    let out = assert_cmd::Command::cargo_bin("pack")
        .unwrap()
        .current_dir(example_root())
        .env("SOURCE_DATE_EPOCH", "1763596800")
        .args(["export", "--visit", "2025-11", "--out"])
        .arg(&xlsx)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let pdf = soffice(&xlsx, "pdf", None, &dir.path().join("pdf"))
        .into_iter()
        .next()
        .unwrap();

    let sizes = page_sizes(&pdf);
    let pages = sizes.len();
    assert!(pages > 0);
    for (i, (w, h)) in sizes.iter().enumerate() {
        assert!(w > h, "page {} is not landscape: {w} x {h}", i + 1);
        // A4.
        assert!(
            (w - 841.9).abs() < 1.0 && (h - 595.3).abs() < 1.0,
            "{w} x {h}"
        );
    }

    let texts = page_texts(&pdf, pages);
    let mut by_sheet: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, text) in texts.iter().enumerate() {
        let n = i + 1;
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let (first, last) = (lines[0], lines[lines.len() - 1]);
        // The marking at the top and the foot; the date and page at the foot.
        assert_eq!(first.trim(), "OFFICIAL", "page {n} header: {first}");
        let foot: Vec<&str> = last
            .split("  ")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        assert_eq!(
            foot[1..],
            [
                "OFFICIAL".to_owned(),
                format!("as of 18 November 2025, page {n} of {pages}")
            ],
            "page {n} footer: {last}"
        );
        // The footer names the sheet the page is of.
        by_sheet.entry(foot[0].to_owned()).or_default().push(n);
    }
    assert_eq!(
        by_sheet.keys().collect::<Vec<_>>(),
        ["Actions", "Areas", "Evidence", "Findings", "Measures"]
    );

    // Every page holds its sheet's reader's columns side by side: the
    // header row, repeated; the first page also the banner.
    for (sheet, headers) in PRINTED {
        let on = &by_sheet[*sheet];
        for (k, n) in on.iter().enumerate() {
            let text = texts[n - 1]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            for h in *headers {
                assert!(text.contains(h), "{sheet} page {n} has no `{h}`: {text}");
            }
            let banner = "OFFICIAL — evidence log of Kent SEND Accelerated Progress Plan, as of 18 November 2025";
            assert_eq!(text.contains(banner), k == 0, "{sheet} page {n}: {text}");
        }
    }
    for (sheet, headers) in UNPRINTED {
        for n in &by_sheet[*sheet] {
            for h in *headers {
                assert!(
                    !texts[n - 1].contains(h),
                    "{sheet} page {n} prints `{h}`, outside the print area"
                );
            }
        }
    }
    // The Evidence sheet of the example: 27 portrait pages, pages 1 and 2
    // holding only column A, before it was set up to print.
    let evidence = by_sheet["Evidence"].len();
    assert!(evidence <= 12, "{evidence} Evidence pages");

    // Type no smaller than 8 pt on paper, and no word drawn over another
    // (a row too short for its wrapped text would be).
    let all = words(&pdf);
    assert_eq!(all.len(), pages);
    for (i, page) in all.iter().enumerate() {
        for w in page {
            let points = (w.y1 - w.y0) / BOX_PER_POINT;
            assert!(
                points >= 7.95,
                "page {}: `{}` prints at {points:.1} pt",
                i + 1,
                w.text
            );
        }
        // A word's box is taller than the line pitch, so the lines of one
        // cell overlap by a tenth of a box; text drawn over text overlaps
        // by far more.
        for (a, wa) in page.iter().enumerate() {
            for wb in &page[a + 1..] {
                let x = wa.x1.min(wb.x1) - wa.x0.max(wb.x0);
                let y = wa.y1.min(wb.y1) - wa.y0.max(wb.y0);
                let tall = (wa.y1 - wa.y0).min(wb.y1 - wb.y0);
                assert!(
                    x <= 1.0 || y <= 0.25 * tall,
                    "page {}: `{}` and `{}` overlap",
                    i + 1,
                    wa.text,
                    wb.text
                );
            }
        }
    }
}
