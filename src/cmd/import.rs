//! `pack import`: an evidence-log spreadsheet into evidence/.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::cli::ImportArgs;

pub fn run(_dir: &Path, _args: &ImportArgs) -> Result<ExitCode> {
    bail!("pack import is not written yet")
}
