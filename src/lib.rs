//! pack: an improvement plan and its evidence, kept as YAML in git, turned
//! into a checked, reviewer-ready evidence pack.
//!
//! The pipeline: `load` (files to model and findings) → `check` (rules) →
//! `report` (human, json, github, junit, markdown); and `view` (the pack's
//! content for an as-of date) → `render` (pdf, md, html, json) → `output`.
//! `sheet` carries the evidence log between spreadsheets and the repository.

pub mod assess;
pub mod bundle;
pub mod chart;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod finding;
pub mod fonts;
pub mod load;
pub mod markdown;
pub mod model;
pub mod naming;
pub mod official;
pub mod output;
pub mod pii;
pub mod pipeline;
pub mod plain;
pub mod portfolio;
pub mod provenance;
pub mod render;
pub mod report;
pub mod rules;
pub mod schema;
pub mod serve;
pub mod sheet;
pub mod sign;
pub mod since;
pub mod timeline;
pub mod view;

/// The version, and the commit it was built from when built from git.
pub const VERSION: &str = env!("PACK_VERSION");
