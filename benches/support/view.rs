//! The view of a generated repository as `pack build --allow-gaps` makes it
//! on 20 November 2025: load, check and view in one place for the benches
//! that build packs (build) and bundles (portfolio).

use std::path::Path;

pub fn view_of(root: &Path) -> pack::view::PackView {
    let mut loaded = pack::load::load(root).unwrap();
    let today = pack::model::Date::parse("2025-11-20").unwrap();
    let as_of =
        pack::timeline::resolve(&loaded.repo.plan, &pack::timeline::AsOfRequest::Auto, today)
            .unwrap();
    let load_findings = std::mem::take(&mut loaded.findings);
    let snap = pack::assess::Snapshot::new(&loaded.repo, as_of.date);
    let findings = pack::check::run(&snap, &as_of, pack::check::Edition::Reviewer, load_findings);
    let opts = pack::view::Options {
        include_sensitive: false,
        allow_gaps: true,
        commit: pack::provenance::commit(root),
        build_date: today,
        digests: Default::default(),
    };
    pack::view::build(&snap, &as_of, &findings, &opts)
}
