//! The page check (spec section 11, "Layout"; docs/layout.md): after typst
//! has laid the PDF out, look at every page for what lets a reader down, and
//! say what a second layout should change.
//!
//! The template's own rules prevent most faults in one layout (see
//! docs/layout.md): rows never break, headers repeat, headings stick to what
//! follows, a table of up to 15 rows that fits on a page is kept whole, and
//! a table that may split starts where three rows fit and keeps its last
//! three rows together. What one layout cannot mend by itself (a row taller
//! than a page, drawn off it) this module finds in the laid-out frames:
//! - the lines of text on each page (not its header and footer, which are
//!   artifacts);
//! - where each heading and each table row starts, from the introspection
//!   tags typst leaves in the frames (a cell's tag carries its row);
//! - text past the foot of a page.
//!
//! It finds: a table of up to 15 rows on more than one page (unless the
//! template found it too tall to keep whole); a longer table with fewer than
//! three rows on one side of a split; a row cut in two; a heading as the last
//! line of a page; a page of fewer than four lines that is neither the last
//! nor followed by a page opening with a level-1 heading (an area, or a part
//! of the pack); text drawn past the foot of a page. The fixes it asks for,
//! by the key the template labels each table with (`pack-table:<key>@<first
//! row>`, or `pack-table-tall:` for one too tall to keep whole): `split`
//! (rows that must start a page), `free` (tables of up to 15 rows that may
//! split between rows) and `loose` (tables whose rows may break too). The
//! template reads them from `/layout.json`.

mod walk;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use typst_layout::PagedDocument;

use walk::{PageText, Table, Text, Walk};

/// A table of at most this many rows is never split across pages.
pub const SMALL_TABLE: usize = 15;
/// A longer table keeps at least this many rows on each side of a split.
pub const MIN_ROWS: usize = 3;
/// A page holds at least this many lines of text, unless it ends an area
/// or the document.
pub const MIN_LINES: usize = 4;

/// The label prefix the templates give each table.
const TABLE_LABEL: &str = "pack-table:";
/// The label prefix of a table of up to 15 rows too tall to keep whole.
const TALL_TABLE_LABEL: &str = "pack-table-tall:";

/// Baselines closer than this are one line (cells of one row set in
/// slightly different sizes).
const SAME_LINE: f64 = 3.0;

/// One thing a reader would trip over, on a page (counted from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub page: usize,
    pub what: String,
}

/// What a second layout should change: the template reads it as
/// `/layout.json`.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// Table key to the rows (from 0, below the header) that start a page.
    pub split: BTreeMap<String, Vec<usize>>,
    /// Keys of tables of up to 15 rows that may split between rows: each is
    /// too tall to share a page with the heading above it.
    pub free: BTreeSet<String>,
    /// Keys of tables whose rows may break too: a row (or the table kept
    /// whole) is taller than a page and was drawn past its foot.
    pub loose: BTreeSet<String>,
}

impl Fix {
    pub fn is_empty(&self) -> bool {
        self.split.is_empty() && self.free.is_empty() && self.loose.is_empty()
    }
}

/// The faults of a laid-out document and the fix for those it can mend.
#[derive(Debug, Default)]
pub struct Check {
    pub faults: Vec<Fault>,
    pub fix: Fix,
}

/// Checks every page of `doc`, laid out with `applied` (a table it freed
/// is too tall to keep whole: its split is no fault).
pub fn check(doc: &PagedDocument, applied: &Fix) -> Check {
    let mut walk = Walk::default();
    for (i, page) in doc.pages().iter().enumerate() {
        walk.page(i, &page.frame);
    }
    walk.finish(applied)
}

/// What a page's text comes to.
struct Lines {
    count: usize,
    /// The last line belongs to a heading.
    last_heading: bool,
    /// The first line belongs to a level-1 heading.
    opens_part: bool,
}

fn lines(page: &PageText) -> Lines {
    let mut ys: Vec<&Text> = page.texts.iter().collect();
    ys.sort_by(|a, b| a.y.total_cmp(&b.y));
    let mut count = 0;
    let mut prev: Option<f64> = None;
    for t in &ys {
        if prev.is_none_or(|p| t.y - p > SAME_LINE) {
            count += 1;
        }
        prev = Some(t.y);
    }
    Lines {
        count,
        last_heading: ys.last().is_some_and(|t| t.heading.is_some()),
        opens_part: ys.first().is_some_and(|t| t.heading == Some(1)),
    }
}

