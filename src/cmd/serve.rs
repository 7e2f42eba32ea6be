//! `pack serve`: the pack and its findings in the browser while you edit.
//! The server itself lives in `crate::serve`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::cli::ServeArgs;

pub fn run(dir: &Path, args: &ServeArgs) -> Result<ExitCode> {
    crate::serve::run(dir, args)
}
