//! Column widths and row heights, worked out before the workbook is
//! written: a spreadsheet does not size rows itself when it opens a file
//! (LibreOffice drew wrapped summaries over the rows below), and a printout
//! fitted to one page wide shrinks its type by however wide the print area
//! is. Widths are in characters (a spreadsheet's column unit, the width of
//! a digit), heights in points.

use super::table::{Table, Value};

/// Widest a printed column is sized, in characters; longer text wraps.
const MAX_WIDTH: usize = 60;
/// Widest a column outside the print area is sized: a summary wraps into
/// fewer lines, so that its rows are not taller on paper than the printed
/// columns need.
const MAX_WIDTH_UNPRINTED: usize = 90;
/// The print area's widths add up to at most this many characters, the
/// spreadsheet's own padding of each column (under one character) counted
/// as one. Fitted to one page wide, LibreOffice prints a character of
/// width at about 7.1 pt at 100% (measured: tests/export_print.rs), and A4
/// landscape inside `xlsx`'s margins is 784 pt wide: 136 characters print
/// at about 9 pt, above the 8 pt partners can read, in Excel at 11 pt.
pub const PRINT_BUDGET: usize = 136;
/// Characters of padding a column needs besides its text.
const PAD: usize = 1;
/// Room for the filter button beside a header.
const FILTER_BUTTON: usize = 3;
/// The height of one line of 11 pt type, and the tallest row a
/// spreadsheet holds.
pub const LINE_HEIGHT: f64 = 15.0;
const MAX_HEIGHT: f64 = 409.0;
/// A column is never narrower than this, nor than its longest word up to
/// `MAX_WORD` (an id or a date is not broken across lines).
const MIN_WIDTH: usize = 6;
const MAX_WORD: usize = 14;

/// The width of each column of `table`, in characters.
pub fn widths(table: &Table) -> Vec<usize> {
    let n = table.headers.len();
    let mut natural = Vec::with_capacity(n);
    let mut least = Vec::with_capacity(n);
    for col in 0..n {
        let printed = col < table.print;
        let cap = if printed {
            MAX_WIDTH
        } else {
            MAX_WIDTH_UNPRINTED
        };
        let content = table.rows.iter().map(|r| r[col].width()).max().unwrap_or(0);
        let header = &table.headers[col];
        let header_width = header.chars().count() + FILTER_BUTTON;
        natural.push(content.max(header_width).clamp(MIN_WIDTH, cap) + PAD);
        // Headers wrap between words, values too; neither breaks a word
        // (an id, a date, a number) when there is room to avoid it.
        let word = |s: &str| {
            s.split_whitespace()
                .map(|w| w.chars().count())
                .max()
                .unwrap_or(0)
        };
        let longest_value = table
            .rows
            .iter()
            .map(|r| match &r[col] {
                Value::Date(_) | Value::Number(_) => r[col].width(),
                v => word(&v.as_text()),
            })
            .max()
            .unwrap_or(0)
            .min(MAX_WORD);
        least.push(
            (word(header) + FILTER_BUTTON)
                .max(longest_value)
                .max(MIN_WIDTH)
                + PAD,
        );
    }
    let print = table.print.min(n);
    fit(
        &mut natural[..print],
        &least[..print],
        PRINT_BUDGET.saturating_sub(print),
    );
    natural
}

/// Narrows the widest of `widths` (never below `least`) until they add up
/// to `budget`, or as near as `least` allows.
fn fit(widths: &mut [usize], least: &[usize], budget: usize) {
    if widths.iter().sum::<usize>() <= budget {
        return;
    }
    let at_cap = |cap: usize| -> usize {
        widths
            .iter()
            .zip(least)
            .map(|(w, l)| (*w).min(cap).max(*l))
            .sum()
    };
    // The widest cap that fits: every column above it is cut to it.
    let top = widths.iter().copied().max().unwrap_or(0);
    let cap = (0..=top).rev().find(|c| at_cap(*c) <= budget).unwrap_or(0);
    for (w, l) in widths.iter_mut().zip(least) {
        *w = (*w).min(cap).max(*l);
    }
}

