//! `pack portfolio` (spec section 12): many local areas side by side, from
//! the bundles they send. Each bundle is verified by the same code as `pack
//! verify` (`crate::bundle`), its view read into the slim part the
//! portfolio shows (`slim`), and the areas put in one table: a page, a
//! workbook and a JSON file.
//!
//! - `keys`: the adviser's keys file.
//! - `gather`: the bundles named, verified in parallel, each read once.
//! - `identity`: one row per local area; older bundles superseded.
//! - `table`: the official indicators two or more areas share.
//! - `html`, `xlsx`, `json`: the outputs.

pub mod gather;
pub mod html;
pub mod identity;
pub mod json;
pub mod keys;
pub mod slim;
pub mod table;
pub mod xlsx;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::model::Date;
use crate::output::Outputs;

/// Which files to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Xlsx,
    Json,
}

pub struct Options<'a> {
    pub inputs: &'a [PathBuf],
    pub keys: Option<&'a Path>,
    pub out: &'a Path,
    pub formats: &'a [Format],
    /// The run's date (SOURCE_DATE_EPOCH when set): the workbook's.
    pub today: Date,
}

/// How a bundle's signature stands.
#[derive(Debug, Clone)]
pub enum Signature {
    /// Checked against the key the keys file lists for the area.
    Checked { key: String, name: String },
    /// The area has no key in the keys file (or there is no keys file).
    NotChecked,
}

impl Signature {
    pub fn words(&self) -> String {
        match self {
            Signature::Checked { key, .. } => format!("signature checked (key {key})"),
            Signature::NotChecked => "signature not checked".into(),
        }
    }
}

/// Board ratings of a bundle's areas.
#[derive(Debug, Clone, Default)]
pub struct Ratings {
    pub red: usize,
    pub amber: usize,
    pub green: usize,
    pub complete: usize,
    pub unrated: usize,
}

/// One official indicator as one bundle reports it.
#[derive(Debug, Clone)]
pub struct Series {
    pub key: slim::Official,
    pub title: String,
    pub unit: String,
    /// The local area's points, by date: the value as the pack shows it,
    /// and as a number when it is one.
    pub points: Vec<(Date, String, Option<f64>)>,
    /// England's, by date.
    pub england: Vec<(Date, f64)>,
}

/// A verified bundle: what the portfolio shows of it, and nothing more.
#[derive(Debug, Clone)]
pub struct Bundle {
    pub path: PathBuf,
    /// `local_authority.code`, else plan id and title.
    pub identity: String,
    pub la_code: Option<String>,
    pub name: String,
    pub plan_id: String,
    pub plan_title: String,
    pub marking: String,
    pub tool: String,
    pub visit: Option<slim::Visit>,
    pub as_of: Date,
    pub build_date: Date,
    pub ratings: Ratings,
    pub areas_total: usize,
    pub areas_with_evidence: usize,
    /// Points of the last letter with no current evidence answering them;
    /// `None` when the plan records no letter.
    pub open_points: Option<usize>,
    pub overdue_actions: usize,
    pub signature: Signature,
    pub series: Vec<Series>,
    /// The HTML pack, extracted to the staging folder while verifying.
    pub html: Option<PathBuf>,
    /// Where the row links to, relative to the output folder.
    pub link: Option<String>,
}

/// A bundle left out.
#[derive(Debug, Clone)]
pub struct Failed {
    pub path: PathBuf,
    pub reason: String,
}

/// A bundle of an area that a later one replaces.
#[derive(Debug, Clone)]
pub struct Superseded {
    pub path: PathBuf,
    pub name: String,
    pub as_of: Date,
    pub build_date: Date,
    pub by: PathBuf,
}

/// Everything the outputs show.
pub struct Portfolio {
    pub today: Date,
    pub rows: Vec<Bundle>,
    pub superseded: Vec<Superseded>,
    pub failed: Vec<Failed>,
    pub indicators: Vec<table::Indicator>,
    /// The most restrictive marking of the bundles shown.
    pub marking: String,
}

/// What a run made: the files written, and the portfolio they show.
pub struct Made {
    pub portfolio: Portfolio,
    pub written: Vec<PathBuf>,
}

/// Verifies, reads and lays out the bundles, and writes the outputs.
pub fn run(opts: &Options) -> Result<Made> {
    let keys = match opts.keys {
        Some(p) => Some(keys::read(p)?),
        None => None,
    };
    let paths = gather::bundle_paths(opts.inputs)?;
    std::fs::create_dir_all(opts.out)
        .with_context(|| format!("cannot create {}", opts.out.display()))?;
    // The HTML packs are extracted here while their bundles are verified,
    // then moved beside the portfolio; the folder goes when the run ends.
    let staging = tempfile::Builder::new()
        .prefix(".portfolio-")
        .tempdir_in(opts.out)
        .with_context(|| format!("cannot write in {}", opts.out.display()))?;
    let want_html = opts.formats.contains(&Format::Html);
    let (bundles, mut failed) =
        gather::read_all(&paths, keys.as_ref(), want_html.then_some(staging.path()));
    let (mut rows, superseded) = identity::resolve(bundles);
    failed.sort_by(|a, b| a.path.cmp(&b.path));
    let indicators = table::shared(&rows);
    let mut outputs = Outputs::default();
    let mut moves: Vec<(PathBuf, PathBuf)> = Vec::new();
    if want_html {
        for (row, dir) in identity::folders(&mut rows) {
            let Some(html) = &row.html else { continue };
            let name = html.file_name().map(PathBuf::from).unwrap_or_default();
            let rel = Path::new(&dir).join(&name);
            row.link = Some(format!("{dir}/{}", name.display()));
            moves.push((html.clone(), opts.out.join(rel)));
        }
    }
    let marking = if rows.iter().any(|r| r.marking.contains("SENSITIVE")) {
        "OFFICIAL-SENSITIVE"
    } else {
        "OFFICIAL"
    }
    .to_owned();
    let portfolio = Portfolio {
        today: opts.today,
        rows,
        superseded,
        failed,
        indicators,
        marking,
    };
    for f in opts.formats {
        match f {
            Format::Html => outputs.add(
                opts.out.join("portfolio.html"),
                html::page(&portfolio).into_bytes(),
            ),
            Format::Xlsx => {
                outputs.add(opts.out.join("portfolio.xlsx"), xlsx::workbook(&portfolio)?)
            }
            Format::Json => outputs.add(opts.out.join("portfolio.json"), json::file(&portfolio)?),
        }
    }
    // Each pack replaces its earlier copy by a rename, as the outputs do.
    let mut written = Vec::new();
    for (from, to) in moves {
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        std::fs::rename(&from, &to).with_context(|| format!("cannot write {}", to.display()))?;
        written.push(to);
    }
    outputs.write_all()?;
    written.extend(outputs.files.iter().map(|(p, _)| p.clone()));
    drop(staging);
    Ok(Made { portfolio, written })
}
