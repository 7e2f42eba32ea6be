//! One SVG line chart per measure, used by every format (the view and
//! "since the last visit" both draw on it): the data points on or before
//! the as-of date placed by date, the target and the floor drawn as lines,
//! the benchmark series (England, the region, statistical neighbours) as
//! thinner dashed lines named at their ends, and marks where the source
//! suppresses a local figure. Every label is placed by `labels` so that
//! none meets another, a line or an axis; what finds no room is said in
//! the alt text (`alt`), and the measure's table holds every value.
//! docs/charts.md describes the picture.

pub(crate) mod alt;
mod format;
pub mod labels;
mod metrics;
pub mod scale;
pub mod scene;

pub use format::{fmt_value, month, short_month, with_unit};

use crate::model::{BenchKind, Benchmark, Date, Measure};
use labels::{Anchor, Label, Rect, Spot};
use scale::{Xs, Ys};
use scene::Scene;

const W: f64 = 520.0;
const H: f64 = 220.0;
const LEFT: f64 = 56.0;
/// The least room right of the plot; more when end labels need it.
const RIGHT_MIN: f64 = 24.0;
const RIGHT_MAX: f64 = 180.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;
const SIZE: f64 = 11.0;
const SMALL: f64 = 9.5;

const LINE: &str = "#1d70b8";
const TARGET: &str = "#00703c";
const FLOOR: &str = "#d4351c";
const GRID: &str = "#d9d9d9";
const INK: &str = "#0b0c0c";
const MUTED: &str = "#505a5f";

/// How each benchmark is drawn: colour, dash pattern, and its short name
/// in the picture. The dash patterns differ from each other and from the
/// target's and floor's, so no series is told apart by colour alone.
fn bench_style(b: &Benchmark) -> (&'static str, &'static str, String) {
    match b.kind {
        BenchKind::England => (MUTED, "12 3", b.name.trim().to_owned()),
        BenchKind::Region => ("#912b88", "12 3 2 3", b.name.trim().to_owned()),
        BenchKind::Neighbours => ("#7a4f10", "12 3 2 3 2 3", "Neighbours".to_owned()),
    }
}

/// The chart, and a paragraph saying what it shows (its alt text).
pub fn svg(m: &Measure, as_of: Date) -> (String, String) {
    let (scene, alt) = draw(m, as_of);
    (scene.to_svg(&alt), alt)
}

