//! Abbreviations in family text: a word with two or more capital letters
//! (SEND, EHC, EHCPs, KS2). A family meeting one needs it explained where it
//! is first used, as `words (ABBR)` or `ABBR (words)`, or in the glossary.

/// One use of an abbreviation in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Abbreviation<'a> {
    /// Byte offset in the text.
    pub start: usize,
    /// As written: `EHCPs`.
    pub text: &'a str,
    /// Explained right here, in brackets before or after it.
    pub explained: bool,
}

impl Abbreviation<'_> {
    /// The abbreviation without a plural `s`: `EHCPs` is `EHCP`.
    pub fn base(&self) -> &str {
        base(self.text)
    }
}

/// `EHCPs` as `EHCP`: one abbreviation whether singular or plural.
pub fn base(abbr: &str) -> &str {
    abbr.strip_suffix('s').unwrap_or(abbr)
}

/// Every abbreviation in `text`, in order. Web addresses are not read.
pub fn abbreviations(text: &str) -> Vec<Abbreviation<'_>> {
    let mut out = Vec::new();
    let mut word_start: Option<usize> = None;
    let bytes_end = text.len();
    let mut chunk_is_address = false;
    let mut prev_space = true;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if prev_space {
            let chunk_end = text[i..]
                .find(char::is_whitespace)
                .map_or(bytes_end, |e| i + e);
            chunk_is_address = text[i..chunk_end].contains("://");
        }
        prev_space = c.is_whitespace();
        if c.is_alphanumeric() {
            word_start.get_or_insert(i);
        }
        let at_end = iter.peek().is_none_or(|(_, n)| !n.is_alphanumeric());
        if let (Some(s), true) = (word_start, c.is_alphanumeric() && at_end) {
            let end = i + c.len_utf8();
            let word = &text[s..end];
            if !chunk_is_address && is_abbreviation(word) {
                out.push(Abbreviation {
                    start: s,
                    text: word,
                    explained: explained(text, s, end),
                });
            }
            word_start = None;
        }
    }
    out
}

/// Two or more capitals, and no small letter but a final plural `s`.
fn is_abbreviation(word: &str) -> bool {
    let w = base(word);
    w.chars().filter(char::is_ascii_uppercase).count() >= 2 && !w.chars().any(char::is_lowercase)
}

/// `ABBR (words)` or `words (ABBR)` at `start..end` of `text`.
fn explained(text: &str, start: usize, end: usize) -> bool {
    let after = text[end..].trim_start();
    if let Some(inner) = after.strip_prefix('(')
        && let Some(close) = inner.find(')')
        && has_words(&inner[..close])
    {
        return true;
    }
    let before = text[..start].trim_end();
    if let Some(lead) = before.strip_suffix('(')
        && after.starts_with(')')
    {
        let lead = lead.trim_end();
        return lead.chars().last().is_some_and(char::is_alphabetic);
    }
    false
}

/// Holds at least one word in small letters: an explanation, not `(A1)`.
fn has_words(s: &str) -> bool {
    s.split_whitespace()
        .any(|w| w.chars().filter(|c| c.is_lowercase()).count() >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&str, bool)> {
        abbreviations(text)
            .iter()
            .map(|a| (a.text, a.explained))
            .collect()
    }

    #[test]
    fn finds_abbreviations_and_their_explanations() {
        assert_eq!(
            found("An education, health and care plan (EHCP) helps. EHCPs are long."),
            [("EHCP", true), ("EHCPs", false)]
        );
        assert_eq!(
            found("SEND (special educational needs) matters"),
            [("SEND", true)]
        );
        assert_eq!(found("We asked the NHS about it."), [("NHS", false)]);
        assert_eq!(found("Year 6 and KS2 and I and A1"), [("KS2", false)]);
        // A bracket with no words in it explains nothing.
        assert_eq!(found("ADHD (A8) waits"), [("ADHD", false)]);
        // Addresses are not text a family reads as words.
        assert!(found("See https://example.org/SEND/EHC for more").is_empty());
        assert!(
            found("Sentence Case And OK.")
                .iter()
                .any(|(a, _)| *a == "OK")
        );
        assert_eq!(base("EHCPs"), "EHCP");
    }
}
