//! `--save-map`: this run's `--map`s merged into plan/import.yaml by editing
//! its text, never by writing the tree out again, so its comments, quoting
//! and order stay as the user wrote them (spec 6.2). An entry for a header
//! already there (matched as headers are, ignoring case, spaces and
//! punctuation) has just its value replaced; a new one goes after the last
//! entry of `columns:` (inside the braces of a `{ ... }` mapping).

use std::path::Path;

use anyhow::{Context, Result, anyhow};

use crate::load::yaml::{self, Node, Value};
use crate::sheet::Field;
use crate::sheet::columns::normalise;

/// One map to save: the header as given, and the field (`None`: ignore).
pub struct Saved<'a> {
    pub header: &'a str,
    pub field: Option<Field>,
}

fn value_text(field: Option<Field>) -> &'static str {
    field.map_or("ignore", |f| f.column().key)
}

/// A header as a YAML key: double-quoted (a JSON string is a YAML one), so
/// that `Date: received` or `#` in a header is still one key.
fn key_text(header: &str) -> String {
    serde_json::to_string(header).expect("a string serializes")
}

/// The end (byte offset) of the scalar token that starts at `start`: a
/// quoted one through its closing quote, a plain one up to a comment, a
/// flow separator or the end of the line (trailing spaces left out).
fn token_end(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    let mut chars = rest.char_indices();
    match chars.next() {
        Some((_, '"')) => {
            let mut escaped = false;
            for (i, c) in chars {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => return start + i + 1,
                    _ => escaped = false,
                }
            }
            text.len()
        }
        Some((_, '\'')) => {
            let b = rest.as_bytes();
            let mut i = 1;
            while i < b.len() {
                if b[i] == b'\'' {
                    if b.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return start + i + 1;
                }
                i += 1;
            }
            text.len()
        }
        _ => {
            let line_end = rest.find('\n').unwrap_or(rest.len());
            let line = &rest[..line_end];
            let mut end = line.len();
            for (i, c) in line.char_indices() {
                if matches!(c, ',' | '}' | ']') || (c == '#' && i > 0 && line[..i].ends_with(' ')) {
                    end = i;
                    break;
                }
                // `key: value`: a plain key ends at its colon.
                if c == ':' && (i + 1 == line.len() || line[i + 1..].starts_with([' ', '\t'])) {
                    end = i;
                    break;
                }
            }
            start + line[..end].trim_end().len()
        }
    }
}

/// The file's new text. `Err` (in words) when the file is not YAML pack
/// can edit safely: a syntax error, or a `columns` that is not a mapping.
pub fn merge(text: &str, maps: &[Saved]) -> Result<String, String> {
    let (bom, body) = match text.strip_prefix('\u{feff}') {
        Some(b) => ("\u{feff}", b),
        None => ("", text),
    };
    let root = yaml::parse(body).map_err(|e| {
        format!(
            "plan/import.yaml, line {}: {}; correct it, then run again",
            e.pos.line, e.message
        )
    })?;
    let not_mapping = || {
        "`columns` in plan/import.yaml is not a mapping of headers to fields; correct it, then run again".to_owned()
    };
    let columns: Option<(&Node, &Node)> = match &root.value {
        Value::Null => None,
        Value::Map(pairs) => pairs
            .iter()
            .find(|(k, _)| k.as_str() == Some("columns"))
            .map(|(k, v)| (k, v)),
        _ => {
            return Err(
                "plan/import.yaml is not a mapping of fields; correct it, then run again".into(),
            );
        }
    };
    let pairs: &[(Node, Node)] = match columns.map(|(_, v)| &v.value) {
        None | Some(Value::Null) => &[],
        Some(Value::Map(p)) => p,
        Some(_) => return Err(not_mapping()),
    };
    // Edits as (start, end, replacement), applied from the end backwards.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut added: Vec<String> = Vec::new();
    for m in maps {
        let value = value_text(m.field);
        let existing = pairs.iter().rev().find(|(k, _)| {
            crate::load::import_map::text_of(k)
                .is_some_and(|h| normalise(&h) == normalise(m.header))
        });
        match existing {
            Some((k, v)) => {
                let edit = match (v.value == Value::Null, v.offset, k.offset) {
                    (false, Some(start), _) => (start, token_end(body, start), value.to_owned()),
                    (true, _, Some(kstart)) => {
                        // `RAG:` with nothing after it: the value goes after the colon.
                        let kend = token_end(body, kstart);
                        let colon = body[kend..].find(':').map_or(kend, |c| kend + c + 1);
                        (colon, colon, format!(" {value}"))
                    }
                    _ => return Err(not_mapping()),
                };
                edits.push(edit);
            }
            None => added.push(format!("{}: {value}", key_text(m.header))),
        }
    }
    if !added.is_empty() {
        match columns {
            Some((_, v)) if matches!(v.value, Value::Map(_)) && is_flow(body, v) => {
                let open = v.offset.ok_or_else(not_mapping)?;
                let close = flow_close(body, open).ok_or_else(not_mapping)?;
                let lead = body[..close].trim_end().len();
                let with = if pairs.is_empty() {
                    format!(" {} ", added.join(", "))
                } else {
                    format!(", {}", added.join(", "))
                };
                edits.push((lead, lead, with));
            }
            Some((_, _)) if !pairs.is_empty() => {
                // After the line of the last entry, indented as the first.
                let (first, _) = &pairs[0];
                let (_, last) = &pairs[pairs.len() - 1];
                let indent = " ".repeat(first.pos.column.saturating_sub(1) as usize);
                let at = line_end(body, last.pos.line);
                let mut s = String::new();
                if at == body.len() && !body.ends_with('\n') {
                    s.push('\n');
                }
                for a in &added {
                    s.push_str(&format!("{indent}{a}\n"));
                }
                edits.push((at, at, s));
            }
            Some((k, _)) => {
                // `columns:` with nothing under it.
                let at = line_end(body, k.pos.line);
                let mut s = String::new();
                if at == body.len() && !body.ends_with('\n') {
                    s.push('\n');
                }
                for a in &added {
                    s.push_str(&format!("  {a}\n"));
                }
                edits.push((at, at, s));
            }
            None => {
                let mut s = String::new();
                if !body.is_empty() && !body.ends_with('\n') {
                    s.push('\n');
                }
                s.push_str("columns:\n");
                for a in &added {
                    s.push_str(&format!("  {a}\n"));
                }
                edits.push((body.len(), body.len(), s));
            }
        }
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = body.to_owned();
    for (start, end, with) in edits {
        out.replace_range(start..end, &with);
    }
    // What was written must read back as a mapping with those entries.
    yaml::parse(&out).map_err(|e| {
        format!(
            "cannot merge into plan/import.yaml without breaking it ({}); add the columns by hand",
            e.message
        )
    })?;
    Ok(format!("{bom}{out}"))
}

fn is_flow(text: &str, v: &Node) -> bool {
    v.offset
        .and_then(|o| text.get(o..))
        .is_some_and(|r| r.starts_with('{'))
}

/// The `}` closing the flow mapping opened at `open`.
fn flow_close(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < text.len() {
        let c = text[i..].chars().next()?;
        match c {
            '"' | '\'' => {
                i = token_end(text, i);
                continue;
            }
            '{' | '[' => depth += 1,
            '}' | ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            '#' if text[..i].ends_with([' ', '\n']) => {
                i += text[i..].find('\n').unwrap_or(text.len() - i);
                continue;
            }
            _ => {}
        }
        i += c.len_utf8();
    }
    None
}

/// The byte offset just past the end of 1-based line `line` (after its
/// newline), or the end of the text.
fn line_end(text: &str, line: u32) -> usize {
    let mut off = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        off += l.len();
        if i + 1 == line as usize {
            return off;
        }
    }
    text.len()
}

