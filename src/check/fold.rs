//! Root cause first: findings that are only echoes of a file pack could not
//! read are folded into that file's own finding. One `[` left open in an
//! area file otherwise shows as 48 "no area has the id A1" before the one
//! finding that says what to fix.

use std::collections::{HashMap, HashSet};

use crate::finding::{Finding, Rule};
use crate::model::Repo;

/// What was folded into one unreadable file's finding.
#[derive(Default)]
struct Folded {
    /// References to the ids the file defines: ids in first-seen order,
    /// how many, and the first place (file, line) in report order.
    ids: Vec<String>,
    references: usize,
    first_reference: Option<(String, u32, u32)>,
    /// Attachments beside an evidence file that could not be read.
    attachments: Vec<String>,
}

/// Removes from `findings` the unknown-reference and unknown-citation
/// findings that name an id an unreadable file would have defined, and the
/// unused-file findings of attachments beside an unreadable evidence file;
/// each unreadable file's first root-cause finding says how many depend on
/// it and where the first is.
pub fn fold(repo: &Repo, findings: &mut Vec<Finding>) {
    let health = &repo.health;
    if health.recovered.is_empty() {
        return;
    }
    // id -> the first unreadable file that would have defined it.
    let mut owner: HashMap<&str, &str> = HashMap::new();
    for (file, ids) in &health.recovered {
        for id in ids {
            owner.entry(id.as_str()).or_insert(file.as_str());
        }
    }
    let folder = |path: &str| path.rsplit_once('/').map_or("", |(d, _)| d).to_owned();
    let mut evidence_folders: HashMap<String, &str> = HashMap::new();
    for file in &health.broken_evidence {
        evidence_folders
            .entry(folder(file))
            .or_insert(file.as_str());
    }
    let mut folded: HashMap<String, Folded> = HashMap::new();
    let mut kept = Vec::with_capacity(findings.len());
    let mut all: Vec<Finding> = std::mem::take(findings);
    all.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    // Only into a file that has a root-cause finding to carry the count.
    let rooted: HashSet<&str> = all
        .iter()
        .filter(|x| x.is_root_cause())
        .map(|x| x.file.as_str())
        .collect();
    let roots: HashSet<String> = health
        .recovered
        .iter()
        .map(|(f, _)| f.clone())
        .filter(|f| rooted.contains(f.as_str()))
        .collect();
    for f in all {
        let into = match f.rule {
            Rule::UnknownReference | Rule::UnknownCitation => {
                f.refers_to.as_deref().and_then(|id| owner.get(id).copied())
            }
            Rule::UnusedFile => evidence_folders.get(&folder(&f.file)).copied(),
            _ => None,
        };
        let Some(into) = into.filter(|file| roots.contains(*file)) else {
            kept.push(f);
            continue;
        };
        let entry = folded.entry(into.to_owned()).or_default();
        if f.rule == Rule::UnusedFile {
            entry.attachments.push(f.file.clone());
            continue;
        }
        let id = f.refers_to.clone().unwrap_or_default();
        if !entry.ids.contains(&id) {
            entry.ids.push(id);
        }
        entry.references += 1;
        if entry.first_reference.is_none() {
            entry.first_reference = Some((f.file.clone(), f.line, f.column));
        }
    }
    // Each file's first root-cause finding, in report order, carries the count.
    let mut first_root: HashMap<String, usize> = HashMap::new();
    for (i, f) in kept.iter().enumerate() {
        if f.is_root_cause() {
            first_root.entry(f.file.clone()).or_insert(i);
        }
    }
    for (file, mut what) in folded {
        // The ids in the order the file defines them (the area's own first).
        if let Some((_, defined)) = health.recovered.iter().find(|(f, _)| *f == file) {
            what.ids
                .sort_by_key(|id| defined.iter().position(|d| d == id));
        }
        let Some(root) = first_root.get(&file).and_then(|i| kept.get_mut(*i)) else {
            continue;
        };
        let mut notes = Vec::new();
        if let Some((at, line, _)) = &what.first_reference {
            notes.push(format!(
                "{} reference{} to {} depend{} on this file, first at {at}:{line}",
                what.references,
                crate::assess::plural(what.references),
                list(&what.ids),
                if what.references == 1 { "s" } else { "" },
            ));
        }
        if let Some(first) = what.attachments.first() {
            let n = what.attachments.len();
            notes.push(format!(
                "{n} attachment{} beside it may be named by it and {} not reported as unused, first {first}",
                crate::assess::plural(n),
                if n == 1 { "is" } else { "are" },
            ));
        }
        let message = format!("{} ({})", root.message, notes.join("; "));
        root.message = crate::finding::clean(&message);
    }
    *findings = kept;
}

/// "A1", "A1 and A1.1", "A1, A1.1 and 3 more".
fn list(ids: &[String]) -> String {
    match ids {
        [] => "its ids".to_owned(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [a, b, rest @ ..] => format!("{a}, {b} and {} more", rest.len()),
    }
}