/// How many lines `text` takes in a column `width` characters wide, wrapped
/// between words as a spreadsheet wraps it, each character as wide as
/// Calibri (and Carlito, which LibreOffice prints for it) draws it, and a
/// little more: an estimate on the tall side, so that a row is never too
/// short for its text.
pub fn lines(text: &str, width: usize) -> usize {
    let room = width.saturating_sub(PAD).max(1) as f64;
    let space = char_width(' ');
    text.split('\n')
        .map(|para| {
            let mut lines = 1;
            let mut used = 0.0;
            for word in para.split(' ') {
                let len: f64 = word.chars().map(char_width).sum();
                let need = if used == 0.0 { len } else { used + space + len };
                if need <= room {
                    used = need;
                    continue;
                }
                if used > 0.0 {
                    lines += 1;
                }
                // A word longer than the column breaks where it must.
                let parts = (len / room).ceil().max(1.0);
                lines += parts as usize - 1;
                used = len - (parts - 1.0) * room;
            }
            lines
        })
        .sum()
}

/// How wide a character is drawn, in digits (a column's unit): Calibri's
/// advance widths over its digits', rounded up, and 5% over for safety. Wide characters
/// (CJK, emoji) count two digits, anything else unknown one.
fn char_width(c: char) -> f64 {
    let w = match c {
        ' ' | 'i' | 'l' | 'I' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' => 0.55,
        'j' | 'f' | 't' | 'J' | '(' | ')' | '[' | ']' | '-' => 0.7,
        'r' | 's' | 'z' | 'c' | 'L' | '/' => 0.85,
        'a' | 'e' | 'g' | 'k' | 'v' | 'x' | 'y' | 'E' | 'F' | 'S' | 'T' | 'Y' | 'Z' => 1.0,
        'm' | 'M' | 'w' | 'W' | '@' | '%' => 1.75,
        'A'..='Z' => 1.3,
        '0'..='9' => 1.0,
        c if c.is_ascii() => 1.1,
        c if is_wide(c) => 2.0,
        _ => 1.1,
    };
    w * 1.05
}

/// East Asian wide characters and emoji, drawn two digits wide.
fn is_wide(c: char) -> bool {
    matches!(u32::from(c), 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1FAFF | 0x20000..=0x3FFFD)
}

/// The height of a row of `cells` in columns of `widths`, in points.
pub fn height<'a>(cells: impl IntoIterator<Item = (&'a str, usize)>) -> f64 {
    let most = cells
        .into_iter()
        .map(|(text, width)| {
            if text.is_empty() {
                1
            } else {
                lines(text, width)
            }
        })
        .max()
        .unwrap_or(1)
        .max(1);
    (most as f64 * LINE_HEIGHT).min(MAX_HEIGHT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_wraps_between_words_and_breaks_a_word_too_long() {
        assert_eq!(lines("", 10), 1);
        assert_eq!(lines("short", 10), 1);
        // 9 digits of room: 8 digits (8.4) fit, 9 (9.45) do not.
        assert_eq!(lines("12345678", 10), 1);
        assert_eq!(lines("123456789", 10), 2);
        assert_eq!(lines("12345 6789", 10), 2);
        assert_eq!(lines("1234\n5678", 10), 2);
        // A word three rooms long breaks over three lines, after any other.
        assert_eq!(lines(&"0".repeat(24), 10), 3);
        assert_eq!(lines(&format!("0 {}", "0".repeat(24)), 10), 4);
        // Narrow letters fit more to a line than wide ones.
        assert_eq!(lines("illicit little lilt", 10), 2);
        assert_eq!(lines("MMMMMMMMMM", 10), 3);
        assert_eq!(lines("Parent and carer survey, autumn 2025", 22), 2);
        assert_eq!(height([("a", 10), ("12345 6789", 10)]), 30.0);
        assert_eq!(height([("x ".repeat(1000).as_str(), 3)]), MAX_HEIGHT);
    }

    #[test]
    fn the_widest_printed_columns_narrow_to_the_budget() {
        let mut w = vec![11, 61, 11, 31, 61];
        let least = vec![11, 9, 11, 9, 9];
        fit(&mut w, &least, 100);
        assert_eq!(w, [11, 26, 11, 26, 26]);
        assert!(w.iter().sum::<usize>() <= 100);
        // Never below the least, even over the budget.
        let mut w = vec![20, 20];
        fit(&mut w, &[15, 15], 10);
        assert_eq!(w, [15, 15]);
        // Within the budget: as they were.
        let mut w = vec![10, 20];
        fit(&mut w, &[6, 6], 100);
        assert_eq!(w, [10, 20]);
    }
}
