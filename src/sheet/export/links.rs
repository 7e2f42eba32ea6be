//! Hyperlinks from the workbook to attachments. A link is relative to the
//! workbook's folder, so it keeps working when the repository is moved or
//! cloned elsewhere, as long as the workbook stays inside it (the default,
//! out/). A workbook written outside the repository gets no attachment links:
//! a relative path out of an unrelated folder would break as soon as either
//! moved, and an absolute one would give away the writer's folders.

use std::path::{Component, Path, PathBuf};

/// How the workbook reaches the repository's files.
#[derive(Debug, Clone, Default)]
pub struct Links {
    /// "" for a workbook at the root, "../" for one in out/, ...; None: no links.
    to_root: Option<String>,
}

impl Links {
    /// No attachment links (CSV has no links at all).
    pub fn none() -> Links {
        Links::default()
    }

    /// Links for a workbook to be written at `workbook` (relative to the
    /// current folder, or absolute) in the repository at `root`.
    pub fn for_workbook(root: &Path, workbook: &Path) -> Links {
        let Some(dir) = workbook.parent().map(real) else {
            return Links::none();
        };
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let to_root = dir.strip_prefix(&root).ok().map(|below| {
            let depth = below
                .components()
                .filter(|c| matches!(c, Component::Normal(_)))
                .count();
            "../".repeat(depth)
        });
        Links { to_root }
    }

    /// The link to `rel` (a file relative to the root, `/`-separated), when
    /// there is one. A `#` would be read as a place inside the file, so such
    /// names stay plain text.
    pub fn to(&self, rel: &str) -> Option<String> {
        let to_root = self.to_root.as_ref()?;
        (!rel.contains('#')).then(|| format!("{to_root}{rel}"))
    }
}

/// `path` made absolute, with the part that exists resolved through links
/// and `..`, and the rest (folders not made yet) appended as written.
fn real(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut rest = Vec::new();
    let mut existing = abs.as_path();
    loop {
        if let Ok(found) = existing.canonicalize() {
            let mut out = found;
            for part in rest.iter().rev() {
                match part {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::Normal(p) => out.push(p),
                    _ => {}
                }
            }
            return out;
        }
        match (existing.components().next_back(), existing.parent()) {
            (Some(last), Some(parent)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return abs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_climb_from_the_workbook_folder_to_the_root() {
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        let at = |w: &Path| Links::for_workbook(r, w).to("evidence/2025/a.csv");
        assert_eq!(
            at(&r.join("out/log.xlsx")).as_deref(),
            Some("../evidence/2025/a.csv")
        );
        assert_eq!(
            at(&r.join("log.xlsx")).as_deref(),
            Some("evidence/2025/a.csv")
        );
        assert_eq!(
            at(&r.join("out/new/deeper/log.xlsx")).as_deref(),
            Some("../../../evidence/2025/a.csv")
        );
        assert_eq!(
            at(&r.join("out/../log.xlsx")).as_deref(),
            Some("evidence/2025/a.csv")
        );
        let elsewhere = tempfile::tempdir().unwrap();
        assert_eq!(at(&elsewhere.path().join("log.xlsx")), None);
        assert_eq!(Links::none().to("evidence/a.csv"), None);
        assert_eq!(
            Links::for_workbook(r, &r.join("out/log.xlsx")).to("evidence/a#1.csv"),
            None
        );
    }
}
