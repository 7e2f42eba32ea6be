//! Writing outputs: every file atomically (a temporary file beside the
//! target, then a rename), and the bundle zip.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The folders of a repository that pack reads: no output may go there.
const INPUTS: &[&str] = &["plan", "evidence", "templates", ".git"];

/// `path` made absolute and resolved through every link in the part that
/// exists, so that `out/../plan` and a link to plan/ are both seen as plan/.
fn resolve(path: &Path) -> Result<PathBuf> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .context("cannot read the current folder")?
            .join(path)
    };
    let mut existing = abs.clone();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                match Path::new(part).components().next() {
                    Some(std::path::Component::ParentDir) => {
                        out.pop();
                    }
                    Some(std::path::Component::CurDir) | None => {}
                    _ => out.push(part),
                }
            }
            return Ok(out);
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => return Ok(abs),
        }
    }
}

/// Refuses an output folder inside the repository's inputs (plan/,
/// evidence/, templates/, .git): a pack written there would replace a
/// hand-written file or be read back as evidence.
pub fn refuse_inside_inputs(root: &Path, out_dir: &Path) -> Result<()> {
    let out = resolve(out_dir)?;
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    for input in INPUTS {
        let folder = root.join(input);
        let folder = folder.canonicalize().unwrap_or(folder);
        if out.starts_with(&folder) {
            anyhow::bail!(
                "the output folder {} is inside {input}/, which pack reads; writing there could replace your files\n  hint: use --out out (the default) or a folder outside plan/, evidence/ and templates/",
                out_dir.display()
            );
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` so that readers see the old file or the new one,
/// never a half-written one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    staged(path, bytes)?.commit()
}

/// A file written in full beside its target, waiting to be renamed over it.
struct Staged {
    tmp: tempfile::NamedTempFile,
    path: PathBuf,
}

impl Staged {
    fn commit(self) -> Result<()> {
        let path = self.path;
        self.tmp
            .persist(&path)
            .map_err(|e| e.error)
            .with_context(|| format!("cannot replace {}", path.display()))?;
        Ok(())
    }
}

fn staged(path: &Path, bytes: &[u8]) -> Result<Staged> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    // Outputs are for sharing: readable by others, like any file the user writes.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    Ok(Staged {
        tmp,
        path: path.to_path_buf(),
    })
}

/// Files to write, all prepared before any is written, so that a failure
/// while rendering leaves every earlier output as it was.
#[derive(Default)]
pub struct Outputs {
    pub files: Vec<(PathBuf, Vec<u8>)>,
}

impl Outputs {
    pub fn add(&mut self, path: PathBuf, bytes: Vec<u8>) {
        self.files.push((path, bytes));
    }

    /// Writes every file in full beside its target first, then renames them
    /// all: a failure while writing (a full disk) replaces nothing.
    pub fn write_all(&self) -> Result<()> {
        let staged = self
            .files
            .iter()
            .map(|(path, bytes)| staged(path, bytes))
            .collect::<Result<Vec<_>>>()?;
        for s in staged {
            s.commit()?;
        }
        Ok(())
    }
}

pub mod bundle {
    //! The zip a reviewer receives: the pack, every included attachment and
    //! a manifest of SHA-256 digests. Sorted entries, fixed timestamps.

    use std::io::{Cursor, Write};

    use anyhow::Result;
    use serde::Serialize;
    use sha2::{Digest, Sha256};
    use zip::write::SimpleFileOptions;

    #[derive(Debug, Clone, Serialize)]
    pub struct Entry {
        pub path: String,
        pub evidence_id: Option<String>,
        pub bytes: u64,
        pub sha256: String,
    }

    pub fn sha256(bytes: &[u8]) -> String {
        hex(&Sha256::digest(bytes))
    }

    /// A digest as the manifest writes it: lower-case hex.
    pub fn hex(digest: &[u8]) -> String {
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// `files`: (path in the zip, evidence id, contents).
    pub fn zip(mut files: Vec<(String, Option<String>, Vec<u8>)>) -> Result<Vec<u8>> {
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files.dedup_by(|a, b| a.0 == b.0);
        let entries: Vec<Entry> = files
            .iter()
            .map(|(p, id, b)| Entry {
                path: p.clone(),
                evidence_id: id.clone(),
                bytes: b.len() as u64,
                sha256: sha256(b),
            })
            .collect();
        let mut csv = String::from("path,evidence_id,bytes,sha256\n");
        for e in &entries {
            csv.push_str(&format!(
                "{},{},{},{}\n",
                csv_field(&e.path),
                csv_field(e.evidence_id.as_deref().unwrap_or("")),
                e.bytes,
                e.sha256
            ));
        }
        let mut json = serde_json::to_vec_pretty(&serde_json::json!({ "files": entries }))?;
        json.push(b'\n');
        let mut all: Vec<(String, Vec<u8>)> = files.into_iter().map(|(p, _, b)| (p, b)).collect();
        all.push(("manifest.csv".into(), csv.into_bytes()));
        all.push(("manifest.json".into(), json));
        all.sort_by(|a, b| a.0.cmp(&b.0));
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        for (path, bytes) in all {
            w.start_file(path, opts)?;
            w.write_all(&bytes)?;
        }
        Ok(w.finish()?.into_inner())
    }

    fn csv_field(s: &str) -> String {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_owned()
        }
    }
}
