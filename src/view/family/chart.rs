//! The family edition's chart: a few bars, each with its value written on
//! it and its date under it, in large type. No target or floor lines: the
//! caption says what changed, the bars show it.

use std::fmt::Write as _;

use crate::chart::xml;
use crate::model::{Date, Measure};

const W: f64 = 480.0;
const H: f64 = 260.0;
const TOP: f64 = 36.0;
const BOTTOM: f64 = 40.0;
const SIDE: f64 = 16.0;
/// At most this many bars: the first figure and the latest ones.
const MAX_BARS: usize = 5;

const BAR: &str = "#1d70b8";
const INK: &str = "#0b0c0c";

/// The chart (SVG) and its text alternative, which says every value.
pub fn svg(m: &Measure, as_of: Date, caption: &str) -> (String, String) {
    let all: Vec<(Date, f64)> = m
        .data
        .iter()
        .filter(|p| p.date <= as_of && p.value.is_finite())
        .map(|p| (p.date, p.value))
        .collect();
    let bars: Vec<(Date, f64)> = if all.len() > MAX_BARS {
        std::iter::once(all[0])
            .chain(all[all.len() - (MAX_BARS - 1)..].iter().copied())
            .collect()
    } else {
        all
    };
    let label = |d: Date| {
        // The year alone when every bar is in a year of its own.
        let years: std::collections::HashSet<i16> = bars.iter().map(|b| b.0.year()).collect();
        if years.len() == bars.len() {
            d.year().to_string()
        } else {
            d.short()
                .split_once(' ')
                .map_or(d.short(), |(_, r)| r.to_owned())
        }
    };
    let values: Vec<String> = bars
        .iter()
        .map(|(d, v)| format!("{} {}", crate::chart::with_unit(*v, &m.unit), label(*d)))
        .collect();
    let alt = if values.is_empty() {
        format!("Bar chart: {caption}")
    } else {
        format!(
            "Bar chart: {} ({}).",
            caption.trim_end_matches('.'),
            values.join("; ")
        )
    };

    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="{0}" font-family="Liberation Sans, Arial, sans-serif" font-size="18"><title>{0}</title>"#,
        xml(&alt)
    );
    let base = H - BOTTOM;
    let hi = bars.iter().map(|b| b.1).fold(0.0_f64, f64::max);
    let lo = bars.iter().map(|b| b.1).fold(0.0_f64, f64::min);
    let span = if hi - lo > 0.0 { hi - lo } else { 1.0 };
    let zero = base - (base - TOP) * (0.0 - lo) / span;
    let n = bars.len().max(1) as f64;
    let slot = (W - 2.0 * SIDE) / n;
    let width = (slot * 0.6).min(90.0);
    for (i, (d, v)) in bars.iter().enumerate() {
        let cx = SIDE + slot * (i as f64 + 0.5);
        let top = base - (base - TOP) * (v - lo) / span;
        let (y, h) = if top < zero {
            (top, zero - top)
        } else {
            (zero, top - zero)
        };
        let _ = write!(
            s,
            r#"<rect x="{:.1}" y="{y:.1}" width="{width:.1}" height="{:.1}" fill="{BAR}"/>"#,
            cx - width / 2.0,
            h.max(1.0)
        );
        let _ = write!(
            s,
            r#"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" fill="{INK}" font-weight="bold">{}</text>"#,
            y - 8.0,
            xml(&crate::chart::with_unit(*v, &m.unit))
        );
        let _ = write!(
            s,
            r#"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" fill="{INK}">{}</text>"#,
            base + 26.0,
            xml(&label(*d))
        );
    }
    let _ = write!(
        s,
        r#"<line x1="{SIDE}" y1="{zero:.1}" x2="{:.1}" y2="{zero:.1}" stroke="{INK}" stroke-width="1.5"/>"#,
        W - SIDE
    );
    if bars.is_empty() {
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="{INK}">No figures yet</text>"#,
            W / 2.0,
            H / 2.0
        );
    }
    s.push_str("</svg>");
    (s, alt)
}
