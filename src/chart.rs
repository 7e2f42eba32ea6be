//! One SVG line chart per measure, used by every format (the view and
//! "since the last visit" both draw on it): the data points on
//! or before the as-of date, the target and the floor drawn as lines.

use std::fmt::Write as _;

use crate::model::{Date, Measure};

const W: f64 = 520.0;
const H: f64 = 200.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 34.0;

const LINE: &str = "#1d70b8";
const TARGET: &str = "#00703c";
const FLOOR: &str = "#d4351c";
const GRID: &str = "#d9d9d9";
const INK: &str = "#0b0c0c";

/// The chart, and a sentence saying what it shows (its alt text).
pub fn svg(m: &Measure, as_of: Date) -> (String, String) {
    let points: Vec<(Date, f64)> = m
        .data
        .iter()
        .filter(|p| p.date <= as_of)
        .map(|p| (p.date, p.value))
        .collect();
    let alt = alt_text(m, &points);
    let mut lo = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let mut hi = points.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    for v in [m.target.as_ref().map(|t| t.value), m.floor]
        .into_iter()
        .flatten()
    {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    // Values are limited when loading (see `load::fields`), but a chart must
    // never draw NaN: any range that is not finite falls back to 0..1.
    if !(lo.is_finite() && hi.is_finite() && (hi - lo).is_finite()) {
        lo = 0.0;
        hi = 1.0;
    }
    if lo >= 0.0 && lo < hi * 0.6 {
        lo = 0.0;
    }
    let (lo, hi, step) = nice_range(lo, hi);
    let (d0, d1) = match (points.first(), points.last()) {
        (Some(a), Some(b)) if a.0 < b.0 => (a.0, b.0),
        (Some(a), _) => (a.0.minus_days(30), a.0.plus_days(30)),
        _ => (as_of.minus_months(12), as_of),
    };
    let span = d0.days_until(d1).max(1) as f64;
    let x = |d: Date| LEFT + (W - LEFT - RIGHT) * d0.days_until(d) as f64 / span;
    // Clamped: a point outside a fallback range still lands on the chart.
    let y = |v: f64| {
        let t = ((v - lo) / (hi - lo)).clamp(-0.05, 1.05);
        TOP + (H - TOP - BOTTOM) * (1.0 - if t.is_finite() { t } else { 0.5 })
    };

    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="{}" font-family="Liberation Sans, Arial, sans-serif" font-size="11">"#,
        xml(&alt)
    );
    let _ = write!(s, "<title>{}</title>", xml(&alt));
    // Grid and y labels.
    for i in 0..=40 {
        let v = lo + step * f64::from(i);
        if v > hi + step / 2.0 {
            break;
        }
        let yy = y(v);
        let _ = write!(
            s,
            r#"<line x1="{LEFT}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="{GRID}" stroke-width="1"/>"#,
            W - RIGHT
        );
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="{INK}">{}</text>"#,
            LEFT - 6.0,
            yy + 4.0,
            xml(&fmt_value(v))
        );
    }
    // Target and floor.
    let mut label = |value: f64, colour: &str, word: &str, dash: &str| {
        let yy = y(value);
        let _ = write!(
            s,
            r#"<line x1="{LEFT}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="{colour}" stroke-width="1.5" stroke-dasharray="{dash}"/>"#,
            W - RIGHT
        );
        // Labelled at the left (the latest value sits at the right), on the
        // side of the line away from the first data point.
        let data_above = points.first().is_some_and(|p| y(p.1) < yy);
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" fill="{colour}">{} {}</text>"#,
            LEFT + 4.0,
            if data_above { yy + 13.0 } else { yy - 4.0 },
            word,
            xml(&with_unit(value, &m.unit))
        );
    };
    if let Some(t) = &m.target {
        label(t.value, TARGET, "Target", "6 3");
    }
    if let Some(f) = m.floor {
        label(f, FLOOR, "Floor", "2 3");
    }
    // The data.
    if points.len() > 1 {
        let path: Vec<String> = points
            .iter()
            .map(|(d, v)| format!("{:.1},{:.1}", x(*d), y(*v)))
            .collect();
        let _ = write!(
            s,
            r#"<polyline points="{}" fill="none" stroke="{LINE}" stroke-width="2.5"/>"#,
            path.join(" ")
        );
    }
    for (d, v) in &points {
        let _ = write!(
            s,
            r#"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{LINE}"/>"#,
            x(*d),
            y(*v)
        );
    }
    if let Some((d, v)) = points.last() {
        // Below the point when the line comes down into it, so the line never crosses the label.
        let from_above = points.len() > 1 && y(points[points.len() - 2].1) < y(*v);
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="{LINE}" font-weight="bold">{}</text>"#,
            x(*d),
            if from_above {
                y(*v) + 16.0
            } else {
                y(*v) - 8.0
            },
            xml(&with_unit(*v, &m.unit))
        );
    }
    // X axis: first and last dates.
    let base = H - BOTTOM;
    let _ = write!(
        s,
        r#"<line x1="{LEFT}" y1="{base:.1}" x2="{:.1}" y2="{base:.1}" stroke="{INK}" stroke-width="1"/>"#,
        W - RIGHT
    );
    if let (Some(a), Some(b)) = (points.first(), points.last()) {
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="start" fill="{INK}">{}</text>"#,
            x(a.0),
            base + 16.0,
            month(a.0)
        );
        if b.0 != a.0 {
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="{INK}">{}</text>"#,
                x(b.0),
                base + 16.0,
                month(b.0)
            );
        }
    } else {
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" fill="{INK}">No data yet</text>"#,
            LEFT + 8.0,
            TOP + 20.0
        );
    }
    s.push_str("</svg>");
    (s, alt)
}

