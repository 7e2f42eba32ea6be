//! Which files pack reads: the plan, the areas and everything under
//! evidence/ and data/, sorted, each with its role.

use std::path::Path;

use super::PLAN_FILE;

/// What kind of file a path under the root is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum FileRole {
    Plan,
    AreaYaml,
    /// plan/import.yaml: import's remembered column names.
    ImportMap,
    Narrative,
    EvidenceYaml,
    Attachment,
    /// A folder: only its name is read (for personal identifiers).
    Folder,
    /// Not a regular file (a pipe, a socket, a device): never opened.
    Special,
    /// A file under plan/ that pack does not read as part of the plan: its
    /// name is checked, and its bytes for secret keys.
    Other,
    /// A file whose name starts with `.`: read for secret keys only.
    Hidden,
    /// A file under data/ (published statistics, spec section 10): scanned
    /// for personal identifiers; measures read it in `crate::official`.
    Data,
}

/// Whether `path` is a regular file, following a link; a dangling link
/// counts as a file (its target is reported missing where it is named).
pub(super) fn is_special(path: &Path) -> bool {
    match std::fs::metadata(path) {
        Ok(m) => !m.is_file() && !m.is_dir(),
        Err(_) => false,
    }
}

/// Lists the paths pack reads, sorted, relative to the root.
pub(super) fn walk(root: &Path) -> Vec<(String, FileRole)> {
    let mut files = vec![(PLAN_FILE.to_owned(), FileRole::Plan)];
    // plan/areas on its own, so that (like plan/ and evidence/) a link
    // standing for the whole folder is followed.
    for top in ["plan", "plan/areas", "evidence", "data"] {
        // Hidden folders are never entered; hidden files are read for secret keys only.
        let walker = walkdir::WalkDir::new(root.join(top))
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || ((!is_hidden(e) || e.file_type().is_file())
                        && !(top == "plan" && e.depth() == 1 && e.file_name() == "areas"))
            });
        for entry in walker.filter_map(|e| e.ok()) {
            if entry.depth() == 0 {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(root) else {
                continue;
            };
            let rel = slash_path(rel);
            if rel == PLAN_FILE {
                continue;
            }
            let ext = extension(&rel).to_ascii_lowercase();
            let role = if entry.file_type().is_dir() {
                FileRole::Folder
            } else if is_hidden(&entry) {
                FileRole::Hidden
            } else if is_special(entry.path()) {
                FileRole::Special
            } else if top == "data" {
                FileRole::Data
            } else if top == "evidence" {
                match ext.as_str() {
                    "yaml" | "yml" => FileRole::EvidenceYaml,
                    _ => FileRole::Attachment,
                }
            } else if top == "plan/areas" && entry.depth() == 1 {
                match ext.as_str() {
                    "yaml" | "yml" => FileRole::AreaYaml,
                    "md" => FileRole::Narrative,
                    _ => FileRole::Other,
                }
            } else if rel == super::import_map::IMPORT_FILE {
                FileRole::ImportMap
            } else {
                FileRole::Other
            };
            files.push((rel, role));
        }
    }
    files
}

fn is_hidden(e: &walkdir::DirEntry) -> bool {
    e.file_name().to_string_lossy().starts_with('.')
}

pub(super) fn extension(name: &str) -> &str {
    let name = name.rsplit('/').next().unwrap_or(name);
    name.rsplit_once('.').map_or("", |(_, e)| e)
}

/// A relative path with `/` separators, whatever the platform.
pub fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
