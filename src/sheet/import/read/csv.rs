//! CSV as a stream: decoded (UTF-8, UTF-16 by its byte-order mark, else
//! Windows-1252) and parsed in fixed-size blocks, so memory is the cells
//! kept, never a copy of the file. Rows are counted as a spreadsheet shows
//! them (spec 6.1): CRLF, LF and a lone CR each end one row, a blank line
//! is a row, and a quoted cell holding line breaks is one row.

use std::io::Read;
use std::path::Path;

use super::Unreadable;
use super::grid::{Builder, Grid, Value};
use super::limits::{self, MAX_CSV_RECORD_BYTES, MAX_CSV_RECORDS};

const BLOCK: usize = 64 << 10;

pub fn read(path: &Path, name: &str, sheet: Option<&str>) -> Result<Grid, Unreadable> {
    // A CSV file is one sheet, named after the file as spreadsheets name it.
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Sheet1".to_owned());
    if let Some(s) = sheet
        && s != stem
    {
        return Err(Unreadable(format!(
            "{name} is a CSV file: its one sheet is `{stem}`, not `{s}`"
        )));
    }
    let encoding = sniff(path, name)?;
    let delimiter = guess_delimiter(path, name, encoding)?;
    let mut parser = Parser::new(name, delimiter);
    let mut text = TextCheck::default();
    decode(path, name, encoding, |chunk| {
        text.feed(chunk, name, encoding)?;
        parser.feed(chunk)?;
        Ok(true)
    })?;
    text.finish(name, encoding)?;
    parser.finish(stem)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Encoding {
    Utf8 { bom: bool },
    Utf16 { big_endian: bool },
    Windows1252,
}

impl Encoding {
    fn skip(self) -> usize {
        match self {
            Encoding::Utf8 { bom: true } => 3,
            Encoding::Utf16 { .. } => 2,
            _ => 0,
        }
    }
}

fn open(path: &Path, name: &str) -> Result<std::fs::File, Unreadable> {
    std::fs::File::open(path).map_err(|e| Unreadable(format!("cannot read {name}: {e}")))
}

/// Reads the file block by block into `f`; `f` returns false to stop.
fn blocks(
    path: &Path,
    name: &str,
    mut f: impl FnMut(&[u8]) -> Result<bool, Unreadable>,
) -> Result<(), Unreadable> {
    let mut file = open(path, name)?;
    let mut buf = vec![0u8; BLOCK];
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Unreadable(format!("cannot read {name}: {e}"))),
        };
        if !f(&buf[..n])? {
            return Ok(());
        }
    }
}

/// The encoding, by byte-order mark, else UTF-8 if the whole file is,
/// else Windows-1252 (one pass over the file, nothing kept).
fn sniff(path: &Path, name: &str) -> Result<Encoding, Unreadable> {
    let mut head = Vec::new();
    blocks(path, name, |b| {
        head.extend_from_slice(&b[..b.len().min(3 - head.len())]);
        Ok(head.len() < 3)
    })?;
    if head.starts_with(b"\xEF\xBB\xBF") {
        return Ok(Encoding::Utf8 { bom: true });
    }
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return Ok(Encoding::Utf16 {
            big_endian: head[0] == 0xFE,
        });
    }
    let mut carry: Vec<u8> = Vec::new();
    let mut valid = true;
    blocks(path, name, |b| {
        carry.extend_from_slice(b);
        match std::str::from_utf8(&carry) {
            Ok(_) => carry.clear(),
            Err(e) if e.error_len().is_none() => {
                carry.drain(..e.valid_up_to());
            }
            Err(_) => valid = false,
        }
        Ok(valid)
    })?;
    Ok(if valid && carry.is_empty() {
        Encoding::Utf8 { bom: false }
    } else {
        Encoding::Windows1252
    })
}

