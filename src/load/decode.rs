//! Text attachments as the spreadsheets and editors people use write them:
//! by their byte-order mark (UTF-8, UTF-16), else UTF-8, else Windows-1252
//! (what a UK Excel "CSV" export writes). Bytes that are text in none of
//! these are said to be so, never skipped.

/// Why bytes are not text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotText(pub String);

/// Decodes an attachment's bytes.
pub fn decode(bytes: &[u8]) -> Result<String, NotText> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(rest.to_vec()).map_err(|e| {
            NotText(format!(
                "it starts as UTF-8 but has an invalid byte at offset {}",
                e.utf8_error().valid_up_to() + 3
            ))
        });
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes, "UTF-16LE");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes, "UTF-16BE");
    }
    match std::str::from_utf8(bytes) {
        Ok(s) if looks_like_text(s) => Ok(s.to_owned()),
        Ok(_) => Err(NotText(
            "it holds control characters (it looks like a binary file, or UTF-16 without a byte-order mark)".into(),
        )),
        Err(_) => windows_1252(bytes),
    }
}

fn utf16(rest: &[u8], word: fn([u8; 2]) -> u16, name: &str) -> Result<String, NotText> {
    if !rest.len().is_multiple_of(2) {
        return Err(NotText(format!(
            "it starts as {name} but has an odd number of bytes"
        )));
    }
    let units = rest.chunks_exact(2).map(|c| word([c[0], c[1]]));
    let text: String = char::decode_utf16(units)
        .collect::<Result<_, _>>()
        .map_err(|_| {
            NotText(format!(
                "it starts as {name} but holds an invalid character"
            ))
        })?;
    if looks_like_text(&text) {
        Ok(text)
    } else {
        Err(NotText(format!(
            "it starts as {name} but holds control characters"
        )))
    }
}

/// The characters Windows-1252 gives bytes 0x80-0x9F; `None` for the five
/// bytes it leaves undefined.
const CP1252_HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// The character Windows-1252 gives byte `b`; `None` for the five bytes it
/// leaves undefined. Shared with the CSV reader, which decodes as it streams.
pub fn windows_1252_char(b: u8) -> Option<char> {
    match b {
        0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
        _ => Some(char::from(b)),
    }
}

fn windows_1252(bytes: &[u8]) -> Result<String, NotText> {
    let mut out = String::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        let c = windows_1252_char(b).ok_or_else(|| {
            NotText(format!(
                "it is neither UTF-8 nor Windows-1252 (byte 0x{b:02X} at offset {i})"
            ))
        })?;
        out.push(c);
    }
    if looks_like_text(&out) {
        Ok(out)
    } else {
        Err(NotText(
            "it holds control characters (it looks like a binary file)".into(),
        ))
    }
}

/// Text has no NUL and hardly any other control characters.
fn looks_like_text(s: &str) -> bool {
    let mut controls = 0usize;
    for c in s.chars() {
        if c == '\0' {
            return false;
        }
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}') {
            controls += 1;
        }
    }
    controls * 100 <= s.len().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str) -> Vec<u8> {
        let mut v = vec![0xFF, 0xFE];
        for u in s.encode_utf16() {
            v.extend(u.to_le_bytes());
        }
        v
    }

    #[test]
    fn decodes_every_accepted_encoding() {
        assert_eq!(decode(b"a,b\n").unwrap(), "a,b\n");
        assert_eq!(decode(b"\xEF\xBB\xBFa").unwrap(), "a");
        assert_eq!(
            decode(&utf16le("NHS 943 476 5919")).unwrap(),
            "NHS 943 476 5919"
        );
        let mut be = vec![0xFE, 0xFF];
        for u in "é".encode_utf16() {
            be.extend(u.to_be_bytes());
        }
        assert_eq!(decode(&be).unwrap(), "é");
        assert_eq!(decode(b"\xA3100 \x80 caf\xE9").unwrap(), "£100 € café");
    }

    #[test]
    fn refuses_what_is_not_text() {
        assert!(decode(b"\x00\x01\x02binary").is_err());
        assert!(decode(b"\x81\x8D").is_err());
        assert!(decode(b"\xFF\xFEa").is_err());
        // UTF-16 without a BOM is full of NULs.
        assert!(decode(b"9\x004\x003\x00").is_err());
    }
}
