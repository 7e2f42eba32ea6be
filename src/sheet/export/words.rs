//! Words for the sheets no one imports (Actions, Measures, Areas), written
//! as the pack writes them (view/, templates/), not as YAML keys: a partner
//! meets pack through this workbook. "Amber", not `amber`; "in progress",
//! not `in-progress`; an organisation by its name.

use crate::assess::{AreaState, Rag};
use crate::model::{ActionStatus, Choice, Direction, Monitoring, Plan, Rating};

/// A board or measure rating, as the pack's tables show it (view::RatingView).
pub fn rating(r: Rating) -> &'static str {
    match r {
        Rating::Red => "Red",
        Rating::Amber => "Amber",
        Rating::Green => "Green",
        Rating::Complete => "Complete",
    }
}

pub fn rag(r: Rag) -> &'static str {
    rating(match r {
        Rag::Red => Rating::Red,
        Rag::Amber => Rating::Amber,
        Rag::Green => Rating::Green,
    })
}

/// An action's status, as the pack's action tables have it (view/area.rs).
pub fn status(s: ActionStatus) -> String {
    s.name().replace('-', " ")
}

/// As the pack's measure pages have it (view/area.rs).
pub fn direction(d: Direction) -> &'static str {
    match d {
        Direction::Up => "Higher is better",
        Direction::Down => "Lower is better",
    }
}

/// The area's state, as the pack's table of areas words it.
pub fn state(a: &AreaState) -> &'static str {
    if a.monitoring == Monitoring::Ended {
        "Monitoring ended"
    } else if a.complete {
        "Complete"
    } else {
        "Gap"
    }
}

/// "A1.M1 Green ↑ better, A1.M2 no rating no trend yet", as the pack's table of areas.
pub fn measures(a: &AreaState) -> String {
    a.measures
        .iter()
        .map(|m| {
            format!(
                "{} {} {}",
                m.id,
                m.rating.map_or("no rating", rag),
                m.arrow_words()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The organisation `id` as a partner knows it: its name, when import reads
/// that name back as this organisation (not when it is empty, or is first
/// another organisation's id or name); else the id, as written.
pub fn organisation(plan: &Plan, id: &str) -> String {
    let Some(o) = plan.organisation(id) else {
        return id.to_owned();
    };
    let name = o.name.trim();
    let back = crate::sheet::import::organisation(plan, name);
    if !name.is_empty() && back.is_some_and(|b| b.id.value == o.id.value) {
        name.to_owned()
    } else {
        id.to_owned()
    }
}
