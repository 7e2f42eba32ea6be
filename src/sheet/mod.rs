//! The evidence log as a spreadsheet: `pack import` reads one into
//! evidence/, `pack export` writes the repository back out as one (spec
//! section 6). Both use the one table of columns below, so that whatever
//! export writes, import reads back.

pub mod cell_text;
pub mod columns;
pub mod export;
pub mod import;

pub use columns::{COLUMNS, Column, Field, HeaderMatch, match_header};
