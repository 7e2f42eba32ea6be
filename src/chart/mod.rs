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
mod series;

pub use format::{fmt_value, month, short_month, with_unit};

use crate::model::{BenchKind, Benchmark, Date, Measure};
use labels::{Anchor, Label, Rect, Spot};
use scale::{Xs, Ys};
use scene::Scene;
use series::Shown;

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

// The palette every chart shares (the family charts too).
pub(crate) const LINE: &str = "#1d70b8";
pub(crate) const TARGET: &str = "#00703c";
const FLOOR: &str = "#d4351c";
const GRID: &str = "#d9d9d9";
pub(crate) const INK: &str = "#0b0c0c";
const MUTED: &str = "#505a5f";
const ENGLAND: &str = MUTED;
const REGION: &str = "#912b88";
const NEIGHBOURS: &str = "#7a4f10";

/// How each benchmark is drawn: colour, dash pattern, and its short name
/// in the picture. The dash patterns differ from each other and from the
/// target's and floor's, so no series is told apart by colour alone.
fn bench_style(b: &Benchmark) -> (&'static str, &'static str, String) {
    match b.kind {
        BenchKind::England => (ENGLAND, "12 3", b.name.trim().to_owned()),
        BenchKind::Region => (REGION, "12 3 2 3", b.name.trim().to_owned()),
        BenchKind::Neighbours => (NEIGHBOURS, "12 3 2 3 2 3", "Neighbours".to_owned()),
    }
}

/// The chart, and a paragraph saying what it shows (its alt text).
pub fn svg(m: &Measure, as_of: Date) -> (String, String) {
    let (scene, alt) = draw(m, as_of);
    (scene.to_svg(&alt), alt)
}

/// Where things go: dates and values to the picture, and the areas labels
/// may use.
struct Frame {
    xs: Xs,
    ys: Ys,
    step: f64,
    /// The axis's height.
    base: f64,
    /// Above the axis, right of the value labels.
    plot: Rect,
    /// Under the axis.
    below: Rect,
}

impl Frame {
    fn at(&self, d: Date, v: f64) -> (f64, f64) {
        (self.xs.x(d), self.ys.y(v))
    }
}

/// The chart as shapes and placed labels, and its alt text.
pub fn draw(m: &Measure, as_of: Date) -> (Scene, String) {
    let shown = series::shown(m, as_of);
    let f = frame(m, &shown);
    let mut scene = Scene::new(W, H, SIZE);
    // Shapes first, each step returning its labels; then the labels, most
    // important first: a label placed earlier is never moved.
    let grid = grid(&mut scene, &f);
    let years = year_marks(&mut scene, &f);
    let levels = levels(&mut scene, &f, m);
    let benches = benchmarks(&mut scene, &f, &shown, &m.unit);
    let marks = suppressed(&mut scene, &f, &shown);
    let (latest, first) = data(&mut scene, &f, &shown, &m.unit);
    let axis = axis_dates(&f, &shown);
    let order: Vec<Label> = grid
        .into_iter()
        .chain(axis)
        .chain(latest)
        .chain(levels)
        .chain(benches)
        .chain(first)
        .chain(marks)
        .chain(years)
        .collect();
    let dropped = scene.place(&order);
    let alt = alt::text(
        m,
        &shown.points,
        &shown.benches,
        &shown.suppressed,
        &dropped,
    );
    (scene, alt)
}

/// The text a benchmark's end says: "England 46.4%".
fn bench_label(b: &series::InRange, unit: &str) -> String {
    let last = b.1[b.1.len() - 1];
    format!("{} {}", bench_style(b.0).2, with_unit(last.1, unit))
}

