//! Recognising a minisign secret key in any file's bytes, wherever it was
//! pasted, so that loading can report it (rule `secret-key`) before it is
//! committed. Only the shape is checked, never a password: the key blob is
//! base64 of 158 bytes that start with the signature algorithm `Ed` and the
//! key-derivation algorithm `Sc` (scrypt, a password) or two zero bytes (no
//! password); the first line of a key file is an untrusted comment naming a
//! secret key.

/// The bytes of a secret key: algorithms (2 + 2 + 2), scrypt salt (32),
/// its limits (8 + 8), key id (8), Ed25519 secret key (64), checksum (32).
pub const SECRET_KEY_BYTES: usize = 158;

/// Base64 characters of that many bytes, without `=` padding.
const SECRET_KEY_B64: usize = (SECRET_KEY_BYTES * 4).div_ceil(3);

/// The first line minisign (and pack) writes into a key file.
const HEADER: &[u8] = b"untrusted comment:";

/// What was found, and where (byte offsets in the scanned bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub found: Found,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// The key itself. `id` is its key id when it is not protected by a
    /// password (a protected key's id is encrypted with it).
    Key {
        encrypted: bool,
        id: Option<super::KeyId>,
    },
    /// A secret key file's first line with no key after it.
    Header,
}

/// Every secret key, and every secret-key header line not followed by its
/// key, in `bytes`, in order.
pub fn find(bytes: &[u8]) -> Vec<Hit> {
    let keys = keys(bytes);
    let mut hits: Vec<Hit> = headers(bytes)
        .into_iter()
        .filter(|(_, end)| {
            // A header whose key is on the same or the next line is one
            // finding: the key's.
            !keys.iter().any(|k| {
                k.start >= *end && bytes[*end..k.start].iter().filter(|b| **b == b'\n').count() <= 1
            })
        })
        .map(|(start, end)| Hit {
            start,
            end,
            found: Found::Header,
        })
        .collect();
    hits.extend(keys);
    hits.sort_by_key(|h| h.start);
    hits
}

/// Whether `bytes` hold a secret key (or its header line) anywhere.
pub fn holds_secret_key(bytes: &[u8]) -> bool {
    !find(bytes).is_empty()
}

/// `text` with every secret key blob found in it replaced by `RW` and
/// `x`s of the same length: positions stay where they were, and the masked
/// text means nothing to YAML or Markdown.
pub fn redact(text: &str) -> Option<String> {
    let hits: Vec<Hit> = keys(text.as_bytes());
    if hits.is_empty() {
        return None;
    }
    let mut bytes = text.as_bytes().to_vec();
    for h in hits {
        // Base64 is ASCII: replacing it byte by byte keeps the text UTF-8.
        for (i, b) in bytes[h.start..h.end].iter_mut().enumerate() {
            if i >= 2 {
                *b = b'x';
            }
        }
    }
    String::from_utf8(bytes).ok()
}

fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

/// Runs of base64 of exactly a secret key's length that decode to one.
fn keys(bytes: &[u8]) -> Vec<Hit> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !is_b64(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_b64(bytes[i]) {
            i += 1;
        }
        let core_end = i;
        while i < bytes.len() && bytes[i] == b'=' && i - core_end < 2 {
            i += 1;
        }
        // `Ed` encodes as `RW`: skip every other run at once.
        if core_end - start != SECRET_KEY_B64 || !bytes[start..].starts_with(b"RW") {
            continue;
        }
        if let Some(found) = decode(&bytes[start..core_end]).and_then(|b| judge(&b)) {
            out.push(Hit {
                start,
                end: i,
                found,
            });
        }
    }
    out
}

/// What a decoded blob is, if it is a secret key.
fn judge(blob: &[u8]) -> Option<Found> {
    if blob.len() != SECRET_KEY_BYTES || &blob[0..2] != b"Ed" {
        return None;
    }
    let encrypted = match &blob[2..4] {
        b"Sc" => true,
        [0, 0] => false,
        _ => return None,
    };
    let id = (!encrypted).then(|| super::key_id(&blob[54..62]));
    Some(Found::Key { encrypted, id })
}

/// Standard base64 without padding; `None` on any other character.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    decode(text.as_bytes())
}

fn decode(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for &c in text {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Lines holding `untrusted comment:` and then the words `secret key`:
/// (start of the comment, end of the line without its line ending).
fn headers(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = find_bytes(&bytes[from..], HEADER) {
        let start = from + at;
        let end = bytes[start..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(bytes.len(), |p| start + p);
        let line = &bytes[start + HEADER.len()..end];
        let end = if line.last() == Some(&b'\r') {
            end - 1
        } else {
            end
        };
        if line
            .to_ascii_lowercase()
            .windows(10)
            .any(|w| w == b"secret key")
        {
            out.push((start, end));
        }
        from = start + HEADER.len();
    }
    out
}

fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The blob of `minisign -G -W` (no password), key id FE0602BF465FF7B3.
    const UNENCRYPTED: &str = "RWQAAEIyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAs/dfRr8CBv59SeqGrvi0FU6zfKQePEtoocrWxfqZFiNbrrvMEm63DuiWTMOiARm7qPHvF/SHA4wYoH6TPbEykxrP/5SIzC1VAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    const PUBLIC: &str = "RWSz919GvwIG/uiWTMOiARm7qPHvF/SHA4wYoH6TPbEykxrP/5SIzC1V";

    #[test]
    fn finds_a_key_file_and_a_pasted_key() {
        let file = format!("untrusted comment: minisign encrypted secret key\n{UNENCRYPTED}\n");
        let hits = find(file.as_bytes());
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(
            hits[0].found,
            Found::Key {
                encrypted: false,
                id: Some(super::super::KeyId(0xFE0602BF465FF7B3))
            }
        );
        assert_eq!(&file[hits[0].start..hits[0].end], UNENCRYPTED);

        let pasted = format!("summary: |\n  Our key is {UNENCRYPTED} (oops)\n");
        assert_eq!(find(pasted.as_bytes()).len(), 1);
        // Without its padding too.
        let bare = UNENCRYPTED.trim_end_matches('=');
        assert_eq!(find(bare.as_bytes()).len(), 1);
    }

    #[test]
    fn a_public_key_a_signature_or_a_longer_run_is_not_a_secret_key() {
        let pubfile =
            format!("untrusted comment: minisign public key FE0602BF465FF7B3\n{PUBLIC}\n");
        assert!(find(pubfile.as_bytes()).is_empty());
        let longer = format!("{}AAAA", UNENCRYPTED.trim_end_matches('='));
        assert!(find(longer.as_bytes()).is_empty());
        let mut wrong_alg = UNENCRYPTED.as_bytes().to_vec();
        wrong_alg[3] = b'B'; // the kdf bytes are no longer 0 or `Sc`
        assert!(find(&wrong_alg).is_empty());
    }

    #[test]
    fn a_header_alone_is_found_and_redaction_keeps_positions() {
        let hits = find(b"notes\nuntrusted comment: rsign encrypted secret key\r\n(lost)\n");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].found, Found::Header);
        let text = format!("a: {UNENCRYPTED}\n");
        let red = redact(&text).unwrap();
        assert_eq!(red.len(), text.len());
        assert!(red.starts_with("a: RWxxx"));
        assert!(!red.contains("AAAA"));
        assert!(redact("nothing here").is_none());
    }
}
