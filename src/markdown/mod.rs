//! User Markdown (narratives and summaries): parsed once by comrak, read for
//! citations and nesting depth when loading, and rendered for every target
//! when viewing.
//!
//! Citations `[@ID]` are taken from the AST's text nodes only, so a
//! citation-like string in code, in a link's address or escaped as `\[@ID]`
//! stays what it is. Every walk over the AST is iterative or bounded by
//! [`MAX_DEPTH`]: nesting comes from user input, and a deep document must
//! be a finding, never a stack overflow.

mod paragraphs;
mod strip;
mod tidy;
mod typst;
mod web;

use std::cell::Cell;

use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, Options, try_parse_document};
use serde::Serialize;

use crate::pii;

pub use paragraphs::paragraphs;
pub use strip::strip_citations;
pub use typst::{typst_escape, typst_str};
pub use web::html_escape;

/// Deepest nesting of Markdown elements (quotes, lists, emphasis, links
/// inside each other) pack lays out; deeper text is a `limit` finding.
/// Counted as the depth of the document tree: a paragraph's text is at
/// depth 2, a two-level bullet list's text at 6.
pub const MAX_DEPTH: usize = 16;

/// The longest paragraph (or heading, or table cell) pack lays out, in
/// bytes of Markdown. typst's layout time grows faster than the length of
/// one paragraph for some texts; ordinary paragraphs are far shorter.
pub const MAX_PARAGRAPH: usize = 20_000;

/// The longest link address pack makes a link of (as browsers keep to);
/// a longer one is a `limit` finding and shown as text in the PDF.
pub const MAX_URL: usize = 2000;

/// Parsing work allowed per byte of Markdown, in comrak's units of 256
/// steps (a step is a line, an inline or a node). Ordinary text needs well
/// under one unit per byte; some inputs (thousands of nested brackets) make
/// comrak's work grow with the square of the length. Counted, not timed,
/// so the answer is the same on every machine.
const WORK_PER_BYTE: u64 = 4;

/// Parses `text`, or None when it needs more work than [`WORK_PER_BYTE`]
/// allows (a `limit` finding when loading; plain text when rendering).
fn parse<'a>(arena: &'a Arena<'a>, text: &str) -> Option<&'a AstNode<'a>> {
    parse_within(arena, text, (text.len() as u64 + 256) * WORK_PER_BYTE)
}

fn parse_within<'a>(arena: &'a Arena<'a>, text: &str, budget: u64) -> Option<&'a AstNode<'a>> {
    let used = Cell::new(0u64);
    let over = || {
        used.set(used.get() + 1);
        used.get() > budget
    };
    try_parse_document(arena, text, &options(), &over).ok()
}

/// One piece of user Markdown, ready for every format.
#[derive(Debug, Clone, Serialize, Default, PartialEq, schemars::JsonSchema)]
pub struct Text {
    /// As written (identifiers masked), for JSON readers.
    pub markdown: String,
    /// Typst markup, every text node escaped.
    pub typst: String,
    /// HTML, raw HTML in the source shown as text.
    pub html: String,
    /// GitHub-flavoured Markdown with citations as links.
    pub md: String,
}

/// A citation found in the text: the id and the byte offset of its `[@`
/// in the Markdown source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteRef {
    pub id: String,
    pub offset: usize,
}

/// What loading needs to know of a text: its citations and how deep it nests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Analysis {
    pub citations: Vec<CiteRef>,
    pub depth: usize,
    /// The text needs more parsing work than pack allows (see `parse`).
    pub too_complex: bool,
    /// Links whose address is longer than [`MAX_URL`].
    pub long_links: usize,
    /// The longest paragraph, in bytes of source.
    pub longest_paragraph: usize,
}

impl Analysis {
    pub fn too_deep(&self) -> bool {
        self.depth > MAX_DEPTH
    }

    pub fn too_long(&self) -> bool {
        self.longest_paragraph > MAX_PARAGRAPH
    }
}

/// The anchor of an evidence item's entry in the index.
pub fn anchor(id: &str) -> String {
    let mut a = String::from("ev-");
    for c in id.chars() {
        a.push(if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            c.to_ascii_lowercase()
        } else {
            '-'
        });
    }
    a
}

fn options() -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    // Footnotes are read as footnotes (then shown as numbered notes, see
    // `tidy`): unread, `[^Note]: x` is a link definition and `[^Note]` a
    // link to `x`.
    o.extension.footnotes = true;
    // `\[@ID]` is an escaped bracket, not a citation: keep escapes as their
    // own nodes so they never merge into a citation-shaped text.
    o.parse.escaped_char_spans = true;
    o.render.r#unsafe = false;
    // Raw HTML in user text is shown as text, not dropped and not run.
    o.render.escape = true;
    o
}

