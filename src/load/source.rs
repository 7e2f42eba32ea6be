//! Source texts kept for snippets, and byte offsets turned into places.

use std::collections::BTreeMap;

use crate::finding::Pos;

/// Every text file pack read, by its path relative to the root, and how
/// many it could not read (for the counts every summary gives).
#[derive(Debug, Default, Clone)]
pub struct Sources {
    texts: BTreeMap<String, String>,
    unreadable: Unreadable,
}

/// The YAML files pack could not read (or that lost their item), counted
/// so that a summary says "8 of 9 areas", not "8 of 8".
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub plan: bool,
    /// Area and evidence files, by path.
    pub areas: Vec<String>,
    pub evidence: Vec<String>,
}

impl Unreadable {
    pub fn total(&self) -> usize {
        usize::from(self.plan) + self.areas.len() + self.evidence.len()
    }

    /// "1 area file and 2 evidence files could not be read", or None.
    pub fn words(&self) -> Option<String> {
        let count = |n: usize, what: &str| {
            (n > 0).then(|| format!("{n} {what} file{}", if n == 1 { "" } else { "s" }))
        };
        let parts: Vec<String> = [
            self.plan.then(|| "plan/plan.yaml".to_owned()),
            count(self.areas.len(), "area"),
            count(self.evidence.len(), "evidence"),
        ]
        .into_iter()
        .flatten()
        .collect();
        let (last, rest) = parts.split_last()?;
        let list = if rest.is_empty() {
            last.clone()
        } else {
            format!("{} and {last}", rest.join(", "))
        };
        Some(format!("{list} could not be read"))
    }
}

impl Sources {
    pub fn set_unreadable(&mut self, unreadable: Unreadable) {
        self.unreadable = unreadable;
    }

    pub fn unreadable(&self) -> &Unreadable {
        &self.unreadable
    }

    pub fn insert(&mut self, file: String, text: String) {
        self.texts.insert(file, text);
    }

    pub fn get(&self, file: &str) -> Option<&str> {
        self.texts.get(file).map(String::as_str)
    }
}

/// The 1-based line and character column of byte `offset` in `text`.
pub fn pos_at(text: &str, offset: usize) -> Pos {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let mut start = line_start;
    // Do not count a BOM on the first line as a column.
    if line == 1 && text.starts_with('\u{feff}') {
        start = 3.min(offset);
    }
    let column = text
        .get(start..offset)
        .map_or(offset - start, |s| s.chars().count())
        + 1;
    Pos::new(line as u32, column as u32)
}

/// Where `needle` first appears in `text` at or after byte `from`.
pub fn find_from(text: &str, from: usize, needle: &str) -> Option<Pos> {
    let from = from.min(text.len());
    let from = (from..=text.len()).find(|i| text.is_char_boundary(*i))?;
    text[from..].find(needle).map(|i| pos_at(text, from + i))
}

/// Where the `n`-th (0-based) occurrence of `needle` is in `text` at or
/// after byte `from`.
pub fn find_nth_from(text: &str, from: usize, needle: &str, n: usize) -> Option<Pos> {
    let from = from.min(text.len());
    let from = (from..=text.len()).find(|i| text.is_char_boundary(*i))?;
    if needle.is_empty() {
        return None;
    }
    text[from..]
        .match_indices(needle)
        .nth(n)
        .map(|(i, _)| pos_at(text, from + i))
}

/// The line `n` (1-based) of `text`, without its line ending.
pub fn line(text: &str, n: u32) -> Option<&str> {
    text.split('\n')
        .nth(n.saturating_sub(1) as usize)
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let t = "a: 1\nbé: [@X]\n";
        let off = t.find("[@X]").unwrap();
        assert_eq!(pos_at(t, off), Pos::new(2, 5));
        assert_eq!(find_from(t, 0, "[@X]"), Some(Pos::new(2, 5)));
        assert_eq!(line("a\r\nb", 1), Some("a"));
    }
}
