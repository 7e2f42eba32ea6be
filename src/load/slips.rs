//! The common YAML slips, found by re-reading the text of a file that did
//! not parse. The YAML reader reports where it gave up, which for an
//! unclosed `[` is the line after it and for `title:Parental` a line that
//! is fine; people need the slip named and pointed at.

use std::collections::HashMap;

use crate::finding::Pos;

/// A slip: what it is, how to fix it, and where (the first character of it).
#[derive(Debug, Clone, PartialEq)]
pub struct Slip {
    pub message: String,
    pub hint: String,
    pub pos: Pos,
    pub width: usize,
}

/// The first slip at or before line `upto` (where the reader gave up), or
/// none when the text shows none of the common slips there.
pub fn find(text: &str, upto: u32) -> Option<Slip> {
    // Columns on the first line do not count a byte order mark (as `source::pos_at`).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    // Lines deeper than this continue the value above (a block scalar, a
    // plain text over several lines, a list on several lines): no field
    // starts there.
    let mut deeper_than: Option<usize> = None;
    // Keys seen in each open mapping: (indent, key -> line).
    let mut maps: Vec<(usize, HashMap<String, u32>)> = Vec::new();
    for (i, raw) in lines.iter().enumerate() {
        let n = i as u32 + 1;
        if n > upto {
            break;
        }
        let body = raw.trim_start_matches([' ', '\t']);
        let lead = &raw[..raw.len() - body.len()];
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        // A tab after the spaces of a block of text is that text's own.
        let spaces = lead.len() - lead.trim_start_matches(' ').len();
        let in_text = deeper_than.is_some_and(|d| spaces > d);
        if let Some(t) = lead.find('\t').filter(|_| !in_text) {
            return Some(Slip {
                message: "this line is indented with a tab; YAML indents with spaces only"
                    .to_owned(),
                hint: "replace the tab with spaces (two per level, like the lines around it)"
                    .to_owned(),
                pos: Pos::new(n, column(raw, t)),
                width: 1,
            });
        }
        let indent = lead.len();
        if deeper_than.is_some_and(|d| indent > d) {
            continue;
        }
        deeper_than = None;
        if body.starts_with("---") || body == "..." || body.starts_with('%') {
            // Another document: its keys are its own.
            maps.clear();
            continue;
        }
        // `- key: value` opens a mapping two columns in.
        let mut at = indent;
        let mut rest = body;
        let mut item = false;
        while let Some(r) = rest
            .strip_prefix("- ")
            .or(if rest == "-" { Some("") } else { None })
        {
            item = true;
            let r2 = r.trim_start_matches(' ');
            at += rest.len() - r2.len();
            rest = r2;
        }
        if rest.is_empty() {
            continue;
        }
        let Some((key, value_at)) = key_of(rest) else {
            // A list item's plain text, or a line of text: it may go on below.
            if let Some(slip) = value_slip(&lines, i, at, rest, None, indent) {
                return Some(slip);
            }
            deeper_than = Some(indent);
            continue;
        };
        if let Some(slip) = missing_space(raw, n, at, rest, &key) {
            return Some(slip);
        }
        // Duplicate keys within one mapping.
        while maps
            .last()
            .is_some_and(|(d, _)| *d > at || (item && *d == at))
        {
            maps.pop();
        }
        match maps.last_mut() {
            Some((d, keys)) if *d == at => {
                if let Some(first) = keys.get(&key) {
                    return Some(Slip {
                        message: format!(
                            "the field `{key}` is written twice in this item (first on line {first})"
                        ),
                        hint: "keep one of them: delete the other, or merge what they say"
                            .to_owned(),
                        pos: Pos::new(n, column(raw, at)),
                        width: key.chars().count(),
                    });
                }
                keys.insert(key.clone(), n);
            }
            _ => maps.push((at, HashMap::from([(key.clone(), n)]))),
        }
        let value = rest[value_at..].trim_start_matches(' ');
        let value_col = at + rest.len() - value.len();
        if value.is_empty() || value.starts_with('#') {
            continue;
        }
        if let Some(slip) = value_slip(&lines, i, value_col, value, Some(&key), at) {
            return Some(slip);
        }
        // Whatever the value, lines deeper than its key continue it.
        deeper_than = Some(at);
    }
    None
}