/// Parses `text`, finding its citations and its depth.
pub fn analyse(text: &str) -> Analysis {
    let arena = Arena::new();
    let mut out = Analysis::default();
    let Some(root) = parse(&arena, text) else {
        out.too_complex = true;
        return out;
    };
    let line_starts = line_starts(text);
    // Iterative walk: (node, depth).
    let mut stack = vec![(root, 0usize)];
    while let Some((node, depth)) = stack.pop() {
        out.depth = out.depth.max(depth);
        let data = node.data.borrow();
        if let NodeValue::Link(l) | NodeValue::Image(l) = &data.value
            && l.url.len() > MAX_URL
        {
            out.long_links += 1;
        }
        if matches!(
            data.value,
            NodeValue::Paragraph | NodeValue::Heading(_) | NodeValue::TableCell
        ) {
            let start = offset_of(text, &line_starts, data.sourcepos.start);
            let end = offset_of(text, &line_starts, data.sourcepos.end);
            out.longest_paragraph = out.longest_paragraph.max(end.saturating_sub(start) + 1);
        }
        if let NodeValue::Text(t) = &data.value {
            let start = offset_of(text, &line_starts, data.sourcepos.start);
            let end = offset_of(text, &line_starts, data.sourcepos.end);
            let mut cursor = start;
            for (_, _, id) in spans(t) {
                let needle = format!("[@{id}]");
                let found = text
                    .get(cursor..)
                    .and_then(|s| s.find(&needle))
                    .map(|i| cursor + i)
                    .filter(|f| end <= start || *f <= end);
                let offset = found.unwrap_or(start);
                if let Some(f) = found {
                    cursor = f + needle.len();
                }
                out.citations.push(CiteRef {
                    id: id.to_owned(),
                    offset,
                });
            }
        }
        drop(data);
        // Children pushed in reverse so they pop in document order.
        let children: Vec<_> = node.children().collect();
        for child in children.into_iter().rev() {
            stack.push((child, depth + 1));
        }
    }
    out
}

/// Byte offsets of the start of each line.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// A comrak line/column (1-based, byte columns) as a byte offset.
fn offset_of(text: &str, starts: &[usize], lc: comrak::nodes::LineColumn) -> usize {
    let Some(line_start) = lc.line.checked_sub(1).and_then(|l| starts.get(l)) else {
        return 0;
    };
    let mut o = (line_start + lc.column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}

/// `(start, end, id)` of every `[@ID]` in a plain string (byte offsets of
/// the brackets). Callers pass text-node contents, never raw Markdown.
pub fn spans(text: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(i) = text[rest..].find("[@") {
        let start = rest + i;
        let id_start = start + 2;
        let id_len = text[id_start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
            .unwrap_or(text.len() - id_start);
        let id_end = id_start + id_len;
        if id_len > 0 && text[id_end..].starts_with(']') {
            out.push((start, id_end + 1, &text[id_start..id_end]));
            rest = id_end + 1;
        } else {
            rest = id_start;
        }
    }
    out
}

/// Renders user Markdown for every target. `known` says whether a cited id
/// is in the pack (an unknown one is shown as plain text). Text nested past
/// [`MAX_DEPTH`] (which `check` reports as `limit`) is shown as plain
/// paragraphs, so that rendering never recurses without bound.
pub fn render(markdown: &str, known: &dyn Fn(&str) -> bool) -> Text {
    let masked = pii::mask_all(markdown).into_owned();
    let arena = Arena::new();
    let Some(root) = parse(&arena, &masked) else {
        return flat(&masked);
    };
    if depth(root) > MAX_DEPTH || longest_block(root) > MAX_PARAGRAPH {
        return flat(&masked);
    }
    tidy::tidy(&arena, root);
    let typst = typst::render(root, known);
    web::link_citations(&arena, root, known);
    let html = web::html(root, &options());
    let md = web::commonmark(&arena, root, &options());
    Text {
        markdown: masked,
        typst,
        html,
        md,
    }
}

fn depth<'a>(root: &'a AstNode<'a>) -> usize {
    let mut max = 0;
    let mut stack = vec![(root, 0usize)];
    while let Some((node, d)) = stack.pop() {
        max = max.max(d);
        if d > MAX_DEPTH {
            break;
        }
        stack.extend(node.children().map(|c| (c, d + 1)));
    }
    max
}

/// The longest text of one block (paragraph, heading, cell), in bytes.
fn longest_block<'a>(root: &'a AstNode<'a>) -> usize {
    let mut longest = 0;
    for node in root.descendants() {
        let data = node.data.borrow();
        if matches!(
            data.value,
            NodeValue::Paragraph | NodeValue::Heading(_) | NodeValue::TableCell
        ) {
            let len: usize = node
                .descendants()
                .map(|d| match &d.data.borrow().value {
                    NodeValue::Text(t) => t.len(),
                    NodeValue::Code(c) => c.literal.len(),
                    _ => 1,
                })
                .sum();
            longest = longest.max(len);
        }
    }
    longest
}