/// Decodes the file as `encoding` into UTF-8 chunks of about a block each;
/// `sink` returns false to stop.
fn decode(
    path: &Path,
    name: &str,
    encoding: Encoding,
    mut sink: impl FnMut(&str) -> Result<bool, Unreadable>,
) -> Result<(), Unreadable> {
    let mut skip = encoding.skip();
    let mut carry: Vec<u8> = Vec::new();
    let mut out = String::with_capacity(BLOCK * 3);
    let mut offset = 0usize;
    let mut go = true;
    blocks(path, name, |b| {
        let b = {
            let s = skip.min(b.len());
            skip -= s;
            offset += s;
            &b[s..]
        };
        out.clear();
        match encoding {
            Encoding::Utf8 { .. } => {
                carry.extend_from_slice(b);
                let valid = match std::str::from_utf8(&carry) {
                    Ok(_) => carry.len(),
                    Err(e) if e.error_len().is_none() => e.valid_up_to(),
                    Err(e) => {
                        return Err(Unreadable(format!(
                            "{name} is not text: it starts as UTF-8 but has an invalid byte at offset {}",
                            offset + e.valid_up_to()
                        )));
                    }
                };
                // Checked just above.
                out.push_str(std::str::from_utf8(&carry[..valid]).unwrap_or_default());
                carry.drain(..valid);
                offset += valid;
            }
            Encoding::Utf16 { big_endian } => {
                carry.extend_from_slice(b);
                let whole = carry.len() / 2 * 2;
                let mut units: Vec<u16> = carry[..whole]
                    .chunks_exact(2)
                    .map(|c| {
                        if big_endian {
                            u16::from_be_bytes([c[0], c[1]])
                        } else {
                            u16::from_le_bytes([c[0], c[1]])
                        }
                    })
                    .collect();
                // A high surrogate at the end waits for its pair.
                let keep = usize::from(units.last().is_some_and(|u| (0xD800..0xDC00).contains(u)));
                units.truncate(units.len() - keep);
                for c in char::decode_utf16(units.iter().copied()) {
                    out.push(c.map_err(|_| {
                        Unreadable(format!(
                            "{name} is not text: it starts as UTF-16 but holds an invalid character"
                        ))
                    })?);
                }
                carry.drain(..units.len() * 2);
            }
            Encoding::Windows1252 => {
                for (i, &byte) in b.iter().enumerate() {
                    out.push(crate::load::decode::windows_1252_char(byte).ok_or_else(|| {
                        Unreadable(format!(
                            "{name} is not text: it is neither UTF-8 nor Windows-1252 (byte 0x{byte:02X} at offset {})",
                            offset + i
                        ))
                    })?);
                }
                offset += b.len();
            }
        }
        go = sink(&out)?;
        Ok(go)
    })?;
    if go && !carry.is_empty() {
        return Err(Unreadable(match encoding {
            Encoding::Utf16 { .. } => format!(
                "{name} is not text: it starts as UTF-16 but ends in the middle of a character"
            ),
            _ => format!("{name} is not text: it ends in the middle of a UTF-8 character"),
        }));
    }
    Ok(())
}

/// Text has no NUL and hardly any other control characters (as
/// `load::decode` judges an attachment).
#[derive(Default)]
struct TextCheck {
    controls: usize,
    bytes: usize,
}

impl TextCheck {
    fn feed(&mut self, s: &str, name: &str, encoding: Encoding) -> Result<(), Unreadable> {
        self.bytes += s.len();
        for c in s.chars() {
            if c == '\0' {
                return Err(Unreadable(format!(
                    "{name} is not text: {}",
                    Self::why(encoding)
                )));
            }
            if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}') {
                self.controls += 1;
            }
        }
        Ok(())
    }

    fn finish(&self, name: &str, encoding: Encoding) -> Result<(), Unreadable> {
        if self.controls * 100 > self.bytes.max(1) {
            return Err(Unreadable(format!(
                "{name} is not text: {}",
                Self::why(encoding)
            )));
        }
        Ok(())
    }

    fn why(encoding: Encoding) -> &'static str {
        match encoding {
            Encoding::Utf16 { .. } => "it starts as UTF-16 but holds control characters",
            _ => {
                "it holds control characters (it looks like a binary file, or UTF-16 without a byte-order mark)"
            }
        }
    }
}

/// Excel in the UK writes `,`; some logs use `;` (Excel in much of Europe)
/// or tabs: take whichever the first 20 lines use most.
fn guess_delimiter(path: &Path, name: &str, encoding: Encoding) -> Result<u8, Unreadable> {
    let mut counts = [0usize; 3];
    let mut lines = 0;
    decode(path, name, encoding, |chunk| {
        for c in chunk.chars() {
            match c {
                ',' => counts[0] += 1,
                ';' => counts[1] += 1,
                '\t' => counts[2] += 1,
                '\n' => {
                    lines += 1;
                    if lines == 20 {
                        return Ok(false);
                    }
                }
                _ => {}
            }
        }
        Ok(true)
    })?;
    Ok([(b',', counts[0]), (b';', counts[1]), (b'\t', counts[2])]
        .into_iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map_or(b',', |(d, _)| d))
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    /// At the start of a field (nothing of it read).
    FieldStart,
    Unquoted,
    Quoted,
    /// A `"` inside a quoted field: the end of the quotes, or the first
    /// of `""`.
    QuoteInQuoted,
}

/// A quote-aware CSV parser fed chunk by chunk.
struct Parser {
    name: String,
    delimiter: u8,
    state: State,
    /// The previous byte was a CR ending a record (a following LF is the
    /// same line break).
    after_cr: bool,
    /// Something of the current record has been read.
    started: bool,
    field: Vec<u8>,
    col: u64,
    /// 0-based row of the current record.
    row: u64,
    record_bytes: usize,
    cells: Builder,
}

impl Parser {
    fn new(name: &str, delimiter: u8) -> Parser {
        Parser {
            name: name.to_owned(),
            delimiter,
            state: State::FieldStart,
            after_cr: false,
            started: false,
            field: Vec::new(),
            col: 0,
            row: 0,
            record_bytes: 0,
            cells: Builder::new(name),
        }
    }

