//! A row's cells to field values, as people type them in a log: dates as
//! date cells, ISO, UK `30/04/2025` or `30 April 2025` (never US order);
//! lists split on commas, semicolons or new lines; organisations and areas
//! by id or by name; kind, shows and classification in any case; personal
//! data and public as yes/no, true/false, y/n or 1/0. Text is taken as the
//! cell has it, after the one normalisation of `sheet::cell_text` (line ends
//! as LF, the two ends trimmed, the inside kept as it is). A value
//! that cannot be read is a finding at its cell, and is kept as text so that
//! the check points at the same cell.

use crate::finding::{Cell, Finding, Rule};
use crate::model::{Choice, Classification, Date, Kind, Plan, Shows};
use crate::sheet::Field;

use super::item::FieldValue;
use super::read::Value;

/// What a row's values are read against.
pub struct Context<'a> {
    pub plan: &'a Plan,
    /// Area ids and titles.
    pub areas: Vec<(String, String)>,
    /// The spreadsheet, as findings name it.
    pub file: &'a str,
    pub sheet: &'a str,
}

/// The field value of one cell, or `None` when it is empty; problems are
/// pushed to `findings`.
pub fn read(
    cx: &Context,
    field: Field,
    value: &Value,
    row: usize,
    col: usize,
    findings: &mut Vec<Finding>,
) -> Option<FieldValue> {
    let cell = Cell {
        sheet: cx.sheet.to_owned(),
        row: row as u32 + 1,
        column: col as u32 + 1,
    };
    let mut fail = |rule: Rule, message: String, hint: String| {
        findings.push(Finding::in_cell(rule, cx.file, cell.clone(), message).hint(hint));
    };
    let text = match value {
        Value::Empty => return None,
        Value::Error(e) => {
            fail(
                Rule::Schema,
                format!(
                    "the cell holds the spreadsheet error {e}, not a value for `{}`",
                    field.column().key
                ),
                "fix the formula, or type the value in".to_owned(),
            );
            return Some(FieldValue::Raw(e.clone()));
        }
        Value::Date(d) => match field {
            Field::Date | Field::ValidUntil => return Some(FieldValue::Date(*d)),
            _ => d.to_string(),
        },
        Value::Number(n) => number_text(*n),
        Value::Bool(b) => (if *b { "yes" } else { "no" }).to_owned(),
        Value::Text(t) => crate::sheet::cell_text::from_cell(t),
    };
    if text.is_empty() {
        return None;
    }
    let shown = shown(&text);
    match field {
        Field::Date | Field::ValidUntil => match parse_date(&text) {
            Some(d) => Some(FieldValue::Date(d)),
            None => {
                fail(
                    Rule::Schema,
                    format!("`{shown}` is not a date"),
                    "write a date cell, or 2025-04-30, 30/04/2025 or 30 April 2025 (day before month)".to_owned(),
                );
                Some(FieldValue::Raw(text))
            }
        },
        Field::Organisation => {
            let found = organisation(cx.plan, &text);
            match found {
                Some(o) => Some(FieldValue::Text(o.id.value.to_string())),
                None => {
                    fail(
                        Rule::UnknownReference,
                        format!("`{shown}` is not an organisation of the plan"),
                        format!(
                            "use an id or a name from plan/plan.yaml: {}",
                            cx.plan
                                .organisations
                                .iter()
                                .map(|o| format!("{} ({})", o.id.value, o.name))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                    Some(FieldValue::Raw(text))
                }
            }
        }
        Field::Kind => choice::<Kind>(&text, &shown, "kind", &mut fail),
        Field::Shows => choice::<Shows>(&text, &shown, "shows", &mut fail),
        // OFFICIAL is the default: the same as no classification at all.
        Field::Classification => {
            choice::<Classification>(&text, &shown, "classification", &mut fail)
                .filter(|v| *v != FieldValue::Text(Classification::Official.name().to_owned()))
        }
        Field::PersonalData => yes_no(&text, &shown, "write yes or no", &mut fail),
        Field::Public => yes_no(
            &text,
            &shown,
            "write yes if the item is published and may be listed in the family edition, or no (an empty cell is no)",
            &mut fail,
        ),
        Field::Areas => {
            let items = split(&text)
                .into_iter()
                .map(|a| {
                    let n = norm(&a);
                    cx.areas
                        .iter()
                        .find(|(id, title)| norm(id) == n || norm(title) == n)
                        .map_or(a, |(id, _)| id.clone())
                })
                .collect();
            Some(FieldValue::List(items))
        }
        Field::Actions | Field::Measures | Field::Supersedes | Field::RespondsTo => {
            Some(FieldValue::List(split(&text)))
        }
        Field::Id | Field::Title | Field::File | Field::Url | Field::Summary => {
            Some(FieldValue::Text(text))
        }
    }
}

fn choice<C: Choice>(
    text: &str,
    shown: &str,
    key: &str,
    fail: &mut impl FnMut(Rule, String, String),
) -> Option<FieldValue> {
    // "Case study", "CASE-STUDY", "Official sensitive": by letters only.
    let n = norm(text);
    match C::NAMES.iter().find(|name| norm(name) == n) {
        Some(name) => Some(FieldValue::Text((*name).to_owned())),
        None => {
            fail(
                Rule::Schema,
                format!("`{shown}` is not a {key}"),
                format!("write one of {}", C::NAMES.join(", ")),
            );
            Some(FieldValue::Raw(text.to_owned()))
        }
    }
}

/// A yes/no cell (yes/no, y/n, true/false, 1/0, any case; a boolean cell
/// arrives as yes or no): `true`, or `None` for no, since false is the
/// field's default and is not written.
fn yes_no(
    text: &str,
    shown: &str,
    hint: &str,
    fail: &mut impl FnMut(Rule, String, String),
) -> Option<FieldValue> {
    match norm(text).as_str() {
        "yes" | "y" | "true" | "1" => Some(FieldValue::Bool(true)),
        "no" | "n" | "false" | "0" => None,
        _ => {
            fail(
                Rule::Schema,
                format!("`{shown}` is not yes or no"),
                hint.to_owned(),
            );
            Some(FieldValue::Raw(text.to_owned()))
        }
    }
}

/// 42 rather than 42.0.
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// The organisation a cell names, by id or by name (the first in the plan
/// that either matches). Export asks it too, to write a name only where
/// this reads the name back as the same organisation.
pub(crate) fn organisation<'p>(
    plan: &'p Plan,
    text: &str,
) -> Option<&'p crate::model::Organisation> {
    let n = norm(text);
    plan.organisations
        .iter()
        .find(|o| norm(o.id.value.as_str()) == n || norm(&o.name) == n)
}

