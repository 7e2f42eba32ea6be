//! `--update` as an edit of the item's own YAML, not a rewrite (spec 6.1):
//! a field whose value the row leaves unchanged keeps its bytes exactly (a
//! block scalar, its quotes, a Markdown hard break, CRLF line ends, its
//! comments); a changed field's lines are replaced by pack's one line for
//! it, with the comment at the end of its line kept; a field the row
//! empties is removed; a new field goes in after the field before it. The
//! comments above the first field and between fields stay where they are.
//! A file pack cannot split into top-level fields this way (flow style, a
//! second document) is rewritten whole, keeping its comments
//! (`comments::keep`).

use crate::sheet::Field;

use super::item::{self, Fields};

/// One run of lines of the old file.
enum Part<'a> {
    /// Comments, blank lines and anything before the first field.
    Other(&'a str),
    /// A top-level key and every line of its value (trailing blank lines
    /// apart), the key's field if it is one.
    Key {
        field: Option<Field>,
        text: &'a str,
        blank_after: &'a str,
    },
}

/// The updated file and, for each of its lines, the field it belongs to.
/// `comment` is pack's note ("Imported by pack from ..."), which replaces
/// any earlier note of pack's.
pub fn edit(
    old_text: &str,
    old: &Fields,
    new: &Fields,
    comment: &str,
) -> (String, Vec<Option<Field>>) {
    let Some(parts) = split(old_text) else {
        let (yaml, _) = item::to_yaml(comment, new);
        let text = super::comments::keep(old_text, &yaml);
        let lines = text.lines().map(field_of_line).collect();
        return (text, lines);
    };
    let eol = if old_text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let present: Vec<Field> = parts
        .iter()
        .filter_map(|p| match p {
            Part::Key { field, .. } => *field,
            Part::Other(_) => None,
        })
        .collect();
    // New fields, each after the last field before it in the spec's order.
    let mut added: Vec<(Option<Field>, Field)> = Vec::new();
    for f in new.keys() {
        if !present.contains(f) {
            let after = present.iter().copied().filter(|p| p < f).max();
            added.push((after, *f));
        }
    }
    let mut out = Out::default();
    out.note(comment, eol);
    let mut noted = false;
    let put_added = |out: &mut Out, after: Option<Field>| {
        for (a, f) in &added {
            if *a == after {
                out.field(*f, new, eol, None);
            }
        }
    };
    for part in &parts {
        match part {
            Part::Other(text) => {
                for line in text.split_inclusive('\n') {
                    if is_pack_note(line) {
                        continue;
                    }
                    out.push(line, None);
                }
            }
            Part::Key {
                field: None,
                text,
                blank_after,
            } => {
                out.push(text, None);
                out.push(blank_after, None);
            }
            Part::Key {
                field: Some(f),
                text,
                blank_after,
            } => {
                if !noted {
                    put_added(&mut out, None);
                    noted = true;
                }
                match new.get(f) {
                    Some(v) if old.get(f) == Some(v) => out.push(text, Some(*f)),
                    // Unchanged and absent on both sides: `public: false`
                    // and the like, kept as written.
                    None if !old.contains_key(f) => out.push(text, Some(*f)),
                    None => {}
                    Some(_) => {
                        let first = text.split_inclusive('\n').next().unwrap_or(text);
                        out.field(*f, new, eol, trailing_comment(first));
                    }
                }
                out.push(blank_after, None);
                put_added(&mut out, Some(*f));
            }
        }
    }
    if !noted {
        put_added(&mut out, None);
    }
    (out.text, out.lines)
}

#[derive(Default)]
struct Out {
    text: String,
    lines: Vec<Option<Field>>,
}

impl Out {
    fn push(&mut self, text: &str, field: Option<Field>) {
        if text.is_empty() {
            return;
        }
        // A last line without its line end gets one: more may follow.
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push_str(if self.text.contains("\r\n") {
                "\r\n"
            } else {
                "\n"
            });
        }
        self.text.push_str(text);
        self.lines.extend(std::iter::repeat_n(
            field,
            text.split_inclusive('\n').count(),
        ));
    }

    fn note(&mut self, comment: &str, eol: &str) {
        for l in comment.lines() {
            self.push(&format!("# {l}{eol}"), None);
        }
    }

    /// pack's line for `f`, with the comment the old line ended with.
    fn field(&mut self, f: Field, new: &Fields, eol: &str, comment: Option<&str>) {
        let mut one = Fields::new();
        if let Some(v) = new.get(&f) {
            one.insert(f, v.clone());
        }
        let (yaml, _) = item::to_yaml("", &one);
        let line = yaml.trim_end_matches('\n');
        match comment {
            Some(c) => self.push(&format!("{line}  {c}{eol}"), Some(f)),
            None => self.push(&format!("{line}{eol}"), Some(f)),
        }
    }
}

