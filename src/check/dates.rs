//! future-date, expiring and overdue-action.

use crate::assess::Snapshot;
use crate::finding::{Finding, Rule};
use crate::model::{ActionStatus, Date, Repo};
use crate::timeline::AsOf;

pub fn future_date(repo: &Repo, today: Date, out: &mut Vec<Finding>) {
    for e in &repo.evidence {
        if let Some(d) = &e.date
            && d.value > today
        {
            out.push(
                Finding::new(
                    Rule::FutureDate,
                    &e.file,
                    d.pos,
                    format!("{} is dated {}, after today ({today})", e.id.value, d.value),
                )
                .hint("`date` is the date the evidence is as at: it cannot be in the future")
                .about(e.id.value.as_str())
                .width(10),
            );
        }
    }
}

/// Only meaningful when the as-of date is after today (a coming visit).
pub fn expiring(snap: &Snapshot, as_of: &AsOf, out: &mut Vec<Finding>) {
    if as_of.date <= as_of.today {
        return;
    }
    for (e, current_on_d) in snap.repo.evidence.iter().zip(&snap.current) {
        if *current_on_d || !snap.currency.is_current(e, as_of.today) {
            continue;
        }
        let why = match snap.currency.superseded_on(e, as_of.date) {
            Some(_) => "it is superseded by then".to_owned(),
            None => match snap.currency.last_current_day(e) {
                Some(last) => format!("it is current only until {last}"),
                None => "it will be out of date".to_owned(),
            },
        };
        out.push(
            Finding::new(
                Rule::Expiring,
                &e.file,
                e.id.pos,
                format!(
                    "{} is current today but not on {} ({why})",
                    e.id.value, as_of.date
                ),
            )
            .hint("add a newer item for the same areas before the visit")
            .about(e.id.value.as_str())
            .width(e.id.value.as_str().chars().count()),
        );
    }
}

pub fn overdue_action(repo: &Repo, d: Date, out: &mut Vec<Finding>) {
    for a in &repo.areas {
        for x in &a.actions {
            let Some(due) = x.due else { continue };
            if due < d && x.status != ActionStatus::Complete {
                out.push(
                    Finding::new(
                        Rule::OverdueAction,
                        &a.file,
                        x.id.pos,
                        format!("action {} was due on {due} and is {}", x.id.value, x.status),
                    )
                    .hint("mark it `status: complete`, or agree a new `due` date")
                    .about(x.id.value.as_str())
                    .width(x.id.value.as_str().chars().count()),
                );
            }
        }
    }
}
