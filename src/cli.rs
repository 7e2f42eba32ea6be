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
    #[arg(short = 'C', id = "chdir", value_name = "DIR", global = true)]
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
    /// Start an evidence repository in DIR (default: here); never overwrites a file
    Init(InitArgs),
    /// Add something to the repository
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
    /// Check every file of a bundle zip against its manifest (and its signature, with --pubkey)
    Verify(VerifyArgs),
    /// Make a key pair for signing bundles (minisign's format)
    Keygen(KeygenArgs),
    /// Verify many local areas' bundles and put them side by side (HTML, xlsx, JSON)
    Portfolio(PortfolioArgs),
    /// Read an evidence-log spreadsheet (xlsx, xlsm, xls, ods, csv) into evidence/
    Import(ImportArgs),
    /// Write the evidence log as a workbook (.xlsx) or .csv
    Export(ExportArgs),
    /// Serve the pack and its findings on a local address, rebuilt on every change
    Serve(ServeArgs),
    /// Print the JSON Schema of a file kind, or write them all with --out (for editors)
    Schema(SchemaArgs),
    /// Print a shell completion script
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff)
    Man,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to start the repository in
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The file kind: plan (plan/plan.yaml), area (plan/areas/*.yaml), evidence (evidence/**/*.yaml), import (plan/import.yaml) or view (the JSON view)
    #[arg(value_enum)]
    pub kind: Option<SchemaKind>,
    /// Write the schemas to DIR/<kind>.schema.json instead (every kind, unless one is named)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemaKind {
    Plan,
    Area,
    Evidence,
    Import,
    View,
}

impl From<SchemaKind> for crate::schema::Kind {
    fn from(k: SchemaKind) -> Self {
        match k {
            SchemaKind::Plan => Self::Plan,
            SchemaKind::Area => Self::Area,
            SchemaKind::Evidence => Self::Evidence,
            SchemaKind::Import => Self::Import,
            SchemaKind::View => Self::View,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// Add an evidence item with the next free id
    Evidence(NewEvidenceArgs),
}

#[derive(Debug, Args, Default)]
pub struct NewEvidenceArgs {
    /// What the item is, e.g. "EHC timeliness dashboard, April 2025"
    #[arg(long)]
    pub title: Option<String>,
    /// An area id the item is evidence for (repeat for several)
    #[arg(long = "area", value_name = "ID")]
    pub areas: Vec<String>,
    /// An action id the item is evidence for (repeat for several)
    #[arg(long = "action", value_name = "ID")]
    pub actions: Vec<String>,
    /// The date the evidence is as at [default: today]
    #[arg(long, value_parser = parse_date)]
    pub date: Option<Date>,
    /// data, report, minutes, survey, case-study, audit, policy, letter, training, communication or other
    #[arg(long)]
    pub kind: Option<String>,
    /// activity, impact or voice
    #[arg(long)]
    pub shows: Option<String>,
    /// The organisation id (from plan/plan.yaml)
    #[arg(long)]
    pub org: Option<String>,
    /// An attachment; copied beside the new YAML when it is outside evidence/
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,
    /// A Markdown summary shown in the pack
    #[arg(long)]
    pub summary: Option<String>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The zip written by `pack build --bundle`
    pub bundle: PathBuf,

    /// The signer's public key file (minisign's .pub): check BUNDLE.minisig before the digests
    #[arg(long, value_name = "FILE", conflicts_with = "pubkey_string")]
    pub pubkey: Option<PathBuf>,

    /// The signer's public key as its base64 text (RW..., as `minisign -P` takes it)
    #[arg(long, value_name = "KEY")]
    pub pubkey_string: Option<String>,
}

#[derive(Debug, Args)]
pub struct PortfolioArgs {
    /// Bundles (`pack build --bundle`), or folders of them (*-bundle.zip)
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// The keys file: `keys: [{area, name, pubkey}]`, the public key each local area signs with
    #[arg(long, value_name = "FILE")]
    pub keys: Option<PathBuf>,

    /// Folder to write the portfolio into [default: out/portfolio]
    #[arg(long, value_name = "DIR", default_value = "out/portfolio")]
    pub out: PathBuf,

    /// Formats to write, comma-separated
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "html,xlsx,json"
    )]
    pub format: Vec<PortfolioFormat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PortfolioFormat {
    Html,
    Xlsx,
    Json,
}

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// The secret key file to write, and FILE.pub beside it [default: $XDG_CONFIG_HOME/pack/pack.key, else ~/.config/pack/pack.key]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Leave the secret key without a password (otherwise PACK_KEY_PASSWORD, else asked on the terminal)
    #[arg(long)]
    pub no_password: bool,