/// Letters and digits, lower case: how names and choices are compared.
fn norm(s: &str) -> String {
    crate::sheet::columns::normalise(s)
}

/// A list cell: commas, semicolons or new lines between items.
fn split(text: &str) -> Vec<String> {
    text.split([',', ';', '\n'])
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .collect()
}

/// A cell's value as a message may show it: identifiers masked, long
/// values cut.
fn shown(text: &str) -> String {
    let masked = crate::pii::mask_all(text);
    let one_line: String = masked.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 60 {
        format!("{}…", one_line.chars().take(60).collect::<String>())
    } else {
        one_line
    }
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

/// ISO `2025-04-30`; UK `30/04/2025`, `30-04-2025`, `30.04.2025` or with a
/// two-digit year; `30 April 2025`, `30 Apr 2025`, `Wednesday 30 April
/// 2025`, `30th April 2025`. Never month first.
pub fn parse_date(text: &str) -> Option<Date> {
    let t = text.trim();
    if let Ok(d) = Date::parse(t) {
        return Some(d);
    }
    // A date cell written as text by some tools: "2025-04-30 00:00:00".
    if let Some(d) = t.get(..10).and_then(|d| Date::parse(d).ok())
        && t[10..]
            .trim_start_matches(['T', ' '])
            .chars()
            .all(|c| c.is_ascii_digit() || c == ':')
    {
        return Some(d);
    }
    let numeric: Vec<&str> = t.split(['/', '-', '.']).collect();
    if numeric.len() == 3
        && numeric
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        let day: i8 = numeric[0].parse().ok()?;
        let month: i8 = numeric[1].parse().ok()?;
        let year = year(numeric[2])?;
        return Date::new(year, month, day);
    }
    let words: Vec<String> = t
        .split([' ', ','])
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    // Drop a leading weekday.
    let words: Vec<&str> = match words.first() {
        Some(w) if w.ends_with("day") => words[1..].iter().map(String::as_str).collect(),
        _ => words.iter().map(String::as_str).collect(),
    };
    if let [d, m, y] = words.as_slice() {
        let day: i8 = d
            .trim_end_matches(['s', 't', 'n', 'd', 'r', 'h'])
            .parse()
            .ok()?;
        let month = MONTHS
            .iter()
            .position(|name| *name == *m || (m.len() >= 3 && name.starts_with(*m)))?;
        return Date::new(year(y)?, month as i8 + 1, day);
    }
    None
}

