//! `--format json`: the shape in spec section 4.

use serde::Serialize;

use crate::assess::AreaState;
use crate::finding::{Finding, Tally};
use crate::model::{Date, VisitId};

use super::Outcome;

#[derive(Serialize)]
struct Json<'a> {
    as_of: Date,
    today: Date,
    visit: Option<&'a VisitId>,
    summary: Summary,
    areas: &'a [AreaState],
    findings: &'a [Finding],
}

/// The counts by severity, and how many YAML files could not be read (so
/// that "0 errors in 8 areas" is never taken for the whole plan).
#[derive(Serialize)]
struct Summary {
    #[serde(flatten)]
    tally: Tally,
    unreadable_files: usize,
}

pub fn render(out: &Outcome) -> String {
    let json = Json {
        as_of: out.as_of.date,
        today: out.as_of.today,
        visit: out.as_of.visit.as_ref(),
        summary: Summary {
            tally: out.tally(),
            unreadable_files: out.sources.unreadable().total(),
        },
        areas: out.areas,
        findings: out.findings,
    };
    let mut s = serde_json::to_string_pretty(&json).expect("the report serializes");
    s.push('\n');
    s
}
