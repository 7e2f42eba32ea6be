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

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use typst::foundations::{Smart, StyleChain};
use typst::introspection::{Location, Tag};
use typst::layout::{Frame, FrameItem, Point};
use typst::model::{HeadingElem, TableCell, TableElem};
use typst::pdf::{ArtifactElem, TableCellKind};
use typst_layout::PagedDocument;

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

/// An element whose start tag has been seen and whose end has not.
struct Open {
    loc: Option<Location>,
    kind: Kind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Heading(usize),
    /// Index into `Walk::tables`.
    Table(usize),
    /// A page's header or footer.
    Artifact,
    Other,
}

/// A line of text on a page: its baseline, and the level of the heading it
/// belongs to, if any.
#[derive(Clone, Copy)]
struct Text {
    y: f64,
    heading: Option<usize>,
    /// The innermost table the text is in.
    table: Option<usize>,
}

#[derive(Default)]
struct PageText {
    height: f64,
    texts: Vec<Text>,
    /// Baselines of the header's and footer's text.
    margins: Vec<f64>,
}

impl PageText {
    /// Where the page's own text must end: above the footer's first line,
    /// or the page's edge.
    fn foot(&self) -> f64 {
        self.margins
            .iter()
            .copied()
            .filter(|y| *y > self.height / 2.0)
            .fold(self.height, f64::min)
    }
}

/// One table as laid out (a piece, when a second layout split it).
struct Table {
    key: Option<String>,
    /// The first row of this piece in the whole table.
    offset: usize,
    /// Too tall to keep whole: a split is no fault.
    tall: bool,
    /// Grid row of each body row to the page its first cell starts on.
    rows: BTreeMap<usize, usize>,
}

#[derive(Default)]
struct Walk {
    stack: Vec<Open>,
    pages: Vec<PageText>,
    tables: Vec<Table>,
    /// Each body cell's location: its table, grid row and page.
    cells: HashMap<Location, (usize, usize, usize)>,
    /// Tables with a row cut in two: (table, page the row continues on).
    cut_rows: BTreeSet<(usize, usize)>,
}

impl Walk {
    fn page(&mut self, index: usize, frame: &Frame) {
        self.pages.push(PageText {
            height: frame.height().to_pt(),
            ..PageText::default()
        });
        self.frame(index, frame, Point::zero());
    }

    /// Walks a frame placed at `origin` on the page.
    fn frame(&mut self, page: usize, frame: &Frame, origin: Point) {
        for (pos, item) in frame.items() {
            let at = origin + *pos;
            match item {
                FrameItem::Group(g) => {
                    if let Some(parent) = g.parent
                        && let Some(&(table, _, started)) = self.cells.get(&parent.location)
                        && started < page
                    {
                        self.cut_rows.insert((table, page));
                    }
                    let inner = Point::new(at.x + g.transform.tx, at.y + g.transform.ty);
                    self.frame(page, &g.frame, inner);
                }
                FrameItem::Text(_) => self.text(page, at.y.to_pt()),
                FrameItem::Tag(tag) => self.tag(page, tag),
                _ => {}
            }
        }
    }

    /// A run of text with its baseline at `y`: the page's own, or its
    /// header's or footer's (an artifact in the tagged PDF).
    fn text(&mut self, page: usize, y: f64) {
        let mut heading = None;
        let mut table = None;
        for o in self.stack.iter().rev() {
            match o.kind {
                Kind::Artifact => {
                    self.pages[page].margins.push(y);
                    return;
                }
                Kind::Heading(l) => heading = heading.or(Some(l)),
                Kind::Table(t) => table = table.or(Some(t)),
                Kind::Other => {}
            }
        }
        self.pages[page].texts.push(Text { y, heading, table });
    }

    fn innermost_table(&self) -> Option<usize> {
        self.stack.iter().rev().find_map(|o| match o.kind {
            Kind::Table(t) => Some(t),
            _ => None,
        })
    }