    fn feed(&mut self, chunk: &str) -> Result<(), Unreadable> {
        for &b in chunk.as_bytes() {
            if std::mem::take(&mut self.after_cr) && b == b'\n' {
                continue;
            }
            self.record_bytes += 1;
            if self.record_bytes > MAX_CSV_RECORD_BYTES {
                return Err(Unreadable(format!(
                    "{} has a record longer than {} MiB (row {}); pack refuses it",
                    self.name,
                    MAX_CSV_RECORD_BYTES >> 20,
                    limits::n(self.row + 1)
                )));
            }
            match (self.state, b) {
                (State::Quoted, b'"') => self.state = State::QuoteInQuoted,
                (State::Quoted, _) => self.field.push(b),
                (State::QuoteInQuoted, b'"') => {
                    self.field.push(b'"');
                    self.state = State::Quoted;
                }
                (_, b'\r' | b'\n') => {
                    self.after_cr = b == b'\r';
                    self.end_record()?;
                }
                (_, d) if d == self.delimiter => {
                    self.started = true;
                    self.end_field()?;
                }
                (State::FieldStart, b'"') => {
                    self.started = true;
                    self.state = State::Quoted;
                }
                // Text after a closing quote, or a quote inside an
                // unquoted field, is kept as it is.
                _ => {
                    self.started = true;
                    self.field.push(b);
                    self.state = State::Unquoted;
                }
            }
        }
        Ok(())
    }

    fn end_field(&mut self) -> Result<(), Unreadable> {
        // Bytes from a valid UTF-8 chunk, split only at ASCII bytes.
        let text = String::from_utf8(std::mem::take(&mut self.field))
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        self.cells.push(self.row, self.col, Value::Text(text))?;
        self.col += 1;
        self.state = State::FieldStart;
        Ok(())
    }

    /// Ends the record at a line break (a blank line is a record too).
    fn end_record(&mut self) -> Result<(), Unreadable> {
        if self.started {
            self.end_field()?;
        }
        self.row += 1;
        if self.row > MAX_CSV_RECORDS as u64 {
            return Err(Unreadable(format!(
                "{} has more than {} records (rows); pack refuses it",
                self.name,
                limits::n(MAX_CSV_RECORDS as u64)
            )));
        }
        self.col = 0;
        self.started = false;
        self.record_bytes = 0;
        self.state = State::FieldStart;
        Ok(())
    }

    fn finish(mut self, sheet: String) -> Result<Grid, Unreadable> {
        // A last record without a line break after it.
        if self.started || self.state != State::FieldStart {
            self.end_record()?;
        }
        Ok(self.cells.finish(sheet))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, chunk: usize) -> Vec<Vec<(usize, String)>> {
        let mut p = Parser::new("t.csv", b',');
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let mut end = (at + chunk).min(bytes.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            p.feed(&text[at..end]).unwrap();
            at = end;
        }
        let g = p.finish("t".into()).unwrap();
        g.rows
            .iter()
            .map(|r| {
                r.cells()
                    .map(|(c, v)| match v {
                        Value::Text(t) => (c, t.clone()),
                        v => panic!("{v:?}"),
                    })
                    .collect()
            })
            .collect()
    }

    fn row(cells: &[(usize, &str)]) -> Vec<(usize, String)> {
        cells.iter().map(|(c, t)| (*c, t.to_string())).collect()
    }

    #[test]
    fn line_breaks_are_rows_as_spreadsheets_count_them() {
        for chunk in [1, 2, 3, 1000] {
            for eol in ["\n", "\r\n", "\r"] {
                let text = format!("a,b{eol}{eol}c,d{eol}");
                assert_eq!(
                    parse(&text, chunk),
                    vec![
                        row(&[(0, "a"), (1, "b")]),
                        vec![],
                        row(&[(0, "c"), (1, "d")])
                    ],
                    "{eol:?} by {chunk}"
                );
            }
            // A quoted cell with line breaks is one row; CR CR LF is two.
            assert_eq!(
                parse("\"x\r\ny\",1\r\nz\r\r\nw", chunk),
                vec![
                    row(&[(0, "x\r\ny"), (1, "1")]),
                    row(&[(0, "z")]),
                    vec![],
                    row(&[(0, "w")])
                ]
            );
        }
    }

    #[test]
    fn quotes() {
        assert_eq!(
            parse("\"a \"\"b\"\"\",c\"d,\"\"\n", 7),
            vec![row(&[(0, "a \"b\""), (1, "c\"d")])]
        );
        // An unclosed quote runs to the end of the file.
        assert_eq!(parse("\"a\nb", 1), vec![row(&[(0, "a\nb")])]);
    }

    #[test]
    fn a_long_record_is_refused() {
        let mut p = Parser::new("t.csv", b',');
        let long = "x".repeat(MAX_CSV_RECORD_BYTES + 1);
        assert!(p.feed(&long).unwrap_err().0.contains("longer than 1 MiB"));
    }
}
