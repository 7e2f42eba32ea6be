//! `pack check`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::{CheckArgs, CheckFormat};
use crate::report::{self, Outcome};

pub fn run(dir: &Path, args: &CheckArgs, progress: bool) -> Result<ExitCode> {
    let checked = super::load_and_check(dir, &args.as_of, args.edition, progress)?;
    let outcome = Outcome {
        plan_title: &checked.loaded.repo.plan.title,
        as_of: &checked.as_of,
        areas: &checked.areas,
        findings: &checked.findings,
        sources: &checked.loaded.sources,
        deny_warnings: args.deny_warnings,
    };
    let format = report::format_or_default(args.format);
    let text = report::render(format, &outcome, super::use_color());
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
