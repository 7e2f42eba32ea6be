//! The charts end to end (spec section 11), with the real binary on the
//! repository's own example and the pages laid out in Debian's headless
//! Chromium: no two labels of a chart overlap as a browser draws them, in
//! the reviewer's pack and in the family edition, on a phone and on a
//! desktop, and no line (data, target, floor, benchmark, axis, gridline)
//! runs through a label. The layout itself is unit-tested on
//! hundreds of generated series in src/chart/tests.rs and
//! src/view/family/chart.rs.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// 2025-11-20: just after the example's latest visit (as tests/build.rs).
const EXAMPLE_EPOCH: &str = "1763596800";

/// `pack build --edition EDITION --visit 2025-11 --format FORMATS` of the
/// example into a temporary folder.
fn build_example(edition: &str, formats: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let res = assert_cmd::Command::cargo_bin("pack")
        .unwrap()
        .current_dir(example_root())
        .env("SOURCE_DATE_EPOCH", EXAMPLE_EPOCH)
        .env("NO_COLOR", "1")
        .args(["build", "--edition", edition, "--visit", "2025-11"])
        .args(["--format", formats, "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    out
}

fn written(out: &Path, ends: &str) -> PathBuf {
    std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(ends))
        .unwrap_or_else(|| panic!("no *{ends} in {}", out.display()))
}

/// One chart as Chromium lays it out: its width, and each `<text>` with its
/// box (left, top, right, bottom).
struct Drawn {
    alt: String,
    /// How many figures it draws.
    dots: usize,
    width: f64,
    texts: Vec<(String, [f64; 4])>,
    /// Each polyline's points (data, target, floor, benchmarks, axis, gridlines).
    lines: Vec<Vec<(f64, f64)>>,
}

/// Every inline `<svg>` of `html` at a viewport `width` px wide.
fn charts_in(html: &Path, width: u32) -> Vec<Drawn> {
    const SCRIPT: &str = r#"
const [harness, target, width] = process.argv.slice(1);
const { launch } = await import(harness);
const { pathToFileURL } = await import("node:url");
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
  await page.goto(pathToFileURL(target).href, { waitUntil: "load" });
  const out = await page.evaluate(() => [...document.querySelectorAll("svg[role=img]")].map((svg) => ({
    alt: svg.getAttribute("aria-label"),
    dots: svg.querySelectorAll("circle").length,
    width: svg.getBoundingClientRect().width,
    texts: [...svg.querySelectorAll("text")].map((t) => {
      const r = t.getBoundingClientRect();
      return { text: t.textContent, box: [r.left, r.top, r.right, r.bottom] };
    }),
    lines: [...svg.querySelectorAll("polyline")].map((p) => {
      const m = p.getScreenCTM();
      return Array.from({ length: p.points.numberOfItems }, (_, i) => {
        const q = p.points.getItem(i).matrixTransform(m);
        return [q.x, q.y];
      });
    }),
  })));
  console.log(JSON.stringify(out));
} finally {
  await browser.close();
}
"#;
    setup();
    let out = page_script(SCRIPT, html, &[width.to_string()]);
    out.as_array()
        .unwrap()
        .iter()
        .map(|svg| Drawn {
            alt: svg["alt"].as_str().unwrap().to_owned(),
            dots: svg["dots"].as_u64().unwrap() as usize,
            width: svg["width"].as_f64().unwrap(),
            texts: svg["texts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| {
                    let b: Vec<f64> = t["box"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v.as_f64().unwrap())
                        .collect();
                    (
                        t["text"].as_str().unwrap().to_owned(),
                        [b[0], b[1], b[2], b[3]],
                    )
                })
                .collect(),
            lines: svg["lines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| {
                    l.as_array()
                        .unwrap()
                        .iter()
                        .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
                        .collect()
                })
                .collect(),
        })
        .collect()
}

/// Whether any part of the segment a-b lies inside the box (strictly):
/// the segment clipped to the box (Liang-Barsky) is not empty.
fn crosses(r: &[f64; 4], a: (f64, f64), b: (f64, f64)) -> bool {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (p, q) in [
        (-dx, a.0 - r[0]),
        (dx, r[2] - a.0),
        (-dy, a.1 - r[1]),
        (dy, r[3] - a.1),
    ] {
        if p == 0.0 {
            if q <= 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t0 < t1
}

/// Every text of a chart that a drawn line runs through.
fn crossed(charts: &[Drawn]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, c) in charts.iter().enumerate() {
        for (text, r) in &c.texts {
            for line in &c.lines {
                if line.windows(2).any(|w| crosses(r, w[0], w[1])) {
                    out.push(format!("chart {}: a line runs through {text:?}", i + 1));
                }
            }
        }
    }
    out
}

/// Every pair of texts in one chart whose boxes, as drawn, share any area.
fn overlaps(charts: &[Drawn]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, c) in charts.iter().enumerate() {
        for (j, (ta, a)) in c.texts.iter().enumerate() {
            for (tb, b) in &c.texts[j + 1..] {
                if a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3] {
                    out.push(format!(
                        "chart {}: {ta:?} {a:?} overlaps {tb:?} {b:?}",
                        i + 1
                    ));
                }
            }
        }
    }
    out
}