/// `key` and the byte index just past its `:` when `rest` starts a
/// `key: value` field (a plain key, then `:` and a space or the end).
fn key_of(rest: &str) -> Option<(String, usize)> {
    let end = rest.find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))?;
    if end == 0 || !rest[end..].starts_with(':') {
        return None;
    }
    let after = &rest[end + 1..];
    if after.is_empty() || after.starts_with([' ', '\t']) {
        return Some((rest[..end].to_owned(), end + 1));
    }
    // `key:value`: a field all the same, missing its space.
    Some((rest[..end].to_owned(), end + 1))
}

/// `title:Parental`: a field name with text straight after its colon.
fn missing_space(raw: &str, n: u32, at: usize, rest: &str, key: &str) -> Option<Slip> {
    let after = &rest[key.len() + 1..];
    let next = after.chars().next()?;
    // `http://`, `10:30` and `a::b` are text, not a field missing a space.
    if next.is_whitespace()
        || matches!(next, '/' | ':')
        || key.starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    let colon = at + key.len();
    Some(Slip {
        message: format!(
            "a space is missing after `{key}:`: YAML reads `{key}:{}` as one piece of text, not as the field `{key}`",
            after.split_whitespace().next().unwrap_or(after)
        ),
        hint: format!("put a space after the colon: `{key}: {after}`"),
        pos: Pos::new(n, column(raw, colon)),
        width: 1,
    })
}

/// A slip in a value starting at byte `col` of line `i`: an unclosed
/// `[`, `{` or quote (pointed at where it opens), or plain text holding
/// `: ` (which YAML reads as another field).
fn value_slip(
    lines: &[&str],
    i: usize,
    col: usize,
    value: &str,
    key: Option<&str>,
    key_indent: usize,
) -> Option<Slip> {
    let raw = lines[i];
    let n = i as u32 + 1;
    let first = value.chars().next()?;
    let pos = Pos::new(n, column(raw, col));
    if matches!(first, '[' | '{' | '"' | '\'') {
        if closes(lines, i, col, key_indent) {
            return None;
        }
        let (what, close) = match first {
            '[' => ("a list written on one line starts here with `[`", "]"),
            '{' => ("a mapping written on one line starts here with `{`", "}"),
            '"' => ("a quoted text starts here with `\"`", "\""),
            _ => ("a quoted text starts here with `'`", "'"),
        };
        let message = if matches!(first, '[' | '{') {
            format!("{what} and is not closed: its `{close}` is missing")
        } else {
            format!("{what} but its closing quote is missing")
        };
        let hint = match (first, key) {
            ('[' | '{', Some(k)) => format!(
                "add the closing `{close}`, or, if the `{first}` is part of the text, put the text in quotes: {k}: \"{}\"",
                value.replace('"', "'")
            ),
            ('[' | '{', None) => format!("add the closing `{close}`, or put the text in quotes"),
            _ => format!("end the text with `{close}`, or remove the opening quote"),
        };
        return Some(Slip {
            message,
            hint,
            pos,
            width: 1,
        });
    }
    if matches!(first, '|' | '>' | '&' | '*' | '!' | '#') {
        return None;
    }
    let key = key?;
    let text = value.split(" #").next().unwrap_or(value);
    let inner = text
        .find(": ")
        .or_else(|| text.ends_with(':').then(|| text.len() - 1))?;
    Some(Slip {
        message: format!(
            "the text of `{key}` holds `: ` (a colon and space), which YAML reads as the start of another field"
        ),
        hint: format!(
            "put the whole text in quotes: {key}: \"{}\"",
            text.replace('"', "'")
        ),
        pos: Pos::new(n, column(raw, col + inner)),
        width: 1,
    })
}

