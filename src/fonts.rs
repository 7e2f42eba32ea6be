//! The fonts embedded in pack, and which characters they can show.
//!
//! typst falls back through every embedded font for a character the main
//! font lacks; a character no font has would make the PDF/UA export fail.
//! `check` warns about such characters (`unsupported-character`) at the
//! user's line, and the PDF renderer shows a replacement for each, so that a
//! pack builds for any text a user can type.

use std::borrow::Cow;
use std::sync::OnceLock;

/// Every embedded font: Liberation (the pack's look) first, then the
/// fallbacks for symbols, scripts and emoji. Sizes and sources are in
/// `assets/fonts/README.md`.
pub const FONTS: &[&[u8]] = &[
    include_bytes!("../assets/fonts/LiberationSans-Regular.ttf"),
    include_bytes!("../assets/fonts/LiberationSans-Bold.ttf"),
    include_bytes!("../assets/fonts/LiberationSans-Italic.ttf"),
    include_bytes!("../assets/fonts/LiberationSans-BoldItalic.ttf"),
    include_bytes!("../assets/fonts/LiberationMono-Regular.ttf"),
    include_bytes!("../assets/fonts/NotoSans-Regular-subset.ttf"),
    include_bytes!("../assets/fonts/NotoSansSymbols2-Regular-subset.ttf"),
    include_bytes!("../assets/fonts/NotoSansSymbols-Regular-subset.ttf"),
    include_bytes!("../assets/fonts/NotoSansMath-Regular-subset.ttf"),
    include_bytes!("../assets/fonts/NotoSansMono-Regular-subset.ttf"),
    include_bytes!("../assets/fonts/NotoSansArabic-Regular-subset.ttf"),
    include_bytes!("../assets/fonts/NotoSansDevanagari-Regular-subset.ttf"),
    include_bytes!("../assets/fonts/NotoSansCJKsc-Regular-subset.otf"),
    include_bytes!("../assets/fonts/NotoEmoji-Regular.ttf"),
];

/// What stands in for a character no font has.
pub const REPLACEMENT: char = '\u{FFFD}';

/// Sorted, merged ranges of the code points some embedded font maps.
fn coverage() -> &'static [(u32, u32)] {
    static COVERAGE: OnceLock<Vec<(u32, u32)>> = OnceLock::new();
    COVERAGE.get_or_init(|| {
        let mut points: Vec<u32> = Vec::new();
        for bytes in FONTS {
            let count = ttf_parser::fonts_in_collection(bytes).unwrap_or(1);
            for index in 0..count {
                let Ok(face) = ttf_parser::Face::parse(bytes, index) else {
                    continue;
                };
                let Some(cmap) = face.tables().cmap else {
                    continue;
                };
                for sub in cmap.subtables {
                    if sub.is_unicode() {
                        sub.codepoints(|c| {
                            if sub.glyph_index(c).is_some_and(|g| g.0 != 0) {
                                points.push(c);
                            }
                        });
                    }
                }
            }
        }
        points.sort_unstable();
        points.dedup();
        let mut ranges: Vec<(u32, u32)> = Vec::new();
        for p in points {
            match ranges.last_mut() {
                Some((_, end)) if *end + 1 == p => *end = p,
                _ => ranges.push((p, p)),
            }
        }
        ranges
    })
}

/// Characters with no glyph of their own that shaping drops or uses
/// invisibly (joiners, variation selectors, bidirectional marks): never a
/// problem, whether a font maps them or not.
fn is_default_ignorable(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

fn is_private_use(c: char) -> bool {
    matches!(c as u32, 0xE000..=0xF8FF | 0xF_0000..=0xF_FFFD | 0x10_0000..=0x10_FFFD)
}

/// Invisible characters that PDF/UA forbids in text (U+FEFF, the byte
/// order mark used as a zero-width no-break space): dropped from the PDF
/// without a word, as they show nothing anyway.
fn dropped(c: char) -> bool {
    c == '\u{FEFF}' || c == '\r'
}

/// Whether the embedded fonts can show `c` (line breaks and tabs count).
pub fn can_show(c: char) -> bool {
    if c == '\n' || c == '\t' || (c.is_ascii() && !c.is_ascii_control()) {
        return true;
    }
    // PDF/UA forbids private-use characters whatever a font maps there.
    if c.is_control() || is_private_use(c) {
        return false;
    }
    if is_default_ignorable(c) {
        return true;
    }
    let c = c as u32;
    let ranges = coverage();
    let i = ranges.partition_point(|(_, end)| *end < c);
    ranges.get(i).is_some_and(|(start, _)| *start <= c)
}

/// Maximal runs of characters the fonts cannot show: (byte start, byte end).
pub fn unsupported_runs(text: &str) -> Vec<(usize, usize)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    if text
        .bytes()
        .all(|b| (0x20..0x7F).contains(&b) || b == b'\n' || b == b'\t')
    {
        return runs;
    }
    for (i, c) in text.char_indices() {
        if c == '\r' || can_show(c) {
            continue;
        }
        let end = i + c.len_utf8();
        match runs.last_mut() {
            Some((_, e)) if *e == i => *e = end,
            _ => runs.push((i, end)),
        }
    }
    runs
}

/// `text` with every character the fonts cannot show replaced (carriage
/// returns and U+FEFF dropped), for the PDF.
pub fn displayable(text: &str) -> Cow<'_, str> {
    if unsupported_runs(text).is_empty() && !text.chars().any(dropped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if dropped(c) {
            continue;
        } else if can_show(c) {
            out.push(c);
        } else {
            out.push(REPLACEMENT);
        }
    }
    Cow::Owned(out)
}

/// The characters of a run as a user can look them up: `✓ (U+2713)`.
pub fn describe(run: &str) -> String {
    run.chars()
        .take(8)
        .map(|c| {
            if c.is_control() {
                format!("U+{:04X}", c as u32)
            } else {
                format!("{c} (U+{:04X})", c as u32)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
        + if run.chars().count() > 8 { ", ..." } else { "" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn liberation_covers_latin_greek_cyrillic_hebrew() {
        for c in "aé€£ΩЖש–“”•".chars() {
            assert!(can_show(c), "{c}");
        }
        assert!(can_show(REPLACEMENT));
        assert!(can_show('\u{200D}'));
        assert!(!can_show('\u{E000}'));
        assert!(!can_show('\u{1B}'));
    }

    #[test]
    fn replaces_what_no_font_has() {
        assert_eq!(displayable("plain"), "plain");
        assert_eq!(displayable("a\u{E000}b\u{1B}c"), "a\u{FFFD}b\u{FFFD}c");
        assert_eq!(unsupported_runs("x\u{E000}\u{E001}y"), vec![(1, 7)]);
        assert_eq!(displayable("a\u{FEFF}b\u{FFFE}"), "ab\u{FFFD}");
        assert!(
            !can_show('\u{F8FF}'),
            "private use, even where a font maps it"
        );
    }
}