/// The chart as shapes and placed labels, and its alt text.
pub fn draw(m: &Measure, as_of: Date) -> (Scene, String) {
    let points: Vec<(Date, f64)> = m
        .data
        .iter()
        .filter(|p| p.date <= as_of)
        .map(|p| (p.date, p.value))
        .collect();
    let suppressed_all: Vec<Date> = m
        .suppressed
        .iter()
        .copied()
        .filter(|d| *d <= as_of)
        .collect();
    // The range: the local figures and the suppressed periods among them;
    // benchmarks are drawn within it (only their own, when there is no
    // local figure at all).
    let local_dates = points
        .iter()
        .map(|p| p.0)
        .chain(suppressed_all.iter().copied());
    let bench_dates: Vec<Date> = m
        .benchmarks
        .iter()
        .flat_map(|b| b.points.iter().map(|p| p.date))
        .filter(|d| *d <= as_of)
        .collect();
    let dates: Vec<Date> = if points.is_empty() && suppressed_all.is_empty() {
        bench_dates
    } else {
        local_dates.collect()
    };
    let probe = Xs::over(dates.iter().copied(), as_of, 0.0, 1.0);
    let benches: Vec<alt::InRange> = m
        .benchmarks
        .iter()
        .map(|b| {
            let pts = b
                .points
                .iter()
                .filter(|p| p.date <= as_of && probe.contains(p.date) && p.value.is_finite())
                .map(|p| (p.date, p.value, p.count))
                .collect::<Vec<_>>();
            (b, pts)
        })
        .filter(|(_, pts)| !pts.is_empty())
        .collect();
    let suppressed: Vec<Date> = suppressed_all
        .into_iter()
        .filter(|d| probe.contains(*d))
        .collect();

    // Room at the right for the latest value and the benchmarks' names.
    let latest_text = points.last().map(|p| with_unit(p.1, &m.unit));
    let bench_texts: Vec<String> = benches
        .iter()
        .map(|(b, pts)| {
            format!(
                "{} {}",
                bench_style(b).2,
                with_unit(pts[pts.len() - 1].1, &m.unit)
            )
        })
        .collect();
    let widest = latest_text
        .iter()
        .chain(&bench_texts)
        .map(|t| {
            labels::text_box(
                t,
                SIZE,
                Spot {
                    x: 0.0,
                    y: 0.0,
                    anchor: Anchor::Start,
                },
            )
            .x1 + 8.0
        })
        .fold(RIGHT_MIN, f64::max);
    let right = W - widest.min(RIGHT_MAX);
    // The first point stands clear of the value axis's labels.
    let xs = Xs {
        left: LEFT + 10.0,
        right,
        ..probe
    };

    let values = points
        .iter()
        .map(|p| p.1)
        .chain(m.target.as_ref().map(|t| t.value))
        .chain(m.floor)
        .chain(benches.iter().flat_map(|(_, pts)| pts.iter().map(|p| p.1)));
    let (lo, hi, step) = scale::value_range(values);
    let base = H - BOTTOM;
    let ys = Ys {
        lo,
        hi,
        top: TOP,
        bottom: base,
    };
    let y = |v: f64| ys.y(v);
    let x = |d: Date| xs.x(d);

    let plot = Rect {
        x0: LEFT,
        y0: 0.0,
        x1: W,
        y1: base,
    };
    let below = Rect {
        x0: 0.0,
        y0: base,
        x1: W,
        y1: H,
    };
    let mut scene = Scene::new(W, H, SIZE);
    let mut labels: Vec<Label> = Vec::new();
    let label =
        |text: String, spots: Vec<Spot>, area: Rect, fill: &'static str, alt: Option<String>| {
            Label {
                text,
                size: SIZE,
                bold: false,
                fill,
                spots,
                area,
                alt,
            }
        };

    // Gridlines and their values.
    for i in 0..=40 {
        let v = lo + step * f64::from(i);
        if v > hi + step / 2.0 {
            break;
        }
        let yy = y(v);
        scene.line(vec![(LEFT, yy), (right, yy)], GRID, 1.0, None);
        labels.push(label(
            fmt_value(v),
            vec![Spot {
                x: LEFT - 6.0,
                y: yy + 0.35 * SIZE,
                anchor: Anchor::End,
            }],
            Rect {
                x0: 0.0,
                y0: 0.0,
                x1: LEFT,
                y1: H,
            },
            INK,
            None,
        ));
    }
    // The axis, with a mark at each new year.
    scene.line(vec![(LEFT, base), (right, base)], INK, 1.0, None);
    for d in xs.year_starts() {
        scene.line(vec![(x(d), base), (x(d), base + 4.0)], INK, 1.0, None);
    }
    // Target and floor.
    let mut level_labels = Vec::new();
    for (value, colour, word, dash) in [
        (m.target.as_ref().map(|t| t.value), TARGET, "Target", "6 3"),
        (m.floor, FLOOR, "Floor", "2 3"),
    ] {
        let Some(value) = value else { continue };
        let yy = y(value);
        scene.line(vec![(LEFT, yy), (right, yy)], colour, 1.5, Some(dash));
        let text = format!("{word} {}", with_unit(value, &m.unit));
        let mut spots = labels::along(LEFT, right, yy, SIZE);
        spots.extend(labels::line_end(right, yy, SIZE));
        level_labels.push(label(text.clone(), spots, plot, colour, Some(text)));
    }
    // Benchmarks: thinner, each dashed its own way, named at its end.
    let mut bench_labels = Vec::new();
    for ((b, pts), text) in benches.iter().zip(bench_texts) {
        let (colour, dash, _) = bench_style(b);
        let mut line: Vec<(f64, f64)> = pts.iter().map(|p| (x(p.0), y(p.1))).collect();
        if let [only] = line.as_slice() {
            // One figure in range: a short level mark, so it is seen.
            line = vec![(only.0 - 6.0, only.1), (only.0 + 6.0, only.1)];
        }
        let end = line[line.len() - 1];
        scene.line(line, colour, 1.25, Some(dash));
        let mut spots = labels::line_end(end.0, end.1, SIZE);
        spots.extend(labels::around(end.0, end.1, 2.0, SIZE));
        bench_labels.push(label(text.clone(), spots, plot, colour, Some(text)));
    }
    // Suppressed periods: a short mark up from the axis.
    let mut marks = Vec::new();
    for d in &suppressed {
        let xx = x(*d);
        scene.line(vec![(xx, base), (xx, base - 6.0)], MUTED, 1.0, None);
        let spots = (0..6)
            .flat_map(|k| {
                let yy = base - 9.0 - f64::from(k) * 0.8 * SMALL;
                [Anchor::Middle, Anchor::Start, Anchor::End].map(|anchor| Spot {
                    x: xx,
                    y: yy,
                    anchor,
                })
            })
            .collect();
        marks.push(Label {
            size: SMALL,
            ..label("suppressed".into(), spots, plot, MUTED, None)
        });
    }
    // The data.
    if points.len() > 1 {
        scene.line(
            points.iter().map(|p| (x(p.0), y(p.1))).collect(),
            LINE,
            2.5,
            None,
        );
    }
    for p in &points {
        scene.circle(x(p.0), y(p.1), 3.5, LINE);
    }
    let mut value_labels = Vec::new();
    if let (Some(last), Some(text)) = (points.last(), latest_text) {
        let (px, py) = (x(last.0), y(last.1));
        let mut spots = labels::line_end(px + 3.5, py, SIZE);
        spots.extend(labels::around(px, py, 3.5, SIZE));
        value_labels.push(Label {
            bold: true,
            ..label(
                text.clone(),
                spots,
                plot,
                LINE,
                Some(format!("latest value {text}")),
            )
        });
    }
    let mut first_label = Vec::new();
    if let (Some(first), true) = (points.first(), points.len() > 1) {
        let text = with_unit(first.1, &m.unit);
        first_label.push(label(
            text.clone(),
            labels::around(x(first.0), y(first.1), 3.5, SIZE),
            plot,
            LINE,
            Some(format!("first value {text}")),
        ));
    }
    // The axis's dates: the ends of the range, then the years between.
    // Below the year marks (4 px).
    let under = base + 7.0 + SIZE;
    let mut axis = Vec::new();
    if points.is_empty() && benches.is_empty() {
        axis.push(label(
            "No data yet".into(),
            vec![Spot {
                x: LEFT + 8.0,
                y: TOP + 20.0,
                anchor: Anchor::Start,
            }],
            plot,
            INK,
            None,
        ));
    } else if dates.iter().all(|d| *d == dates[0]) {
        // One date: said once, under its point.
        let d = dates[0];
        axis.push(label(
            month(d),
            vec![Spot {
                x: x(d),
                y: under,
                anchor: Anchor::Middle,
            }],
            below,
            INK,
            None,
        ));
    } else {
        axis.push(label(
            month(xs.d0),
            vec![Spot {
                x: xs.left,
                y: under,
                anchor: Anchor::Start,
            }],
            below,
            INK,
            None,
        ));
        axis.push(label(
            month(xs.d1),
            vec![Spot {
                x: xs.right,
                y: under,
                anchor: Anchor::End,
            }],
            below,
            INK,
            None,
        ));
    }
    let years: Vec<Label> = xs
        .year_starts()
        .into_iter()
        .map(|d| {
            label(
                d.year().to_string(),
                vec![Spot {
                    x: x(d),
                    y: under,
                    anchor: Anchor::Middle,
                }],
                below,
                MUTED,
                None,
            )
        })
        .collect();

    // Most important first: a label placed earlier is never moved.
    let order: Vec<Label> = labels
        .into_iter()
        .chain(axis)
        .chain(value_labels)
        .chain(level_labels)
        .chain(bench_labels)
        .chain(first_label)
        .chain(marks)
        .chain(years)
        .collect();
    let dropped = scene.place(&order);
    let alt = alt::text(m, &points, &benches, &suppressed, &dropped);
    (scene, alt)
}

#[cfg(test)]
pub(crate) mod tests;
