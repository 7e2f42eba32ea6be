//! A sheet as pack holds it: sparse, so that two cells far apart cost two
//! cells. Only non-empty cells are kept, in one list sorted by row and
//! column; `Rows::iter` still walks every row index (an empty row costs
//! nothing), so row numbers stay the ones the spreadsheet shows.

use super::Unreadable;
use super::limits::{self, MAX_CELLS, MAX_COLUMNS, MAX_ROWS, MAX_TEXT_BYTES};
use crate::model::Date;

/// A cell's value, as the sheet holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// A real date cell.
    Date(Date),
    /// An error cell (`#N/A`, `#REF!`...), as the spreadsheet shows it, or a
    /// cell pack cannot take as it is (a date cell before 1900-03-01).
    Error(String),
}

/// A non-empty cell: 0-based row, column, and value.
type Cell = (u32, u32, Value);

/// One row: its non-empty cells, in column order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row<'a> {
    cells: &'a [Cell],
}

impl<'a> Row<'a> {
    /// The cell at 0-based column `col`, if it is not empty.
    pub fn get(&self, col: usize) -> Option<&'a Value> {
        let col = u32::try_from(col).ok()?;
        self.cells
            .binary_search_by_key(&col, |(_, c, _)| *c)
            .ok()
            .map(|i| &self.cells[i].2)
    }

    /// The non-empty cells' values, left to right.
    pub fn iter(&self) -> impl Iterator<Item = &'a Value> + use<'a> {
        self.cells.iter().map(|(_, _, v)| v)
    }

    /// The non-empty cells with their 0-based columns, left to right.
    pub fn cells(&self) -> impl Iterator<Item = (usize, &'a Value)> + use<'a> {
        self.cells.iter().map(|(_, c, v)| (*c as usize, v))
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }
}

/// The rows of a sheet, by 0-based row index. Cells are kept in one flat
/// list sorted by row and column (a row costs no allocation of its own);
/// rows with no cell are not stored.
#[derive(Debug, Default)]
pub struct Rows {
    cells: Vec<Cell>,
    /// Each non-empty row and where its cells start in `cells`, in order.
    starts: Vec<(u32, u32)>,
    /// One past the last non-empty row.
    len: usize,
}

impl Rows {
    /// Every row from the first to the last non-empty one, empty rows
    /// included.
    pub fn iter(&self) -> RowsIter<'_> {
        RowsIter {
            rows: self,
            next: 0,
            at: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Row `index` (empty past the last).
    pub fn get(&self, index: usize) -> Row<'_> {
        u32::try_from(index)
            .ok()
            .and_then(|i| self.starts.binary_search_by_key(&i, |(r, _)| *r).ok())
            .map_or(Row { cells: &[] }, |at| self.stored(at))
    }

    /// The `at`th non-empty row.
    fn stored(&self, at: usize) -> Row<'_> {
        let start = self.starts[at].1 as usize;
        let end = self
            .starts
            .get(at + 1)
            .map_or(self.cells.len(), |(_, s)| *s as usize);
        Row {
            cells: &self.cells[start..end],
        }
    }
}

/// Walks every row index; `nth` (and so `skip`) jumps without walking.
pub struct RowsIter<'a> {
    rows: &'a Rows,
    /// The next row index to yield.
    next: usize,
    /// The first stored row at or after `next`.
    at: usize,
}

impl<'a> Iterator for RowsIter<'a> {
    type Item = Row<'a>;

    fn next(&mut self) -> Option<Row<'a>> {
        if self.next >= self.rows.len {
            return None;
        }
        let row = match self.rows.starts.get(self.at) {
            Some((i, _)) if *i as usize == self.next => {
                self.at += 1;
                self.rows.stored(self.at - 1)
            }
            _ => Row { cells: &[] },
        };
        self.next += 1;
        Some(row)
    }

    fn nth(&mut self, n: usize) -> Option<Row<'a>> {
        self.next = self.next.saturating_add(n);
        self.at += self.rows.starts[self.at..].partition_point(|(i, _)| (*i as usize) < self.next);
        self.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.rows.len.saturating_sub(self.next);
        (left, Some(left))
    }
}

impl ExactSizeIterator for RowsIter<'_> {}

/// One sheet: rows of cells, by 0-based row and column of the sheet.
#[derive(Debug)]
pub struct Grid {
    pub sheet: String,
    pub rows: Rows,
}

/// Collects a sheet's cells in any order, refusing the sheet as soon as it
/// passes a limit (the file name goes in the reason).
pub struct Builder {
    file: String,
    cells: Vec<Cell>,
    text: usize,
}

impl Builder {
    pub fn new(file: &str) -> Builder {
        Builder {
            file: file.to_owned(),
            cells: Vec::new(),
            text: 0,
        }
    }

