//! The File column: which file a row names, and whether it must be copied
//! in. A name is looked for beside the item's YAML, then under `--files
//! DIR` (as a path in DIR, else by its file name anywhere below DIR; copied
//! beside the YAML), then as a path in the repository; a name found nowhere
//! is written as it is, and the check reports it at its cell.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The folder `--files` names, and every file below it by file name.
pub struct FilesDir {
    dir: PathBuf,
    by_name: HashMap<String, Vec<PathBuf>>,
}

impl FilesDir {
    pub fn new(dir: &Path) -> FilesDir {
        let mut by_name: HashMap<String, Vec<PathBuf>> = HashMap::new();
        for e in walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if e.file_type().is_file() {
                by_name
                    .entry(e.file_name().to_string_lossy().into_owned())
                    .or_default()
                    .push(e.into_path());
            }
        }
        FilesDir {
            dir: dir.to_path_buf(),
            by_name,
        }
    }

    /// The file `name` means: DIR/name, else the one file so named below
    /// DIR. Several of that name is an error, said in words.
    fn find(&self, name: &str) -> Result<Option<PathBuf>, String> {
        let direct = self.dir.join(name);
        if direct.is_file() {
            return Ok(Some(direct));
        }
        let base = name.rsplit('/').next().unwrap_or(name);
        match self.by_name.get(base).map(Vec::as_slice) {
            None | Some([]) => Ok(None),
            Some([one]) => Ok(Some(one.clone())),
            Some(many) => Err(format!(
                "{} files named {base} are under {}: {}",
                many.len(),
                self.dir.display(),
                many.iter()
                    .take(3)
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

use crate::finding::{Cell, Finding, Rule};
use crate::sheet::Field;

use super::item::{FieldValue, Fields};

/// Settles `fields`' file for an item whose YAML is in `yaml_dir` (relative
/// to the root), adding a copy to `copies` when it comes from `files_dir`.
#[allow(clippy::too_many_arguments)]
pub fn resolve(
    root: &Path,
    files_dir: Option<&FilesDir>,
    yaml_dir: &str,
    fields: &mut Fields,
    copies: &mut Vec<(PathBuf, String)>,
    cell: Cell,
    file_name: &str,
    findings: &mut Vec<Finding>,
) {
    let Some(FieldValue::Text(name)) = fields.get(&Field::File) else {
        return;
    };
    let name = name.replace('\\', "/");
    let beside = join(yaml_dir, &name);
    if root.join(&beside).is_file() {
        return;
    }
    let found = match files_dir.map(|d| d.find(&name)) {
        Some(Ok(found)) => found,
        Some(Err(why)) => {
            findings.push(
                Finding::in_cell(Rule::MissingFile, file_name, cell, why)
                    .hint("give the row a path under --files, e.g. 2025/minutes.pdf"),
            );
            return;
        }
        None => None,
    };
    if let Some(from) = found {
        let base = name.rsplit('/').next().unwrap_or(&name).to_owned();
        let to = join(yaml_dir, &base);
        let target = root.join(&to);
        let same = |a: &Path, b: &Path| std::fs::read(a).ok() == std::fs::read(b).ok();
        let promised = copies
            .iter()
            .find(|(_, t)| *t == to)
            .map(|(f, _)| f.clone());
        match promised {
            Some(other) if !same(&other, &from) => {
                findings.push(
                    Finding::in_cell(
                        Rule::MissingFile,
                        file_name,
                        cell,
                        format!("another row copies a different file to {to}"),
                    )
                    .hint("give the two attachments different names"),
                );
                return;
            }
            Some(_) => {}
            None if target.exists() && !same(&target, &from) => {
                findings.push(
                    Finding::in_cell(
                        Rule::MissingFile,
                        file_name,
                        cell,
                        format!("{to} exists already and differs from {}", from.display()),
                    )
                    .hint("rename the attachment: pack never overwrites a file"),
                );
                return;
            }
            None if target.exists() => {}
            None => copies.push((from, to)),
        }
        fields.insert(Field::File, FieldValue::Text(base));
        return;
    }
    // A path in the repository, written relative to the YAML.
    for candidate in [name.clone(), join("evidence", &name)] {
        if root.join(&candidate).is_file() {
            fields.insert(
                Field::File,
                FieldValue::Text(relative(&candidate, yaml_dir)),
            );
            return;
        }
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

/// `target` (relative to the root) as seen from the folder `from`.
fn relative(target: &str, from: &str) -> String {
    let t: Vec<&str> = target.split('/').filter(|p| !p.is_empty()).collect();
    let f: Vec<&str> = from.split('/').filter(|p| !p.is_empty()).collect();
    let common = t.iter().zip(&f).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; f.len() - common];
    parts.extend(&t[common..]);
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::relative;

    #[test]
    fn paths_are_relative_to_the_yaml() {
        assert_eq!(relative("evidence/2025/a.pdf", "evidence/2025"), "a.pdf");
        assert_eq!(
            relative("evidence/docs/a.pdf", "evidence/2025"),
            "../docs/a.pdf"
        );
    }
}