/// Whether the `[`, `{` or quote at byte `col` of line `i` is closed,
/// on that line or on the lines below that are deeper than its key.
fn closes(lines: &[&str], i: usize, col: usize, key_indent: usize) -> bool {
    let mut stack: Vec<char> = Vec::new();
    let mut quote: Option<char> = None;
    for (k, line) in lines.iter().enumerate().skip(i) {
        let text = if k == i {
            &line[col..]
        } else {
            let body = line.trim_start_matches(' ');
            if !body.is_empty() && line.len() - body.len() <= key_indent {
                return false;
            }
            body
        };
        let mut chars = text.chars().peekable();
        let mut prev = ' ';
        while let Some(c) = chars.next() {
            match quote {
                Some('"') if c == '\\' => {
                    chars.next();
                }
                Some('\'') if c == '\'' && chars.peek() == Some(&'\'') => {
                    chars.next();
                }
                Some(q) if c == q => {
                    quote = None;
                    if stack.is_empty() {
                        return true;
                    }
                }
                Some(_) => {}
                None => match c {
                    '"' | '\'' if prev == ' ' || matches!(prev, '[' | '{' | ',' | ':') => {
                        quote = Some(c)
                    }
                    '#' if prev == ' ' => break,
                    '[' | '{' => stack.push(c),
                    ']' | '}' => {
                        stack.pop();
                        if stack.is_empty() {
                            return true;
                        }
                    }
                    _ => {}
                },
            }
            prev = c;
        }
    }
    false
}

/// The 1-based character column of byte `byte` in `line`.
fn column(line: &str, byte: usize) -> u32 {
    line.get(..byte).map_or(byte, |s| s.chars().count()) as u32 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Option<(u32, u32, String)> {
        find(text, u32::MAX).map(|s| (s.pos.line, s.pos.column, s.message))
    }

    #[test]
    fn finds_each_slip_where_it_is() {
        let s = at("id: A1\ntitle: [Parental confidence\norder: 1\n").unwrap();
        assert_eq!((s.0, s.1), (2, 8), "{}", s.2);
        assert!(s.2.contains("`]` is missing"), "{}", s.2);
        let s = at("id: A1\ntags: {a: 1\nb: 2\n").unwrap();
        assert_eq!((s.0, s.1), (2, 7));
        let s = at("id: A1\ntitle: \"Parental\norder: 1\n").unwrap();
        assert_eq!((s.0, s.1), (2, 8));
        let s = at("id: A1\nactions:\n\t- id: x\n").unwrap();
        assert_eq!((s.0, s.1), (3, 1));
        let s = at("id: A1\ntitle:Parental\n").unwrap();
        assert_eq!((s.0, s.1), (2, 6));
        let s = at("id: A1\ntitle: a\nactions:\n  - id: x\n    title: b\n    title: c\n").unwrap();
        assert_eq!((s.0, s.1), (6, 5));
        assert!(s.2.contains("first on line 5"));
        let s = at("id: A1\ntitle: Note: x\n").unwrap();
        assert_eq!((s.0, s.1), (2, 12));
    }

    /// Any text, cut anywhere: an answer, never a panic.
    #[test]
    fn never_panics_on_any_cut_of_awkward_text() {
        let text = "\u{feff}id: é1\n\t- ü: [\"a\\\"\n  - 'b''c: {d\n- -\n-\nk:v: w\r\n---\n%x\n  x: \"é\n: x\n\u{2028}: [\n";
        for (i, _) in text.char_indices() {
            for upto in [1, 3, u32::MAX] {
                let _ = find(&text[..i], upto);
                let _ = find(&text[i..], upto);
            }
        }
    }

    #[test]
    fn sees_no_slip_in_good_yaml() {
        let good = "id: A1\ntitle: \"Note: x\"\nareas: [A1,\n  A2]\nsummary: >-\n  text: with [ and \"\n  more\nurl: http://x\nlist:\n  - a\n  - id: b\n    title: c\n  - id: d\n    title: e\nwhen: 10:30\nnote: it's fine\n  and goes on: here\n";
        assert_eq!(at(good), None);
    }
}
