//! A bundle checked: the minisign signature over the whole zip first (when
//! a key is given), then every file the manifest lists is there once with
//! the same digest, and nothing else was added.
//!
//! The zip is opened once. Its bytes are read twice: through the signature,
//! then entry by entry through SHA-256. Entries are streamed, never held in
//! memory, except those the caller asks to keep (the view JSON), which are
//! read while they are digested; entries the caller asks to extract are
//! written to disk as they are digested. A zip that would expand past what
//! any pack bundle holds is refused as it is read.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use minisign::PublicKey;
use sha2::{Digest, Sha256};

use crate::sign::{self, SigCheck, Signed};

const MANIFESTS: [&str; 2] = ["manifest.csv", "manifest.json"];

/// The most a bundle may expand to, all entries together.
pub const MAX_TOTAL_BYTES: u64 = 4 << 30;
/// Past this size, an entry that expands more than `MAX_RATIO` times is a
/// zip bomb: evidence (PDFs, spreadsheets, text) never compresses so far.
const RATIO_FROM_BYTES: u64 = 16 << 20;
const MAX_RATIO: u64 = 250;
/// The manifest itself is small.
const MAX_MANIFEST_BYTES: u64 = 64 << 20;
/// The most bytes of one entry kept in memory: a view of 10,000 items is a
/// few tens of megabytes.
pub const MAX_KEPT_BYTES: u64 = 256 << 20;

/// Which entries (by name in the zip) to keep or extract.
pub type Wanted<'a> = &'a dyn Fn(&str) -> bool;

/// What to check, and what to take out of the zip while checking it.
#[derive(Default)]
pub struct Request<'a> {
    /// The signer's public key: the signature beside the zip is checked
    /// first, and a bad one stops the check before the digests.
    pub key: Option<&'a PublicKey>,
    /// Entries whose bytes are kept (up to `MAX_KEPT_BYTES` each).
    pub keep: Option<Wanted<'a>>,
    /// Entries written under the folder as they are digested (path-safe
    /// names only: an entry that would land outside it is not extracted).
    pub extract: Option<(Wanted<'a>, &'a Path)>,
}

/// What the signature check said.
#[derive(Debug)]
pub enum Signature {
    /// No key given; `beside`: whether a `.minisig` is beside the zip.
    NotChecked {
        beside: bool,
    },
    Good(Signed),
    /// The reason; the digests were not checked.
    Bad(String),
}

/// One file the manifest lists.
#[derive(Debug, Clone)]
pub struct Listed {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

/// The result of a check.
#[derive(Debug)]
pub struct Verified {
    pub signature: Signature,
    /// The manifest's files, in its order (empty when the signature is bad).
    pub manifest: Vec<Listed>,
    /// Every way the files differ from the manifest.
    pub problems: Vec<String>,
    /// The bytes of the kept entries, by name.
    pub kept: BTreeMap<String, Vec<u8>>,
    /// The files extracted, relative to the extract folder.
    pub extracted: Vec<PathBuf>,
}

impl Verified {
    /// The signature is not bad and every file matches the manifest.
    pub fn ok(&self) -> bool {
        !matches!(self.signature, Signature::Bad(_)) && self.problems.is_empty()
    }
}

/// Checks the bundle at `path`. `Err` means it could not be checked at all
/// (not a zip, no manifest); every way it fails its manifest or signature
/// is in the `Verified`.
pub fn verify(path: &Path, req: &Request) -> Result<Verified> {
    let mut file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let sig_path = sign::signature_path(path);
    let signature = match req.key {
        Some(pk) => match sign::check_reader(&mut file, path, &sig_path, pk)? {
            SigCheck::Good(s) => Signature::Good(s),
            SigCheck::Bad(reason) => {
                return Ok(Verified {
                    signature: Signature::Bad(reason),
                    manifest: Vec::new(),
                    problems: Vec::new(),
                    kept: BTreeMap::new(),
                    extracted: Vec::new(),
                });
            }
        },
        None => Signature::NotChecked {
            beside: sig_path.is_file(),
        },
    };
    file.seek(SeekFrom::Start(0))?;
    let mut v = Verified {
        signature,
        manifest: Vec::new(),
        problems: Vec::new(),
        kept: BTreeMap::new(),
        extracted: Vec::new(),
    };
    digests(file, path, req, &mut v)?;
    Ok(v)
}

/// Every file against the manifest.
fn digests(mut file: File, path: &Path, req: &Request, v: &mut Verified) -> Result<()> {
    // Every name once: a second entry of the same name could be the one a
    // reader's tool shows, whatever the digest of the other says. The zip
    // library keeps one entry per name, so the names are read from the
    // central directory itself.
    let mut names: BTreeMap<String, usize> = BTreeMap::new();
    for name in central_directory_names(&mut file)? {
        if !name.ends_with('/') {
            *names.entry(name).or_default() += 1;
        }
    }
    for (name, n) in &names {
        if *n > 1 {
            v.problems
                .push(format!("duplicate: {name} appears {n} times in the bundle"));
        }
    }
    if names.get("manifest.json").copied().unwrap_or(0) > 1 {
        return Ok(());
    }
    file.seek(SeekFrom::Start(0))?;
    let mut zip = zip::ZipArchive::new(file)
        .with_context(|| format!("{} is not a zip file", path.display()))?;

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
            v.problems
                .push(format!("duplicate: {p} is listed twice in the manifest"));
        }
        v.manifest.push(Listed {
            path: p.to_owned(),
            bytes: b,
            sha256: d.to_owned(),
        });
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
        let keep = req.keep.is_some_and(|k| k(&name));
        let extract = req
            .extract
            .filter(|(wanted, _)| wanted(&name))
            .and_then(|(_, dir)| safe_path(&name).map(|rel| (dir.join(&rel), rel)));
        let mut sink = Sink::new(keep, extract.as_ref().map(|(to, _)| to.as_path()))?;
        match digest(entry, MAX_TOTAL_BYTES - total, compressed, &mut sink) {
            Ok((bytes, sha)) => {
                total += bytes;
                actual.insert(name.clone(), (bytes, sha));
                if let Some(b) = sink.kept {
                    v.kept.insert(name, b);
                }
                if let Some((_, rel)) = extract {
                    v.extracted.push(rel);
                }
            }
            Err(Refused::TooLarge) => {
                v.problems.push(format!(
                    "refused: the bundle expands past {} GiB (at {name}); no pack bundle is that large",
                    MAX_TOTAL_BYTES >> 30
                ));
                return Ok(());
            }
            Err(Refused::Ratio) => {
                v.problems.push(format!(
                    "refused: {name} expands more than {MAX_RATIO} times its compressed size, as a zip bomb does"
                ));
                return Ok(());
            }
            Err(Refused::Io(e)) => {
                return Err(e).with_context(|| format!("cannot read {name} in the zip"));
            }
        }
    }
    for (p, (bytes, digest)) in &expected {
        match actual.get(p) {
            None => v.problems.push(format!(
                "missing: {p} is in the manifest but not in the bundle"
            )),
            Some((b, d)) if d != digest || b != bytes => v.problems.push(format!(
                "changed: {p} does not match its digest in the manifest"
            )),
            Some(_) => {}
        }
    }
    for p in actual.keys() {
        if !expected.contains_key(p) && !MANIFESTS.contains(&p.as_str()) {
            v.problems.push(format!(
                "added: {p} is in the bundle but not in the manifest"
            ));
        }
    }
    Ok(())
}

