//! `pack import FILE`: reads an evidence log (spec section 6), reports every
//! problem at its cell, and writes the items only when no row has an error.
//! New files are created without ever replacing one; `--update` rewrites
//! changed items in place, atomically, keeping their comments where it can.

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
    };
    if let Some(d) = &args.files
        && !d.is_dir()
    {
        bail!("--files {} is not a folder", d.display());
    }
    let plan = import::prepare(&root, &loaded, &opts)?;

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
        if human {
            let _ = writeln!(out, "{line}");
        } else {
            eprintln!("{line}");
        }
    };
    say(describe(&plan, &file_name));
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
                Change::Unchanged => continue,
            };
            say(format!("{what} {} ({}) from row {}", r.path, r.id, r.row));
        }
        for (from, to) in &plan.copies {
            say(format!("would copy {} to {to}", from.display()));
        }
        say("dry run: nothing was written".to_owned());
        return Ok(ExitCode::SUCCESS);
    }
    write(&root, &plan)?;
    for r in &plan.rows {
        let what = match r.change {
            Change::Create => "created",
            Change::Update => "updated",
            Change::Unchanged => continue,
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

/// "log.xlsx, sheet Evidence: 12 rows; 3 new, 1 changed, 8 unchanged".
fn describe(plan: &ImportPlan, file: &str) -> String {
    let count = |c: Change| plan.rows.iter().filter(|r| r.change == c).count();
    let mut s = format!(
        "{file}, sheet {}: {} item row{}; {} new, {} to update, {} unchanged",
        plan.sheet,
        plan.rows.len(),
        crate::assess::plural(plan.rows.len()),
        count(Change::Create),
        count(Change::Update),
        count(Change::Unchanged),
    );
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

/// Copies the attachments, then writes the YAML: new files never replace
/// one (a file that appeared meanwhile stops the import), changed ones are
/// replaced atomically.
fn write(root: &Path, plan: &ImportPlan) -> Result<()> {
    for r in &plan.rows {
        if r.change == Change::Create && root.join(&r.path).exists() {
            bail!("{} appeared while importing; nothing was written", r.path);
        }
    }
    for (from, to) in &plan.copies {
        let target = root.join(to);
        if target.exists() {
            continue;
        }
        let bytes =
            std::fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
        create_new(&target, &bytes)?;
    }
    for r in &plan.rows {
        let path = root.join(&r.path);
        match r.change {
            Change::Create => create_new(&path, r.yaml.as_bytes())?,
            Change::Update => {
                let old = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read {}", r.path))?;
                let text = import::comments::keep(&old, &r.yaml);
                crate::output::write_atomic(&path, text.as_bytes())?;
            }
            Change::Unchanged => {}
        }
    }
    Ok(())
}

/// Writes a new file atomically, failing if the name is taken.
fn create_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().context("a file has a folder")?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    tmp.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist_noclobber(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot create {} (it may exist already)", path.display()))?;
    Ok(())
}
