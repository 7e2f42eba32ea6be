//! The rules of spec section 3: one function per rule, grouped by family.
//! Acknowledgements are applied in one place, after every rule ran.

mod acknowledge;
mod citations;
mod consistency;
mod coverage;
mod dates;
mod family;
mod files;
mod fold;
mod ids;
mod letter;
pub mod placeholder;

use crate::assess::Snapshot;
use crate::finding::{Finding, sort_findings};
use crate::timeline::AsOf;

pub use family::Edition;

/// Runs every rule over a loaded repository. `load_findings` are the
/// findings loading produced (syntax, schema, personal identifiers, long
/// sentences in family text); the result holds those and every rule's,
/// acknowledged and sorted. `family-gap` is only for the family edition.
pub fn run(
    snap: &Snapshot,
    as_of: &AsOf,
    edition: Edition,
    load_findings: Vec<Finding>,
) -> Vec<Finding> {
    let repo = snap.repo;
    let mut findings = load_findings;
    ids::duplicate_id(repo, &mut findings);
    ids::unknown_reference(repo, &mut findings);
    consistency::inconsistent_data(repo, &mut findings);
    files::missing_file_and_unsafe_path(repo, &mut findings);
    files::unused_file(repo, &mut findings);
    dates::future_date(repo, as_of.today, &mut findings);
    dates::expiring(snap, as_of, &mut findings);
    dates::overdue_action(repo, as_of.date, &mut findings);
    coverage::area_gap(snap, &mut findings);
    coverage::action_gap(snap, &mut findings);
    coverage::measure_gap(snap, &mut findings);
    citations::unknown_and_stale(repo, snap, &mut findings);
    letter::letter_point(snap, &mut findings);
    placeholder::placeholder(repo, &mut findings);
    family::family_measures(repo, &mut findings);
    family::unexplained_abbreviations(repo, &mut findings);
    crate::official::stale(repo, as_of.date, &mut findings);
    if edition == Edition::Family {
        family::family_gap(repo, &mut findings);
    }
    // Echoes of an unreadable file go into its finding before anything
    // else (acknowledgements included) sees them.
    fold::fold(repo, &mut findings);
    acknowledge::apply(repo, as_of.date, &mut findings);
    sort_findings(&mut findings);
    findings
}
