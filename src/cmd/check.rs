//! `pack check`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::{CheckArgs, CheckFormat};
use crate::report::{self, Outcome};

pub fn run(dir: &Path, args: &CheckArgs, progress: bool) -> Result<ExitCode> {
    let checked = super::load_and_check(dir, &args.as_of, progress)?;
    let outcome = Outcome {
        plan_title: &checked.loaded.repo.plan.title,
        as_of: &checked.as_of,
        areas: &checked.areas,
        findings: &checked.findings,
        sources: &checked.loaded.sources,
        deny_warnings: args.deny_warnings,
    };
    let on_actions = std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
    let format = args.format.unwrap_or(if on_actions {
        CheckFormat::Github
    } else {
        CheckFormat::Human
    });
    let text = match format {
        CheckFormat::Human => report::human::render(&outcome, super::use_color()),
        CheckFormat::Json => report::json::render(&outcome),
        CheckFormat::Github => report::github::render(&outcome),
        CheckFormat::Gitlab => report::gitlab::render(&outcome),
        CheckFormat::Junit => report::junit::render(&outcome),
        CheckFormat::Markdown => report::markdown::render(&outcome),
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .context("cannot write the report")?;
    stdout.flush().ok();

    if format == CheckFormat::Github
        && let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty())
    {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .with_context(|| {
                format!(
                    "cannot open GITHUB_STEP_SUMMARY ({})",
                    Path::new(&path).display()
                )
            })?;
        f.write_all(report::markdown::render(&outcome).as_bytes())
            .context("cannot write GITHUB_STEP_SUMMARY")?;
    }
    Ok(if outcome.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
