//! Reading one explore-education-statistics "tidy" CSV in a single pass
//! for every measure that uses it: each column index is resolved once, the
//! records are streamed, and only the rows a measure needs (its filters, the
//! local area, England, regions and neighbours) are kept.

use std::collections::{BTreeMap, HashMap};

use csv::ByteRecord;

use crate::model::Date;

use super::period::{self, PeriodError};
use super::symbol::{self, Cell, trim};

/// The columns every tidy file has (spec section 10), besides the code column.
pub const TIDY: [&str; 3] = ["time_period", "time_identifier", "geographic_level"];

/// Location columns: never a filter, so never among "the columns that still vary".
const LOCATION: [&str; 10] = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "new_la_code",
    "old_la_code",
    "la_name",
];

/// What one measure asks of the file.
pub struct Request<'a> {
    pub value: &'a str,
    pub filters: Vec<(&'a str, &'a str)>,
}

/// Whose rows to keep.
pub struct Places<'a> {
    pub code: &'a str,
    pub old_code: Option<&'a str>,
    pub neighbours: Vec<&'a str>,
}

/// A problem with the whole file: every measure using it gets it.
#[derive(Debug)]
pub enum FileProblem {
    Unreadable(String),
    NotCsv(String),
    MissingColumns(Vec<String>),
}

/// A problem with one measure's reading of the file.
#[derive(Debug)]
pub enum Problem {
    NoValueColumn,
    /// The `where` entry (by index) names no column.
    NoFilterColumn(usize),
    /// The `where` entry's value is in no row of its column.
    FilterValueNotFound(usize),
    LocalNotFound {
        by_old_code_only: bool,
    },
    /// More than one row for a period and place after `where`.
    Duplicate {
        line: u64,
        first_line: u64,
        period: String,
        place: String,
        varying: Vec<String>,
        more: usize,
    },
    BadPeriod {
        line: u64,
        period: String,
        identifier: String,
        error: PeriodError,
        more: usize,
    },
    BadCell {
        line: u64,
        text: String,
        more: usize,
    },
}

/// A period's value at one place, with the CSV line it came from.
#[derive(Debug, Clone, Copy)]
pub struct Value {
    pub cell: Cell,
    pub line: u64,
}

