//! What moved since the previous visit: new evidence, each measure's value
//! then and now, and the board's rating changes. Shared by the pack's view
//! and `pack status --since`.

use serde::Serialize;

use crate::assess::Snapshot;
use crate::chart::with_unit;
use crate::model::{Area, Choice, Date, Visit};

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Since {
    #[schemars(pattern(crate::schema::table::SLUG))]
    pub visit_id: String,
    pub visit_title: String,
    pub visit_date: Date,
    pub visit_date_long: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AreaSince {
    pub rating_then: Option<String>,
    pub rating_now: Option<String>,
    pub rating_changed: bool,
    /// Items dated after the previous visit, on or before the as-of date, newest first.
    pub new_items: Vec<NewItem>,
    pub measures: Vec<Movement>,
    /// One line saying what moved, for tables.
    pub headline: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct NewItem {
    #[schemars(pattern(crate::schema::table::ITEM_ID))]
    pub id: String,
    pub anchor: String,
    pub title: String,
    pub date: Option<Date>,
    pub shows: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Movement {
    #[schemars(pattern(crate::schema::table::ITEM_ID))]
    pub id: String,
    pub title: String,
    pub then: Option<String>,
    pub then_date: Option<Date>,
    pub now: Option<String>,
    pub now_date: Option<Date>,
    /// "up 11.6", "down 125", "no change", "no new data".
    pub change: String,
}

/// The latest visit strictly before `d`.
pub fn previous_visit(visits: &[&Visit], d: Date) -> Option<Since> {
    visits
        .iter()
        .rev()
        .find(|v| v.date < d)
        .map(|v| since_of(v))
}

pub fn since_of(v: &Visit) -> Since {
    Since {
        visit_id: v.id.value.to_string(),
        visit_title: v.label(),
        visit_date: v.date,
        visit_date_long: v.date.long(),
    }
}

/// `include` says whether an item may be shown (sensitive items are not, by default).
pub fn area(
    snap: &Snapshot,
    area: &Area,
    since: &Since,
    include: &dyn Fn(&crate::model::Evidence) -> bool,
) -> AreaSince {
    let id = area.id.value.as_str();
    let (then_d, now_d) = (since.visit_date, snap.as_of);
    let mut new_items: Vec<NewItem> = snap
        .repo
        .evidence
        .iter()
        .filter(|e| e.names_area(id) && include(e))
        .filter(|e| {
            e.date
                .as_ref()
                .is_some_and(|d| d.value > then_d && d.value <= now_d)
        })
        .map(|e| NewItem {
            id: e.id.value.to_string(),
            anchor: crate::markdown::anchor(e.id.value.as_str()),
            title: crate::pii::mask_all(&e.title).into_owned(),
            date: e.date.as_ref().map(|d| d.value),
            shows: e.shows.map_or("", |s| s.name()).to_owned(),
        })
        .collect();
    new_items.sort_by(|a, b| (b.date, &a.id).cmp(&(a.date, &b.id)));
    let measures: Vec<Movement> = area
        .measures
        .iter()
        .map(|m| {
            let at = |d: Date| m.data.iter().rfind(|p| p.date <= d);
            let (then, now) = (at(then_d), at(now_d));
            let change = match (then, now) {
                (Some(a), Some(b)) if a.date == b.date => "no new data".to_owned(),
                (Some(a), Some(b)) if a.value == b.value => "no change".to_owned(),
                (Some(a), Some(b)) => {
                    let diff = b.value - a.value;
                    let size = if m.unit.trim() == "%" {
                        format!("{} percentage points", crate::chart::fmt_value(diff.abs()))
                    } else {
                        with_unit(diff.abs(), &m.unit)
                    };
                    format!("{} {size}", if diff > 0.0 { "up" } else { "down" })
                }
                (None, Some(_)) => "first data".to_owned(),
                _ => "no data".to_owned(),
            };
            Movement {
                id: m.id.value.to_string(),
                title: m.title.clone(),
                then: then.map(|p| with_unit(p.value, &m.unit)),
                then_date: then.map(|p| p.date),
                now: now.map(|p| with_unit(p.value, &m.unit)),
                now_date: now.map(|p| p.date),
                change,
            }
        })
        .collect();
    let word = |r: crate::model::Rating| {
        let n = r.name();
        let mut c = n.chars();
        c.next().map_or(String::new(), |f| {
            f.to_uppercase().collect::<String>() + c.as_str()
        })
    };
    let (rating_then, rating_now) = match &area.progress {
        Some(p) => (p.rating_on(then_d).map(word), p.rating_on(now_d).map(word)),
        None => (None, None),
    };
    let rating_changed = rating_then.is_some() && rating_now.is_some() && rating_then != rating_now;
    let mut parts = vec![format!(
        "{} new item{}",
        new_items.len(),
        crate::assess::plural(new_items.len())
    )];
    if rating_changed {
        parts.push(format!(
            "rating {} → {}",
            rating_then.as_deref().unwrap_or("–"),
            rating_now.as_deref().unwrap_or("–")
        ));
    }
    let moved = measures
        .iter()
        .filter(|m| m.change.starts_with("up") || m.change.starts_with("down"))
        .count();
    if moved > 0 {
        parts.push(format!(
            "{moved} measure{} moved",
            crate::assess::plural(moved)
        ));
    }
    AreaSince {
        rating_then,
        rating_now,
        rating_changed,
        new_items,
        measures,
        headline: parts.join("; "),
    }
}
