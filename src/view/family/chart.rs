//! The family edition's chart (spec sections 8 and 11): the figures as
//! large dots on a line, placed by date, each with its value written as
//! the caption writes it ("43 in 100") and its date under the axis; the
//! target as a line labelled "our goal"; England's latest figure said above
//! ("In England: 46 in 100 in 2024"). At most eight figures: all of them,
//! or the first, the worst and the latest four. Labels are placed by the
//! reviewer chart's layout (`crate::chart::labels`), so none meets another
//! or a line at any width the picture is scaled to; the alt text says
//! every value shown, so a label left out is never lost.

use std::fmt::Write as _;

use crate::chart::labels::{self, Anchor, Label, Rect, Spot};
use crate::chart::scale::{Xs, Ys};
use crate::chart::scene::Scene;
use crate::chart::{INK, LINE, TARGET, month, short_month};
use crate::model::{Date, Direction, Measure};

use super::caption;

const W: f64 = 480.0;
const H: f64 = 300.0;
const SIDE: f64 = 44.0;
const BOTTOM: f64 = 84.0;
const VALUE: f64 = 18.0;
const TEXT: f64 = 16.0;
/// All figures up to this many; beyond, the first, the worst and the latest four.
const ALL_UP_TO: usize = 8;
const LATEST: usize = 4;

/// The goal is drawn in the reviewer's target colour.
const GOAL: &str = TARGET;

/// The figures a family sees, in date order.
pub fn shown(m: &Measure, as_of: Date) -> Vec<(Date, f64)> {
    let all: Vec<(Date, f64)> = m
        .data
        .iter()
        .filter(|p| p.date <= as_of && p.value.is_finite())
        .map(|p| (p.date, p.value))
        .collect();
    if all.len() <= ALL_UP_TO {
        return all;
    }
    let worse = |a: f64, b: f64| match m.direction {
        Direction::Up => a < b,
        Direction::Down => a > b,
    };
    // The earliest of equally bad figures.
    let worst = (1..all.len()).fold(0, |w, i| if worse(all[i].1, all[w].1) { i } else { w });
    let mut keep: Vec<usize> = vec![0, worst];
    keep.extend(all.len() - LATEST..all.len());
    keep.sort_unstable();
    keep.dedup();
    keep.into_iter().map(|i| all[i]).collect()
}

/// The chart (SVG) and its text alternative, which says every value shown.
pub fn svg(m: &Measure, as_of: Date, caption: &str) -> (String, String) {
    let (scene, alt) = draw(m, as_of, caption);
    (scene.to_svg(&alt), alt)
}

