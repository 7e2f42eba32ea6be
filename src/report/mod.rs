//! Formatting findings for people and for CI. Reporters never decide
//! anything: they are given the findings and area states and only format.

pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;

use crate::assess::AreaState;
use crate::finding::{Finding, Tally};
use crate::load::Sources;
use crate::timeline::AsOf;

/// The result of a check, as every reporter receives it.
pub struct Outcome<'a> {
    pub plan_title: &'a str,
    pub as_of: &'a AsOf,
    pub areas: &'a [AreaState],
    pub findings: &'a [Finding],
    pub sources: &'a Sources,
    /// `--deny-warnings`: warnings fail the run too.
    pub deny_warnings: bool,
}

impl Outcome<'_> {
    pub fn tally(&self) -> Tally {
        Tally::of(self.findings)
    }

    /// Whether the run fails (exit 1): what every summary line says.
    pub fn failed(&self) -> bool {
        let t = self.tally();
        t.errors > 0 || (self.deny_warnings && t.warnings > 0)
    }
}
