//! `pack new evidence`: one command to log an item with the next free id.
//! Every reference is checked before anything is written, and nothing is
//! ever overwritten.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};

use crate::cli::NewEvidenceArgs;
use crate::model::{Choice, Kind, Shows};

pub fn evidence(dir: &Path, args: &NewEvidenceArgs) -> Result<ExitCode> {
    let root = crate::load::find_root(dir)?;
    let loaded = crate::load::load(&root)?;
    let repo = &loaded.repo;
    let mut a = NewEvidenceArgs {
        title: args.title.clone(),
        areas: args.areas.clone(),
        actions: args.actions.clone(),
        date: args.date,
        kind: args.kind.clone(),
        shows: args.shows.clone(),
        org: args.org.clone(),
        file: args.file.clone(),
        summary: args.summary.clone(),
    };
    let areas: Vec<&str> = repo.areas.iter().map(|x| x.id.value.as_str()).collect();
    let orgs: Vec<&str> = repo
        .plan
        .organisations
        .iter()
        .map(|o| o.id.value.as_str())
        .collect();
    if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        ask(&mut a, &areas, &orgs)?;
    }

    // Check everything before writing anything.
    let mut problems = Vec::new();
    let title = a.title.clone().filter(|t| !t.trim().is_empty());
    if title.is_none() {
        problems.push("--title is required: what the item is, e.g. --title \"EHC timeliness dashboard, April 2025\"".to_owned());
    }
    if a.areas.is_empty() {
        problems.push(format!(
            "--area is required (repeat it for several); the areas are {}",
            areas.join(", ")
        ));
    }
    for x in &a.areas {
        if !areas.contains(&x.as_str()) {
            problems.push(format!("no area `{x}`; the areas are {}", areas.join(", ")));
        }
    }
    for x in &a.actions {
        let owner = repo
            .areas
            .iter()
            .find(|ar| ar.actions.iter().any(|ac| ac.id.value.as_str() == x));
        match owner {
            None => problems.push(format!("no action `{x}` in any area")),
            Some(ar) if !a.areas.iter().any(|id| id == ar.id.value.as_str()) => {
                problems.push(format!(
                    "action `{x}` belongs to area {}, which is not among --area",
                    ar.id.value
                ))
            }
            Some(_) => {}
        }
    }
    let kind = check_choice::<Kind>("--kind", a.kind.as_deref(), &mut problems);
    let shows = check_choice::<Shows>("--shows", a.shows.as_deref(), &mut problems);
    match a.org.as_deref() {
        None => problems.push(format!(
            "--org is required; the organisations are {}",
            orgs.join(", ")
        )),
        Some(o) if !orgs.contains(&o) => problems.push(format!(
            "no organisation `{o}`; the organisations are {}",
            orgs.join(", ")
        )),
        Some(_) => {}
    }
    let today = crate::timeline::today().map_err(|e| anyhow!(e))?;
    let date = a.date.unwrap_or(today);
    if date > today {
        problems.push(format!(
            "--date {date} is after today ({today}): evidence is dated when it was as at"
        ));
    }
    if let Some(f) = &a.file
        && !f.is_file()
    {
        problems.push(format!("--file {} is not a file", f.display()));
    }
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("error: {p}");
        }
        eprintln!("nothing was written");
        return Ok(ExitCode::from(2));
    }
    let (title, kind, shows, org) = (
        title.expect("checked"),
        kind.expect("checked"),
        shows.expect("checked"),
        a.org.clone().expect("checked"),
    );

    let year = date.year();
    let id = crate::naming::IdAllocator::new(repo).next(year);
    let folder = root.join("evidence").join(year.to_string());
    let slug = crate::naming::slug(&title);
    let yaml_path = crate::naming::free_path(&folder, &slug, "yaml", |_| false);
    let yaml_rel = crate::load::slash_path(yaml_path.strip_prefix(&root).unwrap_or(&yaml_path));

    // The attachment: referenced where it is when inside evidence/, else copied beside the YAML.
    let mut copy: Option<(PathBuf, PathBuf)> = None;
    let file_field = match &a.file {
        None => None,
        Some(f) => {
            let real = f
                .canonicalize()
                .with_context(|| format!("cannot open {}", f.display()))?;
            let evidence_dir = root.join("evidence");
            if real.starts_with(&evidence_dir) {
                Some(relative(&real, &folder))
            } else {
                let name = real
                    .file_name()
                    .ok_or_else(|| anyhow!("--file has no file name"))?
                    .to_string_lossy()
                    .into_owned();
                let target = folder.join(&name);
                if target.exists() {
                    bail!(
                        "{} exists already; rename the attachment (pack never overwrites a file)",
                        target.display()
                    );
                }
                copy = Some((real, target));
                Some(name)
            }
        }
    };

    let mut y = String::new();
    y.push_str(&format!("id: {id}\n"));
    y.push_str(&format!("title: {}\n", quote(&title)));
    y.push_str(&format!("date: {date}\n"));
    y.push_str(&format!("organisation: {org}\n"));
    y.push_str(&format!("kind: {}\n", kind.name()));
    y.push_str(&format!("shows: {}\n", shows.name()));
    y.push_str(&format!("areas: [{}]\n", a.areas.join(", ")));
    if !a.actions.is_empty() {
        y.push_str(&format!("actions: [{}]\n", a.actions.join(", ")));
    }
    if let Some(f) = &file_field {
        y.push_str(&format!("file: {}\n", quote(f)));
    }
    if let Some(s) = a.summary.as_ref().filter(|s| !s.trim().is_empty()) {
        y.push_str(&format!("summary: {}\n", quote(s)));
    }

    std::fs::create_dir_all(&folder)
        .with_context(|| format!("cannot create {}", folder.display()))?;
    if let Some((from, to)) = &copy {
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(to)
            .with_context(|| format!("cannot create {}", to.display()))?;
        let bytes =
            std::fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
        out.write_all(&bytes)
            .with_context(|| format!("cannot write {}", to.display()))?;
    }
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&yaml_path)
        .with_context(|| format!("cannot create {yaml_rel}"))?;
    out.write_all(y.as_bytes())
        .with_context(|| format!("cannot write {yaml_rel}"))?;
    // A title may hold an identifier, and the file name comes from it.
    println!("created {} ({id})", crate::pii::mask_all(&yaml_rel));
    if let Some((_, to)) = &copy {
        println!(
            "copied the attachment to {}",
            crate::load::slash_path(to.strip_prefix(&root).unwrap_or(to))
        );
    }
    println!("run `pack check` to see where the area stands now");
    Ok(ExitCode::SUCCESS)
}

