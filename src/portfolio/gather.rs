//! The bundles named on the command line, each verified and read once, in
//! parallel: the signature over the zip (its key found by the key id in the
//! `.minisig`), the digests, and, while digesting, the view JSON kept and
//! the HTML pack extracted. Only the slim part of the view stays in memory.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;

use super::keys::Keys;
use super::{Bundle, Failed, Ratings, Series, Signature, slim};
use crate::bundle::{self, Signature as Sig};
use crate::model::Date;

/// The major version of the view's shape this pack reads.
fn known_major() -> &'static str {
    crate::view::SCHEMA_VERSION
        .split('.')
        .next()
        .unwrap_or_default()
}

/// Files as given; folders as the `*-bundle.zip` files directly in them.
pub fn bundle_paths(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for input in inputs {
        let meta =
            std::fs::metadata(input).with_context(|| format!("cannot open {}", input.display()))?;
        if meta.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(input)
                .with_context(|| format!("cannot read the folder {}", input.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && p.file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n.ends_with("-bundle.zip"))
                })
                .collect();
            if found.is_empty() {
                bail!(
                    "{} holds no bundles (files named *-bundle.zip, as `pack build --bundle` writes them)",
                    input.display()
                );
            }
            found.sort();
            out.extend(found);
        } else {
            out.push(input.clone());
        }
    }
    // A bundle named twice (on its own and in its folder) is read once.
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())));
    out.sort();
    Ok(out)
}

/// Every bundle verified and read: those that pass, and those left out
/// with their reason. `staging`: where HTML packs are extracted (one
/// numbered folder per bundle), when the page is asked for.
pub fn read_all(
    paths: &[PathBuf],
    keys: Option<&Keys>,
    staging: Option<&Path>,
) -> (Vec<Bundle>, Vec<Failed>) {
    let results: Vec<Result<Bundle, Failed>> = paths
        .par_iter()
        .enumerate()
        .map(|(i, path)| {
            let dir = staging.map(|s| s.join(i.to_string()));
            read_one(path, keys, dir.as_deref()).map_err(|e| Failed {
                path: path.clone(),
                reason: format!("{e:#}"),
            })
        })
        .collect();
    let mut ok = Vec::new();
    let mut failed = Vec::new();
    for r in results {
        match r {
            Ok(b) => ok.push(b),
            Err(f) => failed.push(f),
        }
    }
    (ok, failed)
}

/// A top-level entry of the zip: the packs sit at the top, attachments
/// under `attachments/`.
fn top(name: &str, ext: &str) -> bool {
    !name.contains('/') && name.ends_with(ext) && !name.starts_with("manifest.")
}

fn read_one(path: &Path, keys: Option<&Keys>, extract_to: Option<&Path>) -> Result<Bundle> {
    let sig_path = crate::sign::signature_path(path);
    // Without a keys file no signature is checked, as `pack verify` without
    // --pubkey: the `.minisig` is not read.
    let signed_by = match keys {
        Some(_) => crate::sign::signature_key_id(&sig_path)?,
        None => None,
    };
    let key = match (keys, signed_by) {
        (Some(k), Some(id)) => k.by_id(id),
        _ => None,
    };
    let keep = |n: &str| top(n, ".json");
    let extract = |n: &str| top(n, ".html");
    let checked = bundle::verify(
        path,
        &bundle::Request {
            key: key.map(|k| &k.pk),
            keep: Some(&keep),
            extract: extract_to.map(|d| (&extract as bundle::verify::Wanted, d)),
        },
    )?;
    if let Sig::Bad(reason) = &checked.signature {
        bail!("bad signature: {reason}");
    }
    if !checked.problems.is_empty() {
        bail!(
            "its files do not match its manifest: {}",
            checked.problems.join("; ")
        );
    }
    let mut views = checked.kept.into_iter();
    let (Some((view_name, bytes)), None) = (views.next(), views.next()) else {
        bail!(
            "it holds no single view JSON: bundles carry one from pack {} on; rebuild it with `pack build --bundle`",
            crate::VERSION
        );
    };
    let head: slim::Head = serde_json::from_slice(&bytes)
        .with_context(|| format!("{view_name} is not a pack view"))?;
    let made_by = head
        .meta
        .tool
        .as_deref()
        .unwrap_or("an unknown version of pack");
    match head.schema_version.as_deref() {
        None => bail!(
            "its view has no schema_version: it was made by {made_by}, before views carried one; rebuild it with pack {}",
            crate::VERSION
        ),
        Some(v) if v.split('.').next() != Some(known_major()) => bail!(
            "its view is version {v}, made by {made_by}; this pack ({}) reads version {}.x: read it with a pack that knows version {v}",
            crate::VERSION,
            known_major()
        ),
        Some(_) => {}
    }
    let view: slim::View = serde_json::from_slice(&bytes)
        .with_context(|| format!("{view_name} is not a view of version 1"))?;
    drop(bytes);
    let html = extract_to.and_then(|d| {
        checked
            .extracted
            .iter()
            .find(|p| p.extension().is_some_and(|e| e == "html"))
            .map(|p| d.join(p))
    });
    let bundle = slim_bundle(path, view, html)?;
    let signature = signature(&bundle, keys, signed_by, key.map(|k| (&k.area, &k.name)))?;
    Ok(Bundle {
        signature,
        ..bundle
    })
}

