//! Dates that decide what counts: today, the as-of date, and which evidence
//! is current on it (spec section 2).

use std::collections::HashMap;

use crate::model::{Date, Evidence, Plan, Repo, VisitId};

/// How the user asked for the as-of date.
#[derive(Debug, Clone, Default)]
pub enum AsOfRequest {
    #[default]
    Auto,
    Date(Date),
    Visit(String),
}

/// The as-of date and how it was chosen.
#[derive(Debug, Clone)]
pub struct AsOf {
    pub date: Date,
    pub today: Date,
    /// The visit the pack is for, when there is one.
    pub visit: Option<VisitId>,
    /// Said to the user when the choice needs explaining.
    pub notice: Option<String>,
}

/// Today: SOURCE_DATE_EPOCH (seconds, UTC) when set, else the clock.
pub fn today() -> Result<Date, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(s) if !s.trim().is_empty() => s
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(Date::from_unix_seconds)
            .ok_or_else(|| {
                format!("SOURCE_DATE_EPOCH must be whole seconds since 1970 (a date before 9999-12-30), found `{s}`")
            }),
        _ => Ok(Date::today_utc()),
    }
}

/// Spec section 2: --as-of; --visit; the first visit on or after today;
/// the latest visit (with a notice); today.
pub fn resolve(plan: &Plan, request: &AsOfRequest, today: Date) -> Result<AsOf, String> {
    let visits = plan.visits_by_date();
    let at = |date, visit: Option<VisitId>, notice| AsOf {
        date,
        today,
        visit,
        notice,
    };
    Ok(match request {
        AsOfRequest::Date(d) => {
            let visit = visits
                .iter()
                .find(|v| v.date == *d)
                .map(|v| v.id.value.clone());
            at(*d, visit, None)
        }
        AsOfRequest::Visit(id) => match plan.visit(id) {
            Some(v) => at(v.date, Some(v.id.value.clone()), None),
            None => {
                let known: Vec<&str> = visits.iter().map(|v| v.id.value.as_str()).collect();
                return Err(if known.is_empty() {
                    format!("no visit `{id}`: plan/plan.yaml lists no visits")
                } else {
                    format!(
                        "no visit `{id}` in plan/plan.yaml; the visits are {}",
                        known.join(", ")
                    )
                });
            }
        },
        AsOfRequest::Auto => {
            if let Some(v) = visits.iter().find(|v| v.date >= today) {
                at(v.date, Some(v.id.value.clone()), None)
            } else if let Some(v) = visits.last() {
                at(
                    v.date,
                    Some(v.id.value.clone()),
                    Some(format!(
                        "no upcoming visit is listed in plan/plan.yaml; checking as of the latest visit, {} ({})",
                        v.id.value, v.date
                    )),
                )
            } else {
                at(
                    today,
                    None,
                    Some("plan/plan.yaml lists no visits; checking as of today".to_owned()),
                )
            }
        }
    })
}

/// Answers "is this item current on D?" for one repository.
pub struct Currency {
    max_age_months: u32,
    /// For each superseded id, the earliest date of an item superseding it.
    superseded_from: HashMap<String, Date>,
}

impl Currency {
    pub fn new(repo: &Repo) -> Currency {
        let mut superseded_from: HashMap<String, Date> = HashMap::new();
        for e in &repo.evidence {
            let Some(date) = &e.date else { continue };
            for s in &e.supersedes {
                let entry = superseded_from
                    .entry(s.value.as_str().to_owned())
                    .or_insert(date.value);
                *entry = (*entry).min(date.value);
            }
        }
        Currency {
            max_age_months: repo.plan.rules.max_age_months,
            superseded_from,
        }
    }

    /// The first day an item must be dated on or after to be current on `d`.
    pub fn window_start(&self, d: Date) -> Date {
        d.minus_months(self.max_age_months)
    }

    pub fn is_current(&self, e: &Evidence, d: Date) -> bool {
        let Some(date) = e.date.as_ref().map(|x| x.value) else {
            return false;
        };
        date <= d
            && date >= self.window_start(d)
            && self
                .superseded_from
                .get(e.id.value.as_str())
                .is_none_or(|from| *from > d)
            && e.valid_until().is_none_or(|u| u >= d)
    }

    /// The last day the item is current, ignoring later supersession:
    /// its date plus the maximum age, or `valid_until` if sooner. None when
    /// that day would fall after 9999-12-31, the end of pack's calendar (a
    /// `limit` finding; see `check::dates`).
    pub fn last_current_day(&self, e: &Evidence) -> Option<Date> {
        let date = e.date.as_ref()?.value;
        let by_age = self.last_day_by_age(date);
        match (by_age, e.valid_until()) {
            (Some(a), Some(u)) => Some(a.min(u)),
            (Some(a), None) => Some(a),
            (None, Some(u)) => Some(u),
            (None, None) => None,
        }
    }

    /// The last D with D - max_age <= date. Month-end clamping can push it
    /// a few days past date + max_age (2025-04-30 is current on 2025-10-31),
    /// never more than three: the loop is bounded.
    pub fn last_day_by_age(&self, date: Date) -> Option<Date> {
        let mut by_age = date.checked_plus_months(self.max_age_months)?;
        for _ in 0..4 {
            match by_age.next_day() {
                Some(next) if next.minus_months(self.max_age_months) <= date => by_age = next,
                Some(_) => break,
                None => return None,
            }
        }
        Some(by_age)
    }

    /// The id of the item that supersedes `e` on `d`, if any.
    pub fn superseded_on(&self, e: &Evidence, d: Date) -> Option<Date> {
        self.superseded_from
            .get(e.id.value.as_str())
            .copied()
            .filter(|from| *from <= d)
    }
}
