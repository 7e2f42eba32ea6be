//! `--update` rewrites an item's fields but keeps the comments people wrote
//! in its YAML: the comments above the first field, the full-line comments
//! above each field, and a comment at the end of a field's line, for every
//! field that is still there. Comments inside a block value are part of the
//! value and go with it.

use std::collections::HashMap;

/// `new` (pack's YAML for the item, its own comment first) with `old`'s
/// comments put back.
pub fn keep(old: &str, new: &str) -> String {
    let mut header: Vec<&str> = Vec::new();
    let mut above: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut trailing: HashMap<&str, &str> = HashMap::new();
    let mut pending: Vec<&str> = Vec::new();
    let mut seen_key = false;
    for line in old.lines() {
        if line.starts_with('#') {
            // pack's own note is replaced by the new one.
            if !line.starts_with("# Imported by pack") && !line.starts_with("# Updated by pack") {
                pending.push(line);
            }
            continue;
        }
        if let Some(key) = top_key(line) {
            if seen_key {
                above.insert(key, std::mem::take(&mut pending));
            } else {
                header.append(&mut pending);
                seen_key = true;
            }
            if let Some(c) = trailing_comment(line) {
                trailing.insert(key, c);
            }
        } else if line.trim().is_empty() && !seen_key {
            header.append(&mut pending);
        }
    }
    let footer = pending;

    let mut out = String::new();
    let mut lines = new.lines().peekable();
    // pack's note first, then what stood above the first field.
    while let Some(l) = lines.peek() {
        if !l.starts_with('#') {
            break;
        }
        out.push_str(&l.replacen("# Imported by pack", "# Updated by pack", 1));
        out.push('\n');
        lines.next();
    }
    for h in header {
        out.push_str(h);
        out.push('\n');
    }
    for l in lines {
        let key = top_key(l);
        if let Some(k) = key
            && let Some(cs) = above.get(k)
        {
            for c in cs {
                out.push_str(c);
                out.push('\n');
            }
        }
        out.push_str(l);
        if let Some(c) = key.and_then(|k| trailing.get(k)) {
            out.push_str("  ");
            out.push_str(c);
        }
        out.push('\n');
    }
    for f in footer {
        out.push_str(f);
        out.push('\n');
    }
    out
}

/// The key of a top-level `key: value` line.
fn top_key(line: &str) -> Option<&str> {
    if line.starts_with([' ', '\t', '#', '-']) {
        return None;
    }
    let (key, _) = line.split_once(':')?;
    let key = key.trim();
    (!key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then_some(key)
}

/// `# comment` at the end of a line, outside quotes.
fn trailing_comment(line: &str) -> Option<&str> {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
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
    use super::keep;

    #[test]
    fn comments_stay_with_their_fields() {
        let old = "# Board paper, kept by the SEND team\nid: E-2025-001\n# Checked with the author\ntitle: Old title  # as on the cover\ndate: 2025-04-30\nurl: \"https://e.org/#x\"\n# end\n";
        let new = "# Imported by pack from log.xlsx, sheet Evidence, row 3.\nid: \"E-2025-001\"\ntitle: \"New title\"\ndate: 2025-05-01\n";
        assert_eq!(
            keep(old, new),
            "# Updated by pack from log.xlsx, sheet Evidence, row 3.\n# Board paper, kept by the SEND team\nid: \"E-2025-001\"\n# Checked with the author\ntitle: \"New title\"  # as on the cover\ndate: 2025-05-01\n# end\n"
        );
    }
}
