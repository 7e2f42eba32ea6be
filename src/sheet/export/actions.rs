//! The Actions sheet: every action of every area, with the current evidence
//! naming it. An item counts for an action as `pack status` counts it
//! (`assess::Snapshot::area`): current, naming the action's area and the
//! action, so that the rows with evidence here are the "covered" actions of
//! the Areas sheet.

use crate::assess::Snapshot;
use crate::model::Evidence;

use super::table::{Table, Value};
use super::words;

pub const SHEET: &str = "Actions";

/// `shown`: whether an item's id may appear (sensitive items are counted
/// but not named unless `--include-sensitive`).
pub fn sheet(snap: &Snapshot, shown: &dyn Fn(&Evidence) -> bool) -> Table {
    let mut table = Table::new(
        SHEET,
        &[
            "Area",
            "Action",
            "Title",
            "Owner",
            "Due",
            "Status",
            "Current evidence",
            "Evidence IDs",
        ],
    );
    for area in &snap.repo.areas {
        let area_id = area.id.value.as_str();
        let items: Vec<&Evidence> = snap
            .current_items()
            .filter(|e| e.names_area(area_id))
            .collect();
        for action in &area.actions {
            let naming: Vec<&Evidence> = items
                .iter()
                .copied()
                .filter(|e| e.actions.iter().any(|a| a.value == action.id.value))
                .collect();
            let mut ids: Vec<&str> = naming
                .iter()
                .filter(|e| shown(e))
                .map(|e| e.id.value.as_str())
                .collect();
            ids.sort_unstable();
            ids.dedup();
            table.push(vec![
                Value::text(area_id),
                Value::text(action.id.value.as_str()),
                Value::text(action.title.as_str()),
                Value::text(action.owner.as_ref().map_or(String::new(), |o| {
                    words::organisation(&snap.repo.plan, o.value.as_str())
                })),
                Value::date(action.due),
                Value::text(words::status(action.status)),
                Value::count(naming.len()),
                Value::list(ids),
            ]);
        }
    }
    table
}
