//! `pack export`: the evidence log as a workbook (.xlsx) or CSV. The format
//! is the extension of `--out`; the sheets are built in `sheet::export`.
//! Findings never stop an export: they are its Findings sheet.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::cli::{Edition, ExportArgs};
use crate::sheet::export::{self, Links, Options, csv, xlsx};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Xlsx,
    Csv,
}

impl Format {
    fn of(path: &Path) -> Result<Format> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match ext.as_deref() {
            Some("xlsx") => Ok(Format::Xlsx),
            Some("csv") => Ok(Format::Csv),
            _ => bail!(
                "cannot export to {}: pack export writes .xlsx (a workbook) or .csv (the Evidence sheet only), chosen by the extension of --out\n  hint: use --out {}",
                path.display(),
                path.with_extension("xlsx").display()
            ),
        }
    }
}

pub fn run(dir: &Path, args: &ExportArgs) -> Result<ExitCode> {
    // A wrong extension is known before anything is read.
    let format = args.out.as_deref().map_or(Ok(Format::Xlsx), Format::of)?;
    let checked = super::load_and_check(dir, &args.as_of, Edition::Reviewer, false)?;
    let repo = &checked.loaded.repo;
    // A file --out names may be anyone's (a partner's own workbook): it is
    // replaced only when asked. The default path under out/ is pack's own.
    if let Some(out) = &args.out
        && !args.force
        && std::fs::symlink_metadata(out).is_ok()
    {
        bail!(
            "{} exists already; pack export does not replace a file it may not have written\n  hint: choose another --out, or add --force to replace it",
            crate::pii::mask_all(&out.display().to_string())
        );
    }
    let out: PathBuf = args.out.clone().unwrap_or_else(|| {
        repo.root
            .join("out")
            .join(format!("{}-evidence-log.xlsx", repo.plan.id.value))
    });
    let folder = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    crate::output::refuse_inside_inputs(&repo.root, folder)?;

    let opts = Options {
        include_sensitive: args.include_sensitive,
        links: match format {
            Format::Xlsx => Links::for_workbook(&repo.root, &out),
            Format::Csv => Links::none(),
        },
    };
    let snap = checked.snapshot();
    let log = export::build(&snap, &checked.findings, &checked.areas, &opts);
    let (bytes, sheets) = match format {
        Format::Xlsx => {
            let title = format!("{}: evidence log", repo.plan.title.trim());
            let written = xlsx::workbook(&log.tables, &title, checked.as_of.today)?;
            for w in &written.warnings {
                eprintln!("warning: {w}");
            }
            (written.bytes, log.tables.len())
        }
        Format::Csv => (csv::write(log.evidence())?, 1),
    };
    crate::output::write_atomic(&out, &bytes)?;

    if let Some(n) = &checked.as_of.notice {
        eprintln!("note: {n}");
    }
    let left_out = match log.left_out {
        0 => String::new(),
        n => format!(
            " ({n} sensitive item{} left out; --include-sensitive adds {})",
            crate::assess::plural(n),
            if n == 1 { "it" } else { "them" }
        ),
    };
    println!(
        "wrote {}: {} item{}, {sheets} sheet{}{left_out}",
        crate::pii::mask_all(&shown_path(&out).display().to_string()),
        log.items,
        crate::assess::plural(log.items),
        crate::assess::plural(sheets),
    );
    Ok(ExitCode::SUCCESS)
}

/// `path` relative to the current folder when it is below it (the default
/// output is built from the absolute root), else as it is.
fn shown_path(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| cwd.canonicalize().ok())
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}
