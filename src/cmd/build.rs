//! `pack build`: check, then write the pack in every asked-for format.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::{BuildArgs, BuildFormat, Edition};
use crate::finding::{Finding, Rule, Severity};
use crate::model::Resolved;
use crate::output::{Outputs, bundle};
use crate::render;
use crate::report::{self, Outcome};
use crate::view;

/// Findings that `--allow-gaps` lets through.
fn is_gap(f: &Finding) -> bool {
    f.rule.allowed_by_gaps()
}

pub fn run(dir: &Path, args: &BuildArgs, quiet: bool) -> Result<ExitCode> {
    let formats = formats(args)?;
    let progress = super::show_progress(quiet);
    let checked = super::load_and_check(dir, &args.as_of, args.edition, progress)?;
    let repo = &checked.loaded.repo;
    let blocking: Vec<&Finding> = checked
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error && !(args.allow_gaps && is_gap(f)))
        .collect();
    if !blocking.is_empty() {
        let outcome = Outcome {
            deny_warnings: false,
            plan_title: &repo.plan.title,
            as_of: &checked.as_of,
            areas: &checked.areas,
            findings: &checked.findings,
            sources: &checked.loaded.sources,
        };
        print!("{}", report::human::render(&outcome, super::use_color()));
        let gaps_only = blocking.iter().all(|f| is_gap(f));
        eprintln!(
            "error: the pack was not built: {} error{} must be fixed first{}",
            blocking.len(),
            crate::assess::plural(blocking.len()),
            if gaps_only {
                " (or build with --allow-gaps to mark the gaps in the pack)"
            } else {
                ""
            }
        );
        return Ok(ExitCode::from(1));
    }

    if args.edition == Edition::Family {
        return family(&checked, args, &formats, quiet);
    }
    // The signing key first (its password may be asked for): a wrong
    // password stops the build before anything is written, and the key id
    // goes into the pack's appendix.
    let signer = match &args.sign {
        Some(key) => Some(crate::sign::load_signing_key(key)?),
        None => None,
    };
    if let Some(mode) = signer.as_ref().and_then(|k| k.readable_by_others) {
        eprintln!(
            "warning: the secret key {} can be read by others (mode {mode:04o}): anyone who can read it can sign bundles as you\n  hint: run `chmod 600 {}`",
            args.sign
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            args.sign
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        );
    }
    let today = checked.as_of.today;
    // Digests of every attachment an included item names.
    let mut digests = HashMap::new();
    let mut attachments: Vec<(String, String)> = Vec::new();
    let snap = checked.snapshot();
    for e in snap
        .current_items()
        .filter(|e| args.include_sensitive || !e.is_sensitive())
    {
        if let Some(Resolved::File(p)) = &e.resolved {
            let bytes = std::fs::read(repo.root.join(p))
                .with_context(|| format!("cannot read attachment {p}"))?;
            digests.insert(p.clone(), (bytes.len() as u64, bundle::sha256(&bytes)));
            attachments.push((p.clone(), e.id.value.to_string()));
        }
    }
    let opts = view::Options {
        include_sensitive: args.include_sensitive,
        allow_gaps: args.allow_gaps,
        commit: crate::provenance::commit(&repo.root),
        build_date: today,
        digests,
    };
    let mut pack = view::build(&snap, &checked.as_of, &checked.findings, &opts);
    pack.meta.signing_key = signer.as_ref().map(|k| k.id.to_string());

    let out_dir: PathBuf = match &args.out {
        Some(d) => d.clone(),
        None => repo.root.join("out"),
    };
    crate::output::refuse_inside_inputs(&repo.root, &out_dir)?;
    let stem = pack.meta.file_stem.clone();
    // Render everything in memory first: a failure here writes nothing.
    let ctx = render::RenderContext {
        view: &pack,
        root: &repo.root,
        progress,
    };
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for f in &formats {
        for file in render::renderer(*f).render(&ctx)? {
            files.push((file.path, file.bytes));
        }
    }
    let mut outputs = Outputs::default();
    if args.bundle {
        let mut entries: Vec<(String, Option<String>, Vec<u8>)> = files
            .iter()
            .map(|(p, b)| (p.clone(), None, b.clone()))
            .collect();
        // The view always travels in the bundle, whatever --format asked
        // for: it is what `pack portfolio` reads (spec section 12).
        if !formats.contains(&BuildFormat::Json) {
            for file in render::renderer(BuildFormat::Json).render(&ctx)? {
                entries.push((file.path, None, file.bytes));
            }
        }
        for (p, id) in &attachments {
            let bytes = std::fs::read(repo.root.join(p))
                .with_context(|| format!("cannot read attachment {p}"))?;
            entries.push((format!("attachments/{p}"), Some(id.clone()), bytes));
        }
        // The published statistics the measures read (spec section 10), at
        // their place in the repository (`data/...`), digested like attachments.
        for p in crate::official::files(repo) {
            let bytes = std::fs::read(repo.root.join(&p))
                .with_context(|| format!("cannot read data file {p}"))?;
            entries.push((p, None, bytes));
        }
        let name = format!("{stem}-bundle.zip");
        let zip_path = out_dir.join(&name);
        let zip = bundle::zip(entries)?;
        let signature = match &signer {
            Some(key) => Some(crate::sign::sign(
                key,
                &zip,
                &trusted_comment(&name, &pack.meta),
            )?),
            None => None,
        };
        outputs.add(zip_path.clone(), zip);
        if let Some(sig) = signature {
            outputs.add(crate::sign::signature_path(&zip_path), sig.into_bytes());
        }
    }
    for (p, b) in files {
        outputs.add(out_dir.join(p), b);
    }
    outputs.write_all()?;
    // A signature of an earlier bundle must not stand beside this one.
    let stale = (args.bundle && signer.is_none())
        .then(|| crate::sign::signature_path(&out_dir.join(format!("{stem}-bundle.zip"))))
        .filter(|p| p.is_file());
    if let Some(p) = &stale {
        std::fs::remove_file(p).with_context(|| format!("cannot remove {}", p.display()))?;
    }

    if !quiet {
        if let Some(n) = &checked.as_of.notice {
            eprintln!("note: {n}");
        }
        for (p, b) in &outputs.files {
            if p.extension().is_some_and(|e| e == "svg") {
                continue;
            }
            println!(
                "wrote {} ({} byte{})",
                p.display(),
                b.len(),
                crate::assess::plural(b.len())
            );
        }
        if let Some(p) = &stale {
            println!(
                "removed {}: it signed an earlier bundle (sign this one with --sign KEY)",
                p.display()
            );
        }
        if let Some(key) = &signer {
            println!("signed the bundle with minisign key {}", key.id);
        }
        let t = crate::finding::Tally::of(&checked.findings);
        println!(
            "{} area{}, {} current item{} in the pack; {} warning{}{}",
            pack.summary.areas_total,
            crate::assess::plural(pack.summary.areas_total),
            pack.summary.items_included,
            crate::assess::plural(pack.summary.items_included),
            t.warnings,
            crate::assess::plural(t.warnings),
            pack.summary
                .gap_banner
                .as_ref()
                .map(|g| format!("; {g}"))
                .unwrap_or_default()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The signed comment of a bundle's signature: what it is, for which plan
/// and date, from which commit. `pack verify` and `minisign -V` print it.
fn trusted_comment(name: &str, meta: &view::Meta) -> String {
    let commit = if meta.commit.sha.is_some() {
        format!("commit {}", meta.commit.text)
    } else {
        meta.commit.text.clone()
    };
    format!(
        "pack bundle {name}, plan {}, as of {}, {commit}",
        meta.plan_id, meta.as_of
    )
}

/// The formats asked for, or the edition's default; what the family
/// edition cannot be refuses the build before any work (exit 2).
fn formats(args: &BuildArgs) -> Result<BTreeSet<BuildFormat>> {
    let asked: BTreeSet<BuildFormat> = args.format.iter().copied().collect();
    if asked.contains(&BuildFormat::Pdf) && !render::HAS_PDF {
        anyhow::bail!(render::NO_PDF);
    }
    // A check-only build (no `pdf` feature) makes every format but the PDF.
    let pdf = render::HAS_PDF.then_some(BuildFormat::Pdf);
    if args.edition == Edition::Reviewer {
        return Ok(if asked.is_empty() {
            pdf.into_iter()
                .chain([BuildFormat::Md, BuildFormat::Html])
                .collect()
        } else {
            asked
        });
    }
    if asked.contains(&BuildFormat::Md) {
        anyhow::bail!("the family edition is made as html, pdf or json: drop `md` from --format");
    }
    if args.include_sensitive {
        anyhow::bail!(
            "the family edition never holds sensitive or personal items: drop --include-sensitive"
        );
    }
    if args.bundle {
        anyhow::bail!("--bundle is for the reviewer's pack: the family edition has no attachments");
    }
    Ok(if asked.is_empty() {
        pdf.into_iter().chain([BuildFormat::Html]).collect()
    } else {
        asked
    })
}

/// The family edition (spec section 8): its own view, its own templates.
fn family(
    checked: &super::Checked,
    args: &BuildArgs,
    formats: &BTreeSet<BuildFormat>,
    quiet: bool,
) -> Result<ExitCode> {
    let repo = &checked.loaded.repo;
    let snap = checked.snapshot();
    let view = view::family::build(&snap, &checked.as_of, checked.as_of.today);
    let out_dir: PathBuf = match &args.out {
        Some(d) => d.clone(),
        None => repo.root.join("out"),
    };
    crate::output::refuse_inside_inputs(&repo.root, &out_dir)?;
    let mut outputs = Outputs::default();
    for f in formats {
        for file in render::family::render(&view, &repo.root, *f)? {
            outputs.add(out_dir.join(file.path), file.bytes);
        }
    }
    outputs.write_all()?;
    if !quiet {
        if let Some(n) = &checked.as_of.notice {
            eprintln!("note: {n}");
        }
        // What only this edition is checked for, or what its words need:
        // `pack check` shows the rest.
        let family: Vec<Finding> = checked
            .findings
            .iter()
            .filter(|f| matches!(f.rule, Rule::FamilyGap | Rule::PlainLanguage))
            .cloned()
            .collect();
        if !family.is_empty() {
            let outcome = Outcome {
                deny_warnings: false,
                plan_title: &repo.plan.title,
                as_of: &checked.as_of,
                areas: &checked.areas,
                findings: &family,
                sources: &checked.loaded.sources,
            };
            print!("{}", report::human::findings(&outcome, super::use_color()));
        }
        for (p, b) in &outputs.files {
            println!(
                "wrote {} ({} byte{})",
                p.display(),
                b.len(),
                crate::assess::plural(b.len())
            );
        }
        let t = crate::finding::Tally::of(&checked.findings);
        let items: usize = view.areas.iter().map(|a| a.evidence.len()).sum();
        println!(
            "family edition: {} area{}, {} public item{} listed; {} warning{}",
            view.areas.len(),
            crate::assess::plural(view.areas.len()),
            items,
            crate::assess::plural(items),
            t.warnings,
            crate::assess::plural(t.warnings)
        );
    }
    Ok(ExitCode::SUCCESS)
}
