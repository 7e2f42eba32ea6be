//! How much room a label's text takes, measured on the font the charts name
//! first (Liberation Sans, which pack embeds for the PDF and which has
//! Arial's widths). Measured on the bold face whatever the weight, and
//! rounded up, so that a box is never smaller than the text a browser or
//! typst draws in it: labels kept apart by their boxes stay apart on paper.

use std::sync::OnceLock;

/// Over the measured width: room for hinting, kerning-free shaping and a
/// fallback font a little wider than Liberation.
const SLACK: f64 = 1.08;
/// A character the face lacks (another script, an emoji): as wide as the em.
const UNKNOWN_EM: f64 = 1.0;
/// Above the baseline and below it, in ems: Liberation's ascender (0.905)
/// and descender (0.212), rounded up. A browser's text box is this tall.
pub const ASCENT_EM: f64 = 0.95;
pub const DESCENT_EM: f64 = 0.25;

fn face() -> Option<&'static ttf_parser::Face<'static>> {
    static FACE: OnceLock<Option<ttf_parser::Face<'static>>> = OnceLock::new();
    FACE.get_or_init(|| ttf_parser::Face::parse(crate::fonts::FONTS[1], 0).ok())
        .as_ref()
}

/// A character's advance in ems.
fn advance_em(c: char) -> f64 {
    let Some(face) = face() else {
        return UNKNOWN_EM;
    };
    let per_em = f64::from(face.units_per_em().max(1));
    face.glyph_index(c)
        .and_then(|g| face.glyph_hor_advance(g))
        .map_or(UNKNOWN_EM, |a| f64::from(a) / per_em)
}

/// The width of `text` at `size` px, rounded up.
pub fn width(text: &str, size: f64) -> f64 {
    text.chars().map(advance_em).sum::<f64>() * size * SLACK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_come_from_the_font_and_err_wide() {
        // Liberation Sans Bold: digits 0.556 em, "%" 0.889 em.
        let w = width("80%", 10.0);
        assert!((20.0 * SLACK..21.0 * SLACK).contains(&w), "{w}");
        assert!(width("WWW", 10.0) > width("iii", 10.0) * 2.0);
        // A character Liberation lacks still takes room.
        assert!(width("日本", 10.0) >= 20.0);
    }
}
