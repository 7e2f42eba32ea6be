//! `pack verify BUNDLE.zip`: every file the manifest lists is there once
//! with the same digest, and nothing else was added. Entries are streamed
//! through the digest, never held in memory, and a zip that would expand
//! past what any pack bundle holds is refused as it is read.
//!
//! With `--pubkey FILE` (or `--pubkey-string KEY`) the minisign signature
//! beside the zip (`BUNDLE.zip.minisig`) is checked first: a manifest is
//! only worth what the signature over it is worth.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use crate::cli::VerifyArgs;
use crate::sign::{self, SigCheck};

const MANIFESTS: [&str; 2] = ["manifest.csv", "manifest.json"];

/// The most a bundle may expand to, all entries together.
pub const MAX_TOTAL_BYTES: u64 = 4 << 30;
/// Past this size, an entry that expands more than `MAX_RATIO` times is a
/// zip bomb: evidence (PDFs, spreadsheets, text) never compresses so far.
const RATIO_FROM_BYTES: u64 = 16 << 20;
const MAX_RATIO: u64 = 250;
/// The manifest itself is small.
const MAX_MANIFEST_BYTES: u64 = 64 << 20;

pub fn run(args: &VerifyArgs) -> Result<ExitCode> {
    use std::io::Write;
    let path = args.bundle.as_path();
    let key = match (&args.pubkey, &args.pubkey_string) {
        (Some(file), _) => Some(sign::public_key_file(file)?),
        (None, Some(text)) => Some(sign::public_key_string(text)?),
        (None, None) => None,
    };
    let sig_path = sign::signature_path(path);
    std::fs::metadata(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut out = std::io::stdout().lock();
    match key {
        Some(pk) => match sign::check(path, &sig_path, &pk)? {
            SigCheck::Good(s) => {
                writeln!(
                    out,
                    "signature: good, key {}, trusted comment: {}",
                    s.key_id, s.trusted_comment
                )?;
                if let Some(note) = renamed(path, &s.trusted_comment) {
                    writeln!(out, "note: {note}")?;
                }
            }
            SigCheck::Bad(reason) => {
                writeln!(out, "signature: bad: {reason}")?;
                writeln!(
                    out,
                    "failed: the signature of {} does not check; its files were not checked against the manifest",
                    path.display()
                )?;
                return Ok(ExitCode::from(1));
            }
        },
        None if sig_path.is_file() => writeln!(
            out,
            "signature: not checked: {} is beside the bundle; check it with --pubkey FILE (the signer's public key), or `minisign -Vm {} -p FILE`",
            sig_path.display(),
            path.display()
        )?,
        None => writeln!(
            out,
            "signature: not checked (no {} beside the bundle, and no --pubkey)",
            sign::SIG_SUFFIX
        )?,
    }
    drop(out);
    digests(path)
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

/// Every file against the manifest.
fn digests(path: &Path) -> Result<ExitCode> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut zip = zip::ZipArchive::new(file)
        .with_context(|| format!("{} is not a zip file", path.display()))?;
    let mut problems = Vec::new();

    // Every name once: a second entry of the same name could be the one a
    // reader's tool shows, whatever the digest of the other says. The zip
    // library keeps one entry per name, so the names are read from the
    // central directory itself.
    let mut names: BTreeMap<String, usize> = BTreeMap::new();
    for name in central_directory_names(path)? {
        if !name.ends_with('/') {
            *names.entry(name).or_default() += 1;
        }
    }
    for (name, n) in &names {
        if *n > 1 {
            problems.push(format!("duplicate: {name} appears {n} times in the bundle"));
        }
    }
    if names.get("manifest.json").copied().unwrap_or(0) > 1 {
        return report(path, 0, problems);
    }

    let manifest: serde_json::Value = {
        let entry = zip.by_name("manifest.json").with_context(|| {
            format!(
                "{} has no manifest.json: was it written by `pack build --bundle`?",
                path.display()
            )
        })?;
        let mut text = String::new();
        entry
            .take(MAX_MANIFEST_BYTES)
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
        if expected.insert(p.to_owned(), (b, d.to_owned())).is_some() {
            problems.push(format!("duplicate: {p} is listed twice in the manifest"));
        }
    }

    let mut actual: BTreeMap<String, (u64, String)> = BTreeMap::new();
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).context("cannot read the zip")?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().to_owned();
        let compressed = entry.compressed_size().max(1);
        match digest(entry, MAX_TOTAL_BYTES - total, compressed) {
            Ok((bytes, sha)) => {
                total += bytes;
                actual.insert(name, (bytes, sha));
            }
            Err(Refused::TooLarge) => {
                problems.push(format!(
                    "refused: the bundle expands past {} GiB (at {name}); no pack bundle is that large",
                    MAX_TOTAL_BYTES >> 30
                ));
                return report(path, expected.len(), problems);
            }
            Err(Refused::Ratio) => {
                problems.push(format!(
                    "refused: {name} expands more than {MAX_RATIO} times its compressed size, as a zip bomb does"
                ));
                return report(path, expected.len(), problems);
            }
            Err(Refused::Io(e)) => {
                return Err(e).with_context(|| format!("cannot read {name} in the zip"));
            }
        }
    }
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
    report(path, expected.len(), problems)
}

