//! The reviewer chart's text alternative: what the picture shows, in one
//! paragraph, including every label the picture had no room for.

use std::fmt::Write as _;

use super::format::{month, with_unit};
use super::series::InRange;
use crate::model::{Benchmark, Date, Measure};

/// "2024" for a series whose points all fall on the same day of the year
/// (a yearly series), else "June 2024".
pub fn when(d: Date, series: &[Date]) -> String {
    let (_, m, day) = d.parts();
    if series.len() > 1
        && series
            .iter()
            .all(|s| (s.parts().1, s.parts().2) == (m, day))
    {
        d.year().to_string()
    } else {
        month(d)
    }
}

/// One benchmark as the alt text says it: "England: 50.3% in 2023, 46.4% in
/// 2024", or the first and latest of a long series.
pub fn benchmark(b: &Benchmark, points: &[(Date, f64, Option<usize>)], unit: &str) -> String {
    let dates: Vec<Date> = points.iter().map(|p| p.0).collect();
    let say = |p: &(Date, f64, Option<usize>)| {
        let mut s = format!("{} in {}", with_unit(p.1, unit), when(p.0, &dates));
        if let (Some(n), Some(of)) = (p.2, b.of) {
            let _ = write!(s, " ({n} of {of} neighbours)");
        }
        s
    };
    let mut out = format!("{}: ", b.name.trim());
    match points {
        [] => out.push_str("no figures in this period"),
        [first, .., last] if points.len() > 6 => {
            let _ = write!(
                out,
                "{} figures from {} to {}",
                points.len(),
                say(first),
                say(last)
            );
        }
        _ => out.push_str(&points.iter().map(say).collect::<Vec<_>>().join(", ")),
    }
    out
}

/// The whole alt text. `benchmarks` holds each benchmark with its points
/// in the chart's range; `suppressed` the dates within the range whose
/// local figure the source suppresses; `dropped` the labels left out.
pub fn text(
    m: &Measure,
    points: &[(Date, f64)],
    benchmarks: &[InRange],
    suppressed: &[Date],
    dropped: &[String],
) -> String {
    let mut alt = format!("Line chart of {}", m.title.trim());
    match (points.first(), points.last()) {
        (Some(a), Some(b)) if points.len() > 1 => {
            let _ = write!(
                alt,
                ": {} points from {} ({}) to {} ({})",
                points.len(),
                a.0.long(),
                with_unit(a.1, &m.unit),
                b.0.long(),
                with_unit(b.1, &m.unit)
            );
        }
        (Some(b), _) => {
            let _ = write!(
                alt,
                ": one point, {} on {}",
                with_unit(b.1, &m.unit),
                b.0.long()
            );
        }
        _ => alt.push_str(": no data points yet"),
    }
    if let Some(t) = &m.target {
        let _ = write!(alt, "; target {}", with_unit(t.value, &m.unit));
    }
    if let Some(f) = m.floor {
        let _ = write!(alt, "; floor {}", with_unit(f, &m.unit));
    }
    alt.push('.');
    if !benchmarks.is_empty() {
        let said: Vec<String> = benchmarks
            .iter()
            .map(|(b, p)| benchmark(b, p, &m.unit))
            .collect();
        let _ = write!(alt, " Compared with {}.", said.join("; "));
    }
    if !suppressed.is_empty() {
        let dates: Vec<String> = suppressed.iter().map(|d| month(*d)).collect();
        let _ = write!(
            alt,
            " The local figure for {} is suppressed in the source.",
            join_and(&dates)
        );
    }
    if !dropped.is_empty() {
        let _ = write!(
            alt,
            " Not labelled in the picture, for room: {}.",
            dropped.join("; ")
        );
    }
    alt
}

/// "a", "a and b", "a, b and c".
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
