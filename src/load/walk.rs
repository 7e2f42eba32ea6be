//! Which files pack reads: the plan, the areas and everything under
//! evidence/, sorted, each with its role.

use std::path::Path;

use super::PLAN_FILE;

/// What kind of file a path under the root is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum FileRole {
    Plan,
    AreaYaml,
    Narrative,
    EvidenceYaml,
    Attachment,
    /// A folder: only its name is read (for personal identifiers).
    Folder,
    /// Not a regular file (a pipe, a socket, a device): never opened.
    Special,
    /// A file in plan/areas that pack does not read; only its name is checked.
    Other,
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
    let areas = root.join("plan/areas");
    if let Ok(entries) = std::fs::read_dir(&areas) {
        let mut names: Vec<(String, bool)> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let dir = e.file_type().is_ok_and(|t| t.is_dir());
                e.file_name().into_string().ok().map(|n| (n, dir))
            })
            .filter(|(n, _)| !n.starts_with('.'))
            .collect();
        names.sort();
        for (name, dir) in names {
            let rel = format!("plan/areas/{name}");
            let role = if dir {
                FileRole::Folder
            } else if is_special(&root.join(&rel)) {
                FileRole::Special
            } else {
                match extension(&name).to_ascii_lowercase().as_str() {
                    "yaml" | "yml" => FileRole::AreaYaml,
                    "md" => FileRole::Narrative,
                    _ => FileRole::Other,
                }
            };
            files.push((rel, role));
        }
    }
    let evidence = root.join("evidence");
    let walker = walkdir::WalkDir::new(&evidence)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker.filter_map(|e| e.ok()) {
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        let rel = slash_path(rel);
        let role = if entry.file_type().is_dir() {
            if entry.depth() == 0 {
                continue;
            }
            FileRole::Folder
        } else if is_special(entry.path()) {
            FileRole::Special
        } else {
            match extension(&rel).to_ascii_lowercase().as_str() {
                "yaml" | "yml" => FileRole::EvidenceYaml,
                _ => FileRole::Attachment,
            }
        };
        files.push((rel, role));
    }
    files
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
