//! What a reviewer chart shows of a measure: the local figures on or before
//! the as-of date, the periods the source suppresses, and each benchmark's
//! figures within the local figures' dates.

use super::scale::Xs;
use crate::model::{Benchmark, Date, Measure};

/// A benchmark and its figures in the chart's range: (date, value, how
/// many neighbours the value averages).
pub type InRange<'a> = (&'a Benchmark, Vec<(Date, f64, Option<usize>)>);

pub struct Shown<'a> {
    pub points: Vec<(Date, f64)>,
    /// Benchmarks with at least one figure in range.
    pub benches: Vec<InRange<'a>>,
    /// Suppressed periods in range.
    pub suppressed: Vec<Date>,
    /// The dates the range is made from.
    pub dates: Vec<Date>,
    /// The range (x from 0 to 1; the caller sets the picture's left and right).
    pub range: Xs,
}

pub fn shown(m: &Measure, as_of: Date) -> Shown<'_> {
    let points: Vec<(Date, f64)> = m
        .data
        .iter()
        .filter(|p| p.date <= as_of)
        .map(|p| (p.date, p.value))
        .collect();
    let suppressed: Vec<Date> = m
        .suppressed
        .iter()
        .copied()
        .filter(|d| *d <= as_of)
        .collect();
    // The range: the local figures and the suppressed periods among them;
    // benchmarks are drawn within it (over their own dates only when there
    // is no local figure at all), so a long national series never squeezes
    // the local one.
    let dates: Vec<Date> = if points.is_empty() && suppressed.is_empty() {
        m.benchmarks
            .iter()
            .flat_map(|b| b.points.iter().map(|p| p.date))
            .filter(|d| *d <= as_of)
            .collect()
    } else {
        points
            .iter()
            .map(|p| p.0)
            .chain(suppressed.iter().copied())
            .collect()
    };
    let range = Xs::over(dates.iter().copied(), as_of, 0.0, 1.0);
    let benches = m
        .benchmarks
        .iter()
        .map(|b| {
            let pts = b
                .points
                .iter()
                .filter(|p| p.date <= as_of && range.contains(p.date) && p.value.is_finite())
                .map(|p| (p.date, p.value, p.count))
                .collect::<Vec<_>>();
            (b, pts)
        })
        .filter(|(_, pts)| !pts.is_empty())
        .collect();
    Shown {
        points,
        benches,
        suppressed: suppressed
            .into_iter()
            .filter(|d| range.contains(*d))
            .collect(),
        dates,
        range,
    }
}