/// An entry's name as a relative path of plain components, or `None` when
/// it would climb out of the folder it is extracted to (`..`, a root, a
/// drive, a backslash).
pub fn safe_path(name: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in name.split('/') {
        if part.is_empty()
            || part == "."
            || part == ".."
            || part.contains(['\\', ':', '\0'])
            || part.starts_with('~')
        {
            return None;
        }
        out.push(part);
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

/// Where an entry's bytes go besides the digest.
struct Sink {
    kept: Option<Vec<u8>>,
    file: Option<File>,
}

impl Sink {
    fn new(keep: bool, extract: Option<&Path>) -> Result<Sink> {
        let file = match extract {
            Some(to) => {
                if let Some(dir) = to.parent() {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("cannot create {}", dir.display()))?;
                }
                Some(File::create(to).with_context(|| format!("cannot write {}", to.display()))?)
            }
            None => None,
        };
        Ok(Sink {
            kept: keep.then(Vec::new),
            file,
        })
    }

    fn take(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if let Some(k) = &mut self.kept {
            if (k.len() + bytes.len()) as u64 > MAX_KEPT_BYTES {
                return Err(std::io::Error::other(format!(
                    "it is larger than {} MiB, more than any view pack writes",
                    MAX_KEPT_BYTES >> 20
                )));
            }
            k.extend_from_slice(bytes);
        }
        if let Some(f) = &mut self.file {
            f.write_all(bytes)?;
        }
        Ok(())
    }
}

/// The name of every entry in the zip's central directory, in order,
/// duplicates included.
fn central_directory_names(f: &mut File) -> Result<Vec<String>> {
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

/// Streams one entry through SHA-256 (and into `sink`), stopping as soon as
/// it passes `budget` bytes or expands too far for its compressed size.
fn digest(
    mut entry: impl Read,
    budget: u64,
    compressed: u64,
    sink: &mut Sink,
) -> Result<(u64, String), Refused> {
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
        sink.take(&buf[..got]).map_err(Refused::Io)?;
    }
    Ok((n, crate::output::bundle::hex(&hasher.finalize())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_names_are_extracted() {
        assert_eq!(
            safe_path("kent-2025.html"),
            Some(PathBuf::from("kent-2025.html"))
        );
        assert_eq!(
            safe_path("charts/a.svg"),
            Some(PathBuf::from("charts/a.svg"))
        );
        for bad in [
            "../x.html",
            "/etc/passwd",
            "a/../../b",
            "C:x",
            "a\\..\\b",
            "",
            "a//b",
            "~/x",
        ] {
            assert_eq!(safe_path(bad), None, "{bad}");
        }
    }
}
