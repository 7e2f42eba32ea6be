//! A first run that teaches (spec 6.2): when the sheet has no column for a
//! required field, the import stops at the header row with one error per
//! missing field (not one per row), each naming the closest header it did
//! not recognise, and the whole next command, `--save-map` included.
//! Initials ("AoW") only ever suggest: matching stays in header.rs.

use std::collections::BTreeSet;

use crate::finding::{Cell, Finding, Rule, Severity};
use crate::model::Evidence;
use crate::sheet::Field;
use crate::sheet::columns::{HeaderMatch, match_header, normalise};

use super::header::{Header, Map};
use super::read::{Grid, Value};

/// What the first run teaches: the headers nobody recognised and the
/// command to run next.
#[derive(Debug, Default)]
pub struct Lesson {
    pub unrecognised: Vec<String>,
    pub command: String,
}

/// Words that say nothing about which field a column holds.
const STOP: &[&str] = &["of", "the", "a", "an", "and", "or", "evidence", "no", "by"];

/// Words beyond a field's names that logs use for it: its values (a
/// "Impact / Voice / Activity" column holds `shows`) and common wording.
fn extra_words(f: Field) -> &'static [&'static str] {
    match f {
        Field::Date => &["received", "when", "day"],
        Field::Organisation => &["agency", "lead", "service", "provider", "team", "body"],
        Field::Kind => &[
            "type", "data", "report", "minutes", "survey", "audit", "policy", "letter", "training",
            "category", "format",
        ],
        Field::Shows => &["impact", "voice", "activity", "outcome"],
        Field::Areas => &["weakness", "priority", "area", "theme"],
        Field::Title => &["document", "name", "heading", "subject"],
        _ => &[],
    }
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(normalise)
        .filter(|w| !STOP.contains(&w.as_str()))
        .collect()
}

/// How well `header` fits `field`: shared words, or 1 when the header is
/// the initials of one of the field's names (AoW: Area of weakness).
fn score(header: &str, field: Field) -> usize {
    let c = field.column();
    let mut names: Vec<&str> = vec![c.key, c.header];
    names.extend_from_slice(c.synonyms);
    let mut known: BTreeSet<String> = names.iter().flat_map(|n| words(n)).collect();
    known.extend(extra_words(field).iter().map(|w| (*w).to_owned()));
    let hw: BTreeSet<String> = words(header).into_iter().collect();
    let shared = hw.intersection(&known).count();
    let n = normalise(header);
    let initials = names.iter().any(|name| {
        let i: String = name
            .split(|c: char| !c.is_alphanumeric())
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_lowercase)
            .collect();
        i.len() >= 2 && i == n
    });
    shared.max(usize::from(initials))
}

/// Whether a row would make a new item (its id cell names no item), so
/// that every required field needs a column: a sheet of existing ids may
/// update a few fields only.
pub fn makes_new(grid: &Grid, head: &Header, evidence: &[Evidence]) -> bool {
    let id_col = head
        .columns
        .iter()
        .find(|(_, f)| **f == Field::Id)
        .map(|(c, _)| *c);
    grid.rows
        .iter()
        .skip(head.row + 1)
        // Blank rows and one-cell notes are no items.
        .filter(|r| r.cells().count() > 1)
        .any(|r| match id_col.and_then(|c| r.get(c)) {
            Some(Value::Text(t)) => !evidence.iter().any(|e| e.id.value.as_str() == t.trim()),
            _ => true,
        })
}

/// A word for a shell: double-quoted unless it is plain.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@".contains(c));
    if plain {
        return s.to_owned();
    }
    quoted(s)
}

/// A word for a shell, always double-quoted: a `--map` reads the same
/// whatever its header.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if "\"\\$`".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// When required fields have no column: one error per field at the header
/// row, and the lesson. `None` when every required field has its column.
pub fn missing(
    grid: &Grid,
    head: &Header,
    maps: &[Map],
    required: &[Field],
    file_arg: &str,
    file_name: &str,
    findings: &mut Vec<Finding>,
) -> Option<Lesson> {
    let mapped = |h: &str| maps.iter().any(|m| normalise(&m.header) == normalise(h));
    // A field a header could hold is said by that header's own error.
    let maybe: BTreeSet<Field> = grid
        .rows
        .get(head.row)
        .cells()
        .filter_map(|(_, v)| match v {
            Value::Text(t) if !mapped(t) => match match_header(t) {
                HeaderMatch::Ambiguous(fields) => Some(fields),
                _ => None,
            },
            _ => None,
        })
        .flatten()
        .collect();
    let lacking: Vec<Field> = required
        .iter()
        .copied()
        .filter(|f| !head.columns.values().any(|c| c == f) && !maybe.contains(f))
        .collect();
    if lacking.is_empty() {
        return None;
    }
    // Headers that hold nothing yet: neither matched nor mapped.
    let free: Vec<(usize, String)> = grid
        .rows
        .get(head.row)
        .cells()
        .filter_map(|(col, v)| match v {
            Value::Text(t)
                if !t.trim().is_empty()
                    && !head.columns.contains_key(&col)
                    && !mapped(t)
                    && matches!(match_header(t), HeaderMatch::None) =>
            {
                Some((col, t.trim().to_owned()))
            }
            _ => None,
        })
        .collect();
    // The best pairs first, each header and field used once.
    let mut pairs: Vec<(usize, usize, Field)> = Vec::new();
    for (i, (_, h)) in free.iter().enumerate() {
        for f in &lacking {
            let s = score(h, *f);
            if s > 0 {
                pairs.push((s, i, *f));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut used = BTreeSet::new();
    let mut chosen: Vec<(Field, usize)> = Vec::new();
    for (_, i, f) in pairs {
        if used.contains(&i) || chosen.iter().any(|(g, _)| *g == f) {
            continue;
        }
        used.insert(i);
        chosen.push((f, i));
    }
    // The listing of every header's own warning is folded into the lesson.
    findings.retain(|f| !super::header::is_unrecognised(f));
    let cell = Cell {
        sheet: grid.sheet.clone(),
        row: head.row as u32 + 1,
        column: 1,
    };
    for f in &lacking {
        let key = f.column().key;
        let hint = match chosen.iter().find(|(g, _)| g == f) {
            Some((_, i)) => format!(
                "the closest header is `{}`: --map {}",
                free[*i].1,
                quoted(&format!("{}={key}", free[*i].1))
            ),
            None => format!(
                "add a column headed {}, or say which column holds it with --map \"HEADER={key}\"",
                f.column().header
            ),
        };
        findings.push(
            Finding::in_cell(
                Rule::ImportColumn,
                file_name,
                cell.clone(),
                format!("no column holds the required field `{key}`"),
            )
            .severity(Severity::Error)
            .hint(hint),
        );
    }
    let mut command = format!("pack import {}", shell_word(file_arg));
    for m in maps.iter().filter(|m| m.in_file.is_none()) {
        let field = m.field.map_or("", |f| f.column().key);
        command.push_str(&format!(
            " --map {}",
            quoted(&format!("{}={field}", m.header))
        ));
    }
    for (i, (_, h)) in free.iter().enumerate() {
        // A header no field was suggested for is skipped, so the next run is quiet.
        let field = chosen
            .iter()
            .find(|(_, j)| *j == i)
            .map_or("", |(f, _)| f.column().key);
        command.push_str(&format!(" --map {}", quoted(&format!("{h}={field}"))));
    }
    command.push_str(" --save-map");
    Some(Lesson {
        unrecognised: free.into_iter().map(|(_, h)| h).collect(),
        command,
    })
}
