//! User Markdown (narratives and summaries) rendered once for each target:
//! typst markup, HTML and Markdown. User text never becomes code: every text
//! node is escaped for its target, and `[@ID]` becomes a link to the item's
//! entry in the evidence index.

use std::fmt::Write as _;

use comrak::nodes::{AstNode, ListType, NodeValue};
use comrak::{Arena, Options, parse_document};
use serde::Serialize;

use crate::pii;

/// One piece of user Markdown, ready for every format.
#[derive(Debug, Clone, Serialize, Default, PartialEq)]
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

// Citations travel through the Markdown parser as private-use characters,
// so that comrak never splits or interprets them.
const CITE_OPEN: char = '\u{E000}';
const CITE_CLOSE: char = '\u{E001}';

fn protect_citations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, end, id) in crate::cite::spans(text) {
        out.push_str(&text[last..start]);
        out.push(CITE_OPEN);
        out.push_str(id);
        out.push(CITE_CLOSE);
        last = end;
    }
    out.push_str(&text[last..]);
    out
}

/// Splits `s` into plain pieces and cited ids.
fn pieces(s: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(CITE_OPEN) {
        if i > 0 {
            out.push((false, &rest[..i]));
        }
        let after = &rest[i + CITE_OPEN.len_utf8()..];
        match after.find(CITE_CLOSE) {
            Some(j) => {
                out.push((true, &after[..j]));
                rest = &after[j + CITE_CLOSE.len_utf8()..];
            }
            None => {
                rest = after;
            }
        }
    }
    if !rest.is_empty() {
        out.push((false, rest));
    }
    out
}

fn options() -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    o.render.r#unsafe = false;
    // Raw HTML in user text is shown as text, not dropped and not run.
    o.render.escape = true;
    o
}

/// Renders user Markdown for every target. `known` says whether a cited id
/// is in the pack (an unknown one is shown as plain text).
pub fn render(markdown: &str, known: &dyn Fn(&str) -> bool) -> Text {
    let masked = pii::mask_all(markdown).into_owned();
    let protected = protect_citations(&masked);
    let arena = Arena::new();
    let root = parse_document(&arena, &protected, &options());
    let mut typst = String::new();
    block_children(root, &mut typst, known);
    let html = html(&protected, known);
    let md = md(&masked, known);
    Text {
        markdown: masked,
        typst: typst.trim().to_owned(),
        html,
        md,
    }
}

// ---- typst ----

/// Escapes text so typst shows it literally in markup mode.
pub fn typst_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '#' | '*' | '_' | '`' | '$' | '<' | '>' | '@' | '[' | ']' | '=' | '-' | '+'
            | '/' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\u{E000}' | '\u{E001}' => {}
            _ => out.push(c),
        }
    }
    out
}

/// A typst string literal.
pub fn typst_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

fn block_children<'a>(node: &'a AstNode<'a>, out: &mut String, known: &dyn Fn(&str) -> bool) {
    for child in node.children() {
        block(child, out, known);
    }
}

fn block<'a>(node: &'a AstNode<'a>, out: &mut String, known: &dyn Fn(&str) -> bool) {
    let value = node.data.borrow().value.clone();
    match value {
        NodeValue::Paragraph => {
            inline_children(node, out, known);
            out.push_str("\n\n");
        }
        NodeValue::Heading(_) => {
            // Narrative headings must not disturb the pack's outline.
            out.push_str("#block(above: 1em, below: 0.6em, strong[");
            inline_children(node, out, known);
            out.push_str("])\n\n");
        }
        NodeValue::List(list) => {
            let ordered = list.list_type == ListType::Ordered;
            out.push_str(if ordered { "#enum(" } else { "#list(" });
            if ordered {
                let _ = write!(out, "start: {}, ", list.start.max(1));
            }
            for item in node.children() {
                out.push('[');
                let mut inner = String::new();
                block_children(item, &mut inner, known);
                out.push_str(inner.trim());
                out.push_str("], ");
            }
            out.push_str(")\n\n");
        }
        NodeValue::BlockQuote | NodeValue::MultilineBlockQuote(_) | NodeValue::Alert(_) => {
            out.push_str("#quote(block: true)[");
            let mut inner = String::new();
            block_children(node, &mut inner, known);
            out.push_str(inner.trim());
            out.push_str("]\n\n");
        }
        NodeValue::CodeBlock(cb) => {
            let _ = write!(
                out,
                "#raw(block: true, {})\n\n",
                typst_str(cb.literal.trim_end())
            );
        }
        NodeValue::HtmlBlock(h) => {
            let _ = write!(
                out,
                "#raw(block: true, {})\n\n",
                typst_str(h.literal.trim_end())
            );
        }
        NodeValue::ThematicBreak => out.push_str("#line(length: 100%, stroke: 0.5pt + gray)\n\n"),
        NodeValue::Table(t) => {
            let _ = write!(
                out,
                "#table(columns: {}, stroke: 0.5pt + gray, inset: 5pt, ",
                t.num_columns
            );
            for (i, row) in node.children().enumerate() {
                if i == 0 {
                    out.push_str("table.header(");
                }
                for cell in row.children() {
                    out.push('[');
                    let mut inner = String::new();
                    inline_children(cell, &mut inner, known);
                    if i == 0 {
                        let _ = write!(out, "*{}*", inner.trim());
                    } else {
                        out.push_str(inner.trim());
                    }
                    out.push_str("], ");
                }
                if i == 0 {
                    out.push_str("), ");
                }
            }
            out.push_str(")\n\n");
        }
        _ => {
            // Anything else (footnote definitions, description lists...): its text.
            let mut inner = String::new();
            inline_children(node, &mut inner, known);
            if !inner.trim().is_empty() {
                out.push_str(inner.trim());
                out.push_str("\n\n");
            }
        }
    }
}

