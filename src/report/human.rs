//! rustc-style diagnostics: a header, the place, a source snippet with the
//! problem underlined, and a hint; then a one-line summary.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::finding::{Finding, Severity};
use crate::load::source;
use crate::pii;

use super::Outcome;

pub fn render(out: &Outcome, color: bool) -> String {
    let mut text = String::new();
    if let Some(notice) = &out.as_of.notice {
        text.push_str(&format!("note: {notice}\n\n"));
    }
    text.push_str(&findings(out, color));
    text.push_str(&summary(out));
    text.push('\n');
    text
}

/// Each finding with its snippet, a blank line after each; no summary.
pub fn findings(out: &Outcome, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut text = String::new();
    for f in out.findings {
        text.push_str(&finding(f, out, &renderer));
        text.push_str("\n\n");
    }
    text
}

fn finding(f: &Finding, out: &Outcome, renderer: &Renderer) -> String {
    let level = match f.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Acknowledged => Level::NOTE.with_name(Some("acknowledged")),
    };
    // Snippets are masked: CI logs are kept and shared.
    let line_text = out
        .sources
        .get(&f.file)
        .and_then(|t| source::line(t, f.line))
        .map(|l| printable(&pii::mask_all(l)));
    let title = level.primary_title(f.message.as_str()).id(f.rule.name());
    let mut group = match &line_text {
        Some(line) if !line.trim().is_empty() => {
            let (start, end) = span_in_line(line, f.column, f.width);
            title.element(
                Snippet::source(line.as_str())
                    .line_start(f.line as usize)
                    .path(f.file.as_str())
                    .annotation(AnnotationKind::Primary.span(start..end)),
            )
        }
        _ => title.element(
            annotate_snippets::Origin::path(f.file.as_str())
                .line(f.line as usize)
                .char_column(f.column as usize),
        ),
    };
    if let Some(hint) = &f.hint {
        group = group.element(Level::HELP.message(hint.as_str()));
    }
    let report: Vec<Group> = vec![group];
    renderer.render(&report)
}

/// A source line safe for a terminal: each control character (an escape
/// sequence would drive the terminal) becomes one visible replacement, so
/// that columns still line up.
fn printable(line: &str) -> String {
    line.chars()
        .map(|c| {
            if (c.is_control() && c != '\t')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
            {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// Byte range of `width` characters from 1-based character `column`.
fn span_in_line(line: &str, column: u32, width: u32) -> (usize, usize) {
    let idx: Vec<usize> = line
        .char_indices()
        .map(|(i, _)| i)
        .chain([line.len()])
        .collect();
    let start_char = (column.max(1) - 1) as usize;
    let start = idx.get(start_char).copied().unwrap_or(line.len());
    let end_char = start_char + width.max(1) as usize;
    let end = idx.get(end_char).copied().unwrap_or(line.len()).max(start);
    if start == end && start == line.len() && start > 0 {
        // Point at the last character rather than past the end.
        let last = idx[idx.len().saturating_sub(2)];
        return (last, line.len());
    }
    (start, end)
}

pub fn summary(out: &Outcome) -> String {
    let t = out.tally();
    let complete = out.areas.iter().filter(|a| a.complete).count();
    let visit = out
        .as_of
        .visit
        .as_ref()
        .map(|v| format!(" (visit {v})"))
        .unwrap_or_default();
    let mut s = format!(
        "{}: {} error{}, {} warning{}",
        if out.failed() { "failed" } else { "ok" },
        t.errors,
        crate::assess::plural(t.errors),
        t.warnings,
        crate::assess::plural(t.warnings),
    );
    if t.acknowledged > 0 {
        s.push_str(&format!(", {} acknowledged", t.acknowledged));
    }
    if t.errors == 0 && out.failed() {
        s.push_str(" (--deny-warnings makes warnings fail)");
    }
    // Counts stay true: an area file that could not be read is still one
    // of the plan's areas, and not a complete one.
    let unreadable = out.sources.unreadable();
    let note = unreadable
        .words()
        .map(|w| format!(" ({w})"))
        .unwrap_or_default();
    let total = out.areas.len() + unreadable.areas.len();
    s.push_str(&format!(
        "; {complete} of {total} area{} complete{note} as of {}{visit}",
        crate::assess::plural(total),
        out.as_of.date
    ));
    s
}
