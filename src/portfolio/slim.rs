//! The part of a bundle's view the portfolio shows, read straight from the
//! view's JSON: serde skips every other field as it reads, so the rest of
//! the view (evidence, narratives, chart SVGs) is never built in memory.
//! Fields a view of an older 1.x may lack default to empty.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The first thing read: which version of the view's shape, and which pack
/// wrote it.
#[derive(Deserialize)]
pub struct Head {
    #[serde(default)]
    pub schema_version: Option<String>,
    #[serde(default)]
    pub meta: HeadMeta,
}

#[derive(Deserialize, Default)]
pub struct HeadMeta {
    #[serde(default)]
    pub tool: Option<String>,
}

#[derive(Deserialize)]
pub struct View {
    pub meta: Meta,
    #[serde(default)]
    pub areas: Vec<Area>,
    #[serde(default)]
    pub last_letter: Option<Letter>,
}

#[derive(Deserialize)]
pub struct Meta {
    #[serde(default)]
    pub tool: String,
    pub plan_id: String,
    pub title: String,
    #[serde(default)]
    pub marking: String,
    #[serde(default)]
    pub visit: Option<Visit>,
    pub as_of: String,
    pub build_date: String,
    #[serde(default)]
    pub file_stem: String,
    #[serde(default)]
    pub local_authority: Option<LocalAuthority>,
}

#[derive(Deserialize, Serialize, Clone, Debug)]
pub struct Visit {
    pub id: String,
    pub title: String,
    pub date: String,
}

#[derive(Deserialize, Serialize, Clone, Debug)]
pub struct LocalAuthority {
    pub code: String,
    #[serde(default)]
    pub old_code: Option<String>,
    pub name: String,
}

#[derive(Deserialize)]
pub struct Area {
    #[serde(default)]
    pub rating: Option<Rating>,
    #[serde(default)]
    pub state: Option<State>,
    #[serde(default)]
    pub actions: Vec<Action>,
    #[serde(default)]
    pub measures: Vec<Measure>,
}

#[derive(Deserialize)]
pub struct Rating {
    pub word: String,
}

#[derive(Deserialize)]
pub struct State {
    /// The area has the current evidence it needs on the as-of date.
    pub complete: bool,
}

#[derive(Deserialize)]
pub struct Action {
    #[serde(default)]
    pub due: Option<String>,
    #[serde(default)]
    pub status: String,
}

#[derive(Deserialize)]
pub struct Letter {
    #[serde(default)]
    pub unanswered: usize,
}

#[derive(Deserialize)]
pub struct Measure {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub official: Option<Official>,
    #[serde(default)]
    pub points: Vec<Point>,
    #[serde(default)]
    pub benchmarks: Vec<Benchmark>,
}

/// `official: {file, value, where}` (spec section 10).
#[derive(Deserialize, Serialize, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Official {
    pub file: String,
    pub value: String,
    #[serde(default, rename = "where")]
    pub filters: BTreeMap<String, String>,
}

#[derive(Deserialize)]
pub struct Point {
    pub date: String,
    /// As the pack shows it ("45.5"): a number or its text.
    pub value: serde_json::Value,
}

#[derive(Deserialize)]
pub struct Benchmark {
    pub kind: String,
    #[serde(default)]
    pub points: Vec<BenchPoint>,
}

#[derive(Deserialize)]
pub struct BenchPoint {
    pub date: String,
    #[serde(default)]
    pub value: Option<f64>,
}

/// A point's value as a number, when it is one ("45.5", 45.5, "45.5%").
pub fn number(v: &serde_json::Value) -> Option<f64> {
    match v {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => {
            s.trim().trim_end_matches('%').replace(',', "").parse().ok()
        }
        _ => None,
    }
}
