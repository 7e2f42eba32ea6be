//! The `secret-key` rule (spec section 9): a minisign secret key in any
//! file under plan/ or evidence/ (YAML, Markdown, an attachment of any
//! kind, a hidden file) is an error at the key's line, so that it is seen
//! before it is committed. The key is never printed: what loading keeps of
//! a text (for snippets, the model, the pack) has it masked.

use crate::finding::{Finding, Pos, Rule};
use crate::sign::detect::{self, Found, Hit};

use super::source;

/// Files that are not text attachments are scanned up to this size: a key
/// file is a few hundred bytes, and a key inside a PDF or an office file is
/// compressed out of sight anyway.
pub(super) const KEY_SCAN_BYTES: u64 = super::MAX_TEXT_BYTES;

const HINT: &str = "remove it from the repository (and from its git history), make a new key pair with `pack keygen` and give reviewers the new public key; keep secret keys outside every repository (by default in ~/.config/pack)";

/// Reports every secret key in `text` and returns the text with each key
/// masked (same length, so every position stays right).
pub(super) fn scan_text(rel: &str, text: String, out: &mut Vec<Finding>) -> String {
    let hits = detect::find(text.as_bytes());
    if hits.is_empty() {
        return text;
    }
    for h in &hits {
        out.push(finding(rel, source::pos_at(&text, h.start), h));
    }
    detect::redact(&text).unwrap_or(text)
}

/// Reports every secret key in a file read as bytes.
pub(super) fn scan_bytes(rel: &str, bytes: &[u8], out: &mut Vec<Finding>) {
    let hits = detect::find(bytes);
    if hits.is_empty() {
        return;
    }
    let text = std::str::from_utf8(bytes).ok();
    for h in &hits {
        let pos = match text {
            Some(t) => source::pos_at(t, h.start),
            None => byte_pos(bytes, h.start),
        };
        out.push(finding(rel, pos, h));
    }
}

/// Line and column of a byte offset in bytes that are not UTF-8 (the
/// column counts bytes).
fn byte_pos(bytes: &[u8], at: usize) -> Pos {
    let before = &bytes[..at.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    Pos::new(line as u32, (at - start + 1) as u32)
}

fn finding(rel: &str, pos: Pos, hit: &Hit) -> Finding {
    let message = match &hit.found {
        Found::Key {
            encrypted: true, ..
        } => "this file holds a minisign secret key (protected by a password); a secret key must never be in an evidence repository".to_owned(),
        Found::Key { id, .. } => format!(
            "this file holds a minisign secret key with no password{}: anyone who can read the repository can sign bundles as you",
            id.as_ref().map(|i| format!(" (key id {i})")).unwrap_or_default()
        ),
        Found::Header => "this file holds the first line of a minisign secret key file (`untrusted comment: ... secret key`); the key may follow it in another form".to_owned(),
    };
    Finding::new(Rule::SecretKey, rel, pos, message)
        .hint(HINT)
        .width(hit.end - hit.start)
}
