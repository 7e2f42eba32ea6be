//! The Areas sheet: the table `pack status` prints, one row per area, from
//! the same `AreaState`s (the check's own), with counts as numbers and the
//! gap lines status prints under its table as a last column; ratings and
//! states worded as the pack's own table of areas words them.

use crate::assess::AreaState;

use super::table::{Table, Value};
use super::words;

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
            Value::text(a.rating.map_or("", words::rating)),
            Value::text(words::state(a)),
            Value::count(a.current),
            Value::count(a.impact),
            Value::count(a.voice),
            Value::text(a.actions_text()),
            Value::text(words::measures(a)),
            Value::text(next),
            Value::text(a.missing.join("; ")),
        ]);
    }
    table
}
