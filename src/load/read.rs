//! Reading the files of a repository: only regular files, only inside the
//! root, only as large as pack reads.

use std::path::Path;

use crate::finding::{Finding, Pos, Rule};

use super::{MAX_TEXT_BYTES, source};

/// Reads a file that must be inside the root (not through a link out of it)
/// and a regular file (a pipe would block for ever).
pub fn read_inside(root: &Path, rel: &str) -> std::io::Result<Vec<u8>> {
    let path = root.join(rel);
    let real = path.canonicalize()?;
    if !real.starts_with(root) {
        return Err(std::io::Error::other("outside the repository"));
    }
    if !std::fs::metadata(&real)?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    std::fs::read(real)
}

/// Reads a YAML or Markdown file as UTF-8 text, or says why not.
pub fn read_text(root: &Path, rel: &str) -> Result<String, Box<Finding>> {
    let fail = |msg: String, pos: Pos, hint: &str| {
        Box::new(Finding::new(Rule::YamlSyntax, rel, pos, msg).hint(hint))
    };
    let path = root.join(rel);
    let meta = std::fs::metadata(&path).map_err(|e| {
        fail(
            format!("cannot read {rel}: {e}"),
            Pos::START,
            "check the file exists and is readable",
        )
    })?;
    if let Ok(real) = path.canonicalize()
        && !real.starts_with(root)
    {
        return Err(Box::new(
            Finding::new(
                Rule::UnsafePath,
                rel,
                Pos::START,
                format!("{rel} is a link to a file outside the repository"),
            )
            .hint("copy the file into the repository instead of linking to it"),
        ));
    }
    if !meta.is_file() {
        return Err(Box::new(
            Finding::new(
                Rule::UnreadableFile,
                rel,
                Pos::START,
                format!("{rel} is not a regular file; pack does not read it"),
            )
            .hint("replace it with an ordinary file"),
        ));
    }
    if meta.len() > MAX_TEXT_BYTES {
        return Err(fail(
            format!(
                "{rel} is {:.1} MiB; pack reads YAML and Markdown files of at most 1 MiB",
                meta.len() as f64 / 1_048_576.0
            ),
            Pos::START,
            "split it into smaller files, or keep large content in an attachment",
        ));
    }
    let bytes = std::fs::read(&path).map_err(|e| {
        fail(
            format!("cannot read {rel}: {e}"),
            Pos::START,
            "check the file is readable",
        )
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&e.as_bytes()[..good]).into_owned();
        fail(
            format!("{rel} is not UTF-8 text (invalid byte at offset {good})"),
            source::pos_at(&text, good),
            "save the file as UTF-8",
        )
    })
}
