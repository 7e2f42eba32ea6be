//! Citations: `[@ID]` in Markdown bound for the pack.

/// The ids cited in `text`, in order.
pub fn ids(text: &str) -> Vec<&str> {
    spans(text).into_iter().map(|(_, _, id)| id).collect()
}

/// `(start, end, id)` of every `[@ID]` in `text` (byte offsets of the brackets).
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

#[cfg(test)]
mod tests {
    #[test]
    fn finds_citations() {
        assert_eq!(
            super::ids("see [@E-2025-014] and [@A.b_1]."),
            vec!["E-2025-014", "A.b_1"]
        );
        assert!(super::ids("[@] [@ x] [x] @E").is_empty());
        assert_eq!(super::ids("[@E-1 [@E-2]"), vec!["E-2"]);
    }
}
