//! From values and dates to the picture: the value range and its gridline
//! step, and x by date (proportional to days, so a gap of two years is
//! twice as wide as a gap of one).

use crate::model::Date;

/// The range a chart's value axis covers, from the values it must show.
/// Starts at zero when every value is positive and zero is near; never NaN
/// (a range that is not finite falls back to 0..1).
pub fn value_range(values: impl IntoIterator<Item = f64>) -> (f64, f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !(lo.is_finite() && hi.is_finite() && (hi - lo).is_finite()) {
        lo = 0.0;
        hi = 1.0;
    }
    if lo >= 0.0 && lo < hi * 0.6 {
        lo = 0.0;
    }
    nice_range(lo, hi)
}

/// Rounds a range out to whole gridline steps: (low, high, step).
pub fn nice_range(lo: f64, hi: f64) -> (f64, f64, f64) {
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

/// Values to heights: `lo` at `bottom`, `hi` at `top`; clamped just past
/// the range, so a point outside a fallback range still lands on the chart.
#[derive(Debug, Clone, Copy)]
pub struct Ys {
    pub lo: f64,
    pub hi: f64,
    pub top: f64,
    pub bottom: f64,
}

impl Ys {
    pub fn y(&self, v: f64) -> f64 {
        let t = ((v - self.lo) / (self.hi - self.lo)).clamp(-0.05, 1.05);
        self.bottom - (self.bottom - self.top) * if t.is_finite() { t } else { 0.5 }
    }
}

/// Dates to x, proportional to days between `d0` (at `left`) and `d1` (at
/// `right`).
#[derive(Debug, Clone, Copy)]
pub struct Xs {
    pub d0: Date,
    pub d1: Date,
    pub left: f64,
    pub right: f64,
}

impl Xs {
    /// The range of `dates`; one date gets a month either side, none the
    /// year to `as_of`.
    pub fn over(dates: impl IntoIterator<Item = Date>, as_of: Date, left: f64, right: f64) -> Xs {
        let mut range: Option<(Date, Date)> = None;
        for d in dates {
            range = Some(range.map_or((d, d), |(a, b)| (a.min(d), b.max(d))));
        }
        let (d0, d1) = match range {
            Some((a, b)) if a < b => (a, b),
            Some((a, _)) => (a.minus_days(30), a.plus_days(30)),
            None => (as_of.minus_months(12), as_of),
        };
        Xs {
            d0,
            d1,
            left,
            right,
        }
    }

    pub fn contains(&self, d: Date) -> bool {
        self.d0 <= d && d <= self.d1
    }

    pub fn x(&self, d: Date) -> f64 {
        let span = self.d0.days_until(self.d1).max(1) as f64;
        self.left + (self.right - self.left) * self.d0.days_until(d) as f64 / span
    }

    /// The first of January of each year strictly inside the range: where
    /// the axis marks a year. Over a long range every second, fifth, tenth
    /// ... year, so that the marks stay at most `MAX_MARKS`.
    pub fn year_starts(&self) -> Vec<Date> {
        const MAX_MARKS: i32 = 20;
        let (y0, y1) = (i32::from(self.d0.year()), i32::from(self.d1.year()));
        let every = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000]
            .into_iter()
            .find(|n| (y1 - y0) / n <= MAX_MARKS)
            .unwrap_or(20_000);
        (y0 + 1..=y1)
            .filter(|y| y % every == 0)
            .filter_map(|y| Date::new(i16::try_from(y).ok()?, 1, 1))
            .filter(|d| *d > self.d0 && *d < self.d1)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn x_is_proportional_to_days() {
        let d = |s| Date::parse(s).unwrap();
        let xs = Xs::over(
            [d("2022-01-01"), d("2024-01-01"), d("2024-07-01")],
            d("2025-01-01"),
            0.0,
            100.0,
        );
        let (a, b, c) = (
            xs.x(d("2022-01-01")),
            xs.x(d("2024-01-01")),
            xs.x(d("2024-07-01")),
        );
        // Two years against six months: four times as wide, within a day.
        assert!(((b - a) / (c - b) - 4.0).abs() < 0.05, "{a} {b} {c}");
        assert_eq!(xs.year_starts(), vec![d("2023-01-01"), d("2024-01-01")]);
        // A long range marks every so many years, never thousands of marks.
        let long = Xs::over(
            [d("0001-01-01"), d("9999-12-31")],
            d("2025-01-01"),
            0.0,
            100.0,
        );
        let marks = long.year_starts();
        assert!((5..=20).contains(&marks.len()), "{}", marks.len());
        assert_eq!(marks[0], d("0500-01-01"));
    }
}