fn alt_text(m: &Measure, points: &[(Date, f64)]) -> String {
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
    alt
}

/// "45.5", "1,080", "80": how a value is shown everywhere.
pub fn fmt_value(v: f64) -> String {
    if !v.is_finite() {
        return "–".to_owned();
    }
    if v.abs() >= 1e15 {
        return format!("{v:e}");
    }
    let (int, frac) = if (v - v.round()).abs() < 1e-9 {
        (format!("{:.0}", v.round().abs()), String::new())
    } else {
        let s = format!("{:.1}", v.abs());
        let (i, f) = s.split_once('.').unwrap_or((&s, ""));
        (i.to_owned(), format!(".{f}"))
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{}{grouped}{frac}", if v < 0.0 { "-" } else { "" })
}

/// A value with its unit: "45.5%", "1,080 cases".
pub fn with_unit(v: f64, unit: &str) -> String {
    let unit = unit.trim();
    match unit {
        "" => fmt_value(v),
        "%" => format!("{}%", fmt_value(v)),
        u => format!("{} {u}", fmt_value(v)),
    }
}

/// "May 2025".
pub fn month(d: Date) -> String {
    let long = d.long();
    long.split_once(' ')
        .map_or(long.clone(), |(_, rest)| rest.to_owned())
}

fn nice_range(lo: f64, hi: f64) -> (f64, f64, f64) {
    let span = (hi - lo).max(1e-9 * lo.abs().max(hi.abs()).max(1.0));
    let raw = span / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(mag * 10.0);
    let lo2 = (lo / step).floor() * step;
    let hi2 = (hi / step).ceil() * step;
    if !(step.is_finite() && step > 0.0 && lo2.is_finite() && hi2.is_finite()) {
        return (0.0, 1.0, 0.25);
    }
    (lo2, if hi2 <= lo2 { lo2 + step } else { hi2 }, step)
}

pub(crate) fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_a_reviewer_expects() {
        assert_eq!(fmt_value(1080.0), "1,080");
        assert_eq!(fmt_value(12180.0), "12,180");
        assert_eq!(fmt_value(45.5), "45.5");
        assert_eq!(fmt_value(13.2), "13.2");
        assert_eq!(with_unit(80.0, "%"), "80%");
        assert_eq!(with_unit(397.0, "cases"), "397 cases");
        assert_eq!(fmt_value(1e20), "1e20");
        assert_eq!(fmt_value(123456789012345.0), "123,456,789,012,345");
        assert_eq!(fmt_value(-2.0), "-2");
    }

    #[test]
    fn extreme_values_never_draw_nan() {
        for (a, b) in [(1e308, -1e308), (1e15, -1e15), (0.0, 1e-300), (5.0, 5.0)] {
            let m = Measure {
                id: crate::model::At::new("M".into(), crate::finding::Pos::START),
                id_ok: true,
                title: "t".into(),
                unit: String::new(),
                direction: crate::model::Direction::Up,
                source: None,
                baseline: None,
                target: None,
                floor: Some(b),
                data: vec![crate::model::Point {
                    date: Date::parse("2025-01-01").unwrap(),
                    value: a,
                    note: None,
                    pos: crate::finding::Pos::START,
                }],
                official: None,
                benchmarks: Vec::new(),
                suppressed: Vec::new(),
            };
            let (svg, _) = svg(&m, Date::parse("2025-06-01").unwrap());
            assert!(
                !svg.contains("NaN") && !svg.contains("inf"),
                "{a} {b}: {svg}"
            );
        }
    }
}
