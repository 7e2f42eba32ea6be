//! The `time_identifier` table of spec section 10: which periods DfE's data
//! screener accepts, and the date each one ends on. A period becomes that
//! date wherever pack places it (a measure's point, a benchmark's point).

use crate::model::Date;

/// Why a period could not be read; the message names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeriodError {
    /// A `time_identifier` that is not in the table.
    Identifier,
    /// A `time_period` of the wrong shape for its identifier; the shape it needs.
    Shape(&'static str),
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The date the period (`time_period`, `time_identifier`) ends on.
/// Identifiers are matched ignoring case and surrounding spaces.
pub fn end_date(time_period: &str, identifier: &str) -> Result<Date, PeriodError> {
    let id = identifier.trim().to_ascii_lowercase();
    let period = time_period.trim();
    let calendar = || year4(period).ok_or(PeriodError::Shape("a four-digit year such as 2024"));
    let span = || {
        span6(period).ok_or(PeriodError::Shape(
            "six digits for two consecutive years, such as 202324",
        ))
    };
    let day = |y: i32, m: i8, d: i8| Date::new(y as i16, m, d).ok_or(PeriodError::Identifier);
    match id.as_str() {
        "calendar year" | "reporting year" => day(calendar()?, 12, 31),
        "academic year" => day(span()? + 1, 8, 31),
        "autumn term" => day(span()?, 12, 31),
        "spring term" | "autumn and spring term" => day(span()? + 1, 3, 31),
        "summer term" => day(span()? + 1, 7, 31),
        "financial year" | "tax year" => day(span()? + 1, 3, 31),
        "financial year q1" => day(span()?, 6, 30),
        "financial year q2" => day(span()?, 9, 30),
        "financial year q3" => day(span()?, 12, 31),
        "financial year q4" => day(span()? + 1, 3, 31),
        "part 1 (april to september)" => day(span()?, 9, 30),
        "part 2 (october to march)" => day(span()? + 1, 3, 31),
        _ => {
            if let Some(m) = MONTHS.iter().position(|m| *m == id) {
                let y = calendar()?;
                let first_of_next = if m == 11 {
                    day(y + 1, 1, 1)?
                } else {
                    day(y, m as i8 + 2, 1)?
                };
                return Ok(first_of_next.minus_days(1));
            }
            if let Some(n) = id.strip_prefix("week ") {
                let n: u32 = match n.trim().parse() {
                    Ok(n) if (1..=52).contains(&n) => n,
                    _ => return Err(PeriodError::Identifier),
                };
                return iso_week_sunday(calendar()?, n).ok_or(PeriodError::Identifier);
            }
            Err(PeriodError::Identifier)
        }
    }
}

/// The period in DfE's own words, for a reader: "2024", "2023/24",
/// "Summer term 2023/24", "Financial year 2024-25", "March 2024",
/// "Week 12 2024". Only called for a period `end_date` accepted.
pub fn name(time_period: &str, identifier: &str) -> String {
    let period = time_period.trim();
    let id = identifier.trim();
    let lower = id.to_ascii_lowercase();
    let (first, second) = (
        period.get(..4).unwrap_or(period),
        period.get(4..).unwrap_or(""),
    );
    match lower.as_str() {
        "calendar year" | "reporting year" => period.to_owned(),
        "academic year" => format!("{first}/{second}"),
        "autumn term" | "spring term" | "autumn and spring term" | "summer term" => {
            format!("{} {first}/{second}", capitalised(id))
        }
        _ if lower.starts_with("financial year")
            || lower == "tax year"
            || lower.starts_with("part ") =>
        {
            format!("{} {first}-{second}", capitalised(id))
        }
        _ => format!("{} {period}", capitalised(id)),
    }
}

/// "summer term" as "Summer term": files differ in letter case.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// `2024`.
fn year4(s: &str) -> Option<i32> {
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
        .filter(|y| *y >= 1000)
}

/// `202324`: the first year, when the second follows it.
fn span6(s: &str) -> Option<i32> {
    if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let first: i32 = s[..4].parse().ok()?;
    let second: i32 = s[4..].parse().ok()?;
    (first >= 1000 && (first + 1) % 100 == second).then_some(first)
}

/// The Sunday that ends ISO week `n` of `year`: ISO week 1 is the week
/// (Monday to Sunday) holding the year's first Thursday, so it ends on the
/// first Sunday on or after 4 January.
fn iso_week_sunday(year: i32, n: u32) -> Option<Date> {
    let jan4 = Date::new(year as i16, 1, 4)?;
    // 1 January 2024 was a Monday: 0 is Monday, 6 is Sunday.
    let weekday = Date::new(2024, 1, 1)?.days_until(jan4).rem_euclid(7);
    let to_sunday = 6 - weekday;
    Some(jan4.plus_days(to_sunday + 7 * (i64::from(n) - 1)))
}

/// The `Week N` entries, the months and the other identifiers, for hints.
pub const EXAMPLES: &str =
    "Calendar year, Academic year, Autumn term, Financial year, Financial year Q1, January, Week 1";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_named_in_dfe_words() {
        for (period, id, want) in [
            ("2024", "Calendar year", "2024"),
            ("202324", "Academic year", "2023/24"),
            ("202425", "summer term", "Summer term 2024/25"),
            (
                "202425",
                "Autumn and spring term",
                "Autumn and spring term 2024/25",
            ),
            ("202425", "Financial year", "Financial year 2024-25"),
            ("202425", "Financial year Q2", "Financial year Q2 2024-25"),
            (
                "202425",
                "Part 1 (April to September)",
                "Part 1 (April to September) 2024-25",
            ),
            ("2024", "March", "March 2024"),
            ("2024", "Week 12", "Week 12 2024"),
        ] {
            assert_eq!(name(period, id), want, "{period} {id}");
        }
    }

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    /// Every row of spec section 10's table, each at least once.
    #[test]
    fn each_row_of_the_table_ends_where_the_spec_says() {
        let cases = [
            ("2024", "Calendar year", "2024-12-31"),
            ("2024", "Reporting year", "2024-12-31"),
            ("2024", "January", "2024-01-31"),
            ("2024", "February", "2024-02-29"),
            ("2023", "February", "2023-02-28"),
            ("2024", "April", "2024-04-30"),
            ("2024", "December", "2024-12-31"),
            ("202324", "Academic year", "2024-08-31"),
            ("202324", "Autumn term", "2023-12-31"),
            ("202324", "Spring term", "2024-03-31"),
            ("202324", "Autumn and spring term", "2024-03-31"),
            ("202324", "Summer term", "2024-07-31"),
            ("202425", "Financial year", "2025-03-31"),
            ("202425", "Tax year", "2025-03-31"),
            ("202425", "Financial year Q1", "2024-06-30"),
            ("202425", "Financial year Q2", "2024-09-30"),
            ("202425", "Financial year Q3", "2024-12-31"),
            ("202425", "Financial year Q4", "2025-03-31"),
            ("202425", "Part 1 (April to September)", "2024-09-30"),
            ("202425", "Part 2 (October to March)", "2025-03-31"),
            // ISO weeks: 2024-01-01 is a Monday, so week 1 ends on 7 January;
            // 2021's week 1 starts on 4 January (1 January was a Friday).
            ("2024", "Week 1", "2024-01-07"),
            ("2024", "Week 52", "2024-12-29"),
            ("2021", "Week 1", "2021-01-10"),
            ("2026", "Week 1", "2026-01-04"),
            ("2026", "Week 10", "2026-03-08"),
        ];
        for (period, id, end) in cases {
            assert_eq!(end_date(period, id), Ok(d(end)), "{period} {id}");
        }
        // Case and surrounding spaces are not what DfE means by a period.
        assert_eq!(end_date(" 2024 ", "calendar YEAR"), Ok(d("2024-12-31")));
    }

    #[test]
    fn a_period_of_the_wrong_shape_or_an_unknown_identifier_is_refused() {
        for (period, id) in [
            ("202324", "Calendar year"),
            ("24", "Calendar year"),
            ("2024", "Academic year"),
            ("202325", "Academic year"),
            ("2023/24", "Academic year"),
            ("2024", "Financial year Q2"),
        ] {
            assert!(
                matches!(end_date(period, id), Err(PeriodError::Shape(_))),
                "{period} {id}"
            );
        }
        for id in [
            "Week 0",
            "Week 53",
            "Quarter 1",
            "Financial year Q5",
            "",
            "Term",
        ] {
            assert_eq!(end_date("2024", id), Err(PeriodError::Identifier), "{id}");
        }
    }
}
