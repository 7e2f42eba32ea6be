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

pub fn unused_file(repo: &Repo, out: &mut Vec<Finding>) {
    let named: HashSet<&str> = repo
        .evidence
        .iter()
        .filter_map(|e| match &e.resolved {
            Some(Resolved::File(p)) => Some(p.as_str()),
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
