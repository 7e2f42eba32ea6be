//! `pack export`: the evidence log as a workbook (.xlsx) or CSV.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::cli::ExportArgs;

pub fn run(_dir: &Path, _args: &ExportArgs) -> Result<ExitCode> {
    bail!("pack export is not written yet")
}
