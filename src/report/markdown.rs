//! A Markdown summary of findings and of each area's state: what goes to
//! `$GITHUB_STEP_SUMMARY` (GitHub shows only the first 10 annotations of each
//! kind; this shows all).

use crate::assess::AreaState;
use crate::model::Choice;

use super::Outcome;

pub fn render(out: &Outcome) -> String {
    let t = out.tally();
    let mut s = format!(
        "## pack check: {}\n\n",
        crate::finding::escape_controls(out.plan_title.trim())
    );
    s.push_str(&format!(
        "As of **{}**{}: **{}** error{}, **{}** warning{}, {} acknowledged.\n\n",
        out.as_of.date,
        out.as_of
            .visit
            .as_ref()
            .map(|v| format!(" (visit {v})"))
            .unwrap_or_default(),
        t.errors,
        crate::assess::plural(t.errors),
        t.warnings,
        crate::assess::plural(t.warnings),
        t.acknowledged
    ));
    // Counts stay true: an area file that could not be read is one of the plan's areas.
    let unreadable = out.sources.unreadable();
    let total = out.areas.len() + unreadable.areas.len();
    s.push_str(&format!(
        "{} of {total} area{} complete{}.\n\n",
        out.areas.iter().filter(|a| a.complete).count(),
        crate::assess::plural(total),
        unreadable
            .words()
            .map(|w| format!(" ({w})"))
            .unwrap_or_default()
    ));
    s.push_str("### Areas\n\n| Area | Title | Rating | State | Current | Impact | Voice | Actions covered |\n|---|---|---|---|---:|---:|---:|---:|\n");
    for file in &unreadable.areas {
        s.push_str(&format!(
            "| ? | `{}` | – | **could not be read** | – | – | – | – |\n",
            cell(file)
        ));
    }
    for a in out.areas {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {}/{} |\n",
            cell(&a.id),
            cell(&a.title),
            a.rating.map_or("–", |r| r.name()),
            state(a),
            a.current,
            a.impact,
            a.voice,
            a.actions_covered,
            a.actions_total
        ));
    }
    s.push('\n');
    if out.findings.is_empty() {
        s.push_str("No findings.\n");
        return s;
    }
    s.push_str("### Findings\n\n| Severity | Rule | Where | Message |\n|---|---|---|---|\n");
    for f in out.findings {
        s.push_str(&format!(
            "| {} | `{}` | `{}:{}:{}` | {} |\n",
            f.severity.name(),
            f.rule,
            cell(&f.file),
            f.line,
            f.column,
            cell(&f.message)
        ));
    }
    s
}

fn state(a: &AreaState) -> String {
    if a.monitoring == crate::model::Monitoring::Ended {
        "monitoring ended".to_owned()
    } else if a.complete {
        "complete".to_owned()
    } else {
        format!("**gap**: {}", a.missing.join("; "))
    }
}

/// Text safe inside a Markdown table cell.
fn cell(s: &str) -> String {
    crate::finding::escape_controls(&s.replace(['\n', '\r'], " "))
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
        .replace('<', "&lt;")
}