    fn tag(&mut self, page: usize, tag: &Tag) {
        match tag {
            Tag::Start(content, _) => {
                let loc = content.location();
                let kind = if let Some(h) = content.to_packed::<HeadingElem>() {
                    Kind::Heading(h.resolve_level(StyleChain::default()).get())
                } else if content.to_packed::<TableElem>().is_some() {
                    let (key, offset, tall) = content
                        .label()
                        .and_then(|l| table_key(l.resolve().as_str()))
                        .map_or((None, 0, false), |(k, o, t)| (Some(k), o, t));
                    self.tables.push(Table {
                        key,
                        offset,
                        tall,
                        rows: BTreeMap::new(),
                    });
                    Kind::Table(self.tables.len() - 1)
                } else if content.to_packed::<ArtifactElem>().is_some() {
                    Kind::Artifact
                } else {
                    if let Some(cell) = content.to_packed::<TableCell>() {
                        self.cell(page, cell, loc);
                    }
                    Kind::Other
                };
                self.stack.push(Open { loc, kind });
            }
            Tag::End(loc, ..) => {
                if let Some(at) = self.stack.iter().rposition(|o| o.loc == Some(*loc)) {
                    self.stack.truncate(at);
                }
            }
        }
    }

    fn cell(&mut self, page: usize, cell: &TableCell, loc: Option<Location>) {
        // A footer's rows are rows: the template keeps a table's last rows
        // together as a footer that does not repeat.
        let header = matches!(
            cell.kind.as_option(),
            Some(Smart::Custom(TableCellKind::Header(..)))
        );
        let (Some(table), Some(Smart::Custom(y))) = (self.innermost_table(), cell.y.as_option())
        else {
            return;
        };
        // A header's cells repeat on every page; a footer that does not
        // repeat is laid out the same way, so `is_repeated` cannot tell them
        // apart from the rows.
        if header {
            return;
        }
        self.tables[table].rows.entry(*y).or_insert(page);
        if let Some(loc) = loc {
            self.cells.insert(loc, (table, *y, page));
        }
    }

    fn finish(self, applied: &Fix) -> Check {
        let mut check = Check::default();
        let lines: Vec<Lines> = self.pages.iter().map(lines).collect();
        let last = lines.len().saturating_sub(1);
        for (i, page) in lines.iter().enumerate() {
            let n = i + 1;
            if i < last && page.last_heading {
                check.faults.push(Fault {
                    page: n,
                    what: "a heading is the last line of the page".into(),
                });
                // typst moves a heading with the block after it unless the
                // two cannot share a page: a table kept whole that is
                // nearly a page tall. Let that table break.
                if let Some(key) = self
                    .tables
                    .iter()
                    .find(|t| t.rows.values().next() == Some(&(i + 1)))
                    .and_then(|t| t.key.clone())
                {
                    check.fix.free.insert(key);
                }
            }
            let ends_part = i == last || lines[i + 1].opens_part;
            if page.count > 0 && page.count < MIN_LINES && !ends_part {
                check.faults.push(Fault {
                    page: n,
                    what: format!(
                        "the page holds {} of text and ends no area",
                        count(page.count, "line")
                    ),
                });
            }
        }
        for (i, p) in self.pages.iter().enumerate() {
            // A line's baseline may sit a little into the footer's space; a
            // line past the footer's own first line was drawn off the body.
            let foot = p.foot();
            let over: Vec<&Text> = p.texts.iter().filter(|t| t.y > foot).collect();
            if over.is_empty() {
                continue;
            }
            check.faults.push(Fault {
                page: i + 1,
                what: "text runs past the foot of the page (a block taller than a page)".into(),
            });
            for t in over.iter().filter_map(|t| t.table) {
                if let Some(key) = &self.tables[t].key {
                    check.fix.free.insert(key.clone());
                    check.fix.loose.insert(key.clone());
                }
            }
        }
        // A row cut in two continues on the pages after the one it starts
        // on: one fault per table, from that page to the last.
        let mut cut: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
        for &(table, page) in &self.cut_rows {
            let span = cut.entry(table).or_insert((page, page));
            span.0 = span.0.min(page);
            span.1 = span.1.max(page);
        }
        for (table, (first, last)) in cut {
            check.faults.push(Fault {
                page: first,
                what: format!(
                    "a row of table {} is cut in two, running on to page {} (a row taller than a page)",
                    name(self.tables[table].key.as_deref()),
                    last + 1
                ),
            });
        }
        tables(&self.tables, applied, &mut check);
        check
            .faults
            .sort_by(|a, b| (a.page, &a.what).cmp(&(b.page, &b.what)));
        check.faults.dedup();
        check
    }
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
