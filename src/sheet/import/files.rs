//! The File column: which file a row names, and whether it must be copied
//! in. A name is looked for beside the item's YAML, then under `--files
//! DIR` (as a path in DIR, else by its file name anywhere below DIR; copied
//! beside the YAML), then as a path in the repository; a name found nowhere
//! is written as it is, and the check reports it at its cell. Every lookup
//! stays inside its folder (`contain`): a name that is not a relative path,
//! or that leads out of the folder, is an `unsafe-path` error at its cell,
//! and nothing outside is read or copied.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::finding::{Cell, Finding, Rule};
use crate::sheet::Field;

use super::contain::{self, Found};
use super::item::{FieldValue, Fields};

/// The folder `--files` names, and every file below it by file name.
pub struct FilesDir {
    /// Its real path: what every path found must be inside.
    dir: PathBuf,
    by_name: HashMap<String, Vec<PathBuf>>,
}

impl FilesDir {
    pub fn new(dir: &Path) -> FilesDir {
        let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        let mut by_name: HashMap<String, Vec<PathBuf>> = HashMap::new();
        // Links are not followed (walkdir's default): every file listed is
        // inside the folder.
        for e in walkdir::WalkDir::new(&dir)
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
        FilesDir { dir, by_name }
    }

    /// The file `name` means: DIR/name, else the one file so named below
    /// DIR. Several of that name is an error, said in words.
    fn find(&self, name: &str) -> Result<Found, String> {
        match contain::resolve(&self.dir, name) {
            Found::Missing => {}
            other => return Ok(other),
        }
        let base = name.rsplit('/').next().unwrap_or(name);
        match self.by_name.get(base).map(Vec::as_slice) {
            None | Some([]) => Ok(Found::Missing),
            Some([one]) => Ok(Found::File(one.clone())),
            Some(many) => Err(format!(
                "{} files named {base} are under the --files folder: {}",
                many.len(),
                many.iter()
                    .take(3)
                    .map(|p| {
                        let rel = p.strip_prefix(&self.dir).unwrap_or(p);
                        crate::load::slash_path(rel)
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

/// An attachment the import copies in from `--files`.
#[derive(Debug, Clone)]
pub struct Copy {
    /// Its real path, inside the --files folder.
    pub from: PathBuf,
    /// Where it goes, relative to the root.
    pub to: String,
    /// The File cell that asked for it.
    pub cell: Cell,
}

/// Where a row's file lookups happen.
pub struct Lookup<'a> {
    /// The repository's real path.
    pub root: &'a Path,
    pub files_dir: Option<&'a FilesDir>,
    /// The spreadsheet, as findings name it.
    pub file_name: &'a str,
}

/// Settles `fields`' file for an item whose YAML is in `yaml_dir` (relative
/// to the root), adding a copy to `copies` when it comes from `--files`.
pub fn resolve(
    at: &Lookup,
    yaml_dir: &str,
    fields: &mut Fields,
    copies: &mut Vec<Copy>,
    cell: Cell,
    findings: &mut Vec<Finding>,
) {
    let Some(FieldValue::Text(name)) = fields.get(&Field::File) else {
        return;
    };
    let name = name.clone();
    let shown = crate::pii::mask_all(&name).into_owned();
    if let Some(why) = contain::not_relative(&name) {
        findings.push(
            Finding::in_cell(
                Rule::UnsafePath,
                at.file_name,
                cell,
                format!("`{shown}` is {why}, not a path relative to the --files folder or the repository"),
            )
            .hint("put the attachment under the --files folder (or in the repository) and name it from there, with / between folders, e.g. 2025/minutes.pdf"),
        );
        return;
    }
    let outside = std::cell::Cell::new(false);
    let look = |base: &Path, rel: &str| match contain::resolve(base, rel) {
        Found::File(p) => Some(p),
        Found::Missing => None,
        Found::Outside => {
            outside.set(true);
            None
        }
    };
    if look(at.root, &join(yaml_dir, &name)).is_some() {
        return;
    }
    let from_dir = match at.files_dir.map(|d| d.find(&name)) {
        Some(Ok(Found::File(p))) => Some(p),
        Some(Ok(Found::Outside)) => {
            outside.set(true);
            None
        }
        Some(Ok(Found::Missing)) | None => None,
        Some(Err(why)) => {
            findings.push(
                Finding::in_cell(Rule::MissingFile, at.file_name, cell, why)
                    .hint("give the row a path under --files, e.g. 2025/minutes.pdf"),
            );
            return;
        }
    };
    if let Some(from) = from_dir {
        let base = name.rsplit('/').next().unwrap_or(&name).to_owned();
        let to = join(yaml_dir, &base);
        let same = |a: &Path, b: &Path| std::fs::read(a).ok() == std::fs::read(b).ok();
        let promised = copies.iter().find(|c| c.to == to).map(|c| c.from.clone());
        match promised {
            // Said where all the paths are compared (`paths`).
            Some(other) if !same(&other, &from) => copies.push(Copy { from, to, cell }),
            Some(_) => {}
            None => match contain::resolve(at.root, &to) {
                Found::File(target) if same(&target, &from) => {}
                Found::File(_) => {
                    findings.push(
                        Finding::in_cell(
                            Rule::MissingFile,
                            at.file_name,
                            cell,
                            format!(
                                "{} exists already and differs from the file in the --files folder",
                                crate::pii::mask_all(&to)
                            ),
                        )
                        .hint("rename the attachment: pack never overwrites a file"),
                    );
                    return;
                }
                Found::Missing | Found::Outside => copies.push(Copy { from, to, cell }),
            },
        }
        fields.insert(Field::File, FieldValue::Text(base));
        return;
    }
    // A path in the repository, written relative to the YAML.
    for candidate in [name.clone(), join("evidence", &name)] {
        if look(at.root, &candidate).is_some() {
            fields.insert(
                Field::File,
                FieldValue::Text(relative(&candidate, yaml_dir)),
            );
            return;
        }
    }
    if outside.get() {
        findings.push(
            Finding::in_cell(
                Rule::UnsafePath,
                at.file_name,
                cell,
                format!("`{shown}` leads out of the folder it is looked up in (through `..` or a link): pack reads attachments only from the --files folder and the repository"),
            )
            .hint("copy the attachment into the --files folder (or the repository) and name it from there"),
        );
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