/// One measure's rows, by place and period end date.
#[derive(Debug, Default)]
pub struct Rows {
    pub problems: Vec<Problem>,
    pub local: BTreeMap<Date, Value>,
    /// The local periods in DfE's words ("Summer term 2024/25"), by end date.
    pub local_periods: BTreeMap<Date, String>,
    pub england: BTreeMap<Date, Value>,
    pub england_name: Option<String>,
    /// By region code: its name and rows.
    pub regions: HashMap<String, (String, BTreeMap<Date, Value>)>,
    /// The region code of the local area's rows.
    pub local_region: Option<String>,
    /// In the order the plan lists the neighbours.
    pub neighbours: Vec<BTreeMap<Date, Value>>,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Place {
    England,
    Region(u32),
    Local,
    Neighbour(usize),
}

/// Column indexes, resolved once per file.
struct Columns {
    period: usize,
    identifier: usize,
    level: usize,
    new_code: Option<usize>,
    old_code: Option<usize>,
    region_code: Option<usize>,
    region_name: Option<usize>,
    country_name: Option<usize>,
    names: Vec<String>,
}

/// Per request, what the header told us.
struct Want {
    value: Option<usize>,
    filters: Vec<Option<usize>>,
    filter_seen: Vec<bool>,
    /// (place, date) to the index of its record in `kept`.
    seen: HashMap<(Place, Date), usize>,
    rows: Rows,
    duplicates: usize,
    bad_periods: usize,
    bad_cells: usize,
}

/// Reads the file once for all `requests`; the result is in request order.
pub fn read(
    input: impl std::io::Read,
    places: &Places,
    requests: &[Request],
) -> Result<Vec<Rows>, FileProblem> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(input);
    let header = csv
        .byte_headers()
        .map_err(|e| FileProblem::NotCsv(csv_error(&e)))?
        .clone();
    let mut names = Vec::with_capacity(header.len());
    for (i, h) in header.iter().enumerate() {
        let Ok(h) = std::str::from_utf8(h) else {
            return Err(FileProblem::NotCsv(format!(
                "its header row is not UTF-8 text (column {})",
                i + 1
            )));
        };
        // The csv crate has already dropped a UTF-8 byte-order mark (Excel
        // writes one); tests/official.rs reads such a file.
        names.push(h.trim().to_owned());
    }
    let find = |n: &str| names.iter().position(|h| h == n);
    let mut missing: Vec<String> = TIDY
        .iter()
        .filter(|c| find(c).is_none())
        .map(|c| (*c).to_owned())
        .collect();
    let (new_code, old_code) = (find("new_la_code"), find("old_la_code"));
    if new_code.is_none() && old_code.is_none() {
        missing.push("new_la_code (or old_la_code)".to_owned());
    }
    if !missing.is_empty() {
        return Err(FileProblem::MissingColumns(missing));
    }
    let cols = Columns {
        period: find("time_period").unwrap_or_default(),
        identifier: find("time_identifier").unwrap_or_default(),
        level: find("geographic_level").unwrap_or_default(),
        new_code,
        old_code,
        region_code: find("region_code"),
        region_name: find("region_name"),
        country_name: find("country_name"),
        names: names.clone(),
    };
    let mut plans: Vec<Want> = requests
        .iter()
        .map(|r| {
            let value = find(r.value);
            let filters: Vec<Option<usize>> = r.filters.iter().map(|(c, _)| find(c)).collect();
            let mut rows = Rows {
                neighbours: vec![BTreeMap::new(); places.neighbours.len()],
                ..Rows::default()
            };
            if value.is_none() {
                rows.problems.push(Problem::NoValueColumn);
            }
            for (i, f) in filters.iter().enumerate() {
                if f.is_none() {
                    rows.problems.push(Problem::NoFilterColumn(i));
                }
            }
            Want {
                value,
                filter_seen: vec![false; filters.len()],
                filters,
                seen: HashMap::new(),
                rows,
                duplicates: 0,
                bad_periods: 0,
                bad_cells: 0,
            }
        })
        .collect();
    // A measure whose columns are missing reads nothing more.
    let live: Vec<bool> = plans.iter().map(|p| p.rows.problems.is_empty()).collect();
    let filter_values: Vec<Vec<&[u8]>> = requests
        .iter()
        .map(|r| r.filters.iter().map(|(_, v)| v.as_bytes()).collect())
        .collect();

