//! Reading the laid-out pages: the lines of text on each, the headings,
//! and where each table row starts, from the introspection tags typst
//! leaves in the frames. The rules that judge what is read are in
//! `super` (the page check).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use typst::foundations::{Smart, StyleChain};
use typst::introspection::{Location, Tag};
use typst::layout::{Frame, FrameItem, Point};
use typst::model::{HeadingElem, TableCell, TableElem};
use typst::pdf::{ArtifactElem, TableCellKind};

use super::{Check, Fault, Fix, Lines, MIN_LINES, count, lines, name, table_key, tables};

/// An element whose start tag has been seen and whose end has not.
pub(super) struct Open {
    pub(super) loc: Option<Location>,
    pub(super) kind: Kind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
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
pub(super) struct Text {
    pub(super) y: f64,
    pub(super) heading: Option<usize>,
    /// The innermost table the text is in.
    pub(super) table: Option<usize>,
}

#[derive(Default)]
pub(super) struct PageText {
    pub(super) height: f64,
    pub(super) texts: Vec<Text>,
    /// Baselines of the header's and footer's text.
    pub(super) margins: Vec<f64>,
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
pub(super) struct Table {
    pub(super) key: Option<String>,
    /// The first row of this piece in the whole table.
    pub(super) offset: usize,
    /// Too tall to keep whole: a split is no fault.
    pub(super) tall: bool,
    /// Grid row of each body row to the page its first cell starts on.
    pub(super) rows: BTreeMap<usize, usize>,
}

#[derive(Default)]
pub(super) struct Walk {
    pub(super) stack: Vec<Open>,
    pub(super) pages: Vec<PageText>,
    pub(super) tables: Vec<Table>,
    /// Each body cell's location: its table, grid row and page.
    pub(super) cells: HashMap<Location, (usize, usize, usize)>,
    /// Tables with a row cut in two: (table, page the row continues on).
    pub(super) cut_rows: BTreeSet<(usize, usize)>,
}

impl Walk {
    pub(super) fn page(&mut self, index: usize, frame: &Frame) {
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

    pub(super) fn finish(self, applied: &Fix) -> Check {
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
