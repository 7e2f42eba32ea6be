//! "Overdue and at-risk actions" (spec section 11): across areas, the
//! actions due before the as-of date and not complete, and those the board
//! marks at risk, so a reviewer finds them once rather than area by area.

use serde::Serialize;

use crate::model::{ActionStatus, Choice, Date};

use super::{Ctx, area_anchor};

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OverdueView {
    #[schemars(pattern(crate::schema::table::ITEM_ID))]
    pub id: String,
    /// The area the action belongs to, and its section's anchor (the link).
    #[schemars(pattern(crate::schema::table::ITEM_ID))]
    pub area: String,
    pub anchor: String,
    pub title: String,
    /// The owner organisation's name.
    pub owner: String,
    pub due: Option<Date>,
    /// "in progress", "at risk", ... as the area's actions table says it.
    pub status: String,
    /// Due before the as-of date and not complete (rule `overdue-action`).
    pub overdue: bool,
    pub at_risk: bool,
}

/// The list, in plan order (area, then action).
pub(super) fn all(ctx: &Ctx) -> Vec<OverdueView> {
    let d = ctx.as_of.date;
    ctx.snap
        .repo
        .areas
        .iter()
        .flat_map(|a| a.actions.iter().map(move |x| (a, x)))
        .filter_map(|(a, x)| {
            // The same test as the overdue-action rule (src/check/dates.rs).
            let overdue = x.due.is_some_and(|due| due < d) && x.status != ActionStatus::Complete;
            let at_risk = x.status == ActionStatus::AtRisk;
            (overdue || at_risk).then(|| OverdueView {
                id: x.id.value.to_string(),
                area: a.id.value.to_string(),
                anchor: area_anchor(a.id.value.as_str()),
                title: crate::pii::mask_all(&x.title).into_owned(),
                owner: x
                    .owner
                    .as_ref()
                    .map_or_else(String::new, |o| ctx.org_name(o.value.as_str())),
                due: x.due,
                status: x.status.name().replace('-', " "),
                overdue,
                at_risk,
            })
        })
        .collect()
}
