//! The Areas sheet: the table `pack status` prints, one row per area, from
//! the same `AreaState`s (the check's own), with counts as numbers and the
//! gap lines status prints under its table as a last column.

use crate::assess::AreaState;
use crate::model::Choice;

use super::table::{Table, Value};

pub const SHEET: &str = "Areas";

/// `shown_id`: whether an evidence id may appear; the next item to expire
/// is named only if so.
pub fn sheet(areas: &[AreaState], shown_id: &dyn Fn(&str) -> bool) -> Table {
    let mut table = Table::new(
        SHEET,
        &[
            "Area",
            "Title",
            "Rating",
            "State",
            "Current",
            "Impact",
            "Voice",
            "Actions",
            "Measures",
            "Next to expire",
            "Gap",
        ],
    );
    for a in areas {
        let next = a.next_expiry.as_ref().map_or(String::new(), |e| {
            let who = if shown_id(&e.id) {
                e.id.as_str()
            } else {
                "an item left out"
            };
            format!("{who} (until {})", e.last_current_day)
        });
        table.push(vec![
            Value::text(a.id.as_str()),
            Value::text(a.title.as_str()),
            Value::text(a.rating.map_or("", |r| r.name())),
            Value::text(a.state_word()),
            Value::count(a.current),
            Value::count(a.impact),
            Value::count(a.voice),
            Value::text(a.actions_text()),
            Value::text(a.measures_text()),
            Value::text(next),
            Value::text(a.missing.join("; ")),
        ]);
    }
    table
}
