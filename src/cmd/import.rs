//! `pack import FILE`: reads an evidence log (spec section 6), reports every
//! problem at its cell, and writes the items only when no row has an error.
//! Everything is written first to a staging folder inside evidence/
//! (`.pack-import-XXXXXX`, hidden, so `pack check` never looks in it) and
//! then moved into place: an import that fails or is killed leaves no half
//! of itself behind, and the next import removes a staging folder a killed
//! one left. New files never replace one; `--update` replaces changed items
//! by a rename.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::cli::{AsOfArgs, CheckFormat, Edition, ImportArgs};
use crate::load::{self, Sources};
use crate::report::{self, Outcome};
use crate::sheet::import::{self, Change, ImportPlan, Options};
use crate::timeline::{self, AsOfRequest};

pub fn run(dir: &Path, args: &ImportArgs) -> Result<ExitCode> {
    let root = load::find_root(dir)?;
    let loaded = load::load(&root)?;
    let file_name = name_in_repo(&root, &args.file);
    let opts = Options {
        file: &args.file,
        file_name: &file_name,
        sheet: args.sheet.as_deref(),
        maps: &args.map,
        files_dir: args.files.as_deref(),
        update: args.update,
        new: args.new,
    };
    if let Some(d) = &args.files
        && !d.is_dir()
    {
        bail!(
            "--files {} is not a folder",
            crate::pii::mask_all(&d.display().to_string())
        );
    }
    let plan = import::prepare(&root, &loaded, &opts)?;
    // Saved once the sheet could be read, whatever its rows say: the
    // columns are right even when a row is not.
    let saved = if args.save_map && !args.dry_run {
        import::save_maps(&root, &args.map)?
    } else {
        0
    };

    let today = timeline::today().map_err(|e| anyhow::anyhow!(e))?;
    let as_of = timeline::resolve(&loaded.repo.plan, &AsOfRequest::Auto, today)
        .map_err(|e| anyhow::anyhow!(e))?;
    let sources = Sources::default();
    let outcome = Outcome {
        plan_title: &loaded.repo.plan.title,
        as_of: &as_of,
        areas: &[],
        findings: &plan.findings,
        sources: &sources,
        deny_warnings: false,
    };
    let format = report::format_or_default(args.format);
    let human = format == CheckFormat::Human;
    // People get the findings and then an account of the import, not the
    // check's summary; machines get the usual report.
    let text = if human {
        report::human::findings(&outcome, super::use_color())
    } else {
        report::render(format, &outcome, false)
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .context("cannot write the report")?;
    // With a machine format on stdout, the account of what was done goes to stderr.
    let mut say = |line: String| {
        // A path or an id may hold an identifier (spec section 3).
        let line = crate::pii::mask_all(&line);
        if human {
            let _ = writeln!(out, "{line}");
        } else {
            eprintln!("{line}");
        }
    };
    match &plan.lesson {
        // Nothing was read past the header row: no rows to count.
        Some(lesson) => {
            if !lesson.unrecognised.is_empty() {
                say(format!(
                    "headers not recognised: {}",
                    lesson
                        .unrecognised
                        .iter()
                        .map(|h| format!("`{h}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            say(format!(
                "run next (check the --map choices; --save-map remembers them in {}):",
                crate::load::import_map::IMPORT_FILE
            ));
            say(format!("  {}", lesson.command));
        }
        None => say(describe(&plan, &file_name)),
    }
    if saved > 0 {
        say(format!(
            "saved {saved} column name{} to {}",
            crate::assess::plural(saved),
            crate::load::import_map::IMPORT_FILE
        ));
    }
    if plan.blocked() {
        let t = outcome.tally();
        say(format!(
            "failed: {} error{} in the sheet; nothing was written",
            t.errors,
            crate::assess::plural(t.errors)
        ));
        return Ok(ExitCode::from(1));
    }
    if args.dry_run {
        for r in &plan.rows {
            let what = match r.change {
                Change::Create => "would create",
                Change::Update => "would update",
                Change::Unchanged | Change::Conflict | Change::Rejected => continue,
            };
            say(format!("{what} {} ({}) from row {}", r.path, r.id, r.row));
        }
        for c in &plan.copies {
            say(format!("would copy {} to {}", c.from.display(), c.to));
        }
        say("dry run: nothing was written".to_owned());
        return Ok(ExitCode::SUCCESS);
    }
    write(&root, &plan)?;
    for r in &plan.rows {
        let what = match r.change {
            Change::Create => "created",
            Change::Update => "updated",
            Change::Unchanged | Change::Conflict | Change::Rejected => continue,
        };
        say(format!("{what} {} ({}) from row {}", r.path, r.id, r.row));
    }
    // What `pack check` now says of the whole repository.
    if plan.rows.iter().any(|r| r.change != Change::Unchanged) {
        let checked = super::load_and_check(&root, &AsOfArgs::default(), Edition::Reviewer, false)?;
        let after = Outcome {
            plan_title: &checked.loaded.repo.plan.title,
            as_of: &checked.as_of,
            areas: &checked.areas,
            findings: &checked.findings,
            sources: &checked.loaded.sources,
            deny_warnings: false,
        };
        say(format!(
            "pack check: {} (run `pack check` for the findings)",
            report::human::summary(&after)
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// "log.xlsx, sheet Evidence: 12 item rows; 3 new, 1 to update, 6
/// unchanged, 1 conflicting, 1 with errors": every row counted once.
fn describe(plan: &ImportPlan, file: &str) -> String {
    let c = plan.counts();
    let mut s = format!(
        "{file}, sheet {}: {} item row{}; {} new, {} to update, {} unchanged",
        plan.sheet,
        c.rows,
        crate::assess::plural(c.rows),
        c.new,
        c.update,
        c.unchanged,
    );
    if c.conflicting > 0 {
        s.push_str(&format!(", {} conflicting", c.conflicting));
    }
    if c.errors > 0 {
        s.push_str(&format!(", {} with errors", c.errors));
    }
    if !plan.notes.is_empty() {
        s.push_str(&format!(
            "; row{} {} skipped as notes (one cell only)",
            crate::assess::plural(plan.notes.len()),
            plan.notes
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    s
}

/// The spreadsheet as findings name it: relative to the repository when it
/// is inside it (so CI annotations land on it), else as given.
fn name_in_repo(root: &Path, file: &Path) -> String {
    let real = file.canonicalize().ok();
    let root = root.canonicalize().ok();
    match (real, root) {
        (Some(f), Some(r)) if f.starts_with(&r) => {
            load::slash_path(f.strip_prefix(&r).unwrap_or(&f))
        }
        _ => file.display().to_string(),
    }
}

/// The prefix of the staging folder inside evidence/. A leading dot: `pack
/// check` never enters a hidden folder (load/walk.rs).
pub const STAGING_PREFIX: &str = ".pack-import-";

/// Writes every file to a staging folder inside evidence/, then moves them
/// into place: attachments first, then new items, then updated ones (an
/// item never names a file that is not there yet). A new file never
/// replaces one: if one appeared meanwhile, the files moved so far are
/// taken back and nothing is left written.
fn write(root: &Path, plan: &ImportPlan) -> Result<()> {
    let evidence = root.join("evidence");
    std::fs::create_dir_all(&evidence)
        .with_context(|| format!("cannot create {}", evidence.display()))?;
    remove_stale_staging(&evidence);
    let stage = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempdir_in(&evidence)
        .with_context(|| format!("cannot write in {}", evidence.display()))?;
    // (staged file, target, replaces the target)
    let mut moves: Vec<(std::path::PathBuf, std::path::PathBuf, bool)> = Vec::new();
    for (n, c) in plan.copies.iter().enumerate() {
        let staged = stage.path().join(format!("attachment-{n}"));
        std::fs::copy(&c.from, &staged)
            .with_context(|| format!("cannot copy {}", c.from.display()))?;
        moves.push((staged, root.join(&c.to), false));
    }
    for (n, r) in plan.rows.iter().enumerate() {
        let replaces = match r.change {
            Change::Create => false,
            Change::Update => true,
            _ => continue,
        };
        let staged = stage.path().join(format!("item-{n}.yaml"));
        let mut f = std::fs::File::create_new(&staged)
            .with_context(|| format!("cannot write in {}", stage.path().display()))?;
        f.write_all(r.yaml.as_bytes())
            .with_context(|| format!("cannot write {}", staged.display()))?;
        moves.push((staged, root.join(&r.path), replaces));
    }
    // Every staged byte reaches the disk before any name points at it: one
    // flush of the file system for the batch (a flush per file made an
    // import of 10,000 rows three times slower).
    sync_staged(
        stage.path(),
        moves.iter().map(|(staged, _, _)| staged.as_path()),
    )?;
    for (_, target, replaces) in &moves {
        if !replaces && std::fs::symlink_metadata(target).is_ok() {
            bail!(
                "{} appeared while importing; nothing was written",
                target.display()
            );
        }
    }
    let mut made: Vec<&Path> = Vec::new();
    for (staged, target, replaces) in &moves {
        let moved = if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))
                .and_then(|()| place(staged, target, *replaces))
        } else {
            place(staged, target, *replaces)
        };
        if let Err(e) = moved {
            for m in made.iter().rev() {
                let _ = std::fs::remove_file(m);
            }
            return Err(e.context("nothing was written"));
        }
        if !replaces {
            made.push(target);
        }
    }
    stage.close().ok();
    Ok(())
}

/// Flushes the staged files to the disk: on Linux the whole file system
/// they are on at once (`syncfs`), elsewhere file by file.
fn sync_staged<'a>(stage: &Path, files: impl Iterator<Item = &'a Path>) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let _ = files;
        let dir = std::fs::File::open(stage)
            .with_context(|| format!("cannot open {}", stage.display()))?;
        // SAFETY: syncfs only reads the descriptor, which `dir` keeps open.
        if unsafe { libc::syncfs(dir.as_raw_fd()) } != 0 {
            return Err(std::io::Error::last_os_error())
                .with_context(|| format!("cannot write {}", stage.display()));
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = stage;
        for f in files {
            std::fs::File::open(f)
                .and_then(|f| f.sync_all())
                .with_context(|| format!("cannot write {}", f.display()))?;
        }
        Ok(())
    }
}

/// Moves `staged` to `target`: a rename over it when it `replaces` (the
/// item's own file), else a link that fails if the name is taken.
fn place(staged: &Path, target: &Path, replaces: bool) -> Result<()> {
    if replaces {
        return std::fs::rename(staged, target)
            .with_context(|| format!("cannot replace {}", target.display()));
    }
    match std::fs::hard_link(staged, target) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            bail!("{} appeared while importing", target.display())
        }
        // A file system without hard links: a rename, just checked.
        Err(_) if std::fs::symlink_metadata(target).is_err() => std::fs::rename(staged, target)
            .with_context(|| format!("cannot create {}", target.display())),
        Err(e) => Err(e).with_context(|| format!("cannot create {}", target.display())),
    }
}

/// Removes the staging folders an import that was killed left behind.
fn remove_stale_staging(evidence: &Path) {
    let Ok(entries) = std::fs::read_dir(evidence) else {
        return;
    };
    for e in entries.flatten() {
        let is_stage = e.file_name().to_string_lossy().starts_with(STAGING_PREFIX)
            && e.file_type().is_ok_and(|t| t.is_dir());
        if is_stage {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}
