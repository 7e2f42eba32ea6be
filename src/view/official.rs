//! A measure's published source in the view (spec section 10).

use serde::Serialize;

/// A measure's `official:` source, as written.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OfficialView {
    /// The data file, relative to the repository root (`data/...csv`).
    pub file: String,
    /// The indicator column.
    pub value: String,
    /// Filter column = value.
    #[serde(rename = "where")]
    pub filters: std::collections::BTreeMap<String, String>,
}

impl OfficialView {
    pub fn of(o: &crate::model::Official) -> Self {
        OfficialView {
            file: o.resolved.clone().unwrap_or_else(|| o.file.value.clone()),
            value: o.value.value.clone(),
            filters: o
                .filters
                .iter()
                .map(|(c, v)| (c.value.clone(), v.value.clone()))
                .collect(),
        }
    }
}
