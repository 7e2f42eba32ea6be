//! `pack export`: the evidence log as a workbook (.xlsx) or CSV (spec
//! section 6). The sheets are built as plain tables first (`table`), one
//! module per sheet; `xlsx` and `csv` only write them out.

mod actions;
mod areas;
pub mod csv;
mod evidence;
mod findings;
mod layout;
pub mod links;
mod measures;
pub mod table;
mod words;
pub mod xlsx;

use std::collections::HashSet;

use crate::assess::{AreaState, Snapshot};
use crate::finding::Finding;
use crate::model::Evidence;

pub use links::Links;
pub use table::{Page, Table, Value};

/// What the caller chose.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Keep OFFICIAL-SENSITIVE and personal-data items (`--include-sensitive`).
    pub include_sensitive: bool,
    /// How attachments are linked from the workbook.
    pub links: Links,
}

/// Every sheet, in the order the workbook holds them (Evidence first: it is
/// the sheet `pack import` reads by default).
pub struct EvidenceLog {
    pub tables: Vec<Table>,
    /// Rows of the Evidence sheet.
    pub items: usize,
    /// Items left out as sensitive.
    pub left_out: usize,
}

impl EvidenceLog {
    pub fn evidence(&self) -> &Table {
        &self.tables[0]
    }
}

/// The evidence log of the snapshot's repository on its as-of date.
/// `findings` and `areas` are the check's (`pipeline::Checked`), not recomputed.
pub fn build(
    snap: &Snapshot,
    findings: &[Finding],
    areas: &[AreaState],
    opts: &Options,
) -> EvidenceLog {
    let privacy = Privacy::new(snap, opts.include_sensitive);
    let shown = |e: &Evidence| privacy.shows_item(e);
    let shown_id = |id: &str| privacy.shows_id(id);
    let evidence = evidence::sheet(snap, &shown, &shown_id, &opts.links);
    let items = evidence.rows.len();
    let mut tables = vec![
        evidence,
        actions::sheet(snap, &shown),
        measures::sheet(snap.repo),
        areas::sheet(areas, &shown_id),
        findings::sheet(findings, &|f| privacy.shows_finding(f)),
    ];
    // Whatever else a cell holds (a summary citing a left-out item, an
    // action title or a gap naming one): a last pass over every cell.
    let page = page(snap, opts);
    for t in &mut tables {
        privacy.scrub(t);
        t.page = page.clone();
    }
    EvidenceLog {
        tables,
        items,
        left_out: privacy.left_out,
    }
}

/// The marking and date every printed page carries, as the pack marks
/// its own pages (view::PackView): OFFICIAL-SENSITIVE once sensitive items
/// may be in it, else the plan's classification.
fn page(snap: &Snapshot, opts: &Options) -> table::Page {
    let plan = &snap.repo.plan;
    let marking = if opts.include_sensitive {
        crate::model::Classification::OfficialSensitive
    } else {
        plan.classification
    };
    table::Page {
        marking: crate::model::Choice::name(marking).to_owned(),
        plan_title: plan.title.clone(),
        as_of: Some(snap.as_of),
        subject: None,
    }
}

/// What may be named: without `--include-sensitive`, no cell of any sheet
/// names an item left out, by its id, its title or the path of its YAML or
/// its attachment (such a path may hold a child's name).
struct Privacy<'r> {
    include: bool,
    /// Ids of the items left out.
    ids: HashSet<&'r str>,
    /// Their YAML files and attachments: as written, resolved, and by file
    /// name alone.
    paths: Vec<String>,
    /// Their titles, as `cell_text::title_key` has them.
    titles: Vec<String>,
    left_out: usize,
}

/// What a left-out item's id or path becomes inside a shown cell.
const LEFT_OUT: &str = "(left out)";

