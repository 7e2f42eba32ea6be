//! `portfolio.json`: the table as data (docs/portfolio.md documents it).

use anyhow::Result;
use serde::Serialize;

use super::{Portfolio, Signature, slim, table};
use crate::model::Date;

/// The version of this file's shape (semver, as the view's).
pub const SCHEMA_VERSION: &str = "1.0.0";

#[derive(Serialize)]
struct File<'a> {
    schema_version: &'static str,
    tool: String,
    date: Date,
    marking: &'a str,
    areas: Vec<Area<'a>>,
    indicators: Vec<Indicator<'a>>,
    superseded: Vec<Superseded<'a>>,
    left_out: Vec<LeftOut<'a>>,
}

#[derive(Serialize)]
struct Area<'a> {
    identity: &'a str,
    local_authority_code: Option<&'a str>,
    name: &'a str,
    plan_id: &'a str,
    plan_title: &'a str,
    visit: Option<&'a slim::Visit>,
    as_of: Date,
    build_date: Date,
    made_by: &'a str,
    bundle: String,
    pack: Option<&'a str>,
    signature: SignatureOut<'a>,
    ratings: Ratings,
    areas_total: usize,
    areas_with_evidence: usize,
    open_letter_points: Option<usize>,
    overdue_actions: usize,
}

#[derive(Serialize)]
struct Ratings {
    red: usize,
    amber: usize,
    green: usize,
    complete: usize,
    unrated: usize,
}

#[derive(Serialize)]
struct SignatureOut<'a> {
    checked: bool,
    key: Option<&'a str>,
    words: String,
}

#[derive(Serialize)]
struct Indicator<'a> {
    file: &'a str,
    value: &'a str,
    #[serde(rename = "where")]
    filters: &'a std::collections::BTreeMap<String, String>,
    title: &'a str,
    unit: &'a str,
    /// One per area, in the order of `areas`.
    cells: Vec<Option<Cell<'a>>>,
}

#[derive(Serialize)]
struct Cell<'a> {
    date: Date,
    value: &'a str,
    number: Option<f64>,
    england: Option<f64>,
    series: Vec<Point>,
}

#[derive(Serialize)]
struct Point {
    date: Date,
    value: String,
    number: Option<f64>,
    england: Option<f64>,
}

#[derive(Serialize)]
struct Superseded<'a> {
    bundle: String,
    name: &'a str,
    as_of: Date,
    build_date: Date,
    by: String,
}

#[derive(Serialize)]
struct LeftOut<'a> {
    bundle: String,
    reason: &'a str,
}

pub fn file(p: &Portfolio) -> Result<Vec<u8>> {
    let f = File {
        schema_version: SCHEMA_VERSION,
        tool: format!("pack {}", crate::VERSION),
        date: p.today,
        marking: &p.marking,
        areas: p
            .rows
            .iter()
            .map(|r| Area {
                identity: &r.identity,
                local_authority_code: r.la_code.as_deref(),
                name: &r.name,
                plan_id: &r.plan_id,
                plan_title: &r.plan_title,
                visit: r.visit.as_ref(),
                as_of: r.as_of,
                build_date: r.build_date,
                made_by: &r.tool,
                bundle: r.path.display().to_string(),
                pack: r.link.as_deref(),
                signature: SignatureOut {
                    checked: matches!(r.signature, Signature::Checked { .. }),
                    key: match &r.signature {
                        Signature::Checked { key, .. } => Some(key),
                        Signature::NotChecked => None,
                    },
                    words: r.signature.words(),
                },
                ratings: Ratings {
                    red: r.ratings.red,
                    amber: r.ratings.amber,
                    green: r.ratings.green,
                    complete: r.ratings.complete,
                    unrated: r.ratings.unrated,
                },
                areas_total: r.areas_total,
                areas_with_evidence: r.areas_with_evidence,
                open_letter_points: r.open_points,
                overdue_actions: r.overdue_actions,
            })
            .collect(),
        indicators: p
            .indicators
            .iter()
            .map(|i| Indicator {
                file: &i.key.file,
                value: &i.key.value,
                filters: &i.key.filters,
                title: &i.title,
                unit: &i.unit,
                cells: i
                    .cells
                    .iter()
                    .zip(&p.rows)
                    .map(|(c, row)| {
                        c.as_ref().map(|c| Cell {
                            date: c.date,
                            value: &c.value,
                            number: c.number,
                            england: c.england,
                            series: table::series_of(row, &i.key)
                                .map(|s| {
                                    s.points
                                        .iter()
                                        .map(|(d, v, n)| Point {
                                            date: *d,
                                            value: v.clone(),
                                            number: *n,
                                            england: table::england_on(s, *d),
                                        })
                                        .collect()
                                })
                                .unwrap_or_default(),
                        })
                    })
                    .collect(),
            })
            .collect(),
        superseded: p
            .superseded
            .iter()
            .map(|s| Superseded {
                bundle: s.path.display().to_string(),
                name: &s.name,
                as_of: s.as_of,
                build_date: s.build_date,
                by: s.by.display().to_string(),
            })
            .collect(),
        left_out: p
            .failed
            .iter()
            .map(|f| LeftOut {
                bundle: f.path.display().to_string(),
                reason: &f.reason,
            })
            .collect(),
    };
    let mut out = serde_json::to_vec_pretty(&f)?;
    out.push(b'\n');
    Ok(out)
}
