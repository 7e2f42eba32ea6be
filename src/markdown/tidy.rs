//! What user Markdown may not become in any output, rewritten in the tree
//! before any format is made from it:
//!
//! - an image (`![x](https://tracker.example/p.gif)`) would make every
//!   reader's browser fetch an address the author chose (a tracking pixel),
//!   and a local one would not travel with the pack: it becomes a link to
//!   the image, its alt text the link's text;
//! - a footnote (`[^Note]` and `[^Note]: text`) becomes a superscript
//!   number and a paragraph starting with the same number, so that no
//!   output makes a link (to `#fn-...` ids that would clash between the
//!   many texts of one page, or to a wrongly read link definition).
//!
//! Raw HTML (`<img>`, `<iframe>`, `style` with `url()`, `srcset`) never
//! needs this: every format shows it as text (see `options` and `web`).

use comrak::Arena;
use comrak::nodes::{Ast, AstNode, NodeValue};

pub fn tidy<'a>(arena: &'a Arena<'a>, root: &'a AstNode<'a>) {
    // Collect first, then rewrite: the tree must not change under the walk.
    let mut images = Vec::new();
    let mut references = Vec::new();
    let mut definitions = Vec::new();
    for node in root.descendants() {
        match &node.data.borrow().value {
            NodeValue::Image(_) => images.push(node),
            NodeValue::FootnoteReference(r) => references.push((node, r.ix)),
            NodeValue::FootnoteDefinition(_) => definitions.push(node),
            _ => {}
        }
    }
    let new = |node: &'a AstNode<'a>, value: NodeValue| -> &'a AstNode<'a> {
        let sourcepos = node.data.borrow().sourcepos;
        arena.alloc(Ast::new_with_sourcepos(value, sourcepos).into())
    };
    for image in images {
        image_as_link(image, &new);
    }
    for (reference, ix) in references {
        reference.insert_before(number(reference, ix, &new));
        reference.detach();
    }
    // comrak moves the definitions that are referred to to the end of the
    // document, in the order of their numbers, and drops the others.
    for (k, definition) in definitions.into_iter().enumerate() {
        let mark = number(definition, k as u32 + 1, &new);
        let space = new(definition, NodeValue::Text(" ".into()));
        let first = definition.first_child();
        match first {
            Some(p) if matches!(p.data.borrow().value, NodeValue::Paragraph) => {
                p.prepend(space);
                p.prepend(mark);
            }
            _ => {
                let p = new(definition, NodeValue::Paragraph);
                p.append(mark);
                definition.prepend(p);
            }
        }
        let children: Vec<_> = definition.children().collect();
        for child in children {
            definition.insert_before(child);
        }
        definition.detach();
    }
}

/// The superscript number of a footnote.
fn number<'a>(
    at: &'a AstNode<'a>,
    ix: u32,
    new: &dyn Fn(&'a AstNode<'a>, NodeValue) -> &'a AstNode<'a>,
) -> &'a AstNode<'a> {
    let sup = new(at, NodeValue::Superscript);
    sup.append(new(at, NodeValue::Text(ix.to_string().into())));
    sup
}

/// An image becomes a link to it; inside a link (a linked image) only its
/// alt text stays, as the outer link's text: a link in a link is no link.
fn image_as_link<'a>(
    image: &'a AstNode<'a>,
    new: &dyn Fn(&'a AstNode<'a>, NodeValue) -> &'a AstNode<'a>,
) {
    let NodeValue::Image(link) = image.data.borrow().value.clone() else {
        return;
    };
    let in_link = image
        .ancestors()
        .skip(1)
        .any(|a| matches!(a.data.borrow().value, NodeValue::Link(_)));
    let alt: Vec<_> = image.children().collect();
    if in_link {
        if alt.is_empty() {
            image.insert_before(new(image, NodeValue::Text("image".into())));
        }
        for child in alt {
            image.insert_before(child);
        }
        image.detach();
        return;
    }
    if alt.is_empty() {
        // A link needs a name a reader (and a screen reader) can follow.
        image.append(new(
            image,
            NodeValue::Text(format!("image: {}", link.url).into()),
        ));
    }
    image.data.borrow_mut().value = NodeValue::Link(link);
}
