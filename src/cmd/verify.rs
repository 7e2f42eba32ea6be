//! `pack verify BUNDLE.zip`: every file the manifest lists is there with the
//! same digest, and nothing else was added.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::output::bundle::sha256;

const MANIFESTS: [&str; 2] = ["manifest.csv", "manifest.json"];

pub fn run(path: &Path) -> Result<ExitCode> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut zip = zip::ZipArchive::new(file)
        .with_context(|| format!("{} is not a zip file", path.display()))?;
    let manifest: serde_json::Value = {
        let mut entry = zip.by_name("manifest.json").with_context(|| {
            format!(
                "{} has no manifest.json: was it written by `pack build --bundle`?",
                path.display()
            )
        })?;
        let mut text = String::new();
        entry
            .read_to_string(&mut text)
            .context("cannot read manifest.json")?;
        serde_json::from_str(&text).context("manifest.json is not valid JSON")?
    };
    let Some(listed) = manifest["files"].as_array() else {
        bail!("manifest.json has no `files` list");
    };
    let mut expected: BTreeMap<String, (u64, String)> = BTreeMap::new();
    for f in listed {
        let (Some(p), Some(b), Some(d)) = (
            f["path"].as_str(),
            f["bytes"].as_u64(),
            f["sha256"].as_str(),
        ) else {
            bail!("manifest.json has an entry without path, bytes and sha256: {f}");
        };
        expected.insert(p.to_owned(), (b, d.to_owned()));
    }
    let mut actual: BTreeMap<String, (u64, String)> = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).context("cannot read the zip")?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().to_owned();
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .with_context(|| format!("cannot read {name} in the zip"))?;
        actual.insert(name, (bytes.len() as u64, sha256(&bytes)));
    }
    let mut problems = Vec::new();
    for (p, (bytes, digest)) in &expected {
        match actual.get(p) {
            None => problems.push(format!(
                "missing: {p} is in the manifest but not in the bundle"
            )),
            Some((b, d)) if d != digest || b != bytes => problems.push(format!(
                "changed: {p} does not match its digest in the manifest"
            )),
            Some(_) => {}
        }
    }
    for p in actual.keys() {
        if !expected.contains_key(p) && !MANIFESTS.contains(&p.as_str()) {
            problems.push(format!(
                "added: {p} is in the bundle but not in the manifest"
            ));
        }
    }
    if problems.is_empty() {
        println!(
            "ok: all {} files of {} match the manifest",
            expected.len(),
            path.display()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        for p in &problems {
            println!("{p}");
        }
        println!(
            "failed: {} problem{} in {}",
            problems.len(),
            crate::assess::plural(problems.len()),
            path.display()
        );
        Ok(ExitCode::from(1))
    }
}
