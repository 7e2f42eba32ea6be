//! Markdown AST to HTML and to GitHub-flavoured Markdown, through comrak's
//! own formatters (which walk the tree iteratively) after citations have
//! been turned into links in the tree itself.

use comrak::nodes::{Ast, AstNode, NodeLink, NodeValue};
use comrak::{Arena, Options};

use super::{anchor, spans};

/// Replaces each citation in a text node by a link to the item's entry
/// (or leaves it as text: unknown ids, and citations already inside a link).
pub fn link_citations<'a>(
    arena: &'a Arena<'a>,
    root: &'a AstNode<'a>,
    known: &dyn Fn(&str) -> bool,
) {
    // Collect first, then rewrite: the tree must not change under the walk.
    let mut texts = Vec::new();
    let mut stack = vec![(root, false)];
    while let Some((node, in_link)) = stack.pop() {
        let is_link = matches!(
            node.data.borrow().value,
            NodeValue::Link(_) | NodeValue::Image(_)
        );
        if let NodeValue::Text(t) = &node.data.borrow().value
            && !in_link
            && t.contains("[@")
        {
            texts.push(node);
        }
        stack.extend(node.children().map(|c| (c, in_link || is_link)));
    }
    for node in texts {
        let text = match &node.data.borrow().value {
            NodeValue::Text(t) => t.to_string(),
            _ => continue,
        };
        let sourcepos = node.data.borrow().sourcepos;
        let mut last = 0;
        let mut pieces: Vec<&'a AstNode<'a>> = Vec::new();
        let new = |value: NodeValue| -> &'a AstNode<'a> {
            arena.alloc(Ast::new_with_sourcepos(value, sourcepos).into())
        };
        for (start, end, id) in spans(&text) {
            if !known(id) {
                continue;
            }
            if start > last {
                pieces.push(new(NodeValue::Text(text[last..start].to_owned().into())));
            }
            let link = new(NodeValue::Link(Box::new(NodeLink {
                url: format!("#{}", anchor(id)),
                title: String::new(),
            })));
            link.append(new(NodeValue::Text(format!("[{id}]").into())));
            pieces.push(link);
            last = end;
        }
        if pieces.is_empty() {
            continue;
        }
        if last < text.len() {
            pieces.push(new(NodeValue::Text(text[last..].to_owned().into())));
        }
        for p in pieces {
            node.insert_before(p);
        }
        node.detach();
    }
}

pub fn html<'a>(root: &'a AstNode<'a>, options: &Options) -> String {
    let mut out = String::new();
    if comrak::format_html(root, options, &mut out).is_err() {
        out.clear();
    }
    out
}

/// GitHub-flavoured Markdown. Raw HTML in the source is turned into text
/// first, so that it is shown, never interpreted, wherever the file is read.
pub fn commonmark<'a>(arena: &'a Arena<'a>, root: &'a AstNode<'a>, options: &Options) -> String {
    let mut raw = Vec::new();
    let mut sups = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if matches!(
            node.data.borrow().value,
            NodeValue::HtmlInline(_) | NodeValue::HtmlBlock(_)
        ) {
            raw.push(node);
        }
        if matches!(node.data.borrow().value, NodeValue::Superscript) {
            sups.push(node);
        }
        stack.extend(node.children());
    }
    // GitHub-flavoured Markdown has no superscript: a footnote's number
    // (the only superscript, see `tidy`) is written `[1]`.
    for node in sups {
        let number: String = node
            .descendants()
            .filter_map(|d| match &d.data.borrow().value {
                NodeValue::Text(t) => Some(t.to_string()),
                _ => None,
            })
            .collect();
        let text: &'a AstNode<'a> =
            arena.alloc(NodeValue::Text(format!("[{number}]").into()).into());
        node.insert_before(text);
        node.detach();
    }
    for node in raw {
        let (literal, block) = match &node.data.borrow().value {
            NodeValue::HtmlInline(h) => (h.clone(), false),
            NodeValue::HtmlBlock(h) => (h.literal.trim_end().to_owned(), true),
            _ => continue,
        };
        let text: &'a AstNode<'a> = arena.alloc(NodeValue::Text(literal.into()).into());
        if block {
            let para: &'a AstNode<'a> = arena.alloc(NodeValue::Paragraph.into());
            para.append(text);
            node.insert_before(para);
        } else {
            node.insert_before(text);
        }
        node.detach();
    }
    let mut out = String::new();
    if comrak::format_commonmark(root, options, &mut out).is_err() {
        out.clear();
    }
    out.trim_end().to_owned()
}

/// Escapes text for HTML element content.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            _ => out.push(c),
        }
    }
    out
}
