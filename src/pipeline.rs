//! Loading and checking a repository for one as-of date: the step every
//! command, `serve` and `import` start from. It lives below `cmd/` so that
//! they all call down into it (spec section 12); the commands only turn
//! their arguments into an [`AsOfRequest`].

use std::path::Path;

use anyhow::{Result, anyhow};

use crate::assess::{AreaState, Snapshot};
use crate::cli::Edition;
use crate::finding::Finding;
use crate::load::{self, Loaded};
use crate::timeline::{self, AsOf, AsOfRequest};

/// A repository loaded and checked for one as-of date.
pub struct Checked {
    pub loaded: Loaded,
    pub as_of: AsOf,
    pub findings: Vec<Finding>,
    pub areas: Vec<AreaState>,
    /// Which items are current on the as-of date, judged once for the run.
    current: Vec<bool>,
}

impl Checked {
    /// The run's snapshot, for every later step (view, status, bundle).
    pub fn snapshot(&self) -> Snapshot<'_> {
        Snapshot::from_current(&self.loaded.repo, self.as_of.date, self.current.clone())
    }
}

/// Finds the repository at or above `dir`, loads it and runs every rule
/// of `edition` on the date `request` resolves to.
pub fn load_and_check(
    dir: &Path,
    request: &AsOfRequest,
    edition: Edition,
    progress: bool,
) -> Result<Checked> {
    let root = load::find_root(dir)?;
    let mut loaded = load::load_with_progress(&root, progress)?;
    let today = timeline::today().map_err(|e| anyhow!(e))?;
    let as_of = timeline::resolve(&loaded.repo.plan, request, today).map_err(|e| anyhow!(e))?;
    let load_findings = std::mem::take(&mut loaded.findings);
    let snap = Snapshot::new(&loaded.repo, as_of.date);
    let findings = crate::check::run(&snap, &as_of, edition, load_findings);
    let areas = snap.areas();
    let current = snap.current;
    Ok(Checked {
        loaded,
        as_of,
        findings,
        areas,
        current,
    })
}

/// Every finding `pack check` would report (as of today) if `overlay`'s
/// files were written: how an import checks what it is about to write.
pub fn check_overlaid(root: &Path, overlay: &load::Overlay) -> Result<Vec<Finding>> {
    let mut loaded = load::load_overlaid(root, overlay)?;
    let today = timeline::today().map_err(|e| anyhow!(e))?;
    let as_of =
        timeline::resolve(&loaded.repo.plan, &AsOfRequest::Auto, today).map_err(|e| anyhow!(e))?;
    let load_findings = std::mem::take(&mut loaded.findings);
    let snap = Snapshot::new(&loaded.repo, as_of.date);
    Ok(crate::check::run(
        &snap,
        &as_of,
        Edition::Reviewer,
        load_findings,
    ))
}
