//! unknown-citation and stale-citation.

use crate::assess::Snapshot;
use crate::finding::{Finding, Rule};
use crate::model::Repo;

pub fn unknown_and_stale(repo: &Repo, snap: &Snapshot, out: &mut Vec<Finding>) {
    for c in &repo.citations {
        let width = c.id.as_str().chars().count() + 3;
        match snap.lookup(c.id.as_str()) {
            None => {
                let ids = repo.evidence.iter().map(|e| e.id.value.as_str());
                let hint = match crate::finding::did_you_mean(c.id.as_str(), ids) {
                    Some(s) => format!("did you mean [@{s}]?"),
                    None => "cite an evidence item by its `id`".to_owned(),
                };
                out.push(
                    Finding::new(
                        Rule::UnknownCitation,
                        &c.file,
                        c.pos,
                        format!("[@{}] names no evidence item", c.id),
                    )
                    .hint(super::ids::with_broken(&hint, &repo.health.broken_evidence))
                    .about(c.id.as_str())
                    .refers_to(c.id.as_str())
                    .width(width),
                );
            }
            Some((_, true)) => {}
            Some((e, false)) => {
                let why = match (&e.date, snap.currency.superseded_on(e, snap.as_of)) {
                    (_, Some(d)) => format!("superseded on {d}"),
                    (Some(d), None) if d.value > snap.as_of => {
                        format!("dated {}, after it", d.value)
                    }
                    (Some(_), None) if e.valid_until().is_some_and(|u| u < snap.as_of) => {
                        format!(
                            "valid only until {}",
                            e.valid_until().map(|u| u.to_string()).unwrap_or_default()
                        )
                    }
                    (Some(d), None) => format!(
                        "dated {}, more than {} months before it",
                        d.value, repo.plan.rules.max_age_months
                    ),
                    (None, None) => "it has no valid date".to_owned(),
                };
                out.push(
                    Finding::new(
                        Rule::StaleCitation,
                        &c.file,
                        c.pos,
                        format!("[@{}] is not current on {} ({why})", c.id, snap.as_of),
                    )
                    .hint("cite a current item instead, or add newer evidence")
                    .about(c.id.as_str())
                    .width(width),
                );
            }
        }
    }
}
