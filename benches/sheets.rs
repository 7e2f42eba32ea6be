//! `pack import` of a 10,000-row evidence log (read, header, values, the
//! overlaid load and check of what would be written), without writing.
//! `pack export` is timed with the binary (docs/performance.md).

#[path = "support/generate.rs"]
mod generate;

use std::fmt::Write as _;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};

/// A log as a team keeps one: a banner, UK dates, names, lists, notes.
fn log(path: &Path, rows: usize) {
    let mut s = String::from(
        "Evidence log\n\nRef,Title,Date,Partner,Areas,Type,Evidence type,Linked actions,Notes\n",
    );
    for i in 0..rows {
        let a = i % 9 + 1;
        let _ = writeln!(
            s,
            ",Evidence row {i} for area {a},{:02}/{:02}/2025,{},A{a},report,{},A{a}.1,\"A summary of what row {i} shows, long enough to be typical of a real evidence item.\"",
            i % 28 + 1,
            i % 9 + 1,
            if i % 2 == 0 {
                "Kent County Council"
            } else {
                "nhs"
            },
            ["Activity", "IMPACT", "voice"][i % 3],
        );
    }
    std::fs::write(path, s).unwrap();
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    generate::repository_over(dir.path(), 0, 6);
    let root = dir.path().canonicalize().unwrap();
    let csv = root.join("log.csv");
    log(&csv, 10_000);
    let loaded = pack::load::load(&root).unwrap();
    let opts = pack::sheet::import::Options {
        file: &csv,
        file_name: "log.csv",
        sheet: None,
        maps: &[],
        files_dir: None,
        update: false,
        new: false,
    };
    let plan = pack::sheet::import::prepare(&root, &loaded, &opts).unwrap();
    assert_eq!(plan.rows.len(), 10_000, "{:?}", plan.findings.first());
    let mut g = c.benchmark_group("10,000 rows");
    g.sample_size(10);
    g.bench_function("import (prepare, no write)", |b| {
        b.iter(|| {
            pack::sheet::import::prepare(&root, &loaded, &opts)
                .unwrap()
                .rows
                .len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
