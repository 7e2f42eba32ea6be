//! inconsistent-data: data that contradicts itself, and the calendar's edge
//! (a `limit`): dates whose freshness window runs past 9999-12-31.

use std::collections::{HashMap, HashSet};

use crate::finding::{Finding, Rule};
use crate::model::{Evidence, Repo};
use crate::timeline::Currency;

pub fn inconsistent_data(repo: &Repo, out: &mut Vec<Finding>) {
    evidence_dates(repo, out);
    supersession(repo, out);
    measure_points(repo, out);
    visits(repo, out);
}

fn evidence_dates(repo: &Repo, out: &mut Vec<Finding>) {
    let currency = Currency::new(repo);
    for e in &repo.evidence {
        let Some(date) = &e.date else { continue };
        if let Some(until) = &e.valid_until
            && until.value < date.value
        {
            out.push(
                Finding::new(
                    Rule::InconsistentData,
                    &e.file,
                    until.pos,
                    format!(
                        "`valid_until` {} is before the item's date {}: it can never be current",
                        until.value, date.value
                    ),
                )
                .hint("correct one of the two dates")
                .about(e.id.value.as_str())
                .width(10),
            );
        }
        if currency.last_day_by_age(date.value).is_none() && e.valid_until.is_none() {
            out.push(
                Finding::new(
                    Rule::Limit,
                    &e.file,
                    date.pos,
                    format!(
                        "{} stays current past 9999-12-31, the last date pack computes with",
                        date.value
                    ),
                )
                .hint("check the year")
                .about(e.id.value.as_str())
                .width(10),
            );
        }
    }
}

/// `supersedes` naming the item itself, a later-dated item, or forming a cycle.
fn supersession(repo: &Repo, out: &mut Vec<Finding>) {
    let by_id: HashMap<&str, &Evidence> = repo
        .evidence
        .iter()
        .filter(|e| e.id_ok)
        .map(|e| (e.id.value.as_str(), e))
        .collect();
    let edges: HashMap<&str, Vec<&str>> = repo
        .evidence
        .iter()
        .filter(|e| e.id_ok && !e.supersedes.is_empty())
        .map(|e| {
            (
                e.id.value.as_str(),
                e.supersedes.iter().map(|s| s.value.as_str()).collect(),
            )
        })
        .collect();
    for e in repo.evidence.iter().filter(|e| e.id_ok) {
        let me = e.id.value.as_str();
        for s in &e.supersedes {
            let target = s.value.as_str();
            let problem = if target == me {
                Some("an item cannot supersede itself".to_owned())
            } else if let (Some(mine), Some(theirs)) =
                (&e.date, by_id.get(target).and_then(|t| t.date.as_ref()))
                && theirs.value > mine.value
            {
                Some(format!(
                    "{me} (dated {}) supersedes {target}, which is dated later ({})",
                    mine.value, theirs.value
                ))
            } else if reaches(&edges, target, me) {
                Some(format!(
                    "{me} supersedes {target}, which (through `supersedes`) supersedes {me}: a cycle"
                ))
            } else {
                None
            };
            if let Some(why) = problem {
                out.push(
                    Finding::new(Rule::InconsistentData, &e.file, s.pos, why)
                        .hint("an item supersedes only earlier items it replaces")
                        .about(me)
                        .width(target.chars().count()),
                );
            }
        }
    }
}

/// Whether `to` can be reached from `from` along `supersedes` (iteratively).
fn reaches(edges: &HashMap<&str, Vec<&str>>, from: &str, to: &str) -> bool {
    let mut seen = HashSet::new();
    let mut stack = vec![from];
    while let Some(n) = stack.pop() {
        if n == to {
            return true;
        }
        if seen.insert(n)
            && let Some(next) = edges.get(n)
        {
            stack.extend(next.iter().copied());
        }
    }
    false
}

fn measure_points(repo: &Repo, out: &mut Vec<Finding>) {
    for a in &repo.areas {
        for m in &a.measures {
            // `data` is sorted by date: a repeated date is next to its twin.
            for w in m.data.windows(2) {
                if w[0].date == w[1].date {
                    let later = if w[0].pos > w[1].pos { &w[0] } else { &w[1] };
                    out.push(
                        Finding::new(
                            Rule::InconsistentData,
                            &a.file,
                            later.pos,
                            format!(
                                "measure {} has two data points dated {}",
                                m.id.value, later.date
                            ),
                        )
                        .hint("keep one value per date (correct the date, or delete the older figure)")
                        .about(m.id.value.as_str())
                        .width(10),
                    );
                }
            }
        }
    }
}

fn visits(repo: &Repo, out: &mut Vec<Finding>) {
    let plan = &repo.plan;
    let mut by_date: HashMap<_, &str> = HashMap::new();
    let mut visits: Vec<_> = plan.visits.iter().collect();
    visits.sort_by_key(|v| v.date_pos);
    for v in visits {
        if let Some(first) = by_date.get(&v.date) {
            out.push(
                Finding::new(
                    Rule::InconsistentData,
                    &plan.file,
                    v.date_pos,
                    format!(
                        "visit {} is on {}, the same date as visit {first}",
                        v.id.value, v.date
                    ),
                )
                .hint("each monitoring visit has a date of its own: correct one of them")
                .about(v.id.value.as_str())
                .width(10),
            );
        } else {
            by_date.insert(v.date, v.id.value.as_str());
        }
        if let Some(pos) = v.evidence_due_pos
            && v.evidence_due > v.date
        {
            out.push(
                Finding::new(
                    Rule::InconsistentData,
                    &plan.file,
                    pos,
                    format!(
                        "evidence for visit {} is due on {}, after the visit itself ({})",
                        v.id.value, v.evidence_due, v.date
                    ),
                )
                .hint("evidence is due before the visit: correct `evidence_due`")
                .about(v.id.value.as_str())
                .width(10),
            );
        }
    }
}
