//! One file per subcommand. Each returns the exit code; `Err` means pack
//! could not run (exit 2).

mod build;
mod check;
mod export;
mod import;
mod init;
mod keygen;
mod new;
mod schema;
mod serve;
mod status;
mod verify;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};

use crate::assess::{AreaState, Snapshot};
use crate::cli::{AsOfArgs, Cli, Command, Edition};
use crate::finding::Finding;
use crate::load::{self, Loaded};
use crate::timeline::{self, AsOf, AsOfRequest};

pub fn run(cli: Cli) -> Result<ExitCode> {
    // Like `git -C`: act as if started in DIR, so that every relative path
    // on the command line (--out, --file, a bundle, init DIR) is relative to it.
    if let Some(dir) = &cli.dir {
        std::env::set_current_dir(dir)
            .with_context(|| format!("cannot change to folder {} (-C)", dir.display()))?;
    }
    let dir = PathBuf::from(".");
    match &cli.command {
        Command::Check(args) => check::run(&dir, args, show_progress(cli.quiet)),
        Command::Status(args) => status::run(&dir, args, show_progress(cli.quiet)),
        Command::Build(args) => build::run(&dir, args, cli.quiet),
        Command::Init(args) => init::run(args.dir.as_deref().unwrap_or(&dir)),
        Command::New {
            what: crate::cli::NewCommand::Evidence(args),
        } => new::evidence(&dir, args),
        Command::Verify(args) => verify::run(args),
        Command::Keygen(args) => keygen::run(args),
        Command::Import(args) => import::run(&dir, args),
        Command::Export(args) => export::run(&dir, args),
        Command::Serve(args) => serve::run(&dir, args),
        Command::Schema(args) => schema::run(args),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut cmd, "pack", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd).render(&mut std::io::stdout())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A repository loaded and checked for one as-of date: what every command
/// starts from.
pub struct Checked {
    pub loaded: Loaded,
    pub as_of: AsOf,
    pub findings: Vec<Finding>,
    pub areas: Vec<AreaState>,
    /// Which items are current on the as-of date, judged once for the run.
    current: Vec<bool>,
}

impl Checked {
    /// The run's snapshot, for every later step (view, status, bundle).
    pub fn snapshot(&self) -> Snapshot<'_> {
        Snapshot::from_current(&self.loaded.repo, self.as_of.date, self.current.clone())
    }
}

pub fn load_and_check(
    dir: &Path,
    as_of: &AsOfArgs,
    edition: Edition,
    progress: bool,
) -> Result<Checked> {
    let root = load::find_root(dir)?;
    let mut loaded = load::load_with_progress(&root, progress)?;
    let today = timeline::today().map_err(|e| anyhow!(e))?;
    let request = match (&as_of.as_of, &as_of.visit) {
        (Some(d), _) => AsOfRequest::Date(*d),
        (None, Some(v)) => AsOfRequest::Visit(v.clone()),
        (None, None) => AsOfRequest::Auto,
    };
    let as_of = timeline::resolve(&loaded.repo.plan, &request, today).map_err(|e| anyhow!(e))?;
    let load_findings = std::mem::take(&mut loaded.findings);
    let snap = Snapshot::new(&loaded.repo, as_of.date);
    let findings = crate::check::run(&snap, &as_of, edition, load_findings);
    let areas = snap.areas();
    let current = snap.current;
    Ok(Checked {
        loaded,
        as_of,
        findings,
        areas,
        current,
    })
}

/// Every finding `pack check` would report (as of today) if `overlay`'s
/// files were written: how an import checks what it is about to write.
pub fn check_overlaid(root: &Path, overlay: &load::Overlay) -> Result<Vec<Finding>> {
    let mut loaded = load::load_overlaid(root, overlay)?;
    let today = timeline::today().map_err(|e| anyhow!(e))?;
    let as_of =
        timeline::resolve(&loaded.repo.plan, &AsOfRequest::Auto, today).map_err(|e| anyhow!(e))?;
    let load_findings = std::mem::take(&mut loaded.findings);
    let snap = Snapshot::new(&loaded.repo, as_of.date);
    Ok(crate::check::run(
        &snap,
        &as_of,
        Edition::Reviewer,
        load_findings,
    ))
}

/// Progress bars only on a terminal, never in CI or with --quiet.
pub fn show_progress(quiet: bool) -> bool {
    !quiet
        && std::io::stderr().is_terminal()
        && std::env::var_os("CI").is_none_or(|v| v.is_empty() || v == "false")
}

/// Colour only on a terminal, and never with NO_COLOR set.
pub fn use_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
