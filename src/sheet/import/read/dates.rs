//! Date cells to dates (spec 6.1 "Dates in cells"). Excel counts days from
//! 1899-12-31 as day 1 and believes in a 1900-02-29 (serial 60), so serials
//! of 60 and below name no date that every spreadsheet agrees on; a serial
//! with a fraction holds a time. Both are errors at the cell.

use super::Value;
use crate::model::Date;

/// Serial 61, the first date pack reads in the 1900 date system.
const FIRST_SERIAL: f64 = 61.0;
/// Serial of 1970-01-01 in the 1900 date system.
const UNIX_SERIAL: i64 = 25_569;
/// Days from 1900-01-00 to 1904-01-01 (the 1904 date system's day 0).
const SHIFT_1904: i64 = 1_462;

/// A date cell's serial in the workbook's date system, as a cell value.
pub fn from_serial(serial: f64, is_1904: bool) -> Value {
    if !serial.is_finite() || serial.fract() != 0.0 {
        return not_whole(&format!("{serial}"));
    }
    if !is_1904 && serial < FIRST_SERIAL {
        return too_early(&format!("serial {serial}"));
    }
    if serial.abs() > 3_000_000.0 {
        return Value::Error(format!(
            "#NUM! (date serial {serial} is past the year 9999)"
        ));
    }
    let days = serial as i64 + if is_1904 { SHIFT_1904 } else { 0 } - UNIX_SERIAL;
    let (y, m, d) = civil_from_days(days);
    date(y, m, d).unwrap_or_else(|| too_early(&format!("serial {serial}")))
}

/// An ISO date or date-time as ODS writes a date cell (`2025-04-30`,
/// `2025-04-30T00:00:00`).
pub fn from_iso(text: &str) -> Value {
    let (day, time) = text.split_once('T').unwrap_or((text, ""));
    let whole = time
        .trim_end_matches('Z')
        .split(['.', ':'])
        .all(|p| p.is_empty() || p.bytes().all(|b| b == b'0'));
    if !whole {
        return not_whole(text);
    }
    let mut parts = day.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return Value::Text(text.to_owned());
    };
    match (y.parse::<i64>(), m.parse::<i8>(), d.parse::<i8>()) {
        (Ok(y), Ok(m), Ok(d)) => date(y, m, d).unwrap_or_else(|| {
            if (y, m, d) < (1900, 3, 1) {
                too_early(day)
            } else {
                Value::Text(text.to_owned())
            }
        }),
        _ => Value::Text(text.to_owned()),
    }
}

fn date(y: i64, m: i8, d: i8) -> Option<Value> {
    if (y, m, d) < (1900, 3, 1) || y > 9999 {
        return None;
    }
    Date::new(y as i16, m, d).map(Value::Date)
}

fn too_early(what: &str) -> Value {
    Value::Error(format!(
        "#DATE! (a date cell before 1900-03-01, {what}: spreadsheets disagree on those days, and Excel's 1900-02-29 never existed)"
    ))
}

fn not_whole(what: &str) -> Value {
    Value::Error(format!(
        "#DATE! (a date cell holding a time of day, {what}, not a whole day)"
    ))
}

/// Year, month, day of a count of days since 1970-01-01 (proleptic
/// Gregorian; Howard Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, i8, i8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as i8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as i8;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Value {
        Value::Date(Date::parse(s).unwrap())
    }

    #[test]
    fn serials() {
        assert_eq!(from_serial(61.0, false), day("1900-03-01"));
        assert_eq!(from_serial(45_777.0, false), day("2025-04-30"));
        assert_eq!(from_serial(25_569.0, false), day("1970-01-01"));
        assert_eq!(from_serial(0.0, true), day("1904-01-01"));
        for bad in [60.0, 0.0, -1.0, 1.0, 45_777.5, f64::NAN, 1e300] {
            assert!(matches!(from_serial(bad, false), Value::Error(_)), "{bad}");
        }
    }

    #[test]
    fn iso() {
        assert_eq!(from_iso("2025-04-30"), day("2025-04-30"));
        assert_eq!(from_iso("2025-04-30T00:00:00"), day("2025-04-30"));
        assert_eq!(from_iso("1900-03-01"), day("1900-03-01"));
        assert!(matches!(from_iso("2025-04-30T10:00:00"), Value::Error(_)));
        assert!(matches!(from_iso("1900-02-28"), Value::Error(_)));
        assert!(matches!(from_iso("1899-12-30"), Value::Error(_)));
    }
}