fn inline_children<'a>(node: &'a AstNode<'a>, out: &mut String, known: &dyn Fn(&str) -> bool) {
    for child in node.children() {
        inline(child, out, known);
    }
}

fn inline<'a>(node: &'a AstNode<'a>, out: &mut String, known: &dyn Fn(&str) -> bool) {
    let value = node.data.borrow().value.clone();
    match value {
        NodeValue::Text(t) => {
            for (cite, piece) in pieces(&t) {
                if cite && known(piece) {
                    let _ = write!(
                        out,
                        "#link(label({}))[{}]",
                        typst_str(&anchor(piece)),
                        typst_escape(&format!("[{piece}]"))
                    );
                } else if cite {
                    out.push_str(&typst_escape(&format!("[@{piece}]")));
                } else {
                    out.push_str(&typst_escape(piece));
                }
            }
        }
        NodeValue::SoftBreak => out.push(' '),
        NodeValue::LineBreak => out.push_str("\\ "),
        NodeValue::Code(c) => {
            let _ = write!(out, "#raw({})", typst_str(&c.literal));
        }
        NodeValue::HtmlInline(h) => out.push_str(&typst_escape(&h)),
        NodeValue::Emph => {
            out.push_str("#emph[");
            inline_children(node, out, known);
            out.push(']');
        }
        NodeValue::Strong => {
            out.push_str("#strong[");
            inline_children(node, out, known);
            out.push(']');
        }
        NodeValue::Strikethrough => {
            out.push_str("#strike[");
            inline_children(node, out, known);
            out.push(']');
        }
        NodeValue::Link(l) => {
            let safe = l.url.starts_with("https://")
                || l.url.starts_with("http://")
                || l.url.starts_with("mailto:");
            if safe {
                let _ = write!(out, "#link({})[", typst_str(&l.url));
                inline_children(node, out, known);
                out.push(']');
            } else {
                inline_children(node, out, known);
            }
        }
        NodeValue::Image(_) => {
            // Images from user text are not embedded: their alt text stands in.
            inline_children(node, out, known);
        }
        _ => inline_children(node, out, known),
    }
}

// ---- HTML ----

fn html(protected: &str, known: &dyn Fn(&str) -> bool) -> String {
    let rendered = comrak::markdown_to_html(protected, &options());
    let mut out = String::with_capacity(rendered.len());
    for (cite, piece) in pieces(&rendered) {
        if cite && known(piece) {
            let _ = write!(
                out,
                "<a class=\"cite\" href=\"#{}\">[{}]</a>",
                anchor(piece),
                piece
            );
        } else if cite {
            let _ = write!(out, "[@{piece}]");
        } else {
            out.push_str(piece);
        }
    }
    out
}

// ---- Markdown ----

fn md(masked: &str, known: &dyn Fn(&str) -> bool) -> String {
    // Raw HTML in user text is shown literally, never interpreted.
    let escaped = masked.replace('<', "&lt;").replace('>', "&gt;");
    let escaped = escaped
        .lines()
        .map(|l| {
            let t = l.trim_start();
            if let Some(rest) = t.strip_prefix("&gt;") {
                // A quote marker at the start of a line stays a quote.
                let indent = &l[..l.len() - t.len()];
                format!("{indent}>{rest}")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = String::with_capacity(escaped.len());
    let mut last = 0;
    for (start, end, id) in crate::cite::spans(&escaped) {
        out.push_str(&escaped[last..start]);
        if known(id) {
            let _ = write!(out, "[\\[{id}\\]](#{})", anchor(id));
        } else {
            let _ = write!(out, "\\[@{id}\\]");
        }
        last = end;
    }
    out.push_str(&escaped[last..]);
    // A lone `{{` cannot reach a template engine from here, but keep it inert anyway.
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(_: &str) -> bool {
        true
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
        assert!(
            t.html.contains("&lt;script&gt;") || !t.html.contains("<script>"),
            "{}",
            t.html
        );
        assert!(!t.md.contains("<script>"));
    }

    #[test]
    fn citations_become_links() {
        let t = render("See [@E-2025-014].", &all);
        assert!(
            t.typst.contains("#link(label(\"ev-e-2025-014\"))"),
            "{}",
            t.typst
        );
        assert!(t.html.contains("href=\"#ev-e-2025-014\""), "{}", t.html);
        assert!(t.md.contains("](#ev-e-2025-014)"), "{}", t.md);
        let t = render("See [@E-9].", &|_| false);
        assert!(!t.typst.contains("#link"), "{}", t.typst);
    }

    #[test]
    fn markdown_structure_survives() {
        let t = render(
            "Intro *em* and **strong**.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            &all,
        );
        assert!(t.typst.contains("#emph[em]"));
        assert!(t.typst.contains("#list("));
        assert!(t.typst.contains("#table(columns: 2"));
        assert!(t.html.contains("<table>"));
    }
}