fn frame(m: &Measure, shown: &Shown) -> Frame {
    // Room at the right for the latest value and the benchmarks' names,
    // which go just after their lines' ends.
    let widest = shown
        .points
        .last()
        .map(|p| with_unit(p.1, &m.unit))
        .into_iter()
        .chain(shown.benches.iter().map(|b| bench_label(b, &m.unit)))
        .map(|t| labels::text_box(&t, SIZE, Spot::new(0.0, 0.0, Anchor::Start)).x1 + 8.0)
        .fold(RIGHT_MIN, f64::max);
    // The first point stands clear of the value axis's labels.
    let xs = Xs {
        left: LEFT + 10.0,
        right: W - widest.min(RIGHT_MAX),
        ..shown.range
    };
    let values = shown
        .points
        .iter()
        .map(|p| p.1)
        .chain(m.target.as_ref().map(|t| t.value))
        .chain(m.floor)
        .chain(
            shown
                .benches
                .iter()
                .flat_map(|(_, pts)| pts.iter().map(|p| p.1)),
        );
    let (lo, hi, step) = scale::value_range(values);
    let base = H - BOTTOM;
    Frame {
        xs,
        ys: Ys {
            lo,
            hi,
            top: TOP,
            bottom: base,
        },
        step,
        base,
        plot: Rect {
            x0: LEFT,
            y0: 0.0,
            x1: W,
            y1: base,
        },
        below: Rect {
            x0: 0.0,
            y0: base,
            x1: W,
            y1: H,
        },
    }
}

/// Gridlines, with their values left of the plot.
fn grid(scene: &mut Scene, f: &Frame) -> Vec<Label> {
    let margin = Rect {
        x0: 0.0,
        y0: 0.0,
        x1: LEFT,
        y1: H,
    };
    let mut out = Vec::new();
    for i in 0..=40 {
        let v = f.ys.lo + f.step * f64::from(i);
        if v > f.ys.hi + f.step / 2.0 {
            break;
        }
        let y = f.ys.y(v);
        scene.line(vec![(LEFT, y), (f.xs.right, y)], GRID, 1.0, None);
        let spot = Spot::new(LEFT - 6.0, y + 0.35 * SIZE, Anchor::End);
        out.push(Label::new(
            fmt_value(v),
            SIZE,
            INK,
            vec![spot],
            margin,
            None,
        ));
    }
    out
}

/// The axis, a mark at each new year, and the years under it (where they
/// fit: the alt text says the dates).
fn year_marks(scene: &mut Scene, f: &Frame) -> Vec<Label> {
    scene.line(vec![(LEFT, f.base), (f.xs.right, f.base)], INK, 1.0, None);
    f.xs.year_starts()
        .into_iter()
        .map(|d| {
            let x = f.xs.x(d);
            scene.line(vec![(x, f.base), (x, f.base + 4.0)], INK, 1.0, None);
            let spot = Spot::new(x, under(f), Anchor::Middle);
            Label::new(d.year().to_string(), SIZE, MUTED, vec![spot], f.below, None)
        })
        .collect()
}

/// The baseline of the dates under the axis: below the year marks (4 px).
fn under(f: &Frame) -> f64 {
    f.base + 7.0 + SIZE
}

/// Target and floor: lines across, named with their values.
fn levels(scene: &mut Scene, f: &Frame, m: &Measure) -> Vec<Label> {
    let mut out = Vec::new();
    for (value, colour, word, dash) in [
        (m.target.as_ref().map(|t| t.value), TARGET, "Target", "6 3"),
        (m.floor, FLOOR, "Floor", "2 3"),
    ] {
        let Some(value) = value else { continue };
        let y = f.ys.y(value);
        scene.line(vec![(LEFT, y), (f.xs.right, y)], colour, 1.5, Some(dash));
        let text = format!("{word} {}", with_unit(value, &m.unit));
        let mut spots = labels::along(LEFT, f.xs.right, y, SIZE);
        spots.extend(labels::line_end(f.xs.right, y, SIZE));
        out.push(Label::new(
            text.clone(),
            SIZE,
            colour,
            spots,
            f.plot,
            Some(text),
        ));
    }
    out
}

