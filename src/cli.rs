//! The command line: arguments only. The work lives in `cmd`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::model::Date;

#[derive(Debug, Parser)]
#[command(
    name = "pack",
    version = crate::VERSION,
    about = "Check an improvement plan's evidence and build the reviewer's pack",
    long_about = "pack turns an improvement plan and its evidence, kept as YAML in a git repository, \
                  into a checked, reviewer-ready evidence pack (PDF, Markdown, HTML)."
)]
pub struct Cli {
    /// Run as if pack was started in DIR (like git -C)
    #[arg(short = 'C', value_name = "DIR", global = true)]
    pub dir: Option<PathBuf>,

    /// Print nothing but findings and errors
    #[arg(short, long, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load and check everything; exit 1 on errors
    Check(CheckArgs),
    /// One row per area: rating, completeness, counts, measures
    Status(StatusArgs),
    /// Check, then write the pack (PDF, Markdown, HTML, JSON)
    Build(BuildArgs),
}

#[derive(Debug, Args, Clone, Default)]
#[group(multiple = false)]
pub struct AsOfArgs {
    /// Judge currency on this date (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<Date>,

    /// Judge currency on the date of this visit (its id in plan/plan.yaml)
    #[arg(long, value_name = "ID")]
    pub visit: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
    Github,
    Junit,
    Markdown,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub as_of: AsOfArgs,

    /// Output format [default: human, or github when GITHUB_ACTIONS=true]
    #[arg(long, value_enum)]
    pub format: Option<CheckFormat>,

    /// Exit 1 on warnings too
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub as_of: AsOfArgs,

    #[arg(long, value_enum, default_value = "human")]
    pub format: StatusFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum BuildFormat {
    Pdf,
    Md,
    Html,
    Json,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub as_of: AsOfArgs,

    /// Folder to write the pack into [default: out/ in the repository]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Formats to write, comma-separated
    #[arg(long, value_enum, value_delimiter = ',', default_value = "pdf,md,html")]
    pub format: Vec<BuildFormat>,

    /// Build despite area-gap and action-gap errors, marking each gap in the pack
    #[arg(long)]
    pub allow_gaps: bool,

    /// Include OFFICIAL-SENSITIVE and personal-data items (marks every page OFFICIAL-SENSITIVE)
    #[arg(long)]
    pub include_sensitive: bool,

    /// Also write a zip with the pack, every included attachment and a manifest of digests
    #[arg(long)]
    pub bundle: bool,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s)
        .map_err(|_| format!("`{s}` is not a date: write it as YYYY-MM-DD, e.g. 2025-05-20"))
}
