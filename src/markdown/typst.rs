//! Markdown AST to typst markup. User text never becomes typst code: every
//! text node is escaped, code is a string literal. The walk recurses, which
//! is safe because `render` only calls it on trees no deeper than
//! `MAX_DEPTH`.

use std::fmt::Write as _;

/// A table of at most this many rows is kept on one page (spec section 11).
const SMALL_TABLE: usize = 15;

use comrak::nodes::{AstNode, ListType, NodeValue};

use super::{anchor, spans};

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
            // Line breaks inside a text node are spaces; other controls are dropped.
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
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
            '\t' => out.push_str("\\t"),
            // Not escaped (typst would decode the escape back into a character
            // no font has): shown as the replacement character.
            c if c.is_control() => out.push(crate::fonts::REPLACEMENT),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

struct Walk<'k> {
    out: String,
    known: &'k dyn Fn(&str) -> bool,
    /// Inside a link: citations are text there, never a link in a link.
    in_link: bool,
}

pub fn render<'a>(root: &'a AstNode<'a>, known: &dyn Fn(&str) -> bool) -> String {
    let mut w = Walk {
        out: String::new(),
        known,
        in_link: false,
    };
    w.block_children(root);
    w.out.trim().to_owned()
}

impl Walk<'_> {
    fn nested(&mut self, f: impl FnOnce(&mut Self)) -> String {
        let saved = std::mem::take(&mut self.out);
        f(self);
        let inner = std::mem::replace(&mut self.out, saved);
        inner.trim().to_owned()
    }

    fn block_children<'a>(&mut self, node: &'a AstNode<'a>) {
        for child in node.children() {
            self.block(child);
        }
    }

    fn block<'a>(&mut self, node: &'a AstNode<'a>) {
        let value = node.data.borrow().value.clone();
        match value {
            NodeValue::Paragraph => {
                self.inline_children(node);
                self.out.push_str("\n\n");
            }
            NodeValue::Heading(_) => {
                // Narrative headings must not disturb the pack's outline.
                let inner = self.nested(|w| w.inline_children(node));
                let _ = write!(
                    self.out,
                    "#block(above: 1em, below: 0.6em, strong[{inner}])\n\n"
                );
            }
            NodeValue::List(list) => {
                let ordered = list.list_type == ListType::Ordered;
                self.out.push_str(if ordered { "#enum(" } else { "#list(" });
                if ordered {
                    let _ = write!(self.out, "start: {}, ", list.start.clamp(1, 1_000_000));
                }
                for item in node.children() {
                    let inner = self.nested(|w| w.block_children(item));
                    let _ = write!(self.out, "[{inner}], ");
                }
                self.out.push_str(")\n\n");
            }
            NodeValue::BlockQuote | NodeValue::MultilineBlockQuote(_) | NodeValue::Alert(_) => {
                let inner = self.nested(|w| w.block_children(node));
                let _ = write!(self.out, "#quote(block: true)[{inner}]\n\n");
            }
            NodeValue::CodeBlock(cb) => {
                let _ = write!(
                    self.out,
                    "#raw(block: true, {})\n\n",
                    typst_str(cb.literal.trim_end())
                );
            }
            NodeValue::HtmlBlock(h) => {
                let _ = write!(
                    self.out,
                    "#raw(block: true, {})\n\n",
                    typst_str(h.literal.trim_end())
                );
            }
            NodeValue::ThematicBreak => self
                .out
                .push_str("#line(length: 100%, stroke: 0.5pt + gray)\n\n"),
            NodeValue::Table(t) => {
                // A table of up to 15 rows below its header is never split
                // across pages (spec section 11); said here rather than by
                // a `show table` rule, which typst would run for every table
                // of the pack.
                let whole = node.children().count() <= SMALL_TABLE + 1;
                if whole {
                    self.out.push_str("#block(breakable: false, ");
                } else {
                    self.out.push('#');
                }
                let _ = write!(
                    self.out,
                    "table(columns: {}, stroke: 0.5pt + gray, inset: 5pt, ",
                    t.num_columns.max(1)
                );
                for (i, row) in node.children().enumerate() {
                    if i == 0 {
                        self.out.push_str("table.header(");
                    }
                    let mut cells = 0;
                    for cell in row.children() {
                        let inner = self.nested(|w| w.inline_children(cell));
                        if i == 0 {
                            let _ = write!(self.out, "[*{inner}*], ");
                        } else {
                            let _ = write!(self.out, "[{inner}], ");
                        }
                        cells += 1;
                    }
                    // typst needs full rows.
                    for _ in cells..t.num_columns {
                        self.out.push_str("[], ");
                    }
                    if i == 0 {
                        self.out.push_str("), ");
                    }
                }
                self.out.push_str(if whole { "))\n\n" } else { ")\n\n" });
            }
            _ => {
                // Anything else (footnote definitions, description lists...): its text.
                let inner = self.nested(|w| w.inline_children(node));
                if !inner.is_empty() {
                    self.out.push_str(&inner);
                    self.out.push_str("\n\n");
                }
            }
        }
    }

    fn inline_children<'a>(&mut self, node: &'a AstNode<'a>) {
        for child in node.children() {
            self.inline(child);
        }
    }

    fn wrapped<'a>(&mut self, open: &str, node: &'a AstNode<'a>) {
        self.out.push_str(open);
        self.inline_children(node);
        self.out.push(']');
    }

    fn inline<'a>(&mut self, node: &'a AstNode<'a>) {
        let value = node.data.borrow().value.clone();
        match value {
            NodeValue::Text(t) => self.text(&t),
            NodeValue::SoftBreak => self.out.push(' '),
            NodeValue::LineBreak => self.out.push_str("\\ "),
            NodeValue::Code(c) => {
                let _ = write!(self.out, "#raw({})", typst_str(&c.literal));
            }
            NodeValue::HtmlInline(h) => self.out.push_str(&typst_escape(&h)),
            NodeValue::Emph => self.wrapped("#emph[", node),
            NodeValue::Strong => self.wrapped("#strong[", node),
            NodeValue::Strikethrough => self.wrapped("#strike[", node),
            NodeValue::Superscript => self.wrapped("#super[", node),
            NodeValue::Link(l) => {
                let safe = (l.url.starts_with("https://")
                    || l.url.starts_with("http://")
                    || l.url.starts_with("mailto:"))
                    && l.url.len() <= super::MAX_URL;
                if safe && !self.in_link {
                    let _ = write!(self.out, "#link({})[", typst_str(&l.url));
                    self.in_link = true;
                    self.inline_children(node);
                    self.in_link = false;
                    self.out.push(']');
                } else {
                    self.inline_children(node);
                }
            }
            // Images are links by now (`tidy`); anything else: its text.
            _ => self.inline_children(node),
        }
    }

    fn text(&mut self, t: &str) {
        let mut last = 0;
        for (start, end, id) in spans(t) {
            self.out.push_str(&typst_escape(&t[last..start]));
            if !self.in_link && (self.known)(id) {
                let _ = write!(
                    self.out,
                    "#link({})[{}]",
                    typst_str(&format!("{}{}", crate::render::ANCHOR_LINK, anchor(id))),
                    typst_escape(&format!("[{id}]"))
                );
            } else {
                self.out.push_str(&typst_escape(&t[start..end]));
            }
            last = end;
        }
        self.out.push_str(&typst_escape(&t[last..]));
    }
}
