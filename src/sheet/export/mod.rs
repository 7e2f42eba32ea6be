//! `pack export`: the evidence log as a workbook (.xlsx) or CSV (spec
//! section 6). The sheets are built as plain tables first (`table`), one
//! module per sheet; `xlsx` and `csv` only write them out.

mod actions;
mod areas;
pub mod csv;
mod evidence;
mod findings;
pub mod links;
mod measures;
pub mod table;
pub mod xlsx;

use std::collections::HashSet;

use crate::assess::{AreaState, Snapshot};
use crate::finding::Finding;
use crate::model::Evidence;

pub use links::Links;
pub use table::{Table, Value};

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
/// `findings` and `areas` are the check's (`cmd::Checked`), not recomputed.
pub fn build(
    snap: &Snapshot,
    findings: &[Finding],
    areas: &[AreaState],
    opts: &Options,
) -> EvidenceLog {
    let privacy = Privacy::new(snap, opts.include_sensitive);
    let shown = |e: &Evidence| privacy.shows_item(e);
    let evidence = evidence::sheet(snap, &shown, &opts.links);
    let items = evidence.rows.len();
    let tables = vec![
        evidence,
        actions::sheet(snap, &shown),
        measures::sheet(snap.repo),
        areas::sheet(areas, &|id| privacy.shows_id(id)),
        findings::sheet(findings, &|f| privacy.shows_finding(f)),
    ];
    EvidenceLog {
        tables,
        items,
        left_out: privacy.left_out,
    }
}

/// What may be named: without `--include-sensitive`, no sheet names a
/// sensitive item, whether by a row, an id in a list, or a finding about
/// its file or mentioning its id.
struct Privacy<'r> {
    include: bool,
    /// Ids of the items left out.
    ids: HashSet<&'r str>,
    /// Their YAML files, relative to the root.
    files: HashSet<&'r str>,
    left_out: usize,
}

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
        Privacy {
            include,
            ids: hidden.iter().map(|e| e.id.value.as_str()).collect(),
            files: hidden.iter().map(|e| e.file.as_str()).collect(),
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
        !self.files.contains(f.file.as_str())
            && f.subject.as_deref().is_none_or(|s| self.shows_id(s))
            && !self.mentions_hidden(&f.message)
            && !f.hint.as_deref().is_some_and(|h| self.mentions_hidden(h))
    }

    /// Whether `text` names a hidden id as a whole word (`E-2025-004` but
    /// not `E-2025-0041`); ids are `[A-Za-z0-9._-]` (model::ids).
    fn mentions_hidden(&self, text: &str) -> bool {
        text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
            .any(|w| self.ids.contains(w) || self.ids.contains(w.trim_end_matches('.')))
    }
}