/// A body row of a whole table (counted from 0) and the page it starts on.
type RowAt = (usize, usize);

/// The faults and fixes of every table, its pieces taken together.
fn tables(tables: &[Table], applied: &Fix, check: &mut Check) {
    // Whole tables: the pieces of one key, in order; a table without a key
    // is a whole of its own.
    let mut wholes: Vec<(Option<&str>, bool, Vec<RowAt>)> = Vec::new();
    for t in tables {
        let rows = t
            .rows
            .values()
            .enumerate()
            .map(|(i, page)| (t.offset + i, *page));
        match (&t.key, wholes.last_mut()) {
            (Some(k), Some((Some(prev), _, all))) if t.offset > 0 && prev == k => all.extend(rows),
            _ => wholes.push((t.key.as_deref(), t.tall, rows.collect())),
        }
    }
    for (key, tall, rows) in wholes {
        let Some(&(_, first_page)) = rows.first() else {
            continue;
        };
        let n = rows.len();
        let last_page = rows.last().map_or(first_page, |r| r.1);
        if first_page == last_page {
            continue;
        }
        if n <= SMALL_TABLE && !tall && !key.is_some_and(|k| applied.free.contains(k)) {
            check.faults.push(Fault {
                page: first_page + 1,
                what: format!(
                    "table {} of {} runs onto page {}",
                    name(key),
                    count(n, "row"),
                    last_page + 1
                ),
            });
            continue;
        }
        let on = |page: usize| rows.iter().filter(|r| r.1 == page).count();
        let head = on(first_page);
        let tail = on(last_page);
        let mut cuts = Vec::new();
        if head < MIN_ROWS {
            check.faults.push(Fault {
                page: first_page + 1,
                what: format!(
                    "table {} starts with {} at the foot of the page",
                    name(key),
                    count(head, "row")
                ),
            });
        }
        if tail < MIN_ROWS {
            check.faults.push(Fault {
                page: last_page + 1,
                what: format!(
                    "table {} ends with {} on the page",
                    name(key),
                    count(tail, "row")
                ),
            });
            // Move rows from the page before so both keep three, when it
            // can spare them (it is a full page unless the table began on it).
            let before = on(last_page - 1);
            let first_on_last = rows.iter().position(|r| r.1 == last_page).unwrap_or(n);
            let need = MIN_ROWS - tail;
            if before >= MIN_ROWS + need && first_on_last >= need {
                cuts.push(first_on_last - need);
            }
        }
        if let Some(k) = key
            && !cuts.is_empty()
        {
            check.fix.split.insert(k.to_owned(), cuts);
        }
    }
}

/// A table's key, first row, and whether the template found it too tall
/// to keep whole, from its label: `pack-table:KEY@ROW`, or
/// `pack-table-tall:KEY@ROW`.
fn table_key(label: &str) -> Option<(String, usize, bool)> {
    let (rest, tall) = match label.strip_prefix(TALL_TABLE_LABEL) {
        Some(rest) => (rest, true),
        None => (label.strip_prefix(TABLE_LABEL)?, false),
    };
    match rest.rsplit_once('@') {
        Some((key, row)) => Some((key.to_owned(), row.parse().ok()?, tall)),
        None => Some((rest.to_owned(), 0, tall)),
    }
}

fn name(key: Option<&str>) -> String {
    key.map_or_else(|| "(unnamed)".to_owned(), |k| format!("\"{k}\""))
}

fn count(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_tables_key_and_first_row() {
        let key = |k: &str, row, tall| Some((k.to_owned(), row, tall));
        assert_eq!(
            table_key("pack-table:actions-A3@0"),
            key("actions-A3", 0, false)
        );
        assert_eq!(
            table_key("pack-table:actions-A3@17"),
            key("actions-A3", 17, false)
        );
        assert_eq!(table_key("pack-table-tall:a@b@2"), key("a@b", 2, true));
        assert_eq!(table_key("pack-table:glance"), key("glance", 0, false));
        assert_eq!(table_key("pack-table:a@b"), None);
        assert_eq!(table_key("A3"), None);
    }
}
