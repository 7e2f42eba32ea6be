//! How a chart writes values, units, months and SVG text: shared with the
//! views and "since the last visit", so a figure reads the same everywhere.

use crate::model::Date;

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

/// "May 2025" in a narrow place: "May 2025", "Sep 2025".
pub fn short_month(d: Date) -> String {
    let short = d.short();
    short
        .split_once(' ')
        .map_or(short.clone(), |(_, rest)| rest.to_owned())
}

/// Text made safe for SVG and HTML attributes and content.
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
        let d = Date::parse("2025-09-30").unwrap();
        assert_eq!(month(d), "September 2025");
        assert_eq!(short_month(d), "Sep 2025");
    }
}