pub(crate) fn draw(m: &Measure, as_of: Date, caption: &str) -> (Scene, String) {
    let points = shown(m, as_of);
    let say = |v: f64| caption::value(v, &m.unit);
    // The year alone when every figure is in a year of its own.
    let years: std::collections::HashSet<i16> = points.iter().map(|p| p.0.year()).collect();
    let by_year = years.len() == points.len();
    let goal = m.target.as_ref().filter(|t| t.value.is_finite());
    let england = caption::england(m, as_of);
    let alt = alt_text(m, &points, by_year, caption, england.as_deref());

    let top = if england.is_some() { 72.0 } else { 48.0 };
    let base = H - BOTTOM;
    let values = points.iter().map(|p| p.1).chain(goal.map(|t| t.value));
    // From zero: a family compares heights.
    let (lo, hi, _) = crate::chart::scale::value_range(values.chain([0.0]));
    let ys = Ys {
        lo,
        hi,
        top,
        bottom: base,
    };
    // Room right of the last dot for the latest value centred above or
    // below it: the figure a family looks for first.
    let latest_room = points.last().map_or(SIDE, |p| {
        let b = labels::text_box(&say(p.1), VALUE, Spot::new(0.0, 0.0, Anchor::Start));
        (b.x1 / 2.0 + 8.0).clamp(SIDE, W / 4.0)
    });
    let xs = Xs::over(points.iter().map(|p| p.0), as_of, SIDE, W - latest_room);
    let plot = Rect {
        x0: 0.0,
        y0: 0.0,
        x1: W,
        y1: base,
    };
    let under = Rect {
        x0: 0.0,
        y0: base,
        x1: W,
        y1: H,
    };

    let mut scene = Scene::new(W, H, TEXT);
    let mut order = Vec::new();
    if let Some(e) = england {
        let spot = Spot::new(8.0, 8.0 + TEXT, Anchor::Start);
        order.push(Label::new(e, TEXT, INK, vec![spot], plot, None));
    }
    scene.line(vec![(8.0, base), (W - 8.0, base)], INK, 1.5, None);
    if let Some(t) = goal {
        let y = ys.y(t.value);
        scene.line(vec![(8.0, y), (W - 8.0, y)], GOAL, 2.0, Some("8 5"));
        let text = format!("Our goal: {}", say(t.value));
        let spots = labels::along(8.0, W - 8.0, y, TEXT);
        order.push(Label::new(text, TEXT, GOAL, spots, plot, None).bold());
    }
    let at: Vec<(f64, f64)> = points.iter().map(|p| (xs.x(p.0), ys.y(p.1))).collect();
    if at.len() > 1 {
        scene.line(at.clone(), LINE, 3.0, None);
    }
    for (x, y) in &at {
        scene.circle(*x, *y, 5.5, LINE);
    }
    // Labels of the latest, the first and the worst figures first.
    let important = by_importance(&points, m.direction);
    for &i in &important {
        let (x, y) = at[i];
        // Only places nearer this dot than any other: a value written
        // nearer a neighbour would be read as the neighbour's, so it is
        // left to the alt text.
        let text = say(points[i].1);
        let spots = labels::around(x, y, 5.5, VALUE)
            .into_iter()
            .filter(|s| {
                let b = labels::text_box(&text, VALUE, *s);
                let c = ((b.x0 + b.x1) / 2.0, (b.y0 + b.y1) / 2.0);
                let d2 = |p: &(f64, f64)| (p.0 - c.0).powi(2) + (p.1 - c.1).powi(2);
                at.iter().all(|p| d2(p) >= d2(&at[i]))
            })
            .collect();
        order.push(Label::new(text, VALUE, INK, spots, plot, None).bold());
    }
    // A mark on the axis says which figure a date belongs to.
    for (x, _) in &at {
        scene.line(vec![(*x, base), (*x, base + 5.0)], INK, 1.5, None);
    }
    // Dates under the axis, on a second or third row when the first is taken.
    for &i in &important {
        let (d, x) = (points[i].0, at[i].0);
        let rows = [1.0, 2.0, 3.0].map(|k| base + 8.0 * k + k * TEXT);
        let spots = [Anchor::Middle, Anchor::End, Anchor::Start]
            .into_iter()
            .flat_map(|anchor| rows.map(|y| Spot::new(x, y, anchor)))
            .collect();
        let text = if by_year {
            d.year().to_string()
        } else {
            short_month(d)
        };
        order.push(Label::new(text, TEXT, INK, spots, under, None));
    }
    if points.is_empty() {
        let spot = Spot::new(W / 2.0, H / 2.0, Anchor::Middle);
        order.push(Label::new(
            "No figures yet".into(),
            TEXT,
            INK,
            vec![spot],
            plot,
            None,
        ));
    }
    // Every value and date is in the alt text, so nothing left out is lost.
    let _ = scene.place(&order);
    (scene, alt)
}