/// `--save-map`: merges `maps` into plan/import.yaml (creating it), by
/// editing its text. Returns how many were saved; `Err` when a map or the
/// file cannot be read, or the file cannot be edited safely.
pub fn save_maps(root: &Path, maps: &[String]) -> Result<usize> {
    let parsed = super::header::parse_maps(maps).map_err(|e| anyhow!(e))?;
    if parsed.is_empty() {
        return Ok(0);
    }
    let rel = crate::load::import_map::IMPORT_FILE;
    let path = root.join(rel);
    let text = if path.exists() {
        std::fs::read_to_string(&path).with_context(|| format!("cannot read {rel}"))?
    } else {
        String::new()
    };
    let saved: Vec<Saved> = parsed
        .iter()
        .map(|m| Saved {
            header: &m.header,
            field: m.field,
        })
        .collect();
    let new = merge(&text, &saved).map_err(|e| anyhow!(e))?;
    if new != text {
        std::fs::write(&path, new).with_context(|| format!("cannot write {rel}"))?;
    }
    Ok(parsed.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(header: &str, field: Option<Field>) -> Saved<'_> {
        Saved { header, field }
    }

    #[test]
    fn creates_the_file() {
        assert_eq!(
            merge("", &[m("Date received", Some(Field::Date)), m("RAG", None)]).unwrap(),
            "columns:\n  \"Date received\": date\n  \"RAG\": ignore\n"
        );
    }

    #[test]
    fn block_style_keeps_comments_and_replaces_in_place() {
        let text = "# Our logs\nsheet: Evidence # the usual one\ncolumns:\n    # received, not written\n    Date received: organisation   # wrong\n    'Lead agency': organisation\n    RAG:\nfiles: shared\n";
        let out = merge(
            text,
            &[
                m("date  RECEIVED", Some(Field::Date)),
                m("rag", None),
                m("Ref no", Some(Field::Id)),
            ],
        )
        .unwrap();
        assert_eq!(
            out,
            "# Our logs\nsheet: Evidence # the usual one\ncolumns:\n    # received, not written\n    Date received: date   # wrong\n    'Lead agency': organisation\n    RAG: ignore\n    \"Ref no\": id\nfiles: shared\n"
        );
    }

    #[test]
    fn flow_style_gains_entries_inside_its_braces() {
        let text = "columns: { \"Date received\": date, \"RAG\": ignore }  # kept\n";
        let out = merge(
            text,
            &[
                m("RAG", Some(Field::Shows)),
                m("Lead agency", Some(Field::Organisation)),
            ],
        )
        .unwrap();
        assert_eq!(
            out,
            "columns: { \"Date received\": date, \"RAG\": shows, \"Lead agency\": organisation }  # kept\n"
        );
        assert_eq!(
            merge("columns: {}\n", &[m("RAG", None)]).unwrap(),
            "columns: { \"RAG\": ignore }\n"
        );
    }

    #[test]
    fn other_fields_only_and_no_final_newline() {
        assert_eq!(
            merge("sheet: Log", &[m("RAG", None)]).unwrap(),
            "sheet: Log\ncolumns:\n  \"RAG\": ignore\n"
        );
        assert_eq!(
            merge("columns:\nsheet: Log\n", &[m("RAG", None)]).unwrap(),
            "columns:\n  \"RAG\": ignore\nsheet: Log\n"
        );
    }

    #[test]
    fn a_file_it_cannot_edit_safely_is_refused() {
        assert!(merge("columns: [a, b]\n", &[m("RAG", None)]).is_err());
        assert!(merge("columns: {\n", &[m("RAG", None)]).is_err());
        assert!(merge("- a\n", &[m("RAG", None)]).is_err());
    }
}
