//! The plain text of each paragraph of user Markdown, for judging how easy
//! it is to read: markup, link addresses and code fences are not words a
//! reader meets; a list item or a heading is a paragraph of its own.

use comrak::Arena;
use comrak::nodes::NodeValue;

/// Each paragraph, heading and table cell as plain text, in order. Text
/// too complex to parse is read as one paragraph per blank-line block.
pub fn paragraphs(markdown: &str) -> Vec<String> {
    let arena = Arena::new();
    let Some(root) = super::parse(&arena, markdown) else {
        return markdown
            .split("\n\n")
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|p| !p.is_empty())
            .collect();
    };
    let mut out = Vec::new();
    // `descendants` walks without recursion: nesting depth is user input.
    for node in root.descendants() {
        let is_block = matches!(
            node.data.borrow().value,
            NodeValue::Paragraph | NodeValue::Heading(_) | NodeValue::TableCell
        );
        if !is_block {
            continue;
        }
        let mut text = String::new();
        for inner in node.descendants().skip(1) {
            match &inner.data.borrow().value {
                NodeValue::Text(t) => text.push_str(t),
                NodeValue::Code(c) => text.push_str(&c.literal),
                NodeValue::SoftBreak | NodeValue::LineBreak => text.push(' '),
                _ => {}
            }
        }
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            out.push(text);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::paragraphs;

    #[test]
    fn reads_words_not_markup() {
        let md = "We **listen**.\nWe [act](https://example.org/a.b).\n\n- One item.\n- Two\n  items.\n\n## A heading";
        assert_eq!(
            paragraphs(md),
            ["We listen. We act.", "One item.", "Two items.", "A heading"]
        );
    }
}
