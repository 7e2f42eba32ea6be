//! What loading looks for inside texts bound for the pack: personal
//! identifiers (in text and in paths), citations, and Markdown too deeply
//! nested to lay out. Every occurrence is reported at its own place.

use crate::finding::{Finding, Pos, Rule};
use crate::markdown;
use crate::model::Citation;
use crate::pii;

use super::source;

/// Where the `n`-th (0-based) occurrence of `needle` in `value` is in the
/// file `text`, searching from byte `from` (where the value is written).
pub(super) fn place(text: &str, from: usize, value: &str, at: usize, needle: &str) -> Pos {
    let n = value[..at.min(value.len())].matches(needle).count();
    source::find_nth_from(text, from, needle, n)
        .or_else(|| source::find_from(text, from, needle))
        .or_else(|| (from > 0).then(|| source::pos_at(text, from)))
        .unwrap_or(Pos::START)
}

const PII_HINT: &str = "remove or anonymise it (an item that needs personal data says `personal_data: true` and keeps it in an attachment outside the pack)";

/// Adds a personal-identifier finding for each identifier in `value`, which
/// sits at or after byte `from` of the file text `text`.
pub fn scan_text(rel: &str, text: &str, from: usize, value: &str, out: &mut Vec<Finding>) {
    for hit in pii::find(value) {
        let found = &value[hit.start..hit.end];
        let pos = place(text, from, value, hit.start, found);
        out.push(
            Finding::new(
                Rule::PersonalIdentifier,
                rel,
                pos,
                format!(
                    "this text holds what looks like {} ({}); personal data must not reach a pack",
                    hit.kind.describe(),
                    pii::mask(found)
                ),
            )
            .hint(PII_HINT)
            .width(found.chars().count()),
        );
    }
}

/// Adds an unsupported-character warning for each run of characters no
/// embedded font can show in `value` (placed like `scan_text`'s findings).
pub fn scan_chars(rel: &str, text: &str, from: usize, value: &str, out: &mut Vec<Finding>) {
    for (start, end) in crate::fonts::unsupported_runs(value) {
        let run = &value[start..end];
        let pos = place(text, from, value, start, run);
        out.push(
            Finding::new(
                Rule::UnsupportedCharacter,
                rel,
                pos,
                format!(
                    "no font in the PDF can show {}; the PDF shows {} instead",
                    crate::fonts::describe(run),
                    crate::fonts::REPLACEMENT
                ),
            )
            .hint("use another character, or spell it out in words")
            .width(run.chars().count()),
        );
    }
}

/// The longest text value pack reads from YAML (a title, a summary), in
/// bytes: longer text belongs in a narrative or an attachment.
pub const MAX_TEXT_VALUE: usize = 20_000;

/// Adds a `limit` finding for a YAML text value longer than `MAX_TEXT_VALUE`.
pub fn check_length(rel: &str, text: &str, from: usize, value: &str, out: &mut Vec<Finding>) {
    if value.len() > MAX_TEXT_VALUE {
        out.push(
            Finding::new(
                Rule::Limit,
                rel,
                source::pos_at(text, from),
                format!(
                    "this text is {} bytes long; pack reads values of at most {MAX_TEXT_VALUE}",
                    value.len()
                ),
            )
            .hint("shorten it: long text belongs in the area's narrative (plan/areas/NAME.md) or an attachment"),
        );
    }
}

/// Adds a personal-identifier finding for an identifier in the last part
/// of `rel` (a folder's or a file's own name). The finding's `file` is the
/// real path, so that CI can point at it; its message masks the identifier.
pub fn scan_path(rel: &str, out: &mut Vec<Finding>) {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    for hit in pii::find(name) {
        let found = &name[hit.start..hit.end];
        out.push(
            Finding::new(
                Rule::PersonalIdentifier,
                rel,
                Pos::START,
                format!(
                    "the name {} holds what looks like {} ({}); paths reach the pack and CI logs",
                    pii::mask_all(rel),
                    hit.kind.describe(),
                    pii::mask(found)
                ),
            )
            .hint("rename it (and update any `file:` that names it)"),
        );
    }
}

/// Records every citation in the Markdown `value` (found in `text` at or
/// after `from`), and reports Markdown nested past pack's limit.
pub fn collect_citations(
    rel: &str,
    text: &str,
    from: usize,
    value: &str,
    out: &mut Vec<Citation>,
    findings: &mut Vec<Finding>,
) {
    let analysis = markdown::analyse(value);
    for c in &analysis.citations {
        let needle = format!("[@{}]", c.id);
        out.push(Citation {
            file: rel.to_owned(),
            pos: place(text, from, value, c.offset, &needle),
            id: c.id.as_str().into(),
        });
    }
    // Every limit of a text points at where the text starts.
    let mut limit = |message: String, hint: &str| {
        findings
            .push(Finding::new(Rule::Limit, rel, source::pos_at(text, from), message).hint(hint));
    };
    if analysis.long_links > 0 {
        limit(
            format!(
                "this Markdown has {} link address{} longer than {} characters",
                analysis.long_links,
                if analysis.long_links == 1 { "" } else { "es" },
                markdown::MAX_URL
            ),
            "link to a shorter address (a long one is shown as text, not as a link)",
        );
    }
    if analysis.too_long() {
        limit(
            format!(
                "this Markdown has a paragraph of {} bytes; pack lays out paragraphs of at most {}",
                analysis.longest_paragraph,
                markdown::MAX_PARAGRAPH
            ),
            "split it into shorter paragraphs, with a blank line between them",
        );
    }
    if analysis.too_complex {
        limit(
            "this Markdown is too intricate for pack to read (thousands of brackets or markers inside each other)".to_owned(),
            "simplify the text: remove the repeated brackets, quotes or emphasis markers",
        );
    } else if analysis.too_deep() {
        limit(
            format!(
                "this Markdown nests {} levels deep; pack lays out at most {}",
                analysis.depth,
                markdown::MAX_DEPTH
            ),
            "flatten the quotes, lists or emphasis nested inside each other",
        );
    }
}