fn check_choice<C: Choice>(
    flag: &str,
    value: Option<&str>,
    problems: &mut Vec<String>,
) -> Option<C> {
    match value {
        None => {
            problems.push(format!(
                "{flag} is required; the choices are {}",
                C::NAMES.join(", ")
            ));
            None
        }
        Some(v) => C::parse(v).or_else(|| {
            problems.push(format!(
                "{flag} cannot be `{v}`; the choices are {}",
                C::NAMES.join(", ")
            ));
            None
        }),
    }
}

/// On a terminal, asks for what is missing.
fn ask(a: &mut NewEvidenceArgs, areas: &[&str], orgs: &[&str]) -> Result<()> {
    let stdin = std::io::stdin();
    let line = |prompt: &str| -> Result<String> {
        eprint!("{prompt}: ");
        std::io::stderr().flush().ok();
        let mut s = String::new();
        stdin
            .lock()
            .read_line(&mut s)
            .context("cannot read from the terminal")?;
        Ok(s.trim().to_owned())
    };
    if a.title.is_none() {
        a.title = Some(line("Title")?);
    }
    if a.areas.is_empty() {
        let s = line(&format!(
            "Areas ({}; separate with spaces)",
            areas.join(", ")
        ))?;
        a.areas = s
            .split([' ', ','])
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect();
    }
    if a.kind.is_none() {
        a.kind = Some(line(&format!("Kind ({})", Kind::NAMES.join(", ")))?);
    }
    if a.shows.is_none() {
        a.shows = Some(line(&format!("Shows ({})", Shows::NAMES.join(", ")))?);
    }
    if a.org.is_none() {
        a.org = Some(line(&format!("Organisation ({})", orgs.join(", ")))?);
    }
    Ok(())
}

/// `target` relative to `base` (both absolute, under the root).
fn relative(target: &Path, base: &Path) -> String {
    let t: Vec<_> = target.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = std::iter::repeat_n("..".to_owned(), b.len() - common).collect();
    parts.extend(
        t[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// A YAML double-quoted scalar (JSON strings are valid YAML).
fn quote(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}
