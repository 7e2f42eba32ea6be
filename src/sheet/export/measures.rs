//! The Measures sheet: one row per data point of every measure, with the
//! measure's target, floor and direction repeated on each row so that a
//! filtered or sorted sheet still reads. A measure with no data yet has one
//! row with no date or value, so that every measure appears.

use crate::model::{Measure, Point, Repo};

use super::table::{Table, Value};
use super::words;

pub const SHEET: &str = "Measures";

pub fn sheet(repo: &Repo) -> Table {
    let mut table = Table::new(
        SHEET,
        &[
            "Area",
            "Measure",
            "Title",
            "Date",
            "Value",
            "Unit",
            "Target",
            "Target date",
            "Floor",
            "Direction",
            "Source",
            "Note",
        ],
    );
    // Source and Note stay in the sheet, outside the print area: long
    // text that would narrow every printed column.
    table.print = 10;
    for area in &repo.areas {
        for m in &area.measures {
            if m.data.is_empty() {
                table.push(row(area.id.value.as_str(), m, None));
            }
            for p in &m.data {
                table.push(row(area.id.value.as_str(), m, Some(p)));
            }
        }
    }
    table
}

fn row(area: &str, m: &Measure, p: Option<&Point>) -> Vec<Value> {
    vec![
        Value::text(area),
        Value::text(m.id.value.as_str()),
        Value::text(m.title.as_str()),
        Value::date(p.map(|p| p.date)),
        p.map_or(Value::Blank, |p| Value::Number(p.value)),
        Value::text(m.unit.trim()),
        m.target
            .as_ref()
            .map_or(Value::Blank, |t| Value::Number(t.value)),
        Value::date(m.target.as_ref().map(|t| t.date)),
        m.floor.map_or(Value::Blank, Value::Number),
        Value::text(words::direction(m.direction)),
        Value::text(m.source.as_deref().unwrap_or("")),
        Value::text(p.and_then(|p| p.note.as_deref()).unwrap_or("")),
    ]
}