/// Plain paragraphs, every character shown as written, each cut to what
/// pack lays out (this is what a text with a `limit` finding looks like).
fn flat(masked: &str) -> Text {
    let paragraphs: Vec<&str> = masked
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut end = p.len().min(2_000);
            while !p.is_char_boundary(end) {
                end -= 1;
            }
            &p[..end]
        })
        .collect();
    let typst = paragraphs
        .iter()
        .map(|p| typst_escape(&p.replace(['\n', '\r'], " ")))
        .collect::<Vec<_>>()
        .join("\n\n");
    let html = paragraphs
        .iter()
        .map(|p| format!("<p>{}</p>\n", web::html_escape(p)))
        .collect();
    let md = paragraphs
        .iter()
        .map(|p| comrak::escape_commonmark_inline(&p.replace(['\n', '\r'], " ")))
        .collect::<Vec<_>>()
        .join("\n\n");
    Text {
        markdown: masked.to_owned(),
        typst,
        html,
        md,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(_: &str) -> bool {
        true
    }

    fn cited(text: &str) -> Vec<(String, usize)> {
        analyse(text)
            .citations
            .into_iter()
            .map(|c| (c.id, c.offset))
            .collect()
    }

    #[test]
    fn finds_citations_in_text_only() {
        assert_eq!(
            cited("see [@E-2025-014] and [@A.b_1]."),
            vec![("E-2025-014".into(), 4), ("A.b_1".into(), 22)]
        );
        assert!(cited("[@] [@ x] [x] @E").is_empty());
        assert!(cited("`[@E1]`").is_empty());
        assert!(cited("```\n[@E1]\n```\n").is_empty());
        assert!(cited("    [@E1]\n").is_empty());
        assert!(cited("\\[@E1]").is_empty());
        assert!(cited("[x](https://e.org/[@E1])").is_empty());
        // The same citation twice is two citations, each at its own place.
        assert_eq!(
            cited("[@E1] a\n\nb [@E1]"),
            vec![("E1".into(), 0), ("E1".into(), 11)]
        );
        // One in code before the real one does not steal its place.
        assert_eq!(cited("`[@E1]` [@E1]"), vec![("E1".into(), 8)]);
    }

    #[test]
    fn measures_depth_without_recursion() {
        assert!(!analyse("- a\n  - b\n").too_deep());
        let deep = ">".repeat(50_000) + " x";
        assert!(analyse(&deep).too_deep());
        let stars = format!("{}x{}", "*".repeat(100), "*".repeat(100));
        assert!(analyse(&stars).too_deep());
        let t = render(&stars, &all);
        assert!(t.typst.contains('x'));
        let t = render(&"*".repeat(200_000), &all);
        assert!(t.typst.len() < 10_000, "cut to what pack lays out");
        let t = render(&deep, &all);
        assert!(t.typst.contains("\\>"), "{}", &t.typst[..40]);
    }

    #[test]
    fn long_paragraphs_are_refused_and_shown_cut() {
        let brackets = "[".repeat(30_000) + "x" + &"](u)".repeat(30_000);
        let a = analyse(&brackets);
        assert!(a.too_long() && !a.too_complex, "{a:?}");
        assert!(render(&brackets, &all).typst.starts_with("\\[\\["));
        let fine = "word [link](u) *em* ".repeat(500);
        assert!(!analyse(&fine).too_long());
        assert!(!analyse(&"word [link](u) *em*\n\n".repeat(20_000)).too_complex);
        // The work budget stops a parse that needs more than it allows.
        let arena = Arena::new();
        let text = "- a *b* [c](d)\n".repeat(5_000);
        assert!(parse_within(&arena, &text, 2).is_none());
        assert!(parse_within(&arena, &text, 1_000_000).is_some());
    }

    #[test]
    fn hostile_text_stays_text_in_typst() {
        let t = render(
            "#read(\"/etc/passwd\") <script>alert(1)</script> {{ x }} 5 * 3 $x$",
            &all,
        );
        assert!(t.typst.contains("\\#read"), "{}", t.typst);
        assert!(!t.typst.contains(" #read"), "{}", t.typst);
        assert!(t.typst.contains("\\$x\\$"));
        assert!(t.typst.contains("5 \\* 3"));
        assert!(!t.html.contains("<script>"), "{}", t.html);
        assert!(!t.md.contains("<script>"), "{}", t.md);
    }

    #[test]
    fn citations_become_links() {
        let t = render("See [@E-2025-014].", &all);
        assert!(
            t.typst.contains("#link(\"pack-anchor:ev-e-2025-014\")"),
            "{}",
            t.typst
        );
        assert!(t.html.contains("href=\"#ev-e-2025-014\""), "{}", t.html);
        assert!(t.md.contains("](#ev-e-2025-014)"), "{}", t.md);
        let t = render("See [@E-9].", &|_| false);
        assert!(!t.typst.contains("#link"), "{}", t.typst);
    }

    #[test]
    fn citations_in_code_links_and_escapes_stay_literal() {
        let t = render("`[@E1]` and\n\n```\n[@E1]\n```\n", &all);
        assert!(!t.typst.contains("label("), "{}", t.typst);
        assert!(!t.html.contains("href"), "{}", t.html);
        assert!(!t.md.contains("](#"), "{}", t.md);
        let t = render("\\[@E1]", &all);
        assert!(!t.html.contains('\\'), "{}", t.html);
        assert!(t.html.contains("[@E1]"), "{}", t.html);
        assert!(!t.typst.contains("label("), "{}", t.typst);
        // A citation inside a link's text is not a link inside a link.
        let t = render(
            "[see [@E1]](https://example.org) <https://x.org/[@E1]>",
            &all,
        );
        assert_eq!(t.html.matches("<a ").count(), 2, "{}", t.html);
        assert!(!t.html.contains('\u{E000}'));
        assert!(!t.typst.contains("label("), "{}", t.typst);
        // A citation-shaped URL stays the URL.
        let t = render("[x](https://e.org/[@E1])", &all);
        assert!(!t.typst.contains('\u{E000}'), "{}", t.typst);
    }

    #[test]
    fn images_are_links_and_footnotes_numbered_notes() {
        let t = render(
            "a ![x](https://t.example/p.gif) ![](https://t.example/q.gif) [![y](https://t.example/l.png)](https://e.org/) b[^N].\n\n[^N]: Note\n",
            &all,
        );
        assert!(!t.html.contains("<img"), "{}", t.html);
        assert!(
            t.html.contains("<a href=\"https://t.example/p.gif\">x</a>"),
            "{}",
            t.html
        );
        assert!(
            t.html.contains(">image: https://t.example/q.gif</a>"),
            "{}",
            t.html
        );
        assert!(
            t.html.contains("<a href=\"https://e.org/\">y</a>"),
            "{}",
            t.html
        );
        assert!(!t.html.contains("l.png"), "{}", t.html);
        assert!(t.html.contains("b<sup>1</sup>."), "{}", t.html);
        assert!(t.html.contains("<p><sup>1</sup> Note</p>"), "{}", t.html);
        assert!(
            !t.html.contains("href=\"Note\"") && !t.html.contains("#fn"),
            "{}",
            t.html
        );
        assert!(t.typst.contains("#super[1]"), "{}", t.typst);
        assert!(
            t.typst.contains("#link(\"https://t.example/p.gif\")[x]"),
            "{}",
            t.typst
        );
        assert!(!t.md.contains("!["), "{}", t.md);
        assert!(t.md.contains("b\\[1\\]."), "{}", t.md);
        assert!(!t.md.contains("[^"), "{}", t.md);
    }

    #[test]
    fn markdown_structure_survives() {
        let t = render(
            "Intro *em* and **strong**.\n\n- one\n  - two\n\n> q\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            &all,
        );
        assert!(t.typst.contains("#emph[em]"));
        assert!(t.typst.contains("#list("));
        // Up to 15 rows: kept on one page (spec section 11).
        assert!(
            t.typst
                .contains("#block(breakable: false, table(columns: 2"),
            "{}",
            t.typst
        );
        assert!(t.html.contains("<table>"));
        let long: String = (0..16).map(|i| format!("| {i} | x |\n")).collect();
        assert!(t.md.contains("- two"), "{}", t.md);
        let t = render(&format!("| a | b |\n|---|---|\n{long}"), &all);
        assert!(t.typst.contains("#table(columns: 2"), "{}", t.typst);
        assert!(!t.typst.contains("breakable: false"), "{}", t.typst);
    }
}
