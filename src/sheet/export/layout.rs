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
/// between words as a spreadsheet wraps it. Counting characters as digits
/// overestimates most text a little, so a row is never too short for it.
pub fn lines(text: &str, width: usize) -> usize {
    let room = width.saturating_sub(PAD).max(1);
    text.split('\n')
        .map(|para| {
            let mut lines = 1;
            let mut used = 0;
            for word in para.split(' ') {
                let len = word.chars().count();
                let need = if used == 0 { len } else { used + 1 + len };
                if need <= room {
                    used = need;
                } else if used == 0 {
                    // A word longer than the column breaks where it must.
                    lines += (len - 1) / room;
                    used = (len - 1) % room + 1;
                } else {
                    lines += 1 + len.saturating_sub(1) / room;
                    used = if len == 0 { 0 } else { (len - 1) % room + 1 };
                }
            }
            lines
        })
        .sum()
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
        // 9 characters of room.
        assert_eq!(lines("one two three", 10), 2);
        assert_eq!(lines("one\ntwo", 10), 2);
        assert_eq!(lines("abcdefghijklmnopqrst", 10), 3);
        assert_eq!(lines("a abcdefghijklmnopqrst", 10), 4);
        assert_eq!(lines("Parent and carer survey, autumn 2025", 20), 2);
        assert_eq!(height([("a", 10), ("one two three", 10)]), 30.0);
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
