//! "Measures at a glance" (spec section 11): one row per measure, grouped by
//! area, with the figures an adviser asks for before a visit: the latest
//! value and its period, the change since the figure before the last visit
//! in words judged by `direction`, the target, England, the region, the
//! statistical neighbours for the same period, and the rating.
//!
//! Values are numbers (the JSON view is for machines too); each value-bearing
//! object also carries `text`, the value as every table shows it
//! (`chart::with_unit`), so that no template re-implements number formatting.

use serde::Serialize;

use crate::chart::{fmt_value, with_unit};
use crate::model::{BenchKind, Date, Direction, Measure, Point};

use super::{Ctx, RatingView};

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct GlanceRow {
    /// The area's id (rows come grouped by area, in area order).
    #[schemars(pattern(crate::schema::table::ITEM_ID))]
    pub area: String,
    /// The measure's id.
    #[schemars(pattern(crate::schema::table::ITEM_ID))]
    pub measure: String,
    pub title: String,
    pub unit: String,
    /// The latest point on or before the as-of date; `None` without one.
    pub latest: Option<Latest>,
    /// Since the figure before the last visit; `None` without a previous
    /// visit, a latest figure, or a figure on or before that visit.
    pub change: Option<Change>,
    pub target: Option<Figure>,
    pub england: Option<Figure>,
    pub region: Option<Figure>,
    pub neighbours: Option<Neighbours>,
    pub rating: Option<RatingView>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Latest {
    pub value: f64,
    pub date: Date,
    /// The period in words: for a figure from an `official:` file, DfE's
    /// own name of it ("2024", "Summer term 2024/25"); else the month the
    /// figure is dated in ("Mar 2025"), short as GOV.UK writes dates in
    /// table columns.
    pub period: String,
    /// "45.5%".
    pub text: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Change {
    /// Latest minus the figure before the last visit, in the measure's unit.
    pub value: f64,
    /// "better by 5.2 points", "worse by 120 cases", "no change", or "no new
    /// figure since the last visit".
    pub words: String,
}

/// A dated figure: the target, or a benchmark's point.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Figure {
    pub value: f64,
    pub date: Date,
    /// "80%".
    pub text: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Neighbours {
    /// The mean of the neighbours that have a figure for the period.
    pub value: f64,
    pub date: Date,
    /// How many neighbours the mean is of.
    pub count: Option<usize>,
    /// How many neighbours the plan lists.
    pub of: Option<usize>,
    /// "52.1% (9 of 10)".
    pub text: String,
}

/// Every measure's row, area by area in plan order.
pub(super) fn rows(ctx: &Ctx, previous_visit: Option<Date>) -> Vec<GlanceRow> {
    ctx.snap
        .repo
        .areas
        .iter()
        .flat_map(|a| {
            a.measures
                .iter()
                .map(move |m| row(a.id.value.as_str(), m, ctx.as_of.date, previous_visit))
        })
        .collect()
}

/// One measure's row on `as_of`, `previous_visit` being the date of the last
/// visit before it.
pub(crate) fn row(area: &str, m: &Measure, as_of: Date, previous_visit: Option<Date>) -> GlanceRow {
    let st = crate::assess::measure(m, as_of);
    let latest = st.latest.as_ref();
    // The benchmark's point for the latest local figure's own period (date):
    // never an older or newer one.
    let bench = |kind: BenchKind| {
        let l = latest?;
        let b = m.benchmarks.iter().find(|b| b.kind == kind)?;
        b.points.iter().find(|p| p.date == l.date).map(|p| (p, b))
    };
    let figure = |kind: BenchKind| {
        bench(kind).map(|(p, _)| Figure {
            value: p.value,
            date: p.date,
            text: with_unit(p.value, &m.unit),
        })
    };
    GlanceRow {
        area: area.to_owned(),
        measure: m.id.value.to_string(),
        title: m.title.clone(),
        unit: m.unit.clone(),
        latest: latest.map(|p| Latest {
            value: p.value,
            date: p.date,
            // A figure from a DfE file is named as DfE names its period.
            period: m
                .official
                .as_ref()
                .and_then(|o| o.periods.get(&p.date).cloned())
                .unwrap_or_else(|| period(p.date)),
            text: with_unit(p.value, &m.unit),
        }),
        change: latest.and_then(|l| change(m, l, previous_visit?)),
        target: m.target.as_ref().map(|t| Figure {
            value: t.value,
            date: t.date,
            text: with_unit(t.value, &m.unit),
        }),
        england: figure(BenchKind::England),
        region: figure(BenchKind::Region),
        neighbours: bench(BenchKind::Neighbours).map(|(p, b)| {
            let of = b.of;
            let mut text = with_unit(p.value, &m.unit);
            if let Some(n) = p.count {
                text.push_str(&match of {
                    Some(of) => format!(" ({n} of {of})"),
                    None => format!(" ({n})"),
                });
            }
            Neighbours {
                value: p.value,
                date: p.date,
                count: p.count,
                of,
                text,
            }
        }),
        rating: st.rating.map(RatingView::of_rag),
    }
}

/// "Mar 2025": a point's date without its day. A point stands for a
/// period that ends on its date (a month, a term, a year: spec section 10),
/// and the month names it without claiming a day.
fn period(d: Date) -> String {
    let short = d.short();
    short
        .split_once(' ')
        .map_or(short.clone(), |(_, rest)| rest.to_owned())
}

/// The change from the figure the last visit saw (the latest on or before
/// its date, as "Since the last visit" takes it) to `latest`.
fn change(m: &Measure, latest: &Point, visit: Date) -> Option<Change> {
    let then = m.data.iter().rfind(|p| p.date <= visit)?;
    if then.date == latest.date {
        return Some(Change {
            value: 0.0,
            words: "no new figure since the last visit".into(),
        });
    }
    // Without rounding, 88.1 - 87.9 is 0.19999999999998863 in the JSON view.
    let diff = tidy(latest.value - then.value);
    // What a reader would see: a change that rounds to 0 is no change.
    let shown = fmt_value(diff.abs());
    if !diff.is_finite() || shown == "0" {
        return Some(Change {
            value: diff,
            words: "no change".into(),
        });
    }
    let better = (diff > 0.0) == (m.direction == Direction::Up);
    // A change of a percentage is in percentage points, never in per cent.
    let size = if m.unit.trim() == "%" {
        format!("{shown} point{}", if shown == "1" { "" } else { "s" })
    } else {
        with_unit(diff.abs(), &m.unit)
    };
    Some(Change {
        value: diff,
        words: format!("{} by {size}", if better { "better" } else { "worse" }),
    })
}

/// A difference of two figures as a reader would write it: float noise past
/// the tenth decimal dropped (figures are never that fine).
fn tidy(x: f64) -> f64 {
    let r = (x * 1e10).round() / 1e10;
    if r.is_finite() { r } else { x }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Pos;
    use crate::model::{At, BenchPoint, Benchmark, MeasureId};

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn point(date: &str, value: f64) -> Point {
        Point {
            date: d(date),
            value,
            note: None,
            pos: Pos::default(),
        }
    }

    fn measure(unit: &str, direction: Direction, data: &[(&str, f64)]) -> Measure {
        Measure {
            id: At::new(MeasureId::from("A1.M1"), Pos::default()),
            id_ok: true,
            title: "Plans within 20 weeks".into(),
            unit: unit.into(),
            direction,
            source: None,
            baseline: None,
            target: Some(point("2026-03-31", 80.0)),
            floor: Some(40.0),
            data: data.iter().map(|(date, v)| point(date, *v)).collect(),
            official: None,
            benchmarks: Vec::new(),
            suppressed: Vec::new(),
        }
    }

    fn bench(kind: BenchKind, of: Option<usize>, pts: &[(&str, f64, Option<usize>)]) -> Benchmark {
        Benchmark {
            kind,
            name: format!("{kind:?}"),
            of,
            points: pts
                .iter()
                .map(|(date, value, count)| BenchPoint {
                    date: d(date),
                    value: *value,
                    count: *count,
                })
                .collect(),
        }
    }

    #[test]
    fn england_region_and_neighbours_are_for_the_latest_figures_period() {
        let mut m = measure(
            "%",
            Direction::Up,
            &[("2023-12-31", 20.0), ("2024-12-31", 34.0)],
        );
        m.benchmarks = vec![
            bench(
                BenchKind::England,
                None,
                &[("2023-12-31", 49.2, None), ("2024-12-31", 46.4, None)],
            ),
            // The region has no figure for 2024: none is shown, never 2023's.
            bench(BenchKind::Region, None, &[("2023-12-31", 55.0, None)]),
            bench(
                BenchKind::Neighbours,
                Some(10),
                &[("2024-12-31", 52.15, Some(9))],
            ),
        ];
        let r = row("A6", &m, d("2025-05-20"), None);
        let e = r.england.unwrap();
        assert_eq!(
            (e.value, e.date, e.text.as_str()),
            (46.4, d("2024-12-31"), "46.4%")
        );
        assert!(r.region.is_none());
        let n = r.neighbours.unwrap();
        assert_eq!((n.value, n.count, n.of), (52.15, Some(9), Some(10)));
        assert_eq!(n.text, "52.1% (9 of 10)");
        let l = r.latest.unwrap();
        assert_eq!((l.value, l.period.as_str()), (34.0, "Dec 2024"));
    }

    #[test]
    fn without_benchmarks_or_a_latest_figure_the_columns_are_empty() {
        let mut m = measure("%", Direction::Up, &[("2025-06-30", 50.0)]);
        m.benchmarks = vec![bench(
            BenchKind::England,
            None,
            &[("2025-06-30", 46.4, None)],
        )];
        // As of before the only point: no latest, so no England either.
        let r = row("A6", &m, d("2025-05-20"), Some(d("2024-11-01")));
        assert!(r.latest.is_none() && r.change.is_none() && r.england.is_none());
        assert!(r.rating.is_none());
        assert_eq!(r.target.unwrap().text, "80%");
    }

    #[test]
    fn change_is_judged_by_direction_in_points_or_the_unit() {
        let visit = Some(d("2024-11-20"));
        let on = d("2025-05-20");
        let words = |m: &Measure| row("A1", m, on, visit).change.map(|c| c.words);
        let up = measure(
            "%",
            Direction::Up,
            &[("2024-10-31", 30.0), ("2025-04-30", 35.2)],
        );
        assert_eq!(words(&up).as_deref(), Some("better by 5.2 points"));
        let tiny = measure(
            "%",
            Direction::Up,
            &[("2024-10-31", 87.9), ("2025-04-30", 88.1)],
        );
        assert_eq!(
            row("A1", &tiny, on, visit).change.map(|c| c.value),
            Some(0.2)
        );
        let down = measure(
            "%",
            Direction::Down,
            &[("2024-10-31", 30.0), ("2025-04-30", 35.2)],
        );
        assert_eq!(words(&down).as_deref(), Some("worse by 5.2 points"));
        let cases = measure(
            "cases",
            Direction::Down,
            &[("2024-11-20", 1200.0), ("2025-04-30", 1080.0)],
        );
        assert_eq!(words(&cases).as_deref(), Some("better by 120 cases"));
        let worse = measure(
            "cases",
            Direction::Up,
            &[("2024-11-20", 1200.0), ("2025-04-30", 1080.0)],
        );
        assert_eq!(words(&worse).as_deref(), Some("worse by 120 cases"));
        let same = measure(
            "days",
            Direction::Down,
            &[("2024-06-30", 12.0), ("2025-04-30", 12.0)],
        );
        assert_eq!(words(&same).as_deref(), Some("no change"));
        let one = measure(
            "%",
            Direction::Up,
            &[("2024-06-30", 12.0), ("2025-04-30", 13.0)],
        );
        assert_eq!(words(&one).as_deref(), Some("better by 1 point"));
        let stale = measure("%", Direction::Up, &[("2024-06-30", 12.0)]);
        assert_eq!(
            words(&stale).as_deref(),
            Some("no new figure since the last visit")
        );
        // Nothing before the visit, or no visit: no change to speak of.
        let new = measure(
            "%",
            Direction::Up,
            &[("2025-01-31", 12.0), ("2025-04-30", 13.0)],
        );
        assert_eq!(words(&new), None);
        assert!(row("A1", &up, on, None).change.is_none());
        let c = row("A1", &cases, on, visit).change.unwrap();
        assert_eq!(c.value, -120.0);
    }
}
