//! Key ids. minisign names a key by its 8-byte key number, read
//! little-endian and printed in hex: releases up to 0.11 (Debian's among
//! them) print it without leading zeros (`%PRIX64`), newer ones pad it to
//! 16 digits. Both spellings are the same key, so a key id is a number:
//! pack prints all 16 digits and compares numbers, never strings.

use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct KeyId(pub u64);

impl KeyId {
    /// The key id of a key number as minisign stores it (little-endian).
    pub fn from_keynum(keynum: &[u8]) -> KeyId {
        let mut b = [0u8; 8];
        for (d, s) in b.iter_mut().zip(keynum) {
            *d = *s;
        }
        KeyId(u64::from_le_bytes(b))
    }

    /// The id as a minisign release that drops leading zeros prints it,
    /// when that differs from pack's 16 digits.
    pub fn short_spelling(self) -> Option<String> {
        let short = format!("{:X}", self.0);
        (short.len() < 16).then_some(short)
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016X}", self.0)
    }
}

/// A key id as a person or a tool wrote it: 1 to 16 hex digits, either
/// case, with or without leading zeros or a `0x`.
impl FromStr for KeyId {
    type Err = String;

    fn from_str(s: &str) -> Result<KeyId, String> {
        let t = s.trim();
        let hex = t
            .strip_prefix("0x")
            .or_else(|| t.strip_prefix("0X"))
            .unwrap_or(t);
        if hex.is_empty() || hex.len() > 16 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!(
                "`{}` is not a minisign key id (up to 16 hex digits)",
                crate::finding::escape_controls(&t.chars().take(40).collect::<String>())
            ));
        }
        u64::from_str_radix(hex, 16)
            .map(KeyId)
            .map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_spellings_are_the_same_key() {
        let padded: KeyId = "0D0B8CEB40EF6FCA".parse().unwrap();
        let short: KeyId = "D0B8CEB40EF6FCA".parse().unwrap();
        assert_eq!(padded, short);
        assert_eq!("d0b8ceb40ef6fca".parse::<KeyId>().unwrap(), padded);
        assert_eq!(padded.to_string(), "0D0B8CEB40EF6FCA");
        assert_eq!(padded.short_spelling().as_deref(), Some("D0B8CEB40EF6FCA"));
        assert_eq!(KeyId(0xFE0602BF465FF7B3).short_spelling(), None);
        for bad in ["", "0x", "G", "00000000000000000", "12 34"] {
            assert!(bad.parse::<KeyId>().is_err(), "{bad}");
        }
    }

    #[test]
    fn key_numbers_are_little_endian() {
        let id = KeyId::from_keynum(&[0xCA, 0x6F, 0xEF, 0x40, 0xEB, 0x8C, 0x0B, 0x0D]);
        assert_eq!(id.to_string(), "0D0B8CEB40EF6FCA");
    }
}
