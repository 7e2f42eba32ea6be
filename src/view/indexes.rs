//! The evidence index by area and by letter point (spec section 11): for
//! each area and each point of the last letter, the ids of the included
//! current items, each linking to its entry in the evidence index; and the
//! way back, each entry's areas and the letter points it answers.
//!
//! Lists of linked ids, never second tables: a pack of 1,000 items must not
//! lay out another thousand table rows (docs/performance.md).

use std::collections::HashMap;

use serde::Serialize;

use super::letter::LetterView;
use super::{Ctx, EvRef, EvidenceView, area_anchor};

/// A link to a section of the pack: an area, or a point of the last letter.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Link {
    #[schemars(pattern(crate::schema::table::ITEM_ID))]
    pub id: String,
    pub anchor: String,
}

/// One area's or one letter point's items.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct IndexGroup {
    /// The area's or the point's id.
    #[schemars(pattern(crate::schema::table::ITEM_ID))]
    pub id: String,
    /// Its section (an area) or its row (a letter point).
    pub anchor: String,
    pub title: String,
    /// Included current items, by id, each linking to its index entry.
    pub items: Vec<EvRef>,
}

/// The links an entry of the evidence index gives back to its areas.
pub(super) fn area_links<'a>(areas: impl Iterator<Item = &'a str>) -> Vec<Link> {
    areas
        .map(|a| Link {
            id: a.to_owned(),
            anchor: area_anchor(a),
        })
        .collect()
}

/// Each area's items, areas in plan order, items by id (as `index` is).
pub(super) fn by_area(ctx: &Ctx, index: &[EvidenceView]) -> Vec<IndexGroup> {
    let mut of: HashMap<&str, Vec<EvRef>> = HashMap::new();
    for e in index {
        for a in &e.areas {
            of.entry(a.as_str()).or_default().push(EvRef {
                id: e.id.clone(),
                anchor: e.anchor.clone(),
            });
        }
    }
    ctx.snap
        .repo
        .areas
        .iter()
        .map(|a| {
            let id = a.id.value.as_str();
            IndexGroup {
                id: id.to_owned(),
                anchor: area_anchor(id),
                title: a.title.clone(),
                items: of.remove(id).unwrap_or_default(),
            }
        })
        .collect()
}

/// Each point of the last letter with the items answering it, and each
/// answering entry's `answers` filled in: both from the letter's own view,
/// so the index and "What the last letter asked" cannot disagree.
pub(super) fn by_point(letter: Option<&LetterView>, index: &mut [EvidenceView]) -> Vec<IndexGroup> {
    let Some(letter) = letter else {
        return Vec::new();
    };
    let at: HashMap<String, usize> = index
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.clone(), i))
        .collect();
    letter
        .points
        .iter()
        .map(|p| {
            for r in &p.responses {
                if let Some(&i) = at.get(&r.id) {
                    index[i].answers.push(Link {
                        id: p.id.clone(),
                        anchor: p.anchor.clone(),
                    });
                }
            }
            IndexGroup {
                id: p.id.clone(),
                anchor: p.anchor.clone(),
                title: p.text.clone(),
                items: p
                    .responses
                    .iter()
                    .map(|r| EvRef {
                        id: r.id.clone(),
                        anchor: r.anchor.clone(),
                    })
                    .collect(),
            }
        })
        .collect()
}
