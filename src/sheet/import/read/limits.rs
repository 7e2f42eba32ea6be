//! What pack reads from one spreadsheet at most (spec 6.1 "Bounded,
//! whatever a file declares"). Every reader counts what it actually finds
//! against these, never what a file declares, and a file past one is
//! refused (exit 2) with the limit it passes, before memory or time run out.

/// Rows of a sheet: Excel's own limit.
pub const MAX_ROWS: u32 = 1_048_576;
/// Columns of a sheet: Excel's own limit (column XFD).
pub const MAX_COLUMNS: u32 = 16_384;
/// Non-empty cells of a sheet.
pub const MAX_CELLS: usize = 2_000_000;
/// The text all the cells of a sheet hold together, in UTF-8 bytes: a few
/// shared strings can be referenced by millions of cells, each a copy.
pub const MAX_TEXT_BYTES: usize = 64 << 20;
/// Records of a CSV file (a blank line is a record: it is a row).
pub const MAX_CSV_RECORDS: usize = 1_000_000;
/// One CSV record, in UTF-8 bytes.
pub const MAX_CSV_RECORD_BYTES: usize = 1 << 20;
/// The file itself (an .xls is read whole, so it is held to less).
pub const MAX_FILE_BYTES: u64 = 200 << 20;
pub const MAX_XLS_BYTES: u64 = 64 << 20;
/// What a zip-based workbook's parts decompress to, counted as they are
/// decompressed (never from the sizes the archive declares).
pub const MAX_EXPANDED_BYTES: u64 = 200 << 20;
/// A part the reader keeps in memory whole (shared strings, styles,
/// workbook), decompressed.
pub const MAX_HELD_PART_BYTES: u64 = 64 << 20;
/// Shared strings a workbook may declare or hold.
pub const MAX_SHARED_STRINGS: u64 = MAX_CELLS as u64;

/// `1048576` as `1,048,576`.
pub fn n(v: u64) -> String {
    let s = v.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands() {
        assert_eq!(super::n(1_048_576), "1,048,576");
        assert_eq!(super::n(999), "999");
        assert_eq!(super::n(1000), "1,000");
    }
}