impl<'r> Privacy<'r> {
    fn new(snap: &Snapshot<'r>, include: bool) -> Self {
        let hidden: Vec<&'r Evidence> = if include {
            Vec::new()
        } else {
            snap.repo
                .evidence
                .iter()
                .filter(|e| e.is_sensitive())
                .collect()
        };
        let mut paths: Vec<String> = Vec::new();
        for e in &hidden {
            paths.push(e.file.clone());
            if let Some(a) = &e.attachment {
                paths.push(a.value.clone());
            }
            if let Some(crate::model::Resolved::File(p)) = &e.resolved {
                paths.push(p.clone());
            }
        }
        let names: Vec<String> = paths
            .iter()
            .filter_map(|p| p.rsplit(['/', '\\']).next().map(str::to_owned))
            .collect();
        paths.extend(names);
        paths.retain(|p| !p.trim().is_empty());
        // Longest first, so that a path is replaced before its file name.
        paths.sort_by_key(|p| std::cmp::Reverse(p.len()));
        paths.dedup();
        Privacy {
            include,
            ids: hidden.iter().map(|e| e.id.value.as_str()).collect(),
            paths,
            titles: hidden
                .iter()
                .map(|e| crate::sheet::cell_text::title_key(&e.title))
                .filter(|t| !t.is_empty())
                .collect(),
            left_out: hidden.len(),
        }
    }

    fn shows_item(&self, e: &Evidence) -> bool {
        self.include || !e.is_sensitive()
    }

    /// False for the id of an item left out. An id two items share, one
    /// sensitive, is hidden too: the id alone cannot say which is meant.
    fn shows_id(&self, id: &str) -> bool {
        !self.ids.contains(id)
    }

    fn shows_finding(&self, f: &Finding) -> bool {
        if self.ids.is_empty() {
            return true;
        }
        !self.mentions_hidden(&f.file)
            && f.subject.as_deref().is_none_or(|s| self.shows_id(s))
            && !self.mentions_hidden(&f.message)
            && !f.hint.as_deref().is_some_and(|h| self.mentions_hidden(h))
    }

    /// Whether `text` names a hidden id as a whole word (`E-2025-004` but
    /// not `E-2025-0041`; ids are `[A-Za-z0-9._-]`, model::ids), or holds
    /// a hidden item's path, file name or title.
    fn mentions_hidden(&self, text: &str) -> bool {
        if self.ids.is_empty() {
            return false;
        }
        let lower = text.to_lowercase();
        id_words(text).any(|(_, w)| self.ids.contains(w))
            || self.paths.iter().any(|p| path_at(text, p).next().is_some())
            || self.titles.iter().any(|t| lower.contains(t.as_str()))
    }

    /// Drops the Findings rows that name a hidden item, and in every other
    /// sheet writes `(left out)` for a hidden id or path inside a cell.
    fn scrub(&self, table: &mut Table) {
        if self.ids.is_empty() {
            return;
        }
        if table.name == findings::SHEET {
            table.rows.retain(|row| {
                !row.iter().any(|v| match v {
                    Value::Text(s) | Value::Url(s) | Value::File { text: s, .. } => {
                        self.mentions_hidden(s)
                    }
                    _ => false,
                })
            });
            return;
        }
        for row in &mut table.rows {
            for v in row.iter_mut() {
                let (Value::Text(s) | Value::Url(s) | Value::File { text: s, .. }) = v else {
                    continue;
                };
                let masked = self.mask(s);
                if masked != *s {
                    *s = masked;
                    if let Value::File { link, .. } = v {
                        *link = None;
                    }
                }
            }
        }
    }

    fn mask(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (at, w) in id_words(text) {
            if self.ids.contains(w) {
                out.push_str(&text[last..at]);
                out.push_str(LEFT_OUT);
                last = at + w.len();
            }
        }
        out.push_str(&text[last..]);
        for p in &self.paths {
            let at: Vec<usize> = path_at(&out, p).collect();
            for i in at.into_iter().rev() {
                out.replace_range(i..i + p.len(), LEFT_OUT);
            }
        }
        out
    }
}

/// Where `path` stands in `text` as a whole name: `a.pdf` in "see a.pdf."
/// or "evidence/a.pdf", not in "data.pdf".
fn path_at<'t>(text: &'t str, path: &'t str) -> impl Iterator<Item = usize> + 't {
    let name_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-');
    text.match_indices(path).map(|(i, _)| i).filter(move |&i| {
        let before = text[..i].chars().next_back();
        let after = text[i + path.len()..].chars().next();
        before.is_none_or(|c| !name_char(c) && c != '.') && after.is_none_or(|c| !name_char(c))
    })
}

/// The words of `text` that could be ids, with where each starts; a full
/// stop ending a sentence is not part of the id before it.
fn id_words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let is_id = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (start, is_id(c)) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                let w = text[s..i].trim_end_matches('.');
                words.push((s, w));
                start = None;
            }
            _ => {}
        }
    }
    words.into_iter()
}
