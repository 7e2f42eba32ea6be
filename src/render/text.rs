//! Markdown and HTML through minijinja templates.

use anyhow::{Result, anyhow};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};

use super::Template;

/// Renders `view` (the reviewer's or the family's) through a minijinja template.
pub fn render(view: &impl serde::Serialize, template: &Template, html: bool) -> Result<String> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(move |_| {
        if html {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.add_filter("mdtext", md_text);
    env.add_filter("cell", md_cell);
    // "1 area", "2 areas": every count a reader sees agrees with its noun.
    env.add_filter("count", |n: i64, word: String| {
        format!("{n} {word}{}", if n == 1 { "" } else { "s" })
    });
    env.add_filter("long_date", |d: String| {
        reader_date(&d, crate::model::Date::long)
    });
    env.add_filter("short_date", |d: String| {
        reader_date(&d, crate::model::Date::short)
    });
    env.add_template(&template.name, &template.source)
        .map_err(|e| describe(&e, &template.name))?;
    let tmpl = env
        .get_template(&template.name)
        .map_err(|e| describe(&e, &template.name))?;
    tmpl.render(minijinja::Value::from_serialize(view))
        .map(super::with_final_newline)
        .map_err(|e| describe(&e, &template.name))
}

/// "templates/pack.md.j2:12: message".
fn describe(e: &minijinja::Error, name: &str) -> anyhow::Error {
    let line = e.line().map(|l| format!(":{l}")).unwrap_or_default();
    let detail = e.detail().map(|d| format!(": {d}")).unwrap_or_default();
    anyhow!("template {name}{line}: {}{detail}", e.kind())
}

/// An ISO date as readers get it ("4 November 2025", or "4 Nov 2025" in a
/// narrow column): the view keeps ISO, the templates choose the words.
fn reader_date(iso: &str, style: fn(crate::model::Date) -> String) -> String {
    crate::model::Date::parse(iso).map_or_else(|_| iso.to_owned(), style)
}

/// Plain text made safe in Markdown: shown literally, never as markup.
pub fn md_text(s: String) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Plain text for a Markdown table cell.
pub fn md_cell(s: String) -> String {
    md_text(s)
}
