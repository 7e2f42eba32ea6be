//! Attachments: every file scanned for secret keys, a text attachment for
//! personal identifiers too, and where an item's `file:` resolves to (never
//! outside the repository).

use std::path::{Component, Path};

use crate::finding::{Finding, Pos, Rule};
use crate::model::Resolved;

use super::read::read_inside;
use super::scan::scan_text;
use super::secret;
use super::{
    FileResult, MAX_ATTACHMENT_SCAN_BYTES, MAX_TEXT_BYTES, TEXT_EXTENSIONS, decode, extension,
};

/// Scans a file for secret keys and, when `text` and it has a text
/// extension, for personal identifiers, decoding it as spec section 3 says;
/// a text attachment that is not text is `unreadable-file`, never skipped.
pub(super) fn load_attachment(root: &Path, rel: &str, text: bool, res: &mut FileResult) {
    let is_text = text && TEXT_EXTENSIONS.contains(&extension(rel).to_ascii_lowercase().as_str());
    scan(root, rel, is_text, res);
}

/// A file under data/: published statistics are text (CSV, a README),
/// and every one is scanned for personal identifiers (spec section 3).
/// Its decoded text is kept for the measures that read it, so that the
/// file is read from disk once per run.
pub(super) fn load_data(root: &Path, rel: &str, res: &mut FileResult) {
    res.data = scan(root, rel, true, res);
}

/// The decoded text of a text file, once scanned.
fn scan(root: &Path, rel: &str, is_text: bool, res: &mut FileResult) -> Option<String> {
    let size = std::fs::metadata(root.join(rel)).map_or(0, |m| m.len());
    if is_text && size > MAX_ATTACHMENT_SCAN_BYTES {
        res.findings.push(
            Finding::new(
                Rule::Limit,
                rel,
                Pos::START,
                format!(
                    "{rel} is {:.0} MiB; pack scans text attachments of at most {} MiB for personal data",
                    size as f64 / 1_048_576.0,
                    MAX_ATTACHMENT_SCAN_BYTES >> 20
                ),
            )
            .hint("split it, or keep it outside the repository if it is not evidence for the pack"),
        );
        return None;
    }
    if !is_text && size > secret::KEY_SCAN_BYTES {
        return None;
    }
    // A link out of the repository is reported where the item names it.
    let Ok(bytes) = read_inside(root, rel) else {
        return None;
    };
    if !is_text {
        secret::scan_bytes(rel, &bytes, &mut res.findings);
        return None;
    }
    match decode::decode(&bytes) {
        Ok(text) => {
            let text = secret::scan_text(rel, text, &mut res.findings);
            scan_text(rel, &text, 0, &text, &mut res.findings);
            if !res.findings.is_empty() && bytes.len() as u64 <= MAX_TEXT_BYTES {
                res.text = Some(text.clone());
            }
            Some(text)
        }
        Err(decode::NotText(why)) => {
            secret::scan_bytes(rel, &bytes, &mut res.findings);
            res.findings.push(
                Finding::new(
                    Rule::UnreadableFile,
                    rel,
                    Pos::START,
                    format!("{rel} has a text extension but is not text: {why}"),
                )
                .hint("save it as UTF-8 (or UTF-16 with a byte-order mark), or give it the extension of what it is"),
            );
            None
        }
    }
}

/// Resolves `file:` of the evidence YAML `yaml_rel`.
pub(super) fn resolve_attachment(
    root: &Path,
    yaml_rel: &str,
    file: &str,
    to_copy: &std::collections::BTreeSet<String>,
) -> Resolved {
    let written = Path::new(file);
    if written.is_absolute()
        || file.starts_with('/')
        || file.starts_with('\\')
        || file.get(1..3) == Some(":\\")
    {
        return Resolved::Unsafe(format!("`{file}` is an absolute path"));
    }
    let dir = Path::new(yaml_rel).parent().unwrap_or(Path::new(""));
    // Lexically first: `..` that climbs out of the root is unsafe whether or not the target exists.
    let mut parts: Vec<String> = Vec::new();
    for c in dir.join(written).components() {
        match c {
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::ParentDir => {
                if parts.pop().is_none() {
                    return Resolved::Unsafe(format!("`{file}` climbs out of the repository"));
                }
            }
            Component::CurDir => {}
            _ => return Resolved::Unsafe(format!("`{file}` is an absolute path")),
        }
    }
    let rel = parts.join("/");
    if to_copy.contains(&rel) {
        return Resolved::File(rel);
    }
    let path = root.join(&rel);
    match path.canonicalize() {
        Ok(real) if !real.starts_with(root) => Resolved::Unsafe(format!(
            "`{file}` is a link to a place outside the repository"
        )),
        Ok(real) if real.is_dir() => Resolved::Missing(format!("`{file}` is a folder, not a file")),
        Ok(_) => Resolved::File(rel),
        Err(_) if path.symlink_metadata().is_ok() => {
            Resolved::Missing(format!("`{file}` is a link to nothing"))
        }
        Err(_) => Resolved::Missing(format!("`{file}` does not exist (looked for {rel})")),
    }
}
