//! The one calendar-date type: ISO 8601 `YYYY-MM-DD`, nothing looser.

use std::fmt;

use jiff::civil;
use serde::{Serialize, Serializer};

/// A calendar date. Wraps jiff so that month arithmetic is exact and clamps
/// at month ends (2025-08-31 minus 6 months is 2025-02-28).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(civil::Date);

/// Why a string is not a date, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Not of the shape `YYYY-MM-DD` (a timestamp, `30/04/2025`, ...).
    Shape,
    /// The right shape, but no such day (2025-02-30).
    NoSuchDay,
}

impl Date {
    pub fn new(year: i16, month: i8, day: i8) -> Option<Date> {
        civil::Date::new(year, month, day).ok().map(Date)
    }

    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let b = text.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(DateError::Shape);
        }
        let num = |r: std::ops::Range<usize>| text[r].parse::<i16>().unwrap_or(0);
        let (y, m, d) = (num(0..4), num(5..7), num(8..10));
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) || y < 1 {
            return Err(DateError::NoSuchDay);
        }
        Date::new(y, m as i8, d as i8).ok_or(DateError::NoSuchDay)
    }

    /// The civil date of a Unix timestamp, in UTC.
    pub fn from_unix_seconds(seconds: i64) -> Option<Date> {
        let ts = jiff::Timestamp::from_second(seconds).ok()?;
        Some(Date(ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date()))
    }

    /// Today in UTC from the system clock.
    pub fn today_utc() -> Date {
        Date(
            jiff::Timestamp::now()
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .date(),
        )
    }

    pub fn minus_months(self, months: u32) -> Date {
        let span = jiff::Span::new().months(i64::from(months));
        Date(self.0.checked_sub(span).unwrap_or(civil::Date::MIN))
    }

    pub fn plus_months(self, months: u32) -> Date {
        let span = jiff::Span::new().months(i64::from(months));
        Date(self.0.checked_add(span).unwrap_or(civil::Date::MAX))
    }

    /// `self` plus `months`, or None past 9999-12-31.
    pub fn checked_plus_months(self, months: u32) -> Option<Date> {
        let span = jiff::Span::new().months(i64::from(months));
        self.0
            .checked_add(span)
            .ok()
            .filter(|d| d.year() <= 9999)
            .map(Date)
    }

    /// The next day, or None after 9999-12-31.
    pub fn next_day(self) -> Option<Date> {
        self.0
            .tomorrow()
            .ok()
            .filter(|d| d.year() <= 9999)
            .map(Date)
    }

    /// The last day pack can compute with.
    pub const LAST: Date = Date(civil::date(9999, 12, 31));

    pub fn minus_days(self, days: i64) -> Date {
        let span = jiff::Span::new().days(days);
        Date(self.0.checked_sub(span).unwrap_or(civil::Date::MIN))
    }

    pub fn plus_days(self, days: i64) -> Date {
        let span = jiff::Span::new().days(days);
        Date(self.0.checked_add(span).unwrap_or(civil::Date::MAX))
    }

    pub fn year(self) -> i16 {
        self.0.year()
    }

    /// Days from `self` to `other` (negative when `other` is earlier).
    pub fn days_until(self, other: Date) -> i64 {
        (other.unix_seconds() - self.unix_seconds()).div_euclid(86_400)
    }

    /// "20 May 2025", the way a UK reviewer reads a date.
    pub fn long(self) -> String {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        format!(
            "{} {} {}",
            self.0.day(),
            MONTHS[(self.0.month() - 1) as usize],
            self.0.year()
        )
    }

    /// "20 May 2025" in narrow table columns: "4 Nov 2025" (GOV.UK style).
    pub fn short(self) -> String {
        let long = self.long();
        let mut parts = long.split(' ');
        let (d, m, y) = (
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
        );
        format!("{d} {} {y}", m.get(..3).unwrap_or(m))
    }

    /// Midnight UTC of this date as Unix seconds.
    pub fn unix_seconds(self) -> i64 {
        self.0
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .map_or(0, |z| z.timestamp().as_second())
    }

    pub fn parts(self) -> (i16, i8, i8) {
        (self.0.year(), self.0.month(), self.0.day())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            self.0.month(),
            self.0.day()
        )
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Written by hand: a date serializes as `YYYY-MM-DD`.
impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "pattern": crate::schema::table::DATE })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_iso_calendar_dates() {
        assert_eq!(Date::parse("2025-05-20").unwrap().to_string(), "2025-05-20");
        assert_eq!(Date::parse("2025-02-30"), Err(DateError::NoSuchDay));
        assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
        assert_eq!(Date::parse("30/04/2025"), Err(DateError::Shape));
        assert_eq!(Date::parse("2025-04-30T10:00:00Z"), Err(DateError::Shape));
        assert_eq!(Date::parse("2025-4-30"), Err(DateError::Shape));
        assert_eq!(Date::parse("２０２５-04-30"), Err(DateError::Shape));
    }

    #[test]
    fn month_arithmetic_is_calendar_exact() {
        let d = Date::parse("2025-05-20").unwrap();
        assert_eq!(d.minus_months(6).to_string(), "2024-11-20");
        let d = Date::parse("2025-08-31").unwrap();
        assert_eq!(d.minus_months(6).to_string(), "2025-02-28");
        assert_eq!(
            Date::from_unix_seconds(0).unwrap().to_string(),
            "1970-01-01"
        );
        let a = Date::parse("2025-05-06").unwrap();
        assert_eq!(a.days_until(Date::parse("2025-05-20").unwrap()), 14);
        assert_eq!(d.long(), "31 August 2025");
        assert_eq!(Date::parse("2025-11-04").unwrap().short(), "4 Nov 2025");
    }
}
