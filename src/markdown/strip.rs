//! Citations taken out of text for readers who never see ids (the family
//! edition). Wider than what the reviewer's pack links: every form an
//! author may write meaning a citation goes, with what marked it up, so
//! that nothing of it is left behind:
//!
//! - `[@ID]`, spaced `[ @ ID ]`, several `[@A; @B]` or `[@A, @B]`;
//! - escaped `\[@ID]` (and `\[@ID\]`): the backslash goes too;
//! - wrapped in code or emphasis (`` `[@ID]` ``, `*[@ID]*`, `**[@ID]**`,
//!   `~~[@ID]~~`) or in brackets (`([@ID])`): the wrapping goes too;
//! - with the spaces before it (`word [@ID].` is `word.`).

/// `text` without its citations.
pub fn strip_citations(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut i = 0;
    while i < b.len() {
        let Some(end) = (b[i] == b'[').then(|| citation_at(b, i)).flatten() else {
            i += 1;
            continue;
        };
        let (mut start, mut end) = (i, end);
        // An odd run of backslashes escapes the bracket: the last one goes.
        let slashes = b[..start].iter().rev().take_while(|c| **c == b'\\').count();
        if slashes % 2 == 1 {
            start -= 1;
        }
        // Wrappings around nothing but the citation, innermost first.
        loop {
            let (before, after) = (start.checked_sub(1).map(|k| b[k]), b.get(end).copied());
            match (before, after) {
                (Some(x), Some(y)) if x == y && matches!(x, b'`' | b'*' | b'_' | b'~') => {}
                (Some(b'('), Some(b')')) => {}
                // A code span may pad its content with one space each side.
                (Some(b' '), Some(b' '))
                    if start >= 2 && b[start - 2] == b'`' && b.get(end + 1) == Some(&b'`') => {}
                _ => break,
            }
            start -= 1;
            end += 1;
        }
        let kept = &text[last..start];
        out.push_str(kept.trim_end_matches([' ', '\t']));
        last = end;
        i = end;
    }
    out.push_str(&text[last..]);
    out
}

/// The end (exclusive) of a citation group starting with the `[` at `i`:
/// `[`, then one or more `@ID` separated by `;` or `,`, then `]` (an
/// escaped `\]` too), spaces allowed between the parts.
fn citation_at(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    loop {
        j = skip_spaces(b, j);
        if b.get(j) != Some(&b'@') {
            return None;
        }
        j = skip_spaces(b, j + 1);
        let id = b[j..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
            .count();
        if id == 0 {
            return None;
        }
        j = skip_spaces(b, j + id);
        match b.get(j) {
            Some(b';' | b',') => j += 1,
            Some(b']') => return Some(j + 1),
            Some(b'\\') if b.get(j + 1) == Some(&b']') => return Some(j + 2),
            _ => return None,
        }
    }
}

fn skip_spaces(b: &[u8], mut j: usize) -> usize {
    while matches!(b.get(j), Some(b' ' | b'\t')) {
        j += 1;
    }
    j
}

#[cfg(test)]
mod tests {
    use super::strip_citations as s;

    #[test]
    fn every_form_goes_whole() {
        assert_eq!(s("We did [@E-1]."), "We did.");
        assert_eq!(s("We did [@E-1; @E-2]."), "We did.");
        assert_eq!(s("We did [@E-1, @E-2]."), "We did.");
        assert_eq!(s("We did [@ E-1]."), "We did.");
        assert_eq!(s("We did [ @E-1 ; @ E.2 ]."), "We did.");
        assert_eq!(s("We did `[@E-1]`."), "We did.");
        assert_eq!(s("We did `` [@E-1] ``."), "We did.");
        assert_eq!(s("We did \\[@E-1]."), "We did.");
        assert_eq!(s("We did \\[@E-1\\]."), "We did.");
        assert_eq!(s("We did **`[@E-1]`** ([@E-2])."), "We did.");
        assert_eq!(s("[@E-1] We did."), " We did.");
        assert_eq!(s("%[@E-1]"), "%");
    }

    #[test]
    fn other_brackets_stay() {
        assert_eq!(
            s("a [link](x) and [@] [x] me@x.org"),
            "a [link](x) and [@] [x] me@x.org"
        );
        assert_eq!(s("[@A; B]"), "[@A; B]");
        // An escaped backslash does not escape the bracket.
        assert_eq!(s("a \\\\[@E1]"), "a \\\\");
    }
}
