//! area-gap, action-gap and measure-gap: is there enough current evidence?

use crate::assess::{Snapshot, plural};
use crate::finding::{Finding, Rule, Severity};
use crate::model::{ActionEvidence, Monitoring};

/// A gap stays a gap, but when evidence files could not be read the
/// evidence that fills it may be in one of them: " (1 evidence file could
/// not be read)", or nothing.
fn unread(snap: &Snapshot) -> String {
    let n = snap.repo.health.broken_evidence.len();
    if n == 0 {
        return String::new();
    }
    format!(" ({n} evidence file{} could not be read)", plural(n))
}

pub fn area_gap(snap: &Snapshot, out: &mut Vec<Finding>) {
    for area in &snap.repo.areas {
        let state = snap.area(area);
        if state.complete {
            continue;
        }
        out.push(
            Finding::new(
                Rule::AreaGap,
                &area.file,
                area.id.pos,
                format!(
                    "area {} is not complete on {}: {}{}",
                    area.id.value,
                    snap.as_of,
                    state.missing.join("; "),
                    unread(snap)
                ),
            )
            .hint(format!(
                "add evidence dated between {} and {} that names {} in `areas`, or acknowledge the gap in plan/plan.yaml",
                snap.currency.window_start(snap.as_of),
                snap.as_of,
                area.id.value
            ))
            .about(area.id.value.as_str())
            .width(area.id.value.as_str().chars().count()),
        );
    }
}

pub fn action_gap(snap: &Snapshot, out: &mut Vec<Finding>) {
    let severity = match snap.repo.plan.rules.action_evidence {
        ActionEvidence::Off => return,
        ActionEvidence::Warn => Severity::Warning,
        ActionEvidence::Error => Severity::Error,
    };
    let mut covered = std::collections::HashSet::new();
    for e in snap.current_items() {
        covered.extend(e.actions.iter().map(|a| a.value.as_str()));
    }
    for area in &snap.repo.areas {
        if area.monitoring == Monitoring::Ended {
            continue;
        }
        for x in &area.actions {
            if covered.contains(x.id.value.as_str()) {
                continue;
            }
            out.push(
                Finding::new(
                    Rule::ActionGap,
                    &area.file,
                    x.id.pos,
                    format!(
                        "action {} has no current evidence on {}{}",
                        x.id.value,
                        snap.as_of,
                        unread(snap)
                    ),
                )
                .severity(severity)
                .hint(format!(
                    "list {} in `actions` of an evidence item dated on or after {}",
                    x.id.value,
                    snap.currency.window_start(snap.as_of)
                ))
                .about(x.id.value.as_str())
                .width(x.id.value.as_str().chars().count()),
            );
        }
    }
}

pub fn measure_gap(snap: &Snapshot, out: &mut Vec<Finding>) {
    let from = snap.currency.window_start(snap.as_of);
    for area in &snap.repo.areas {
        if area.monitoring == Monitoring::Ended {
            continue;
        }
        for m in &area.measures {
            let fresh = m
                .data
                .iter()
                .any(|p| p.date >= from && p.date <= snap.as_of);
            if fresh {
                continue;
            }
            let latest = m
                .data
                .iter()
                .rfind(|p| p.date <= snap.as_of)
                .map_or("it has no data points".to_owned(), |p| {
                    format!("its latest point is {}", p.date)
                });
            let n = snap.repo.plan.rules.max_age_months as usize;
            out.push(
                Finding::new(
                    Rule::MeasureGap,
                    &area.file,
                    m.id.pos,
                    format!(
                        "measure {} has no data point in the {n} month{} to {} ({latest}){}",
                        m.id.value,
                        plural(n),
                        snap.as_of,
                        unread(snap)
                    ),
                )
                .hint(format!(
                    "add a point dated between {from} and {} under `data`",
                    snap.as_of
                ))
                .about(m.id.value.as_str())
                .width(m.id.value.as_str().chars().count()),
            );
        }
    }
}
