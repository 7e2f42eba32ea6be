//! Formatting findings for people and for CI. Reporters never decide
//! anything: they are given the findings and area states and only format.

pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;

use crate::assess::AreaState;
use crate::cli::CheckFormat;
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

/// The format asked for, else github on GitHub Actions, else human.
pub fn format_or_default(asked: Option<CheckFormat>) -> CheckFormat {
    let on_actions = std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
    asked.unwrap_or(if on_actions {
        CheckFormat::Github
    } else {
        CheckFormat::Human
    })
}

/// The outcome in `format` (human with colour when `color`).
pub fn render(format: CheckFormat, out: &Outcome, color: bool) -> String {
    match format {
        CheckFormat::Human => human::render(out, color),
        CheckFormat::Json => json::render(out),
        CheckFormat::Github => github::render(out),
        CheckFormat::Gitlab => gitlab::render(out),
        CheckFormat::Junit => junit::render(out),
        CheckFormat::Markdown => markdown::render(out),
    }
}
