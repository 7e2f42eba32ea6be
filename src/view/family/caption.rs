//! The one sentence under a family chart that says what changed, made from
//! the measure when the area gives none: "Parents who feel confident: 49 in
//! 100 in 2025, up from 28 in 100 in 2023, which is better."

use crate::chart::{month, with_unit};
use crate::model::{BenchKind, Date, Direction, Measure};

/// A value as a family reads it: a percentage as "49 in 100".
pub fn value(v: f64, unit: &str) -> String {
    if unit.trim() == "%" {
        let n = v.round();
        if v > 0.0 && n < 1.0 {
            return "fewer than 1 in 100".to_owned();
        }
        return format!("{} in 100", crate::chart::fmt_value(n));
    }
    with_unit(v, unit)
}

/// "In England: 46 in 100 in 2024": the latest England figure on or
/// before `as_of`, rounded as the caption rounds, when the measure has one.
pub fn england(m: &Measure, as_of: Date) -> Option<String> {
    let series = m.benchmarks.iter().find(|b| b.kind == BenchKind::England)?;
    let dates: Vec<Date> = series.points.iter().map(|p| p.date).collect();
    let latest = series
        .points
        .iter()
        .filter(|p| p.date <= as_of && p.value.is_finite())
        .max_by_key(|p| p.date)?;
    Some(format!(
        "In England: {} in {}",
        value(latest.value, &m.unit),
        crate::chart::alt::when(latest.date, &dates)
    ))
}

/// When a value was: the year when the two dates compared are in
/// different years, else the month.
fn when(d: Date, other: Date) -> String {
    if d.year() == other.year() {
        month(d)
    } else {
        d.year().to_string()
    }
}

/// What changed in `m` up to `as_of`, in one sentence.
pub fn generate(m: &Measure, as_of: Date) -> String {
    let title = m.title.trim().trim_end_matches('.');
    let points: Vec<_> = m.data.iter().filter(|p| p.date <= as_of).collect();
    let Some(latest) = points.last() else {
        return format!("{title}: there are no figures yet.");
    };
    // Compared with the baseline when there is one before the latest point,
    // else with the first point.
    let earlier = m
        .baseline
        .as_ref()
        .filter(|b| b.date < latest.date)
        .map(|b| (b.date, b.value))
        .or_else(|| {
            points
                .first()
                .filter(|p| p.date < latest.date)
                .map(|p| (p.date, p.value))
        });
    let now = value(latest.value, &m.unit);
    let Some((then_date, then)) = earlier else {
        return format!("{title}: {now} in {}.", month(latest.date));
    };
    let (now_when, then_when) = (when(latest.date, then_date), when(then_date, latest.date));
    let rounded = |v: f64| value(v, &m.unit);
    if rounded(then) == now {
        return format!("{title}: {now} in {now_when}, the same as in {then_when}.");
    }
    let up = latest.value > then;
    let better = up == (m.direction == Direction::Up);
    format!(
        "{title}: {now} in {now_when}, {} from {} in {then_when}, which is {}.",
        if up { "up" } else { "down" },
        rounded(then),
        if better { "better" } else { "worse" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Pos;
    use crate::model::{At, Point};

    fn measure(unit: &str, direction: Direction, data: &[(&str, f64)]) -> Measure {
        Measure {
            id: At::new("A1.M1".into(), Pos::START),
            id_ok: true,
            title: "Parents who feel confident".into(),
            unit: unit.into(),
            direction,
            source: None,
            baseline: None,
            target: None,
            floor: None,
            data: data
                .iter()
                .map(|(d, v)| Point {
                    date: Date::parse(d).unwrap(),
                    value: *v,
                    note: None,
                    pos: Pos::START,
                })
                .collect(),
            official: None,
            benchmarks: Vec::new(),
            suppressed: Vec::new(),
        }
    }

    #[test]
    fn says_what_changed_in_one_sentence() {
        let d = |s| Date::parse(s).unwrap();
        let m = measure(
            "%",
            Direction::Up,
            &[("2023-10-31", 28.0), ("2025-09-30", 49.2)],
        );
        assert_eq!(
            generate(&m, d("2025-11-18")),
            "Parents who feel confident: 49 in 100 in 2025, up from 28 in 100 in 2023, which is better."
        );
        // Only points on or before the as-of date count.
        assert_eq!(
            generate(&m, d("2024-01-01")),
            "Parents who feel confident: 28 in 100 in October 2023."
        );
        let waits = measure(
            "weeks",
            Direction::Down,
            &[("2025-03-31", 40.0), ("2025-09-30", 31.5)],
        );
        assert_eq!(
            generate(&waits, d("2025-11-18")),
            "Parents who feel confident: 31.5 weeks in September 2025, down from 40 weeks in March 2025, which is better."
        );
        let same = measure(
            "%",
            Direction::Up,
            &[("2024-03-31", 40.2), ("2025-03-31", 39.8)],
        );
        assert!(generate(&same, d("2025-11-18")).contains("the same as in 2024"));
        let none = measure("", Direction::Up, &[]);
        assert_eq!(
            generate(&none, d("2025-11-18")),
            "Parents who feel confident: there are no figures yet."
        );
        assert_eq!(value(0.4, "%"), "fewer than 1 in 100");
    }
}