/// The name of every entry in the zip's central directory, in order,
/// duplicates included.
fn central_directory_names(path: &Path) -> Result<Vec<String>> {
    use std::io::{Seek, SeekFrom};
    let mut f = std::fs::File::open(path)?;
    let len = f.metadata()?.len();
    // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
    let tail_len = len.min(65_557);
    f.seek(SeekFrom::Start(len - tail_len))?;
    let mut tail = vec![0u8; tail_len as usize];
    f.read_exact(&mut tail)?;
    let eocd = (0..tail.len().saturating_sub(21))
        .rev()
        .find(|&i| tail[i..i + 4] == [0x50, 0x4b, 0x05, 0x06])
        .context("the zip has no central directory")?;
    let u16_at = |b: &[u8], i: usize| u64::from(u16::from_le_bytes([b[i], b[i + 1]]));
    let u32_at =
        |b: &[u8], i: usize| u64::from(u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]));
    let u64_at = |b: &[u8], i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or([0; 8]));
    let mut count = u16_at(&tail, eocd + 10);
    let mut size = u32_at(&tail, eocd + 12);
    let mut offset = u32_at(&tail, eocd + 16);
    // ZIP64: the locator just before the record points at the real numbers.
    if (count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF)
        && eocd >= 20
        && tail[eocd - 20..eocd - 16] == [0x50, 0x4b, 0x06, 0x07]
    {
        let at = u64_at(&tail, eocd - 12);
        let mut rec = [0u8; 56];
        f.seek(SeekFrom::Start(at))?;
        f.read_exact(&mut rec)?;
        if rec[..4] == [0x50, 0x4b, 0x06, 0x06] {
            count = u64_at(&rec, 32);
            size = u64_at(&rec, 40);
            offset = u64_at(&rec, 48);
        }
    }
    if offset.checked_add(size).is_none_or(|end| end > len) || size > 256 << 20 {
        bail!("the zip's central directory lies outside the file");
    }
    f.seek(SeekFrom::Start(offset))?;
    let mut cd = vec![0u8; size as usize];
    f.read_exact(&mut cd)?;
    let mut names = Vec::new();
    let mut i = 0usize;
    while names.len() < count as usize && i + 46 <= cd.len() {
        if cd[i..i + 4] != [0x50, 0x4b, 0x01, 0x02] {
            bail!("the zip's central directory is damaged");
        }
        let (n, extra, comment) = (
            u16_at(&cd, i + 28) as usize,
            u16_at(&cd, i + 30) as usize,
            u16_at(&cd, i + 32) as usize,
        );
        let name = cd
            .get(i + 46..i + 46 + n)
            .context("the zip's central directory is damaged")?;
        names.push(String::from_utf8_lossy(name).into_owned());
        i += 46 + n + extra + comment;
    }
    Ok(names)
}

enum Refused {
    TooLarge,
    Ratio,
    Io(std::io::Error),
}

/// Streams one entry through SHA-256, stopping as soon as it passes
/// `budget` bytes or expands too far for its compressed size.
fn digest(mut entry: impl Read, budget: u64, compressed: u64) -> Result<(u64, String), Refused> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut n = 0u64;
    loop {
        let got = match entry.read(&mut buf) {
            Ok(0) => break,
            Ok(k) => k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Refused::Io(e)),
        };
        n += got as u64;
        if n > budget {
            return Err(Refused::TooLarge);
        }
        if n > RATIO_FROM_BYTES && n / compressed > MAX_RATIO {
            return Err(Refused::Ratio);
        }
        hasher.update(&buf[..got]);
    }
    Ok((n, crate::output::bundle::hex(&hasher.finalize())))
}

fn report(path: &Path, files: usize, problems: Vec<String>) -> Result<ExitCode> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
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
    for p in &problems {
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
