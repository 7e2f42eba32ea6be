//! From one measure's rows to what the model keeps: the local points, the
//! periods suppressed in the source, and the England, region and
//! neighbours benchmarks (the neighbours' mean per period, with how many
//! neighbours had a number).

use std::collections::BTreeMap;

use crate::model::{BenchKind, BenchPoint, Benchmark, Date, LocalAuthority, Official};

use super::symbol::Cell;
use super::tidy::{Rows, Value};

/// What a measure gets from its file.
pub struct Series {
    /// The local area's numbers, by period end date, with their CSV line.
    pub local: Vec<(Date, f64, u64)>,
    /// Periods whose local figure is a symbol.
    pub suppressed: Vec<Date>,
    pub benchmarks: Vec<Benchmark>,
}

pub fn build(rows: &Rows, la: &LocalAuthority, official: &Official) -> Series {
    let wanted = |k: BenchKind| {
        official
            .compare
            .as_ref()
            .is_none_or(|c| c.iter().any(|x| x.value == k))
    };
    let mut local = Vec::new();
    let mut suppressed = Vec::new();
    for (date, v) in &rows.local {
        match v.cell {
            Cell::Number(x) => local.push((*date, x, v.line)),
            Cell::Symbol => suppressed.push(*date),
            Cell::Bad => {}
        }
    }
    let mut benchmarks = Vec::new();
    if wanted(BenchKind::England) {
        let points = numbers(&rows.england);
        if !points.is_empty() {
            benchmarks.push(Benchmark {
                kind: BenchKind::England,
                name: rows
                    .england_name
                    .clone()
                    .unwrap_or_else(|| "England".to_owned()),
                of: None,
                points,
            });
        }
    }
    if wanted(BenchKind::Region)
        && let Some((name, series)) = rows
            .local_region
            .as_ref()
            .and_then(|code| rows.regions.get(code))
    {
        let points = numbers(series);
        if !points.is_empty() {
            benchmarks.push(Benchmark {
                kind: BenchKind::Region,
                name: if name.is_empty() {
                    rows.local_region.clone().unwrap_or_default()
                } else {
                    name.clone()
                },
                of: None,
                points,
            });
        }
    }
    if wanted(BenchKind::Neighbours) && !la.neighbours.is_empty() {
        let points = mean(&rows.neighbours);
        if !points.is_empty() {
            benchmarks.push(Benchmark {
                kind: BenchKind::Neighbours,
                name: "Statistical neighbours".to_owned(),
                of: Some(la.neighbours.len()),
                points,
            });
        }
    }
    Series {
        local,
        suppressed,
        benchmarks,
    }
}

fn numbers(series: &BTreeMap<Date, Value>) -> Vec<BenchPoint> {
    series
        .iter()
        .filter_map(|(date, v)| match v.cell {
            Cell::Number(value) => Some(BenchPoint {
                date: *date,
                value,
                count: None,
            }),
            _ => None,
        })
        .collect()
}

/// Per period, the mean of the neighbours that have a number there.
fn mean(neighbours: &[BTreeMap<Date, Value>]) -> Vec<BenchPoint> {
    let mut sums: BTreeMap<Date, (f64, usize)> = BTreeMap::new();
    for series in neighbours {
        for (date, v) in series {
            if let Cell::Number(x) = v.cell {
                let e = sums.entry(*date).or_default();
                e.0 += x;
                e.1 += 1;
            }
        }
    }
    sums.into_iter()
        .map(|(date, (sum, count))| BenchPoint {
            date,
            // Without float noise (46.430000000000007) in the view.
            value: (sum / count as f64 * 1e6).round() / 1e6,
            count: Some(count),
        })
        .collect()
}