    /// Checks a position before anything is kept for it.
    pub fn check_position(&self, row: u64, col: u64) -> Result<(), Unreadable> {
        if row >= u64::from(MAX_ROWS) {
            return Err(Unreadable(format!(
                "{} has a cell in row {}, past the {} rows a sheet can have; pack refuses it",
                self.file,
                limits::n(row.saturating_add(1)),
                limits::n(MAX_ROWS.into())
            )));
        }
        if col >= u64::from(MAX_COLUMNS) {
            return Err(Unreadable(format!(
                "{} has a cell in column {}, past the {} columns a sheet can have; pack refuses it",
                self.file,
                limits::n(col.saturating_add(1)),
                limits::n(MAX_COLUMNS.into())
            )));
        }
        Ok(())
    }

    /// Adds a cell; an empty one (or blank text) is only checked.
    pub fn push(&mut self, row: u64, col: u64, value: Value) -> Result<(), Unreadable> {
        self.check_position(row, col)?;
        let value = match value {
            Value::Text(t) if t.trim().is_empty() => return Ok(()),
            Value::Empty => return Ok(()),
            v => v,
        };
        if self.cells.len() >= MAX_CELLS {
            return Err(Unreadable(format!(
                "{} has more than {} non-empty cells in one sheet; pack refuses it",
                self.file,
                limits::n(MAX_CELLS as u64)
            )));
        }
        if let Value::Text(t) | Value::Error(t) = &value {
            self.text += t.len();
            if self.text > MAX_TEXT_BYTES {
                return Err(Unreadable(format!(
                    "{}'s cells hold more than {} MiB of text in one sheet; pack refuses it",
                    self.file,
                    MAX_TEXT_BYTES >> 20
                )));
            }
        }
        // Both checked above to be within u32.
        self.cells.push((row as u32, col as u32, value));
        Ok(())
    }

    /// Non-empty cells kept so far.
    pub fn cells(&self) -> usize {
        self.cells.len()
    }

    /// The grid; a cell given twice keeps its last value.
    pub fn finish(self, sheet: String) -> Grid {
        let mut cells = self.cells;
        // Readers give cells in order nearly always; a stable sort keeps
        // the later of two cells at one place last.
        if !cells.is_sorted_by_key(|(r, c, _)| (*r, *c)) {
            cells.sort_by_key(|(r, c, _)| (*r, *c));
        }
        cells.dedup_by(|later, kept| {
            let same = (later.0, later.1) == (kept.0, kept.1);
            if same {
                std::mem::swap(&mut later.2, &mut kept.2);
            }
            same
        });
        cells.shrink_to_fit();
        let mut starts: Vec<(u32, u32)> = Vec::new();
        for (i, (r, _, _)) in cells.iter().enumerate() {
            if starts.last().is_none_or(|(last, _)| last != r) {
                // At most MAX_CELLS cells: the index fits.
                starts.push((*r, i as u32));
            }
        }
        let len = cells.last().map_or(0, |(r, _, _)| *r as usize + 1);
        Grid {
            sheet,
            rows: Rows { cells, starts, len },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Value {
        Value::Text(s.to_owned())
    }

    #[test]
    fn far_cells_are_two_cells() {
        let mut b = Builder::new("f");
        b.push(0, 0, text("a")).unwrap();
        b.push(1_048_575, 16_383, text("z")).unwrap();
        let g = b.finish("S".into());
        assert_eq!(g.rows.len(), 1_048_576);
        assert_eq!(g.rows.iter().filter(|r| !r.is_empty()).count(), 2);
        assert_eq!(g.rows.get(1_048_575).get(16_383), Some(&text("z")));
        assert_eq!(g.rows.get(5).get(0), None);
        let (i, r) = g
            .rows
            .iter()
            .enumerate()
            .skip(1)
            .find(|(_, r)| !r.is_empty())
            .unwrap();
        assert_eq!(i, 1_048_575);
        assert_eq!(r.cells().next().unwrap().0, 16_383);
    }

    #[test]
    fn iteration_sees_every_row_in_order() {
        let mut b = Builder::new("f");
        b.push(3, 1, text("d")).unwrap();
        b.push(1, 0, text("b")).unwrap();
        b.push(1, 0, text("b2")).unwrap();
        b.push(2, 0, text("  ")).unwrap();
        let g = b.finish("S".into());
        let seen: Vec<Vec<&Value>> = g.rows.iter().map(|r| r.iter().collect()).collect();
        assert_eq!(
            seen,
            vec![vec![], vec![&text("b2")], vec![], vec![&text("d")]]
        );
        let mut it = g.rows.iter();
        assert_eq!(it.nth(3).unwrap().get(1), Some(&text("d")));
        assert!(it.next().is_none());
    }

    #[test]
    fn limits_are_refused() {
        let mut b = Builder::new("f");
        assert!(
            b.push(1_048_576, 0, text("x"))
                .unwrap_err()
                .0
                .contains("1,048,576 rows")
        );
        assert!(
            b.push(0, 16_384, text("x"))
                .unwrap_err()
                .0
                .contains("16,384 columns")
        );
    }
}
