//! The Findings sheet: every finding of the check, in the order every
//! report uses, less those that would name an item left out.

use crate::finding::Finding;

use super::table::{Table, Value};

pub const SHEET: &str = "Findings";

/// `shown`: whether a finding may appear (see `Privacy::shows_finding`).
pub fn sheet(findings: &[Finding], shown: &dyn Fn(&Finding) -> bool) -> Table {
    let mut table = Table::new(
        SHEET,
        &[
            "Rule", "Severity", "File", "Line", "Column", "Message", "Hint",
        ],
    );
    for f in findings.iter().filter(|f| shown(f)) {
        table.push(vec![
            Value::text(f.rule.name()),
            Value::text(f.severity.name()),
            Value::text(f.file.as_str()),
            Value::count(f.line as usize),
            Value::count(f.column as usize),
            Value::text(f.message.as_str()),
            Value::text(f.hint.as_deref().unwrap_or("")),
        ]);
    }
    table
}