    let mut region_ids: HashMap<Vec<u8>, u32> = HashMap::new();
    let mut region_codes: Vec<String> = Vec::new();
    let mut periods: HashMap<(Vec<u8>, Vec<u8>), Result<Date, PeriodError>> = HashMap::new();
    let mut kept: Vec<ByteRecord> = Vec::new();
    let mut record = ByteRecord::new();
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(FileProblem::NotCsv(csv_error(&e))),
        }
        let line = record.position().map_or(0, |p| p.line());
        let get = |i: usize| trim(record.get(i).unwrap_or_default());
        let level = get(cols.level);
        let place = if level.eq_ignore_ascii_case(b"National") {
            Some(Place::England)
        } else if level.eq_ignore_ascii_case(b"Regional") {
            cols.region_code.map(|i| {
                let code = get(i);
                let next = region_ids.len() as u32;
                let id = *region_ids.entry(code.to_vec()).or_insert_with(|| {
                    region_codes.push(String::from_utf8_lossy(code).into_owned());
                    next
                });
                Place::Region(id)
            })
        } else if level.eq_ignore_ascii_case(b"Local authority") {
            la_place(&cols, &record, places)
        } else {
            None
        };
        for (k, plan) in plans.iter_mut().enumerate() {
            if !live[k] {
                continue;
            }
            let mut pass = true;
            for (j, col) in plan.filters.iter().enumerate() {
                let hit = col.is_some_and(|c| get(c) == filter_values[k][j]);
                plan.filter_seen[j] |= hit;
                pass &= hit;
            }
            let Some(place) = place.filter(|_| pass) else {
                continue;
            };
            if place == Place::Local
                && plan.rows.local_region.is_none()
                && let Some(i) = cols.region_code
                && !get(i).is_empty()
            {
                plan.rows.local_region = Some(String::from_utf8_lossy(get(i)).into_owned());
            }
            let (p, id) = (get(cols.period), get(cols.identifier));
            let date = periods
                .entry((p.to_vec(), id.to_vec()))
                .or_insert_with(|| {
                    period::end_date(&String::from_utf8_lossy(p), &String::from_utf8_lossy(id))
                })
                .clone();
            let date = match date {
                Ok(d) => d,
                Err(error) => {
                    if plan.bad_periods == 0 {
                        plan.rows.problems.push(Problem::BadPeriod {
                            line,
                            period: String::from_utf8_lossy(p).into_owned(),
                            identifier: String::from_utf8_lossy(id).into_owned(),
                            error,
                            more: 0,
                        });
                    }
                    plan.bad_periods += 1;
                    continue;
                }
            };
            let raw = get(plan.value.unwrap_or_default());
            let cell = symbol::read(raw);
            if cell == Cell::Bad {
                if plan.bad_cells == 0 {
                    plan.rows.problems.push(Problem::BadCell {
                        line,
                        text: String::from_utf8_lossy(raw).into_owned(),
                        more: 0,
                    });
                }
                plan.bad_cells += 1;
                continue;
            }
            if let Some(&first) = plan.seen.get(&(place, date)) {
                if plan.duplicates == 0 {
                    let skip: Vec<usize> = LOCATION
                        .iter()
                        .filter_map(|c| cols.names.iter().position(|h| h == c))
                        .chain(plan.value)
                        .collect();
                    plan.rows.problems.push(Problem::Duplicate {
                        line,
                        first_line: kept[first].position().map_or(0, |p| p.line()),
                        period: format!(
                            "{} {}",
                            String::from_utf8_lossy(id),
                            String::from_utf8_lossy(p)
                        ),
                        place: place_name(&cols, &record, place),
                        varying: varying(&cols.names, &kept[first], &record, &skip),
                        more: 0,
                    });
                }
                plan.duplicates += 1;
                continue;
            }
            kept.push(record.clone());
            plan.seen.insert((place, date), kept.len() - 1);
            let v = Value { cell, line };
            match place {
                Place::England => {
                    if plan.rows.england_name.is_none() {
                        plan.rows.england_name = cols
                            .country_name
                            .map(|i| String::from_utf8_lossy(get(i)).into_owned())
                            .filter(|n| !n.is_empty());
                    }
                    plan.rows.england.insert(date, v);
                }
                Place::Region(r) => {
                    let name = cols
                        .region_name
                        .map(|i| String::from_utf8_lossy(get(i)).into_owned())
                        .unwrap_or_default();
                    plan.rows
                        .regions
                        .entry(region_codes[r as usize].clone())
                        .or_insert_with(|| (name, BTreeMap::new()))
                        .1
                        .insert(date, v);
                }
                Place::Local => {
                    plan.rows.local.insert(date, v);
                    plan.rows.local_periods.insert(
                        date,
                        period::name(&String::from_utf8_lossy(p), &String::from_utf8_lossy(id)),
                    );
                }
                Place::Neighbour(n) => {
                    plan.rows.neighbours[n].insert(date, v);
                }
            }
        }
    }
    Ok(plans
        .into_iter()
        .enumerate()
        .map(|(k, mut plan)| {
            if live[k] {
                for (j, seen) in plan.filter_seen.iter().enumerate() {
                    if !seen {
                        plan.rows.problems.push(Problem::FilterValueNotFound(j));
                    }
                }
                if plan.rows.local.is_empty()
                    && plan.filter_seen.iter().all(|s| *s)
                    && plan.bad_periods == 0
                    && plan.bad_cells == 0
                {
                    plan.rows.problems.push(Problem::LocalNotFound {
                        by_old_code_only: cols.new_code.is_none() && places.old_code.is_none(),
                    });
                }
            }
            for p in &mut plan.rows.problems {
                match p {
                    Problem::Duplicate { more, .. } => *more = plan.duplicates - 1,
                    Problem::BadPeriod { more, .. } => *more = plan.bad_periods - 1,
                    Problem::BadCell { more, .. } => *more = plan.bad_cells - 1,
                    _ => {}
                }
            }
            plan.rows
        })
        .collect())
}

