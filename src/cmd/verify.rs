//! `pack verify BUNDLE.zip`: the check itself is `crate::bundle::verify`
//! (shared with `pack portfolio`); this command reads the key and says what
//! the check found.
//!
//! With `--pubkey FILE` (or `--pubkey-string KEY`) the minisign signature
//! beside the zip (`BUNDLE.zip.minisig`) is checked first: a manifest is
//! only worth what the signature over it is worth.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::bundle::{self, Signature};
use crate::cli::VerifyArgs;
use crate::sign;

pub fn run(args: &VerifyArgs) -> Result<ExitCode> {
    let path = args.bundle.as_path();
    let key = match (&args.pubkey, &args.pubkey_string) {
        (Some(file), _) => Some(sign::public_key_file(file)?),
        (None, Some(text)) => Some(sign::public_key_string(text)?),
        (None, None) => None,
    };
    std::fs::metadata(path).with_context(|| format!("cannot open {}", path.display()))?;
    let checked = bundle::verify(
        path,
        &bundle::Request {
            key: key.as_ref(),
            ..Default::default()
        },
    )?;
    let mut out = std::io::stdout().lock();
    match &checked.signature {
        Signature::Good(s) => {
            writeln!(
                out,
                "signature: good, key {}, trusted comment: {}",
                s.key_id, s.trusted_comment
            )?;
            if let Some(note) = renamed(path, &s.trusted_comment) {
                writeln!(out, "note: {note}")?;
            }
        }
        Signature::Bad(reason) => {
            writeln!(out, "signature: bad: {reason}")?;
            writeln!(
                out,
                "failed: the signature of {} does not check; its files were not checked against the manifest",
                path.display()
            )?;
            return Ok(ExitCode::from(1));
        }
        Signature::NotChecked { beside: true } => writeln!(
            out,
            "signature: not checked: {} is beside the bundle; check it with --pubkey FILE (the signer's public key), or `minisign -Vm {} -p FILE`",
            sign::signature_path(path).display(),
            path.display()
        )?,
        Signature::NotChecked { beside: false } => writeln!(
            out,
            "signature: not checked (no {} beside the bundle, and no --pubkey)",
            sign::SIG_SUFFIX
        )?,
    }
    report(&mut out, path, checked.manifest.len(), &checked.problems)
}

/// When a good signature names another bundle than the file checked (it
/// was renamed, or an older signed bundle stands in for a newer one), a
/// note saying so; the signature itself is good either way.
fn renamed(path: &Path, comment: &str) -> Option<String> {
    let signed = comment
        .strip_prefix("pack bundle ")?
        .split([',', ' '])
        .next()?;
    let name = path.file_name()?.to_string_lossy();
    (signed != name).then(|| {
        format!("the signature was made for a bundle named {signed}; this file is named {name}")
    })
}

fn report(
    out: &mut impl Write,
    path: &Path,
    files: usize,
    problems: &[String],
) -> Result<ExitCode> {
    if problems.is_empty() {
        if files == 1 {
            writeln!(
                out,
                "ok: the 1 file of {} matches the manifest",
                path.display()
            )?;
        } else {
            writeln!(
                out,
                "ok: all {files} files of {} match the manifest",
                path.display()
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    for p in problems {
        writeln!(out, "{}", crate::finding::escape_controls(p))?;
    }
    writeln!(
        out,
        "failed: {} problem{} in {}",
        problems.len(),
        crate::assess::plural(problems.len()),
        path.display()
    )?;
    Ok(ExitCode::from(1))
}