fn year(s: &str) -> Option<i16> {
    match s.len() {
        4 => s.parse().ok(),
        2 => s.parse::<i16>().ok().map(|y| 2000 + y),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<String> {
        parse_date(s).map(|d| d.to_string())
    }

    #[test]
    fn dates_are_read_day_first() {
        assert_eq!(d("2025-04-30").as_deref(), Some("2025-04-30"));
        assert_eq!(d("30/04/2025").as_deref(), Some("2025-04-30"));
        assert_eq!(d("04/05/2025").as_deref(), Some("2025-05-04"));
        assert_eq!(d("4/5/25").as_deref(), Some("2025-05-04"));
        assert_eq!(d("30 April 2025").as_deref(), Some("2025-04-30"));
        assert_eq!(d("30 Apr 2025").as_deref(), Some("2025-04-30"));
        assert_eq!(d("Wednesday, 30 April 2025").as_deref(), Some("2025-04-30"));
        assert_eq!(d("1st May 2025").as_deref(), Some("2025-05-01"));
        assert_eq!(d("2025-04-30 00:00:00").as_deref(), Some("2025-04-30"));
        assert_eq!(d("04/30/2025"), None, "month first is not a date");
        assert_eq!(d("31/02/2025"), None);
        assert_eq!(d("soon"), None);
        assert_eq!(d("30 Foo 2025"), None);
    }

    #[test]
    fn lists_split_on_commas_semicolons_and_lines() {
        assert_eq!(split("A2; A1"), vec!["A2", "A1"]);
        assert_eq!(split("A1,A2\nA3 ;; "), vec!["A1", "A2", "A3"]);
    }

    #[test]
    fn yes_no_cells_are_true_or_the_default() {
        let mut failed = Vec::new();
        let mut fail = |_: Rule, m: String, h: String| failed.push((m, h));
        for yes in ["yes", "Y", "TRUE", "true", "1", "Yes."] {
            assert_eq!(
                yes_no(yes, yes, "hint", &mut fail),
                Some(FieldValue::Bool(true)),
                "{yes}"
            );
        }
        for no in ["no", "N", "FALSE", "false", "0"] {
            assert_eq!(yes_no(no, no, "hint", &mut fail), None, "{no}");
        }
        assert_eq!(
            yes_no("maybe", "maybe", "hint", &mut fail),
            Some(FieldValue::Raw("maybe".into()))
        );
        assert_eq!(
            failed,
            [("`maybe` is not yes or no".to_owned(), "hint".to_owned())]
        );
    }

    #[test]
    fn shown_values_never_hold_an_identifier() {
        assert_eq!(shown("NHS 943 476 5919"), "NHS *********919");
        assert!(shown(&"x".repeat(100)).ends_with('…'));
    }
}