/// Which of the plan's local authorities a Local authority row is, if any.
fn la_place(cols: &Columns, record: &ByteRecord, places: &Places) -> Option<Place> {
    let new = cols
        .new_code
        .map(|i| trim(record.get(i).unwrap_or_default()));
    let old = cols
        .old_code
        .map(|i| trim(record.get(i).unwrap_or_default()));
    if new.is_some_and(|c| !c.is_empty() && c == places.code.as_bytes())
        || old.is_some_and(|c| !c.is_empty() && places.old_code.is_some_and(|o| c == o.as_bytes()))
    {
        return Some(Place::Local);
    }
    let new = new.filter(|c| !c.is_empty())?;
    places
        .neighbours
        .iter()
        .position(|n| n.as_bytes() == new)
        .map(Place::Neighbour)
}

fn place_name(cols: &Columns, record: &ByteRecord, place: Place) -> String {
    let col = |i: Option<usize>| {
        i.and_then(|i| record.get(i))
            .map(|b| String::from_utf8_lossy(trim(b)).into_owned())
            .filter(|s| !s.is_empty())
    };
    match place {
        Place::England => col(cols.country_name).unwrap_or_else(|| "England".to_owned()),
        Place::Region(_) => col(cols.region_name)
            .or_else(|| col(cols.region_code))
            .unwrap_or_else(|| "a region".to_owned()),
        Place::Local | Place::Neighbour(_) => col(cols.names.iter().position(|h| h == "la_name"))
            .or_else(|| col(cols.new_code))
            .or_else(|| col(cols.old_code))
            .unwrap_or_else(|| "a local authority".to_owned()),
    }
}

/// The columns whose values differ between two rows of one period and
/// place: the filters still to add to `where`. Columns holding numbers or
/// symbols in both rows are indicators, not filters, and are named only
/// when no text column differs.
fn varying(names: &[String], a: &ByteRecord, b: &ByteRecord, skip: &[usize]) -> Vec<String> {
    let differ: Vec<usize> = (0..names.len())
        .filter(|i| !skip.contains(i))
        .filter(|&i| trim(a.get(i).unwrap_or_default()) != trim(b.get(i).unwrap_or_default()))
        .collect();
    let is_text = |i: usize| {
        [a, b]
            .iter()
            .any(|r| symbol::read(r.get(i).unwrap_or_default()) == Cell::Bad)
    };
    let text: Vec<usize> = differ.iter().copied().filter(|&i| is_text(i)).collect();
    let chosen = if text.is_empty() { differ } else { text };
    chosen.into_iter().map(|i| names[i].clone()).collect()
}

fn csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => format!(
            "line {} has {len} fields where the header row has {expected_len}",
            pos.as_ref().map_or(0, |p| p.line())
        ),
        csv::ErrorKind::Utf8 { pos, .. } => format!(
            "line {} is not UTF-8 text",
            pos.as_ref().map_or(0, |p| p.line())
        ),
        _ => e.to_string(),
    }
}
