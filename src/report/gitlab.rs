//! `--format gitlab`: GitLab Code Quality JSON, so findings show in merge
//! requests. Each finding gets a fingerprint unique within the report.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::finding::Severity;

use super::Outcome;

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'a str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
}

pub fn render(out: &Outcome) -> String {
    let mut seen = std::collections::HashSet::new();
    let issues: Vec<Issue> = out
        .findings
        .iter()
        .map(|f| {
            let mut fingerprint = digest(&format!(
                "{}\0{}\0{}\0{}\0{}",
                f.rule, f.file, f.line, f.column, f.message
            ));
            // Identical findings are merged before reporting, but stay unique whatever happens.
            let mut n = 1;
            while !seen.insert(fingerprint.clone()) {
                fingerprint = digest(&format!("{fingerprint}\0{n}"));
                n += 1;
            }
            Issue {
                description: match &f.hint {
                    Some(h) => format!("{} (hint: {h})", f.message),
                    None => f.message.clone(),
                },
                check_name: f.rule.name(),
                fingerprint,
                severity: match f.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Acknowledged => "info",
                },
                location: Location {
                    path: &f.file,
                    lines: Lines { begin: f.line },
                },
            }
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&issues).expect("the report serializes");
    s.push('\n');
    s
}

fn digest(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}
