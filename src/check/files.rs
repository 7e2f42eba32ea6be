//! missing-file, unsafe-path and unused-file.

use std::collections::HashSet;

use crate::finding::{Finding, Pos, Rule};
use crate::model::{Repo, Resolved};

pub fn missing_file_and_unsafe_path(repo: &Repo, out: &mut Vec<Finding>) {
    for e in &repo.evidence {
        let (Some(a), Some(res)) = (&e.attachment, &e.resolved) else {
            continue;
        };
        let width = a.value.chars().count();
        match res {
            Resolved::File(_) => {}
            Resolved::Missing(why) => out.push(
                Finding::new(Rule::MissingFile, &e.file, a.pos, format!("`file:` names no file: {why}"))
                    .hint("put the attachment beside this YAML, or correct the name (it is relative to this file)")
                    .about(e.id.value.as_str())
                    .width(width),
            ),
            Resolved::Unsafe(why) => out.push(
                Finding::new(Rule::UnsafePath, &e.file, a.pos, format!("`file:` must stay inside the repository: {why}"))
                    .hint("copy the attachment into evidence/ and name it relative to this YAML")
                    .about(e.id.value.as_str())
                    .width(width),
            ),
        }
    }
}

/// A file an evidence item names is never unused, even when naming it is
/// itself a finding (a link out of the repository is `unsafe-path`, a link
/// to nothing or to a folder `missing-file`): one problem, one finding.
pub fn unused_file(repo: &Repo, out: &mut Vec<Finding>) {
    let named: HashSet<String> = repo
        .evidence
        .iter()
        .filter_map(|e| match (&e.resolved, &e.attachment) {
            (Some(Resolved::File(p)), _) => Some(p.clone()),
            (_, Some(a)) => written_path(&e.file, &a.value),
            _ => None,
        })
        .collect();
    for f in &repo.attachments {
        if !named.contains(f.as_str()) {
            let name = f.rsplit('/').next().unwrap_or(f);
            out.push(
                Finding::new(
                    Rule::UnusedFile,
                    f,
                    Pos::START,
                    format!("{f} is not named by any evidence item"),
                )
                .hint(format!(
                    "name it with `file: {name}` in an evidence item beside it, or delete it"
                )),
            );
        }
    }
}

/// The path `file:` (as written in the evidence YAML `yaml`) names,
/// relative to the root, `.` and `..` resolved as written (links are not
/// followed: the link itself is the file in the folder). None when it is
/// absolute or climbs out of the root.
fn written_path(yaml: &str, file: &str) -> Option<String> {
    if file.starts_with(['/', '\\']) || file.get(1..2) == Some(":") {
        return None;
    }
    let mut parts: Vec<&str> = yaml.split('/').collect();
    parts.pop();
    // As `Path` reads it: a backslash separates only on Windows.
    for part in file.split(['/', std::path::MAIN_SEPARATOR]) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::written_path;

    #[test]
    fn names_the_path_as_written() {
        let at = |f| written_path("evidence/2025/a.yaml", f);
        assert_eq!(at("x.csv").as_deref(), Some("evidence/2025/x.csv"));
        assert_eq!(
            at("./sub/x.csv").as_deref(),
            Some("evidence/2025/sub/x.csv")
        );
        assert_eq!(at("../2024/x.csv").as_deref(), Some("evidence/2024/x.csv"));
        assert_eq!(at("../../../x"), None);
        assert_eq!(at("/etc/passwd"), None);
        assert_eq!(at("C:\\x"), None);
    }
}