    /// Replace an existing key pair (signatures made with the old key no longer check against the new one)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The spreadsheet: .xlsx, .xlsm, .xls, .ods or .csv
    pub file: PathBuf,

    /// The sheet to read [default: the first]
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,

    /// Read the column headed HEADER as FIELD (repeatable); overrides the usual names
    #[arg(long = "map", value_name = "HEADER=FIELD")]
    pub map: Vec<String>,

    /// The folder holding the files named in the File column
    #[arg(long, value_name = "DIR")]
    pub files: Option<PathBuf>,

    /// Show what would be written, and write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Rewrite items whose id exists with different content
    #[arg(long)]
    pub update: bool,

    /// Remember this run's --map options in plan/import.yaml (created if need be; its comments kept)
    #[arg(long)]
    pub save_map: bool,

    /// Import rows without an id that look like an existing item (same date and organisation, a similar title) as new items
    #[arg(long)]
    pub new: bool,

    /// Output format for the findings [default: human, or github when GITHUB_ACTIONS=true]
    #[arg(long, value_enum)]
    pub format: Option<CheckFormat>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The file to write: .xlsx or .csv [default: out/<plan id>-evidence-log.xlsx]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    #[command(flatten)]
    pub as_of: AsOfArgs,

    /// Include OFFICIAL-SENSITIVE and personal-data items
    #[arg(long)]
    pub include_sensitive: bool,

    /// Replace the file --out names when it exists (without it, pack refuses:
    /// it may be a partner's own workbook)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port to listen on (0: any free port)
    #[arg(long, default_value_t = 8000)]
    pub port: u16,

    /// The address to listen on; other than loopback, anyone who can reach it can read the pack
    #[arg(long, default_value = "127.0.0.1")]
    pub host: std::net::IpAddr,

    /// Open the pack in the default browser
    #[arg(long)]
    pub open: bool,

    #[command(flatten)]
    pub as_of: AsOfArgs,

    /// Include OFFICIAL-SENSITIVE and personal-data items
    #[arg(long)]
    pub include_sensitive: bool,
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

impl AsOfArgs {
    /// What the arguments ask for: a date, a visit, or the usual choice.
    pub fn request(&self) -> crate::timeline::AsOfRequest {
        use crate::timeline::AsOfRequest;
        match (&self.as_of, &self.visit) {
            (Some(d), _) => AsOfRequest::Date(*d),
            (None, Some(v)) => AsOfRequest::Visit(v.clone()),
            (None, None) => AsOfRequest::Auto,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
    Github,
    Gitlab,
    Junit,
    Markdown,
}

/// Which edition a run is for (spec section 8).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Edition {
    /// The reviewer's pack: everything
    #[default]
    Reviewer,
    /// The family edition: plain words and public evidence, for children, young people and families
    Family,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub as_of: AsOfArgs,

    /// The edition to check for: `family` also reports areas with nothing for families (family-gap)
    #[arg(long, value_enum, default_value = "reviewer")]
    pub edition: Edition,

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

    /// Also show what moved since this visit (its id): new evidence, measures, ratings
    #[arg(long, value_name = "VISIT")]
    pub since: Option<String>,

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

    /// The edition to build: the reviewer's pack, or the family edition (OUT/<stem>-family.{html,pdf})
    #[arg(long, value_enum, default_value = "reviewer")]
    pub edition: Edition,

    /// Formats to write, comma-separated [default: pdf,md,html; for the family edition pdf,html; without PDF support the same less pdf]
    #[arg(long, value_enum, value_delimiter = ',')]
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

    /// Sign the bundle with this minisign secret key (`pack keygen`): writes BUNDLE.zip.minisig
    #[arg(long, value_name = "KEY", requires = "bundle")]
    pub sign: Option<PathBuf>,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s)
        .map_err(|_| format!("`{s}` is not a date: write it as YYYY-MM-DD, e.g. 2025-05-20"))
}
