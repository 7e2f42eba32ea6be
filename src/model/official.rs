//! Official statistics (spec section 10): the local area's identity in
//! plan.yaml, a measure's `official:` source, and the benchmark series read
//! from DfE's tidy CSV files under `data/`.
//!
//! The loader fills `Official` from the YAML; the official-statistics reader
//! (`crate::official`) fills `Measure::benchmarks` and `Measure::suppressed`
//! and merges the local area's rows into `Measure::data`. Everything below the
//! reader (charts, views, the portfolio) only reads these types.

use serde::Serialize;

use super::{At, Choice, Date};
use crate::finding::Pos;

/// `local_authority:` in plan.yaml.
#[derive(Debug, Clone)]
pub struct LocalAuthority {
    /// The ONS code, matched against `new_la_code` (E10000016).
    pub code: At<String>,
    /// DfE's LA number, matched against `old_la_code` ("886").
    pub old_code: Option<At<String>>,
    pub name: String,
    /// Statistical neighbours' codes (at most 10).
    pub neighbours: Vec<At<String>>,
    /// Where `local_authority:` is written.
    pub pos: Pos,
}

/// `official:` on a measure.
#[derive(Debug, Clone)]
pub struct Official {
    /// As written: a path under `data/`, relative to the repository root.
    pub file: At<String>,
    /// The indicator column.
    pub value: At<String>,
    /// Filter column = value, in the order written.
    pub filters: Vec<(At<String>, At<String>)>,
    /// `compare:`; `None` means all the file has.
    pub compare: Option<Vec<At<BenchKind>>>,
    /// Where the `official` key is written (data-source findings point here
    /// when no finer key applies).
    pub pos: Pos,
    /// The newest period with a local figure in the file (filled by the
    /// reader): the `data-source` warning that a newer release may be out
    /// compares it with the as-of date.
    pub newest: Option<Date>,
    /// The local periods in DfE's words ("Summer term 2024/25"), by the
    /// date each ends on (filled by the reader).
    pub periods: std::collections::BTreeMap<Date, String>,
    /// The file relative to the root when it was read (filled by the
    /// reader): what the bundle carries.
    pub resolved: Option<String>,
}

choice!(BenchKind {
    England = "england",
    Region = "region",
    Neighbours = "neighbours",
});

/// One comparison series of a measure.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Benchmark {
    pub kind: BenchKind,
    /// "England", the region's name ("South East"), or "Statistical neighbours".
    pub name: String,
    /// How many neighbours the plan lists; `None` for England and the region.
    pub of: Option<usize>,
    /// Sorted by date.
    pub points: Vec<BenchPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct BenchPoint {
    pub date: Date,
    pub value: f64,
    /// How many neighbours this point averages; `None` for England and the region.
    pub count: Option<usize>,
}
