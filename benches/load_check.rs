//! Load plus check against the floor (walk, read and parse every file into
//! an untyped value, on both cores), at 1,000 and 10,000 items; 100,000
//! with `PACK_BENCH_LARGE=1`.

#[path = "support/generate.rs"]
mod generate;

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use rayon::prelude::*;

fn floor(root: &Path) -> usize {
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    for dir in ["plan", "evidence"] {
        for e in walkdir::WalkDir::new(root.join(dir))
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "yaml") {
                files.push(e.into_path());
            }
        }
    }
    files
        .par_iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            usize::from(pack::load::yaml::parse(&text).is_ok())
        })
        .sum()
}

fn load_and_check(root: &Path) -> usize {
    let mut loaded = pack::load::load(root).unwrap();
    let today = pack::model::Date::parse("2025-11-20").unwrap();
    let as_of =
        pack::timeline::resolve(&loaded.repo.plan, &pack::timeline::AsOfRequest::Auto, today)
            .unwrap();
    let findings = std::mem::take(&mut loaded.findings);
    let snap = pack::assess::Snapshot::new(&loaded.repo, as_of.date);
    pack::check::run(&snap, &as_of, pack::check::Edition::Reviewer, findings).len()
}

fn bench(c: &mut Criterion) {
    let mut sizes = vec![1_000, 10_000];
    if std::env::var_os("PACK_BENCH_LARGE").is_some() {
        sizes.push(100_000);
    }
    for n in sizes {
        let dir = tempfile::tempdir().unwrap();
        generate::repository(dir.path(), n);
        let root = dir.path().canonicalize().unwrap();
        let mut g = c.benchmark_group(format!("{n} items"));
        g.sample_size(if n >= 100_000 { 10 } else { 20 });
        g.bench_function("floor: walk+read+parse", |b| b.iter(|| floor(&root)));
        g.bench_function("load+check", |b| b.iter(|| load_and_check(&root)));
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