/// Spec section 11: the family charts' labels do not overlap on a phone,
/// 390 px wide (the issue saw "9,400 children", "9,650 children" and
/// "9,300 children" print on top of each other), nor on a desktop.
#[test]
fn the_family_charts_labels_do_not_overlap_at_390_px() {
    let out = build_example("family", "html");
    let html = written(out.path(), "-family.html");
    for width in [390, 1280] {
        let charts = charts_in(&html, width);
        assert!(
            charts.len() >= 8,
            "the example's family charts: {}",
            charts.len()
        );
        for c in &charts {
            assert!(c.width <= f64::from(width), "the chart fits: {}", c.width);
            assert!(c.texts.len() >= 3, "a chart with its labels: {:?}", c.texts);
        }
        let mut found = overlaps(&charts);
        found.extend(crossed(&charts));
        assert!(found.is_empty(), "{width} px: {found:#?}");
    }
}

/// Each family measure of the example with a caption: (caption, how many
/// figures it has on or before the visit). The figures are counted in the
/// reviewer's view JSON, so those read from `data/` count too.
fn family_measures() -> Vec<(String, usize)> {
    let out = build_example("reviewer", "json");
    let view: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(written(out.path(), ".json")).unwrap())
            .unwrap();
    let figures = |id: &str| {
        view["areas"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|a| a["measures"].as_array().unwrap())
            .find(|m| m["id"] == id)
            .map(|m| m["points"].as_array().unwrap().len())
            .unwrap_or_else(|| panic!("no measure {id} in the view"))
    };
    let mut measures = Vec::new();
    for entry in std::fs::read_dir(example_root().join("plan/areas")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let area: serde_json::Value =
            serde_saphyr::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for (id, caption) in area["family"]["captions"].as_object().into_iter().flatten() {
            measures.push((caption.as_str().unwrap().to_owned(), figures(id)));
        }
    }
    measures
}

/// Spec section 11: a family chart shows every figure when there are at
/// most eight (the issue saw the EHC chart drop the 13% low its caption
/// speaks of), else the first, the worst and the latest four.
#[test]
fn the_family_charts_show_every_figure_up_to_eight() {
    let out = build_example("family", "html");
    let charts = charts_in(&written(out.path(), "-family.html"), 1280);
    let measures = family_measures();
    assert!(measures.len() >= 8, "{measures:?}");
    for (caption, figures) in measures {
        let chart = charts
            .iter()
            .find(|c| c.alt.contains(caption.trim_end_matches('.')))
            .unwrap_or_else(|| panic!("no chart captioned {caption:?}"));
        if figures <= 8 {
            assert_eq!(chart.dots, figures, "{caption}: {}", chart.alt);
        } else {
            // The first and the worst may be one figure.
            assert!((5..=6).contains(&chart.dots), "{caption}: {}", chart.alt);
        }
    }
    assert!(
        charts.iter().any(|c| c.alt.contains("13 in 100")),
        "the EHC chart's low"
    );
}

/// The reviewer's charts, in the HTML pack: no label overlaps another or
/// a line (the issue saw "Floor 60%" over a date and "78%" on the target
/// line), on a phone and on a desktop.
#[test]
fn the_reviewer_charts_labels_do_not_overlap() {
    let out = build_example("reviewer", "html");
    let html = written(out.path(), "2025-11.html");
    for width in [390, 1280] {
        let charts = charts_in(&html, width);
        assert!(charts.len() >= 10, "the example's charts: {}", charts.len());
        let mut found = overlaps(&charts);
        found.extend(crossed(&charts));
        assert!(found.is_empty(), "{width} px: {found:#?}");
    }
}

/// Spec section 11 with the example's official data (spec section 10):
/// A6.M1's chart in out/ draws England, the region and the neighbours as
/// thinner lines, each with its own dash pattern and named at its end, and
/// its alt text names each of them and the suppressed period.
#[test]
fn the_example_chart_draws_its_benchmarks_named_at_their_ends() {
    let out = build_example("reviewer", "md");
    let svg = std::fs::read_to_string(written(out.path(), "-charts").join("A6.M1.svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let lines: Vec<(&str, &str)> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "polyline")
        .filter_map(|n| {
            Some((
                n.attribute("stroke-dasharray")?,
                n.attribute("stroke-width")?,
            ))
        })
        .collect();
    for dash in ["12 3", "12 3 2 3", "12 3 2 3 2 3"] {
        // Thinner than the local line (2.5).
        assert!(
            lines.contains(&(dash, "1.25")),
            "no {dash:?} line: {lines:?}"
        );
    }
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "text")
        .filter_map(|n| n.text())
        .collect();
    for name in ["England ", "South East ", "Neighbours "] {
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with(name) && t.ends_with('%')),
            "no end label {name:?}: {texts:?}"
        );
    }
    let alt = doc.root_element().attribute("aria-label").unwrap();
    for said in [
        "England: ",
        "South East: ",
        "Statistical neighbours: ",
        "suppressed in the source",
    ] {
        assert!(alt.contains(said), "{said:?} not in {alt:?}");
    }
}
