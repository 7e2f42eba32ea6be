//! A cell of an indicator column: a number, or one of the symbols DfE
//! writes in place of one (spec section 10).

/// What a cell holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    Number(f64),
    /// `c`, `x`, `z`, `low`, `u`, or the older `~` and `:`: no data point.
    Symbol,
    /// Neither: a data-source error naming the cell.
    Bad,
}

/// The symbols, as DfE's guidance lists them: `c` confidential
/// (suppressed), `x` not available, `z` not applicable, `low` rounds to
/// zero, `u` low reliability, and in older files `~` (rounds to zero) and
/// `:` (not available).
pub const SYMBOLS: [&str; 7] = ["c", "x", "z", "low", "u", "~", ":"];

/// Reads a cell. Numbers are plain decimals (`46.4`, `-3`, `1e3`); DfE's
/// files never group digits, but a spreadsheet that saved the file again
/// may have (`20,635`), so commas between groups of three digits are read
/// too. Symbols are matched ignoring case and surrounding spaces.
pub fn read(cell: &[u8]) -> Cell {
    let text = trim(cell);
    if let Some(x) = std::str::from_utf8(text)
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
    {
        return if x.is_finite() {
            Cell::Number(x)
        } else {
            Cell::Bad
        };
    }
    if SYMBOLS
        .iter()
        .any(|s| s.as_bytes().eq_ignore_ascii_case(text))
    {
        return Cell::Symbol;
    }
    grouped(text).map_or(Cell::Bad, Cell::Number)
}

/// `b` without surrounding ASCII spaces.
pub fn trim(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &b[start..end]
}

/// `20,635` or `-1,234.5`: digits grouped in threes by commas.
fn grouped(text: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(text).ok()?;
    let (sign, rest) = match s.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", s),
    };
    let (whole, frac) = rest.split_once('.').unwrap_or((rest, ""));
    let mut groups = whole.split(',');
    let first = groups.next()?;
    let ok = !first.is_empty()
        && first.len() <= 3
        && first.bytes().all(|b| b.is_ascii_digit())
        && whole.contains(',')
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
        && frac.bytes().all(|b| b.is_ascii_digit());
    if !ok {
        return None;
    }
    let plain = format!("{sign}{}.{frac}0", whole.replace(',', ""));
    plain.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_symbols_and_the_rest() {
        assert_eq!(read(b"46.4"), Cell::Number(46.4));
        assert_eq!(read(b" 13 "), Cell::Number(13.0));
        assert_eq!(read(b"20,635"), Cell::Number(20635.0));
        assert_eq!(read(b"-1,234.5"), Cell::Number(-1234.5));
        for s in SYMBOLS {
            assert_eq!(read(s.as_bytes()), Cell::Symbol, "{s}");
        }
        assert_eq!(read(b"LOW"), Cell::Symbol);
        for bad in [
            &b""[..],
            b"n/a",
            b"1,23",
            b"12,3456",
            b"inf",
            b"NaN",
            b"1.2.3",
        ] {
            assert_eq!(read(bad), Cell::Bad, "{}", String::from_utf8_lossy(bad));
        }
    }
}
