//! "What the last letter asked": each point of the letter after the latest
//! visit before the as-of date, its areas, and the current items in the
//! pack that respond to it (spec section 5).

use serde::Serialize;

use crate::assess::Snapshot;
use crate::markdown::anchor;
use crate::model::{Date, Evidence};

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct LetterView {
    /// The visit the letter followed.
    #[schemars(pattern(crate::schema::table::SLUG))]
    pub visit_id: String,
    pub visit_title: String,
    pub visit_date: Date,
    /// The letter's own date.
    pub date: Date,
    /// The letter as an evidence item, when it is one in the pack.
    pub evidence: Option<ItemLink>,
    pub points: Vec<PointView>,
    /// How many points have no current evidence responding in the pack.
    pub unanswered: usize,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PointView {
    #[schemars(pattern(crate::schema::table::ITEM_ID))]
    pub id: String,
    pub anchor: String,
    pub text: String,
    pub areas: Vec<AreaLink>,
    /// Current items in the pack responding to the point, by id.
    pub responses: Vec<ItemLink>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ItemLink {
    #[schemars(pattern(crate::schema::table::ITEM_ID))]
    pub id: String,
    pub anchor: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AreaLink {
    #[schemars(pattern(crate::schema::table::ITEM_ID))]
    pub id: String,
    pub anchor: String,
    pub title: String,
}

/// The section, when the plan records a letter the pack must answer.
/// `shown` says whether an item may appear in this pack.
pub fn build(snap: &Snapshot, shown: &dyn Fn(&Evidence) -> bool) -> Option<LetterView> {
    let repo = snap.repo;
    let (visit, letter) = repo.plan.last_letter(snap.as_of)?;
    let link = |e: &Evidence| ItemLink {
        id: e.id.value.to_string(),
        anchor: anchor(e.id.value.as_str()),
        title: crate::pii::mask_all(&e.title).into_owned(),
    };
    let in_pack: Vec<&Evidence> = snap.current_items().filter(|e| shown(e)).collect();
    let points: Vec<PointView> = letter
        .points
        .iter()
        .map(|p| {
            let mut responses: Vec<ItemLink> = in_pack
                .iter()
                .filter(|e| e.responds_to.iter().any(|r| r.value == p.id.value))
                .map(|e| link(e))
                .collect();
            responses.sort_by(|a, b| a.id.cmp(&b.id));
            PointView {
                id: p.id.value.clone(),
                anchor: format!("letter-{}", anchor(&p.id.value).trim_start_matches("ev-")),
                text: crate::pii::mask_all(&p.text).into_owned(),
                areas: p
                    .areas
                    .iter()
                    .map(|a| AreaLink {
                        id: a.value.to_string(),
                        anchor: super::area_anchor(a.value.as_str()),
                        title: repo
                            .areas
                            .iter()
                            .find(|x| x.id.value == a.value)
                            .map_or_else(String::new, |x| x.title.clone()),
                    })
                    .collect(),
                responses,
            }
        })
        .collect();
    Some(LetterView {
        visit_id: visit.id.value.to_string(),
        visit_title: visit.label(),
        visit_date: visit.date,
        date: letter.date.value,
        evidence: letter
            .evidence
            .as_ref()
            .and_then(|id| in_pack.iter().find(|e| e.id.value == id.value))
            .map(|e| link(e)),
        unanswered: points.iter().filter(|p| p.responses.is_empty()).count(),
        points,
    })
}
