//! `portfolio.xlsx`: the table, then one sheet per shared indicator with
//! every area's series, written by the export's workbook writer (frozen
//! header, filters, columns and rows sized, set up to print as the export
//! is).

use anyhow::Result;

use super::{Portfolio, Signature, table};
use crate::sheet::export::{Page, Table, Value};

/// Excel's longest sheet name.
const MAX_SHEET_NAME: usize = 31;

pub fn workbook(p: &Portfolio) -> Result<Vec<u8>> {
    let page = Page {
        marking: p.marking.clone(),
        plan_title: String::new(),
        as_of: Some(p.today),
        subject: Some(format!(
            "portfolio of {} local area{}",
            p.rows.len(),
            crate::assess::plural(p.rows.len())
        )),
    };
    let mut tables = vec![areas(p, &page)];
    for (n, i) in p.indicators.iter().enumerate() {
        tables.push(indicator(p, i, n + 1, &page));
    }
    let title = format!("Portfolio of {} local areas", p.rows.len());
    let written = crate::sheet::export::xlsx::workbook(&tables, &title, p.today)?;
    for w in &written.warnings {
        eprintln!("warning: portfolio.xlsx: {w}");
    }
    Ok(written.bytes)
}

fn areas(p: &Portfolio, page: &Page) -> Table {
    let mut headers: Vec<String> = [
        "Local area",
        "Code",
        "Plan",
        "Visit",
        "Visit date",
        "As of",
        "Red",
        "Amber",
        "Green",
        "Complete",
        "Areas",
        "With the evidence they need",
        "Open letter points",
        "Overdue actions",
        "Signature",
    ]
    .map(String::from)
    .to_vec();
    for i in &p.indicators {
        headers.push(format!("{} (latest)", i.title));
        headers.push(format!("{}: England", i.title));
        headers.push(format!("{}: period", i.title));
    }
    let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut t = Table::new("Portfolio", &refs);
    t.page = page.clone();
    // On paper: the area and its counts; indicators stay in the sheet.
    t.print = 15;
    for (n, r) in p.rows.iter().enumerate() {
        let mut row = vec![
            Value::text(r.name.clone()),
            Value::text(r.la_code.clone().unwrap_or_default()),
            Value::text(r.plan_title.clone()),
            Value::text(
                r.visit
                    .as_ref()
                    .map(|v| v.title.clone())
                    .unwrap_or_default(),
            ),
            Value::date(
                r.visit
                    .as_ref()
                    .and_then(|v| crate::model::Date::parse(&v.date).ok()),
            ),
            Value::Date(r.as_of),
            Value::count(r.ratings.red),
            Value::count(r.ratings.amber),
            Value::count(r.ratings.green),
            Value::count(r.ratings.complete),
            Value::count(r.areas_total),
            Value::count(r.areas_with_evidence),
            r.open_points.map_or(Value::Blank, Value::count),
            Value::count(r.overdue_actions),
            Value::text(match &r.signature {
                Signature::Checked { key, .. } => format!("checked (key {key})"),
                Signature::NotChecked => "signature not checked".into(),
            }),
        ];
        for i in &p.indicators {
            match &i.cells[n] {
                Some(c) => {
                    row.push(
                        c.number
                            .map_or_else(|| Value::text(c.value.clone()), Value::Number),
                    );
                    row.push(c.england.map_or(Value::Blank, Value::Number));
                    row.push(Value::Date(c.date));
                }
                None => row.extend([Value::Blank, Value::Blank, Value::Blank]),
            }
        }
        t.push(row);
    }
    t
}

/// Every area's series of one indicator, a row per date: England, then
/// each area that uses it.
fn indicator(p: &Portfolio, i: &table::Indicator, n: usize, page: &Page) -> Table {
    let users: Vec<usize> = (0..p.rows.len())
        .filter(|k| i.cells[*k].is_some())
        .collect();
    let mut headers = vec!["Date".to_owned(), "England".to_owned()];
    headers.extend(users.iter().map(|k| p.rows[*k].name.clone()));
    let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut t = Table::new("Indicator", &refs);
    t.name = sheet_name(n, &i.title);
    t.page = Page {
        subject: Some(format!("{} ({})", i.title, i.source())),
        ..page.clone()
    };
    let mut dates: Vec<crate::model::Date> = users
        .iter()
        .filter_map(|k| table::series_of(&p.rows[*k], &i.key))
        .flat_map(|s| s.points.iter().map(|x| x.0))
        .collect();
    dates.sort();
    dates.dedup();
    for d in dates {
        let mut england = None;
        let mut cells = Vec::new();
        for k in &users {
            let s = table::series_of(&p.rows[*k], &i.key);
            england = england.or_else(|| s.and_then(|s| table::england_on(s, d)));
            cells.push(
                s.and_then(|s| s.points.iter().find(|x| x.0 == d))
                    .map_or(Value::Blank, |(_, text, num)| {
                        num.map_or_else(|| Value::text(text.clone()), Value::Number)
                    }),
            );
        }
        let mut row = vec![Value::Date(d), england.map_or(Value::Blank, Value::Number)];
        row.extend(cells);
        t.push(row);
    }
    t
}

/// "2 Plans issued within 20 w": numbered (names must differ) and cut to
/// what a sheet name holds, without the characters Excel refuses.
fn sheet_name(n: usize, title: &str) -> String {
    let clean: String = title
        .chars()
        .map(|c| if "[]:*?/\\'".contains(c) { ' ' } else { c })
        .collect();
    let s = format!("{n} {}", clean.trim());
    let cut: String = s.chars().take(MAX_SHEET_NAME).collect();
    cut.trim_end().to_owned()
}
