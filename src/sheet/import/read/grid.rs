//! A sheet as pack holds it: sparse, so that two cells far apart cost two
//! cells. Rows are kept by index and each row only its non-empty cells;
//! `Rows::iter` still walks every row index (an empty row costs nothing),
//! so row numbers stay the ones the spreadsheet shows.

use std::collections::BTreeMap;

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

/// One row: its non-empty cells, by 0-based column, in column order.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Row {
    cells: Vec<(u32, Value)>,
}

static EMPTY_ROW: Row = Row { cells: Vec::new() };

impl Row {
    /// The cell at 0-based column `col`, if it is not empty.
    pub fn get(&self, col: usize) -> Option<&Value> {
        let col = u32::try_from(col).ok()?;
        self.cells
            .binary_search_by_key(&col, |(c, _)| *c)
            .ok()
            .map(|i| &self.cells[i].1)
    }

    /// The non-empty cells' values, left to right.
    pub fn iter(&self) -> impl Iterator<Item = &Value> {
        self.cells.iter().map(|(_, v)| v)
    }

    /// The non-empty cells with their 0-based columns, left to right.
    pub fn cells(&self) -> impl Iterator<Item = (usize, &Value)> {
        self.cells.iter().map(|(c, v)| (*c as usize, v))
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }
}

/// The rows of a sheet, by 0-based row index; rows with no cell are not
/// stored.
#[derive(Debug, Default)]
pub struct Rows {
    /// Non-empty rows, by index, in order.
    stored: Vec<(u32, Row)>,
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

    /// The non-empty rows with their 0-based indices.
    pub fn stored(&self) -> impl Iterator<Item = (usize, &Row)> {
        self.stored.iter().map(|(i, r)| (*i as usize, r))
    }

    fn get(&self, index: usize) -> &Row {
        u32::try_from(index)
            .ok()
            .and_then(|i| self.stored.binary_search_by_key(&i, |(r, _)| *r).ok())
            .map_or(&EMPTY_ROW, |i| &self.stored[i].1)
    }
}

impl std::ops::Index<usize> for Rows {
    type Output = Row;
    fn index(&self, index: usize) -> &Row {
        self.get(index)
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
    type Item = &'a Row;

    fn next(&mut self) -> Option<&'a Row> {
        if self.next >= self.rows.len {
            return None;
        }
        let row = match self.rows.stored.get(self.at) {
            Some((i, r)) if *i as usize == self.next => {
                self.at += 1;
                r
            }
            _ => &EMPTY_ROW,
        };
        self.next += 1;
        Some(row)
    }

    fn nth(&mut self, n: usize) -> Option<&'a Row> {
        self.next = self.next.saturating_add(n);
        self.at += self.rows.stored[self.at..].partition_point(|(i, _)| (*i as usize) < self.next);
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
    rows: BTreeMap<u32, Vec<(u32, Value)>>,
    cells: usize,
    text: usize,
}

impl Builder {
    pub fn new(file: &str) -> Builder {
        Builder {
            file: file.to_owned(),
            rows: BTreeMap::new(),
            cells: 0,
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
        self.cells += 1;
        if self.cells > MAX_CELLS {
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
        self.rows
            .entry(row as u32)
            .or_default()
            .push((col as u32, value));
        Ok(())
    }

    /// Non-empty cells kept so far.
    pub fn cells(&self) -> usize {
        self.cells
    }

    /// The grid; a cell given twice keeps its last value.
    pub fn finish(self, sheet: String) -> Grid {
        let len = self.rows.keys().next_back().map_or(0, |r| *r as usize + 1);
        let stored = self
            .rows
            .into_iter()
            .map(|(i, mut cells)| {
                // Stable: of two cells at one column the later stays last.
                cells.sort_by_key(|(c, _)| *c);
                let mut kept: Vec<(u32, Value)> = Vec::with_capacity(cells.len());
                for (c, v) in cells {
                    match kept.last_mut() {
                        Some((k, old)) if *k == c => *old = v,
                        _ => kept.push((c, v)),
                    }
                }
                (i, Row { cells: kept })
            })
            .collect();
        Grid {
            sheet,
            rows: Rows { stored, len },
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
        assert_eq!(g.rows.stored().count(), 2);
        assert_eq!(g.rows[1_048_575].get(16_383), Some(&text("z")));
        assert_eq!(g.rows[5].get(0), None);
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