/// The signature's standing against the keys file: the key that checked it
/// must be the bundle's area's, and an area with a key must have signed.
fn signature(
    b: &Bundle,
    keys: Option<&Keys>,
    signed_by: Option<crate::sign::KeyId>,
    checked_with: Option<(&String, &String)>,
) -> Result<Signature> {
    let Some(keys) = keys else {
        return Ok(Signature::NotChecked);
    };
    let area = b.key_area();
    let listed: Vec<String> = keys.for_area(area).map(|k| k.id.to_string()).collect();
    match (signed_by, checked_with) {
        (Some(id), Some((key_area, key_name))) => {
            if key_area != area {
                bail!(
                    "signed with key {id}, which the keys file lists for {key_name} ({key_area}), not for this bundle's area {area}"
                );
            }
            Ok(Signature::Checked {
                key: id.to_string(),
                name: key_name.clone(),
            })
        }
        (Some(id), None) if !listed.is_empty() => bail!(
            "signed with key {id}, but the keys file lists key {} for area {area}",
            listed.join(", ")
        ),
        (None, _) if !listed.is_empty() => bail!(
            "not signed, but the keys file lists key {} for area {area}: ask the area for its signed bundle (BUNDLE.zip.minisig beside the zip)",
            listed.join(", ")
        ),
        _ => Ok(Signature::NotChecked),
    }
}

impl Bundle {
    /// What the keys file's `area` names: the local area's code, else the
    /// plan id.
    pub fn key_area(&self) -> &str {
        self.la_code.as_deref().unwrap_or(&self.plan_id)
    }
}

fn date(s: &str, what: &str) -> Result<Date> {
    Date::parse(s).map_err(|_| anyhow::anyhow!("its view's {what} `{s}` is not a date"))
}

/// Keeps what the portfolio shows of a view.
fn slim_bundle(path: &Path, view: slim::View, html: Option<PathBuf>) -> Result<Bundle> {
    let m = view.meta;
    let as_of = date(&m.as_of, "as_of")?;
    let build_date = date(&m.build_date, "build_date")?;
    let mut ratings = Ratings::default();
    let mut with_evidence = 0;
    let mut overdue = 0;
    let mut series = Vec::new();
    for a in &view.areas {
        match a
            .rating
            .as_ref()
            .map(|r| r.word.to_ascii_lowercase())
            .as_deref()
        {
            Some("red") => ratings.red += 1,
            Some("amber") => ratings.amber += 1,
            Some("green") => ratings.green += 1,
            Some("complete") => ratings.complete += 1,
            _ => ratings.unrated += 1,
        }
        if a.state.as_ref().is_some_and(|s| s.complete) {
            with_evidence += 1;
        }
        overdue += a
            .actions
            .iter()
            .filter(|x| {
                x.status != "complete"
                    && x.due
                        .as_deref()
                        .and_then(|d| Date::parse(d).ok())
                        .is_some_and(|d| d < as_of)
            })
            .count();
        for ms in &a.measures {
            let Some(official) = &ms.official else {
                continue;
            };
            let mut points: Vec<(Date, String, Option<f64>)> = ms
                .points
                .iter()
                .filter_map(|p| {
                    let d = Date::parse(&p.date).ok()?;
                    let text = match &p.value {
                        serde_json::Value::String(s) => s.clone(),
                        v => v.to_string(),
                    };
                    Some((d, text, slim::number(&p.value)))
                })
                .collect();
            points.sort_by_key(|p| p.0);
            let mut england: Vec<(Date, f64)> = ms
                .benchmarks
                .iter()
                .filter(|b| b.kind == "england")
                .flat_map(|b| &b.points)
                .filter_map(|p| Some((Date::parse(&p.date).ok()?, p.value?)))
                .collect();
            england.sort_by_key(|p| p.0);
            // Joined across bundles by the file's name: each repository
            // keeps its own copy of the same download under data/.
            let file = official
                .file
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or(&official.file)
                .to_owned();
            series.push(Series {
                key: slim::Official {
                    file,
                    ..official.clone()
                },
                title: ms.title.clone(),
                unit: ms.unit.clone(),
                points,
                england,
            });
        }
    }
    let name = m
        .local_authority
        .as_ref()
        .map_or_else(|| m.title.clone(), |la| la.name.clone());
    Ok(Bundle {
        path: path.to_path_buf(),
        identity: m.local_authority.as_ref().map_or_else(
            || format!("{} {}", m.plan_id, m.title),
            |la| la.code.clone(),
        ),
        la_code: m.local_authority.as_ref().map(|la| la.code.clone()),
        name,
        plan_id: m.plan_id,
        plan_title: m.title,
        marking: m.marking,
        tool: m.tool,
        visit: m.visit,
        as_of,
        build_date,
        ratings,
        areas_total: view.areas.len(),
        areas_with_evidence: with_evidence,
        open_points: view.last_letter.map(|l| l.unanswered),
        overdue_actions: overdue,
        signature: Signature::NotChecked,
        series,
        html,
        link: None,
    })
}
