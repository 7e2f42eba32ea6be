//! Official statistics (spec section 10): the explore-education-statistics
//! tidy CSVs under `data/` that measures name in `official:`. Runs after
//! loading and before the checks, for every command: each file is read
//! once however many measures use it, the local area's rows join the
//! measure's data, and England, the region and the neighbours become its
//! benchmarks. Every problem is a `data-source` finding at the `official:`
//! key concerned.

mod findings;
pub mod period;
mod series;
pub mod symbol;
pub mod tidy;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::finding::Finding;
use crate::model::{Area, Date, Plan, Point, Repo, Resolved};

use findings::Report;

/// How long after its newest local figure a file may be before a newer
/// release may be out (spec section 10).
pub const STALE_MONTHS: u32 = 15;

/// The folder official statistics files live in.
pub const DATA_DIR: &str = "data";

/// Reads every measure's `official:` file and fills the measure's data,
/// benchmarks and suppressed periods. `resolve` turns `file:` into a path
/// inside the repository (or says why it is not one); `texts` holds the
/// files under data/ as loading read and decoded them (by their byte-order
/// mark, else UTF-8, else Windows-1252), so each is read from disk once.
pub fn apply(
    root: &Path,
    plan: &Plan,
    areas: &mut [Area],
    out: &mut Vec<Finding>,
    resolve: &dyn Fn(&str) -> Resolved,
    texts: &HashMap<String, String>,
) {
    // By file, the (area, measure) indexes that use it, in repository order.
    let mut by_file: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    for (a, area) in areas.iter().enumerate() {
        for (m, measure) in area.measures.iter().enumerate() {
            let Some(official) = &measure.official else {
                continue;
            };
            let report = Report::new(&area.file, measure.id.value.as_str());
            if plan.local_authority.is_none() {
                out.push(report.no_local_authority(official, &plan.file));
                continue;
            }
            match resolve(&official.file.value) {
                Resolved::Unsafe(why) => out.push(report.unsafe_path(official, &why)),
                Resolved::Missing(why) => out.push(report.missing(official, &why)),
                Resolved::File(rel) if !under_data(&rel) => {
                    out.push(report.not_under_data(official, &rel))
                }
                Resolved::File(rel) => by_file.entry(rel).or_default().push((a, m)),
            }
        }
    }
    let Some(la) = &plan.local_authority else {
        return;
    };
    let places = tidy::Places {
        code: &la.code.value,
        old_code: la.old_code.as_ref().map(|o| o.value.as_str()),
        neighbours: la.neighbours.iter().map(|n| n.value.as_str()).collect(),
    };
    for (rel, users) in by_file {
        let results = {
            let requests: Vec<tidy::Request> = users
                .iter()
                .map(|&(a, m)| {
                    let o = areas[a].measures[m]
                        .official
                        .as_ref()
                        .expect("grouped above");
                    tidy::Request {
                        value: &o.value.value,
                        filters: o
                            .filters
                            .iter()
                            .map(|(c, v)| (c.value.as_str(), v.value.as_str()))
                            .collect(),
                    }
                })
                .collect();
            if !rel.to_ascii_lowercase().ends_with(".csv") {
                Err(tidy::FileProblem::NotCsv(
                    "its name does not end in .csv".to_owned(),
                ))
            } else if let Some(text) = texts.get(&rel) {
                tidy::read(text.as_bytes(), &places, &requests)
            } else {
                // Not read while loading (a link to elsewhere in the
                // repository, or text pack could not decode): from disk.
                std::fs::File::open(root.join(&rel))
                    .map_err(|e| tidy::FileProblem::Unreadable(e.to_string()))
                    .and_then(|f| tidy::read(std::io::BufReader::new(f), &places, &requests))
            }
        };
        for (k, &(a, m)) in users.iter().enumerate() {
            let area = &mut areas[a];
            let measure = &mut area.measures[m];
            let report = Report::new(&area.file, measure.id.value.as_str());
            let official = measure.official.as_mut().expect("grouped above");
            official.resolved = Some(rel.clone());
            let rows = match &results {
                Err(problem) => {
                    out.push(report.file_problem(official, &rel, problem));
                    continue;
                }
                Ok(all) => &all[k],
            };
            for p in &rows.problems {
                out.push(report.problem(official, &rel, la, p));
            }
            let series = series::build(rows, la, official);
            // A comparison asked for by name that the file cannot give.
            for kind in official.compare.iter().flatten() {
                if rows.problems.is_empty()
                    && !series.benchmarks.iter().any(|b| b.kind == kind.value)
                {
                    out.push(report.no_benchmark(kind, &rel, la));
                }
            }
            official.newest = series.local.iter().map(|(d, _, _)| *d).max();
            official.periods = rows.local_periods.clone();
            measure.benchmarks = series.benchmarks;
            measure.suppressed = series.suppressed;
            merge(
                &mut measure.data,
                &series.local,
                &report,
                official,
                &rel,
                out,
            );
        }
    }
}

/// The local figures join the hand-written `data:`: the same date with an
/// equal value is one point; a different value is `inconsistent-data` at
/// the hand-written point (which is kept, so that the file and the YAML do
/// not also read as two points on one date).
fn merge(
    data: &mut Vec<Point>,
    local: &[(Date, f64, u64)],
    report: &Report,
    official: &crate::model::Official,
    rel: &str,
    out: &mut Vec<Finding>,
) {
    for &(date, value, line) in local {
        match data.iter().find(|p| p.date == date) {
            Some(hand) if same(hand.value, value) => {}
            Some(hand) => out.push(report.conflict(hand, value, rel, line)),
            None => data.push(Point {
                date,
                value,
                note: None,
                pos: official.file.pos,
            }),
        }
    }
    data.sort_by(|a, b| a.date.cmp(&b.date).then(a.value.total_cmp(&b.value)));
}

/// Equal as a reader would write them: 46.4 in YAML and 46.4 in the CSV.
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn under_data(rel: &str) -> bool {
    rel.strip_prefix(DATA_DIR)
        .is_some_and(|r| r.starts_with('/') && r.len() > 1)
}

/// The warning that a measure's newest local figure is more than
/// `STALE_MONTHS` before the as-of date: a newer release may be out.
pub fn stale(repo: &Repo, as_of: Date, out: &mut Vec<Finding>) {
    let cutoff = as_of.minus_months(STALE_MONTHS);
    for area in &repo.areas {
        for measure in &area.measures {
            let Some(official) = &measure.official else {
                continue;
            };
            if let Some(newest) = official.newest
                && newest < cutoff
            {
                out.push(
                    Report::new(&area.file, measure.id.value.as_str())
                        .stale(official, newest, as_of),
                );
            }
        }
    }
}

/// Every data file a measure reads, relative to the root: what the bundle
/// carries beside the attachments.
pub fn files(repo: &Repo) -> Vec<String> {
    let mut files: Vec<String> = repo
        .areas
        .iter()
        .flat_map(|a| &a.measures)
        .filter_map(|m| m.official.as_ref()?.resolved.clone())
        .collect();
    files.sort();
    files.dedup();
    files
}
