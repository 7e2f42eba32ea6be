//! `pack portfolio INPUT...`: the work is `crate::portfolio`; this command
//! turns the arguments into its options and says what it found.

use std::process::ExitCode;

use anyhow::{Result, anyhow};

use crate::cli::{PortfolioArgs, PortfolioFormat};
use crate::portfolio::{self, Format, Signature};

pub fn run(args: &PortfolioArgs, quiet: bool) -> Result<ExitCode> {
    let mut formats: Vec<Format> = args
        .format
        .iter()
        .map(|f| match f {
            PortfolioFormat::Html => Format::Html,
            PortfolioFormat::Xlsx => Format::Xlsx,
            PortfolioFormat::Json => Format::Json,
        })
        .collect();
    formats.dedup();
    let today = crate::timeline::today().map_err(|e| anyhow!(e))?;
    let made = portfolio::run(&portfolio::Options {
        inputs: &args.inputs,
        keys: args.keys.as_deref(),
        out: &args.out,
        formats: &formats,
        today,
    })?;
    let p = &made.portfolio;
    for f in &p.failed {
        eprintln!(
            "error: {} left out: {}",
            f.path.display(),
            crate::finding::escape_controls(&f.reason)
        );
    }
    if !quiet {
        for s in &p.superseded {
            println!(
                "superseded: {} ({}, as of {}) by {}",
                s.path.display(),
                s.name,
                s.as_of,
                s.by.display()
            );
        }
        for r in &p.rows {
            if matches!(r.signature, Signature::NotChecked) {
                println!("signature not checked: {} ({})", r.path.display(), r.name);
            }
        }
        for w in made.written.iter().filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("portfolio."))
        }) {
            println!("wrote {}", w.display());
        }
        println!(
            "{} local area{}, {} shared indicator{}; {} bundle{} superseded, {} left out",
            p.rows.len(),
            crate::assess::plural(p.rows.len()),
            p.indicators.len(),
            crate::assess::plural(p.indicators.len()),
            p.superseded.len(),
            crate::assess::plural(p.superseded.len()),
            p.failed.len()
        );
    }
    Ok(if p.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
