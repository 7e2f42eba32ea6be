//! The Evidence sheet: one row per item, every field, in the columns of
//! `sheet::COLUMNS`, so that `pack import` reads it back into the same
//! items. Each value is written the way import parses it: lists joined with
//! "; ", kind and shows by their YAML names, the organisation by name
//! (import takes an id or a name), classification, personal data and public
//! as words. The reader's columns come first (the print area), with the
//! export-only `Area titles` beside the area ids and `Current` after them.

use crate::assess::Snapshot;
use crate::model::{Choice, Evidence, Kind, Plan, Resolved, Shows};
use crate::sheet::columns::{COLUMNS, Field};

use super::links::Links;
use super::table::{Choices, Table, Value};
use super::words::organisation;

pub const SHEET: &str = "Evidence";

/// The export-only columns (import ignores them: `columns::EXPORT_ONLY`).
pub const CURRENT: &str = "Current";
pub const AREA_TITLES: &str = "Area titles";

/// A column of the sheet: a field import reads back, or one only an
/// export writes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot {
    Field(Field),
    AreaTitles,
    Current,
}

/// The columns a reader needs on paper, first and side by side, so that
/// they are the print area (import matches columns by header, so the order
/// is free). The other fields follow, outside the print area.
const PRINTED: [Slot; 8] = [
    Slot::Field(Field::Id),
    Slot::Field(Field::Title),
    Slot::Field(Field::Date),
    Slot::Field(Field::Organisation),
    Slot::Field(Field::Areas),
    Slot::AreaTitles,
    Slot::Field(Field::Shows),
    Slot::Current,
];

fn slots() -> Vec<Slot> {
    let mut slots = PRINTED.to_vec();
    slots.extend(
        COLUMNS
            .iter()
            .map(|c| Slot::Field(c.field))
            .filter(|s| !PRINTED.contains(s)),
    );
    slots
}

/// The sheet of every item `shown` lets through, sorted by id.
/// `shown_id`: whether an id may appear in a shown item's Supersedes or
/// Responds to (not when it names an item left out).
pub fn sheet(
    snap: &Snapshot,
    shown: &dyn Fn(&Evidence) -> bool,
    shown_id: &dyn Fn(&str) -> bool,
    links: &Links,
) -> Table {
    let slots = slots();
    let headers: Vec<&str> = slots
        .iter()
        .map(|s| match s {
            Slot::Field(f) => f.column().header,
            Slot::AreaTitles => AREA_TITLES,
            Slot::Current => CURRENT,
        })
        .collect();
    let mut table = Table::new(SHEET, &headers);
    table.print = PRINTED.len();
    let plan = &snap.repo.plan;

    let mut items: Vec<(&Evidence, bool)> = snap
        .repo
        .evidence
        .iter()
        .zip(&snap.current)
        .filter(|(e, _)| shown(e))
        .map(|(e, c)| (e, *c))
        .collect();
    // By id; a duplicated id (a finding) keeps its files' order.
    items.sort_by(|(a, _), (b, _)| (&a.id.value, &a.file).cmp(&(&b.id.value, &b.file)));
    for (e, current) in items {
        let row: Vec<Value> = slots
            .iter()
            .map(|s| match s {
                Slot::Field(f) => cell(*f, e, plan, shown_id, links),
                Slot::AreaTitles => Value::list(
                    e.areas
                        .iter()
                        .filter_map(|a| snap.repo.areas.iter().find(|x| x.id.value == a.value))
                        .map(|a| a.title.trim()),
                ),
                Slot::Current => Value::yes_no(current),
            })
            .collect();
        table.push(row);
    }

    let column = |f: Field| {
        slots
            .iter()
            .position(|s| *s == Slot::Field(f))
            .expect("a column")
    };
    let names = |n: &[&str]| n.iter().map(|s| (*s).to_owned()).collect();
    table.choices = vec![
        Choices {
            column: column(Field::Kind),
            values: names(Kind::NAMES),
            strict: true,
        },
        Choices {
            column: column(Field::Shows),
            values: names(Shows::NAMES),
            strict: true,
        },
        Choices {
            column: column(Field::Organisation),
            values: plan
                .organisations
                .iter()
                .map(|o| organisation(plan, o.id.value.as_str()))
                .collect(),
            // Import also takes an organisation's id.
            strict: false,
        },
        Choices {
            column: column(Field::Public),
            values: names(&["yes", "no"]),
            strict: true,
        },
    ];
    table
}

/// One field of one item.
fn cell(
    field: Field,
    e: &Evidence,
    plan: &Plan,
    shown_id: &dyn Fn(&str) -> bool,
    links: &Links,
) -> Value {
    match field {
        Field::Id => Value::text(e.id.value.as_str()),
        Field::Title => Value::text(e.title.as_str()),
        Field::Date => Value::date(e.date.as_ref().map(|d| d.value)),
        Field::Organisation => Value::text(
            e.organisation
                .as_ref()
                .map_or(String::new(), |o| organisation(plan, o.value.as_str())),
        ),
        Field::Kind => Value::text(e.kind.map_or("", |k| k.name())),
        Field::Shows => Value::text(e.shows.map_or("", |s| s.name())),
        Field::Areas => Value::list(e.areas.iter().map(|a| a.value.as_str())),
        Field::Actions => Value::list(e.actions.iter().map(|a| a.value.as_str())),
        Field::Measures => Value::list(e.measures.iter().map(|a| a.value.as_str())),
        Field::File => match &e.attachment {
            None => Value::Blank,
            Some(a) => Value::File {
                text: a.value.clone(),
                link: match &e.resolved {
                    Some(Resolved::File(rel)) => links.to(rel),
                    _ => None,
                },
            },
        },
        Field::Url => match &e.url {
            None => Value::Blank,
            Some(u) if is_web(u) => Value::Url(u.clone()),
            Some(u) => Value::text(u.as_str()),
        },
        // The Markdown as written, less the line end a YAML block scalar adds.
        Field::Summary => Value::text(e.summary.as_ref().map_or("", |s| s.value.trim_end())),
        Field::Classification => Value::text(e.classification.name()),
        Field::PersonalData => Value::yes_no(e.personal_data),
        Field::ValidUntil => Value::date(e.valid_until()),
        Field::Supersedes => Value::list(
            e.supersedes
                .iter()
                .map(|a| a.value.as_str())
                .filter(|id| shown_id(id)),
        ),
        Field::RespondsTo => Value::list(
            e.responds_to
                .iter()
                .map(|a| a.value.as_str())
                .filter(|id| shown_id(id)),
        ),
        Field::Public => Value::yes_no(e.public),
    }
}

/// Addresses the pack itself links (view/evidence.rs): anything else in
/// `url:` stays text rather than become a link a spreadsheet would open.
fn is_web(u: &str) -> bool {
    (u.starts_with("https://") || u.starts_with("http://")) && u.len() <= crate::markdown::MAX_URL
}