/// Which values are labelled first: the latest, the first, the worst, then
/// the rest, latest first.
fn by_importance(points: &[(Date, f64)], direction: Direction) -> Vec<usize> {
    let n = points.len();
    let worst = (0..n).reduce(|w, i| {
        let worse = match direction {
            Direction::Up => points[i].1 < points[w].1,
            Direction::Down => points[i].1 > points[w].1,
        };
        if worse { i } else { w }
    });
    let mut order: Vec<usize> = Vec::new();
    for i in [n.checked_sub(1), (n > 0).then_some(0), worst]
        .into_iter()
        .flatten()
        .chain((0..n).rev())
    {
        if !order.contains(&i) {
            order.push(i);
        }
    }
    order
}

/// Every value shown with its date, the goal, England's figure.
fn alt_text(
    m: &Measure,
    points: &[(Date, f64)],
    by_year: bool,
    caption: &str,
    england: Option<&str>,
) -> String {
    let say = |v: f64| caption::value(v, &m.unit);
    let mut alt = format!("Line chart: {}", caption.trim().trim_end_matches('.'));
    if !points.is_empty() {
        let said: Vec<String> = points
            .iter()
            .map(|(d, v)| {
                let when = if by_year {
                    d.year().to_string()
                } else {
                    month(*d)
                };
                format!("{} in {when}", say(*v))
            })
            .collect();
        let _ = write!(alt, " ({})", said.join("; "));
    }
    alt.push('.');
    if let Some(t) = m.target.as_ref().filter(|t| t.value.is_finite()) {
        let _ = write!(alt, " Our goal: {} by {}.", say(t.value), month(t.date));
    }
    if let Some(e) = england {
        let _ = write!(alt, " {e}.");
    }
    // Spec section 10: a period the source suppresses is noted where it
    // falls within the chart's range.
    if let (Some(first), Some(last)) = (points.first(), points.last()) {
        let hidden: Vec<String> = m
            .suppressed
            .iter()
            .filter(|d| first.0 <= **d && **d <= last.0)
            .map(|d| month(*d))
            .collect();
        if !hidden.is_empty() {
            let _ = write!(
                alt,
                " The figure for {} is suppressed in the source.",
                crate::chart::alt::join_and(&hidden)
            );
        }
    }
    alt
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::scene;
    use crate::chart::tests::{Rng, bench, generated, measure};
    use crate::model::{BenchKind, Point};

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn all_figures_up_to_eight_else_the_first_the_worst_and_the_latest_four() {
        let dates: Vec<Date> = (0..10)
            .map(|i| d("2020-03-31").plus_months(6 * i))
            .collect();
        let values = [40.0, 45.0, 13.0, 50.0, 52.0, 55.0, 57.0, 58.0, 60.0, 61.0];
        let data: Vec<(Date, f64)> = dates.iter().copied().zip(values).collect();
        let m = measure("%", &data[..8]);
        assert_eq!(shown(&m, d("2030-01-01")).len(), 8);
        let m = measure("%", &data);
        let got: Vec<f64> = shown(&m, d("2030-01-01")).iter().map(|p| p.1).collect();
        assert_eq!(got, [40.0, 13.0, 57.0, 58.0, 60.0, 61.0]);
        // Lower is better: the worst is the highest.
        let mut m = measure("%", &data);
        m.direction = Direction::Down;
        let got: Vec<f64> = shown(&m, d("2030-01-01")).iter().map(|p| p.1).collect();
        assert_eq!(got, [40.0, 57.0, 58.0, 60.0, 61.0]);
    }

    #[test]
    fn values_read_as_the_caption_says_them_with_our_goal_and_england() {
        let mut m = measure("%", &[(d("2022-12-31"), 42.6), (d("2024-12-31"), 48.2)]);
        m.target = Some(Point {
            date: d("2026-03-31"),
            value: 60.0,
            note: None,
            pos: crate::finding::Pos::START,
        });
        m.benchmarks = vec![bench(
            BenchKind::England,
            "England",
            &[(d("2023-12-31"), 50.3), (d("2024-12-31"), 46.4)],
        )];
        let (svg, alt) = svg(&m, d("2025-06-01"), "More plans are on time.");
        for text in [
            ">43 in 100<",
            ">48 in 100<",
            ">Our goal: 60 in 100<",
            ">In England: 46 in 100 in 2024<",
        ] {
            assert!(svg.contains(text), "{text}: {svg}");
        }
        assert!(!svg.contains("42.6"), "{svg}");
        assert!(
            alt.contains("43 in 100 in 2022; 48 in 100 in 2024"),
            "{alt}"
        );
        assert!(alt.contains("Our goal: 60 in 100 by March 2026."), "{alt}");
        assert!(alt.contains("In England: 46 in 100 in 2024."), "{alt}");
        m.suppressed = vec![d("2023-12-31"), d("2025-12-31")];
        let (_, alt) = super::svg(&m, d("2025-06-01"), "More plans are on time.");
        assert!(
            alt.ends_with("The figure for December 2023 is suppressed in the source."),
            "{alt}"
        );
    }

    #[test]
    fn figures_are_placed_by_date() {
        let m = measure(
            "",
            &[
                (d("2022-05-31"), 45.0),
                (d("2024-05-31"), 24.0),
                (d("2024-11-30"), 33.0),
            ],
        );
        let (scene, _) = draw(&m, d("2025-01-01"), "");
        let xs: Vec<f64> = scene
            .shapes
            .iter()
            .filter_map(|s| match s {
                scene::Shape::Circle { cx, .. } => Some(*cx),
                scene::Shape::Line { .. } => None,
            })
            .collect();
        let ratio = (xs[1] - xs[0]) / (xs[2] - xs[1]);
        assert!((ratio - 4.0).abs() < 0.05, "{xs:?}");
    }

    #[test]
    fn labels_never_meet_and_every_value_left_out_is_in_the_alt_text() {
        let mut rng = Rng::new(8);
        let as_of = d("2040-01-01");
        let (mut placed, mut left_out) = (0, 0);
        for i in 0..300 {
            let m = generated(&mut rng);
            let (scene, alt) = draw(&m, as_of, "A caption.");
            let faults = scene::faults(&scene);
            assert!(faults.is_empty(), "series {i}: {faults:#?}\n{m:#?}");
            // Each value written is nearer its own dot than any other.
            let dots: Vec<(f64, f64)> = scene
                .shapes
                .iter()
                .filter_map(|s| match s {
                    scene::Shape::Circle { cx, cy, .. } => Some((*cx, *cy)),
                    scene::Shape::Line { .. } => None,
                })
                .collect();
            let figures = shown(&m, as_of);
            for t in scene.texts.iter().filter(|t| t.bold && t.fill == INK) {
                let b = t.rect();
                let c = ((b.x0 + b.x1) / 2.0, (b.y0 + b.y1) / 2.0);
                let d2 = |p: &(f64, f64)| (p.0 - c.0).powi(2) + (p.1 - c.1).powi(2);
                let nearest = (0..dots.len())
                    .min_by(|a, b| d2(&dots[*a]).total_cmp(&d2(&dots[*b])))
                    .unwrap();
                let own = (0..dots.len())
                    .filter(|j| caption::value(figures[*j].1, &m.unit) == t.text)
                    .map(|j| d2(&dots[j]))
                    .fold(f64::INFINITY, f64::min);
                assert!(
                    own <= d2(&dots[nearest]),
                    "series {i}: {:?} nearer another dot",
                    t.text
                );
            }
            for (_, v) in figures {
                let text = caption::value(v, &m.unit);
                if scene.texts.iter().any(|t| t.text == text) {
                    placed += 1;
                } else {
                    left_out += 1;
                    assert!(
                        alt.contains(&text),
                        "series {i}: {text:?} neither drawn nor in {alt:?}"
                    );
                }
            }
        }
        assert!(
            placed > left_out * 2,
            "{placed} placed, {left_out} left out"
        );
    }
}