/// Benchmarks: thinner lines, each dashed its own way, named at its end.
fn benchmarks(scene: &mut Scene, f: &Frame, shown: &Shown, unit: &str) -> Vec<Label> {
    let mut out = Vec::new();
    for b in &shown.benches {
        let (colour, dash, _) = bench_style(b.0);
        let mut line: Vec<(f64, f64)> = b.1.iter().map(|p| f.at(p.0, p.1)).collect();
        if let [only] = line.as_slice() {
            // One figure in range: a short level mark, so it is seen.
            line = vec![(only.0 - 6.0, only.1), (only.0 + 6.0, only.1)];
        }
        let end = line[line.len() - 1];
        scene.line(line, colour, 1.25, Some(dash));
        let mut spots = labels::line_end(end.0, end.1, SIZE);
        spots.extend(labels::around(end.0, end.1, 2.0, SIZE));
        let text = bench_label(b, unit);
        out.push(Label::new(
            text.clone(),
            SIZE,
            colour,
            spots,
            f.plot,
            Some(text),
        ));
    }
    out
}

/// Suppressed periods: a short mark up from the axis, labelled where it
/// fits (the alt text names the periods).
fn suppressed(scene: &mut Scene, f: &Frame, shown: &Shown) -> Vec<Label> {
    let mut out = Vec::new();
    for d in &shown.suppressed {
        let x = f.xs.x(*d);
        scene.line(vec![(x, f.base), (x, f.base - 6.0)], MUTED, 1.0, None);
        let spots = (0..6)
            .flat_map(|k| {
                let y = f.base - 9.0 - f64::from(k) * 0.8 * SMALL;
                [Anchor::Middle, Anchor::Start, Anchor::End].map(|a| Spot::new(x, y, a))
            })
            .collect();
        out.push(Label::new(
            "suppressed".into(),
            SMALL,
            MUTED,
            spots,
            f.plot,
            None,
        ));
    }
    out
}

/// The local figures: a line with a dot each; the latest value's label
/// (bold, just after the line's end when there is room) and the first's.
fn data(scene: &mut Scene, f: &Frame, shown: &Shown, unit: &str) -> (Option<Label>, Option<Label>) {
    let at: Vec<(f64, f64)> = shown.points.iter().map(|p| f.at(p.0, p.1)).collect();
    if at.len() > 1 {
        scene.line(at.clone(), LINE, 2.5, None);
    }
    for (x, y) in &at {
        scene.circle(*x, *y, 3.5, LINE);
    }
    let latest = shown.points.last().map(|p| {
        let (x, y) = at[at.len() - 1];
        let text = with_unit(p.1, unit);
        let mut spots = labels::line_end(x + 3.5, y, SIZE);
        spots.extend(labels::around(x, y, 3.5, SIZE));
        let alt = Some(format!("latest value {text}"));
        Label::new(text, SIZE, LINE, spots, f.plot, alt).bold()
    });
    let first = shown.points.first().filter(|_| at.len() > 1).map(|p| {
        let text = with_unit(p.1, unit);
        let spots = labels::around(at[0].0, at[0].1, 3.5, SIZE);
        let alt = Some(format!("first value {text}"));
        Label::new(text, SIZE, LINE, spots, f.plot, alt)
    });
    (latest, first)
}

/// The dates at the axis's ends (one date: under its point), or "No data
/// yet".
fn axis_dates(f: &Frame, shown: &Shown) -> Vec<Label> {
    let at = |text: String, x: f64, anchor: Anchor| {
        Label::new(
            text,
            SIZE,
            INK,
            vec![Spot::new(x, under(f), anchor)],
            f.below,
            None,
        )
    };
    match shown.dates.as_slice() {
        [] if shown.benches.is_empty() => {
            let spot = Spot::new(LEFT + 8.0, TOP + 20.0, Anchor::Start);
            vec![Label::new(
                "No data yet".into(),
                SIZE,
                INK,
                vec![spot],
                f.plot,
                None,
            )]
        }
        [] => Vec::new(),
        [d, rest @ ..] if rest.iter().all(|r| r == d) => {
            vec![at(month(*d), f.xs.x(*d), Anchor::Middle)]
        }
        _ => vec![
            at(month(f.xs.d0), f.xs.left, Anchor::Start),
            at(month(f.xs.d1), f.xs.right, Anchor::End),
        ],
    }
}

#[cfg(test)]
pub(crate) mod tests;
