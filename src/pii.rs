//! Personal identifiers: NHS numbers and unique pupil numbers (UPNs), found
//! by their check digits so that ordinary numbers do not trip the rule.

/// One identifier found in a text: byte range and what kind it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub kind: IdKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    NhsNumber,
    Upn,
}

impl IdKind {
    pub fn describe(self) -> &'static str {
        match self {
            IdKind::NhsNumber => "an NHS number",
            IdKind::Upn => "a unique pupil number (UPN)",
        }
    }
}

const UPN_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";

/// Every valid NHS number or UPN in `text`, in order.
pub fn find(text: &str) -> Vec<Hit> {
    let b = text.as_bytes();
    let mut hits = Vec::new();
    // Fast path: identifiers need at least 10 digits.
    if b.iter().filter(|c| c.is_ascii_digit()).count() < 10 {
        return hits;
    }
    let mut i = 0;
    while i < b.len() {
        if let Some(end) = nhs_at(b, i) {
            hits.push(Hit {
                start: i,
                end,
                kind: IdKind::NhsNumber,
            });
            i = end;
            continue;
        }
        if let Some(end) = upn_at(b, i) {
            hits.push(Hit {
                start: i,
                end,
                kind: IdKind::Upn,
            });
            i = end;
            continue;
        }
        i += 1;
    }
    hits
}

fn nhs_at(b: &[u8], i: usize) -> Option<usize> {
    if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) {
        return None;
    }
    let mut digits = [0u8; 10];
    let mut n = 0;
    let mut j = i;
    // Either 10 digits in a row, or 3-3-4 with one space or hyphen between groups.
    let grouped = b.len() >= i + 12
        && (b[i + 3] == b' ' || b[i + 3] == b'-')
        && (b[i + 7] == b' ' || b[i + 7] == b'-');
    while n < 10 && j < b.len() {
        let c = b[j];
        if c.is_ascii_digit() {
            digits[n] = c - b'0';
            n += 1;
            j += 1;
        } else if grouped && (j == i + 3 || j == i + 7) {
            j += 1;
        } else {
            break;
        }
    }
    if n != 10 || (j < b.len() && b[j].is_ascii_digit()) {
        return None;
    }
    let sum: u32 = digits[..9]
        .iter()
        .enumerate()
        .map(|(k, d)| u32::from(*d) * (10 - k as u32))
        .sum();
    let check = match 11 - (sum % 11) {
        11 => 0,
        10 => return None,
        c => c,
    };
    (check == u32::from(digits[9])).then_some(j)
}

fn upn_at(b: &[u8], i: usize) -> Option<usize> {
    if i + 13 > b.len() || (i > 0 && b[i - 1].is_ascii_alphanumeric()) {
        return None;
    }
    if b.get(i + 13).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let first = b[i].to_ascii_uppercase();
    if !UPN_LETTERS.contains(&first) {
        return None;
    }
    let mut sum = 0u32;
    for pos in 2..=13usize {
        let c = b[i + pos - 1];
        let value = if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else if pos == 13 {
            let up = c.to_ascii_uppercase();
            UPN_LETTERS.iter().position(|l| *l == up)? as u32
        } else {
            return None;
        };
        sum += value * pos as u32;
    }
    (UPN_LETTERS[(sum % 23) as usize] == first).then_some(i + 13)
}

/// All but the last three characters replaced by `*`.
pub fn mask(identifier: &str) -> String {
    let n = identifier.chars().count();
    identifier
        .chars()
        .enumerate()
        .map(|(k, c)| if k + 3 < n { '*' } else { c })
        .collect()
}

/// `text` with every identifier in it masked; borrowed when there is none.
pub fn mask_all(text: &str) -> std::borrow::Cow<'_, str> {
    let hits = find(text);
    if hits.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for h in hits {
        out.push_str(&text[last..h.start]);
        out.push_str(&mask(&text[h.start..h.end]));
        last = h.end;
    }
    out.push_str(&text[last..]);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(t: &str) -> Vec<IdKind> {
        find(t).into_iter().map(|h| h.kind).collect()
    }

    #[test]
    fn nhs_numbers_by_check_digit() {
        assert_eq!(kinds("NHS 9434765919."), vec![IdKind::NhsNumber]);
        assert_eq!(kinds("943 476 5919"), vec![IdKind::NhsNumber]);
        assert_eq!(kinds("943-476-5919"), vec![IdKind::NhsNumber]);
        assert!(kinds("9434765918").is_empty(), "wrong check digit");
        assert!(kinds("19434765919").is_empty(), "part of a longer run");
        assert!(kinds("94347659190").is_empty(), "part of a longer run");
        assert!(kinds("943 4765 919").is_empty(), "wrong grouping");
        // sum mod 11 == 1 gives check 10: never valid
        assert!(kinds("0000000010").is_empty());
    }

    #[test]
    fn upns_by_check_letter() {
        assert_eq!(kinds("pupil B801200005001 moved"), vec![IdKind::Upn]);
        assert!(kinds("C801200005001").is_empty(), "wrong check letter");
        assert!(kinds("XB801200005001").is_empty(), "part of a longer word");
        assert!(kinds("E-2025-014 and 2025-05-20").is_empty());
    }

    #[test]
    fn temporary_upn_with_final_letter() {
        // Build a valid temporary UPN: 11 digits then a letter.
        let body = "80120000500";
        for last in UPN_LETTERS.iter() {
            let mut sum: u32 = body
                .bytes()
                .enumerate()
                .map(|(k, c)| u32::from(c - b'0') * (k as u32 + 2))
                .sum();
            sum += UPN_LETTERS.iter().position(|l| l == last).unwrap() as u32 * 13;
            let first = UPN_LETTERS[(sum % 23) as usize] as char;
            let upn = format!("{first}{body}{}", *last as char);
            assert_eq!(kinds(&upn), vec![IdKind::Upn], "{upn}");
        }
    }

    #[test]
    fn masking_keeps_last_three() {
        assert_eq!(mask("9434765919"), "*******919");
        assert_eq!(mask_all("id 943 476 5919 here"), "id *********919 here");
        assert_eq!(mask_all("nothing"), "nothing");
    }
}