/// pack's own note, which the new one replaces.
fn is_pack_note(line: &str) -> bool {
    line.starts_with("# Imported by pack") || line.starts_with("# Updated by pack")
}

/// The old file as parts, or `None` when it is not a block mapping pack
/// can split by its top-level keys.
fn split(text: &str) -> Option<Vec<Part<'_>>> {
    let mut parts = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    // Byte offsets of each line's start.
    let lines: Vec<(usize, &str)> = text
        .split_inclusive('\n')
        .scan(0, |at, l| {
            let start = *at;
            *at += l.len();
            Some((start, l))
        })
        .collect();
    let mut i = 0;
    while i < lines.len() {
        let (start, line) = lines[i];
        let bare = line.trim_end_matches(['\n', '\r']);
        if let Some(key) = top_key(bare) {
            if seen.contains(&key) {
                return None;
            }
            seen.push(key);
            // The value's lines: indented ones, blank ones and a block
            // sequence at the key's own indentation.
            let mut end = i + 1;
            let mut last_content = i + 1;
            while end < lines.len() {
                let l = lines[end].1.trim_end_matches(['\n', '\r']);
                if l.trim().is_empty() {
                    end += 1;
                } else if l.starts_with([' ', '\t']) || l.starts_with("- ") || l == "-" {
                    end += 1;
                    last_content = end;
                } else {
                    break;
                }
            }
            let stop = |k: usize| lines.get(k).map_or(text.len(), |(s, _)| *s);
            parts.push(Part::Key {
                field: Field::all().find(|f| f.column().key == key),
                text: &text[start..stop(last_content)],
                blank_after: &text[stop(last_content)..stop(end)],
            });
            i = end;
        } else if bare.trim().is_empty()
            || bare.starts_with('#')
            || (bare == "---" && parts.iter().all(|p| matches!(p, Part::Other(_))))
        {
            parts.push(Part::Other(line));
            i += 1;
        } else {
            // Flow style, a second document, a stray line: not split.
            return None;
        }
    }
    Some(parts)
}

/// The key of a top-level `key: value` line.
fn top_key(line: &str) -> Option<&str> {
    if line.starts_with([' ', '\t', '#', '-', '{', '[', '"', '\'']) {
        return None;
    }
    let (key, rest) = line.split_once(':')?;
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let key = key.trim_end();
    (!key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then_some(key)
}

fn field_of_line(line: &str) -> Option<Field> {
    let key = top_key(line)?;
    Field::all().find(|f| f.column().key == key)
}

/// `# comment` at the end of a line, outside quotes.
fn trailing_comment(line: &str) -> Option<&str> {
    let line = line.trim_end_matches(['\n', '\r']);
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') if prev == ' ' || prev == ':' => quote = Some(c),
            (Some(q), c) if c == q && prev != '\\' => quote = None,
            (None, '#') if prev == ' ' || prev == '\t' => return Some(&line[i..]),
            _ => {}
        }
        prev = c;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::import::item::FieldValue;

    fn text(s: &str) -> FieldValue {
        FieldValue::Text(s.to_owned())
    }

    #[test]
    fn only_changed_fields_are_rewritten() {
        let old_text = "# Board paper\r\nid: E-2025-001\r\n# Checked\r\ntitle: 'Old  title'  # as on the cover\r\nsummary: |\r\n  Line one  \r\n  line two\r\n\r\n\r\nkind: data\r\n";
        let mut old = Fields::new();
        old.insert(Field::Id, text("E-2025-001"));
        old.insert(Field::Title, text("Old  title"));
        old.insert(Field::Summary, text("Line one  \nline two"));
        old.insert(Field::Kind, text("data"));
        let mut new = old.clone();
        new.insert(Field::Title, text("New title"));
        new.remove(&Field::Kind);
        new.insert(Field::Shows, text("impact"));
        let (out, lines) = edit(
            old_text,
            &old,
            &new,
            "Updated by pack from log.csv, sheet Evidence, row 3.",
        );
        assert_eq!(
            out,
            "# Updated by pack from log.csv, sheet Evidence, row 3.\r\n# Board paper\r\nid: E-2025-001\r\n# Checked\r\ntitle: \"New title\"  # as on the cover\r\nsummary: |\r\n  Line one  \r\n  line two\r\n\r\n\r\nshows: impact\r\n"
        );
        assert_eq!(lines.len(), out.split_inclusive('\n').count());
        assert_eq!(lines[4], Some(Field::Title));
        assert_eq!(lines[5], Some(Field::Summary));
        assert_eq!(lines[7], Some(Field::Summary));
        assert_eq!(lines[10], Some(Field::Shows));
    }

    #[test]
    fn flow_style_is_rewritten_whole() {
        let old_text = "{id: E-1, title: x}\n";
        let mut new = Fields::new();
        new.insert(Field::Id, text("E-1"));
        let (out, _) = edit(old_text, &Fields::new(), &new, "Updated by pack");
        assert_eq!(out, "# Updated by pack\nid: E-1\n");
    }
}
