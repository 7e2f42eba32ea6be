//! Every path an import would write, worked out before anything is written
//! (spec 6.1, "All or nothing"): two of them that are one name in any letter
//! case (one file on Windows and macOS), one that already exists and is not
//! the item being updated, or an attachment that pack would then read as an
//! evidence item, is an error at the cells concerned.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use crate::finding::{Cell, Finding, Rule};

/// One file the import would write.
pub struct Write<'a> {
    /// Relative to the root.
    pub path: &'a str,
    /// The cell that asked for it (the File cell of a copy, the Title or
    /// Evidence ID cell of an item).
    pub cell: Cell,
    /// The item's own file, rewritten by `--update`.
    pub replaces_itself: bool,
    pub attachment: bool,
}

/// Names in a folder, in lower case, read once each.
#[derive(Default)]
pub struct Existing {
    folders: HashMap<String, HashSet<String>>,
}

impl Existing {
    /// Whether `rel` (relative to `root`) names a file or folder there now,
    /// in any letter case.
    pub fn has(&mut self, root: &Path, rel: &str) -> bool {
        let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        let names = self.folders.entry(dir.to_owned()).or_insert_with(|| {
            std::fs::read_dir(root.join(dir))
                .map(|d| {
                    d.flatten()
                        .map(|e| e.file_name().to_string_lossy().to_lowercase())
                        .collect()
                })
                .unwrap_or_default()
        });
        names.contains(&name.to_lowercase())
    }
}

/// The findings about `writes`, each at the cell concerned.
pub fn check(
    root: &Path,
    writes: &[Write],
    file_name: &str,
    existing: &mut Existing,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut by_name: BTreeMap<String, Vec<&Write>> = BTreeMap::new();
    for w in writes {
        by_name.entry(w.path.to_lowercase()).or_default().push(w);
    }
    for same in by_name.values().filter(|v| v.len() > 1) {
        for w in same {
            let others: Vec<String> = same
                .iter()
                .filter(|o| o.cell != w.cell)
                .map(|o| o.cell.name())
                .collect();
            let shown = crate::pii::mask_all(w.path);
            let message = if others.is_empty() {
                format!("this row would write {shown} twice")
            } else {
                format!(
                    "{} would also write {shown}: one file on Windows and macOS, where names differ only in letter case",
                    others.join(" and ")
                )
            };
            out.push(
                Finding::in_cell(Rule::ImportConflict, file_name, w.cell.clone(), message).hint(
                    "give the attachments (or the titles) different names; nothing was written",
                ),
            );
        }
    }
    for w in writes {
        if w.attachment {
            let ext = w
                .path
                .rsplit_once('.')
                .map_or("", |(_, e)| e)
                .to_ascii_lowercase();
            if ext == "yaml" || ext == "yml" {
                out.push(
                    Finding::in_cell(
                        Rule::ImportConflict,
                        file_name,
                        w.cell.clone(),
                        format!(
                            "the attachment {} would be read as an evidence item: every .yaml file under evidence/ is one",
                            crate::pii::mask_all(w.path)
                        ),
                    )
                    .hint("rename the attachment (e.g. to .txt) or put it in a zip"),
                );
            }
        }
        if !w.replaces_itself && existing.has(root, w.path) {
            out.push(
                Finding::in_cell(
                    Rule::ImportConflict,
                    file_name,
                    w.cell.clone(),
                    format!(
                        "{} exists already (in this or another letter case): pack never replaces a file",
                        crate::pii::mask_all(w.path)
                    ),
                )
                .hint("rename the attachment, or move the file that is in the way"),
            );
        }
    }
    out
}
