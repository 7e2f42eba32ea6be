//! The official indicators two or more local areas use: the same data
//! file name, `value` and `where` (spec section 12). Each area's cell is
//! its latest figure beside England's for the same period.

use std::collections::BTreeMap;

use super::{Bundle, Series, slim};
use crate::model::Date;

/// One shared indicator: a column of the table, and a sheet of series.
#[derive(Debug, Clone)]
pub struct Indicator {
    pub key: slim::Official,
    /// The measure's title in the first area that uses it.
    pub title: String,
    pub unit: String,
    /// One cell per row of the portfolio (`None`: the area does not use it).
    pub cells: Vec<Option<Cell>>,
}

/// An area's latest figure, and England's for the same period.
#[derive(Debug, Clone)]
pub struct Cell {
    pub date: Date,
    pub value: String,
    pub number: Option<f64>,
    pub england: Option<f64>,
}

impl Indicator {
    /// "pc_plans_issued_within_20_weeks_ex in ehc-plan-timeliness.csv,
    /// breakdown = All EHC plans".
    pub fn source(&self) -> String {
        let mut s = format!("{} in {}", self.key.value, self.key.file);
        for (k, v) in &self.key.filters {
            s.push_str(&format!(", {k} = {v}"));
        }
        s
    }
}

/// The indicators of `rows` that two or more of them use, in order of file
/// and column.
pub fn shared(rows: &[Bundle]) -> Vec<Indicator> {
    let mut users: BTreeMap<&slim::Official, Vec<usize>> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        for s in &row.series {
            let u = users.entry(&s.key).or_default();
            if u.last() != Some(&i) {
                u.push(i);
            }
        }
    }
    users
        .into_iter()
        .filter(|(_, u)| u.len() >= 2)
        .map(|(key, u)| {
            let first = series_of(&rows[u[0]], key);
            Indicator {
                key: key.clone(),
                title: first.map(|s| s.title.clone()).unwrap_or_default(),
                unit: first.map(|s| s.unit.clone()).unwrap_or_default(),
                cells: rows
                    .iter()
                    .map(|r| series_of(r, key).and_then(latest))
                    .collect(),
            }
        })
        .collect()
}

/// The area's series of an indicator (the first measure that uses it).
pub fn series_of<'a>(row: &'a Bundle, key: &slim::Official) -> Option<&'a Series> {
    row.series.iter().find(|s| &s.key == key)
}

fn latest(s: &Series) -> Option<Cell> {
    let (date, value, number) = s.points.last()?;
    Some(Cell {
        date: *date,
        value: value.clone(),
        number: *number,
        england: england_on(s, *date),
    })
}

/// England's figure for the period ending on `date`.
pub fn england_on(s: &Series, date: Date) -> Option<f64> {
    s.england.iter().find(|(d, _)| *d == date).map(|(_, v)| *v)
}

/// A figure as the table shows it: up to one decimal place, no trailing ".0".
pub fn figure(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}
