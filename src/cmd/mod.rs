//! One file per subcommand. Each returns the exit code; `Err` means pack
//! could not run (exit 2).

mod build;
mod check;
mod export;
mod import;
mod init;
mod keygen;
mod new;
mod portfolio;
mod schema;
mod serve;
mod status;
mod verify;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::{AsOfArgs, Cli, Command, Edition};

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
        Command::Portfolio(args) => portfolio::run(args, cli.quiet),
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

pub use crate::pipeline::Checked;

/// `pipeline::load_and_check` for a command's `--as-of`/`--visit`.
pub fn load_and_check(
    dir: &Path,
    as_of: &AsOfArgs,
    edition: Edition,
    progress: bool,
) -> Result<Checked> {
    crate::pipeline::load_and_check(dir, &as_of.request(), edition, progress)
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
