//! The Evidence sheet: one row per item, every field, in the columns of
//! `sheet::COLUMNS`, so that `pack import` reads it back into the same
//! items. Each value is written the way import parses it: lists joined with
//! "; ", kind and shows by their YAML names, the organisation by id,
//! classification, personal data and public as words.

use crate::assess::Snapshot;
use crate::model::{Choice, Evidence, Kind, Resolved, Shows};
use crate::sheet::columns::{COLUMNS, Field};

use super::links::Links;
use super::table::{Choices, Table, Value};

pub const SHEET: &str = "Evidence";

/// The export-only last column (import ignores it: `columns::EXPORT_ONLY`).
pub const CURRENT: &str = "Current";

/// The sheet of every item `shown` lets through, sorted by id.
/// `shown_id`: whether an id may appear in a shown item's Supersedes or
/// Responds to (not when it names an item left out).
pub fn sheet(
    snap: &Snapshot,
    shown: &dyn Fn(&Evidence) -> bool,
    shown_id: &dyn Fn(&str) -> bool,
    links: &Links,
) -> Table {
    let mut headers: Vec<&str> = COLUMNS.iter().map(|c| c.header).collect();
    headers.push(CURRENT);
    let mut table = Table::new(SHEET, &headers);

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
        let mut row: Vec<Value> = COLUMNS
            .iter()
            .map(|c| cell(c.field, e, shown_id, links))
            .collect();
        row.push(Value::yes_no(current));
        table.push(row);
    }

    let column = |f: Field| COLUMNS.iter().position(|c| c.field == f).expect("a column");
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
            values: snap
                .repo
                .plan
                .organisations
                .iter()
                .map(|o| o.id.value.to_string())
                .collect(),
            // Import also takes an organisation's name.
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
fn cell(field: Field, e: &Evidence, shown_id: &dyn Fn(&str) -> bool, links: &Links) -> Value {
    match field {
        Field::Id => Value::text(e.id.value.as_str()),
        Field::Title => Value::text(e.title.as_str()),
        Field::Date => Value::date(e.date.as_ref().map(|d| d.value)),
        Field::Organisation => {
            Value::text(e.organisation.as_ref().map_or("", |o| o.value.as_str()))
        }
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
