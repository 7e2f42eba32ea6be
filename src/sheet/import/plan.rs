//! What an import would do: the question asked, each row's plan, and the
//! count of every row that the summary line gives.

use std::collections::BTreeSet;
use std::path::Path;

use crate::finding::{Finding, Severity};

use super::files;

/// What `pack import` was asked.
pub struct Options<'a> {
    pub file: &'a Path,
    /// The spreadsheet as findings name it (relative to the repository
    /// when it is inside it).
    pub file_name: &'a str,
    pub sheet: Option<&'a str>,
    pub maps: &'a [String],
    pub files_dir: Option<&'a Path>,
    pub update: bool,
    /// Import id-less rows that look like an existing item as new items.
    pub new: bool,
}

/// What happens to one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Create,
    Update,
    Unchanged,
    /// The item exists with different content and `--update` was not given.
    Conflict,
    /// Not planned at all: a second row for one item.
    Rejected,
}

/// One row's item and where it goes.
#[derive(Debug)]
pub struct RowPlan {
    /// 1-based row number in the sheet.
    pub row: usize,
    pub id: String,
    /// The YAML file, relative to the root.
    pub path: String,
    pub change: Change,
    /// The YAML to write (for Create and Update).
    pub yaml: String,
}

/// Everything an import would do, and every problem with it.
#[derive(Debug, Default)]
pub struct ImportPlan {
    pub sheet: String,
    pub rows: Vec<RowPlan>,
    /// Attachments to copy in from `--files`.
    pub copies: Vec<files::Copy>,
    /// Rows skipped as notes (one cell only), by 1-based row number.
    pub notes: Vec<usize>,
    /// Findings located in the spreadsheet.
    pub findings: Vec<Finding>,
    /// When required fields have no column: what to tell a newcomer.
    pub lesson: Option<super::teach::Lesson>,
}

/// Every item row, counted once: what would be written, what is unchanged,
/// what conflicts and what has an error.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub rows: usize,
    pub new: usize,
    pub update: usize,
    pub unchanged: usize,
    pub conflicting: usize,
    pub errors: usize,
}

impl ImportPlan {
    /// An import writes nothing while a row has an error.
    pub fn blocked(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    pub fn counts(&self) -> Counts {
        let error_rows: BTreeSet<u32> = self
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .filter_map(|f| f.cell.as_ref().map(|c| c.row))
            .collect();
        let mut c = Counts {
            rows: self.rows.len(),
            ..Counts::default()
        };
        for r in &self.rows {
            match r.change {
                Change::Conflict => c.conflicting += 1,
                Change::Rejected => c.errors += 1,
                _ if error_rows.contains(&(r.row as u32)) => c.errors += 1,
                Change::Create => c.new += 1,
                Change::Update => c.update += 1,
                Change::Unchanged => c.unchanged += 1,
            }
        }
        c
    }
}
