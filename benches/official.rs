//! Official statistics (spec section 10): one 100,000-row tidy CSV read
//! once for several measures, and `pack check` of the example with and
//! without its data/ files (the target: within 10% of each other).
//!
//! `cargo bench --bench official --no-default-features` (the PDF is not
//! involved); docs/performance.md records the numbers.

use std::fmt::Write as _;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};

/// A tidy file of `rows` rows: years x places x breakdowns, with a symbol
/// in every 37th value, as DfE's larger files have.
fn tidy_file(path: &Path, rows: usize) {
    let mut csv = String::from(
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,la_name,breakdown_topic,breakdown,count,rate\n",
    );
    let breakdowns = 40;
    let places = 153 + 9 + 1;
    let mut n = 0;
    'out: for year in 2000.. {
        for b in 0..breakdowns {
            for p in 0..places {
                if n == rows {
                    break 'out;
                }
                let place = match p {
                    0 => "National,E92000001,England,,,,,".to_owned(),
                    1..=9 => format!("Regional,E92000001,England,E1200000{p},Region {p},,,"),
                    _ => format!(
                        "Local authority,E92000001,England,E1200000{},Region,E1000{:04},{},LA {p}",
                        p % 9 + 1,
                        p,
                        800 + p
                    ),
                };
                let rate = if n % 37 == 0 {
                    "c".to_owned()
                } else {
                    format!("{:.1}", (n * 7919 % 1000) as f64 / 10.0)
                };
                writeln!(
                    csv,
                    "{year},Calendar year,{place},Topic,Breakdown {b},{},{rate}",
                    n % 5000
                )
                .unwrap();
                n += 1;
            }
        }
    }
    std::fs::write(path, csv).unwrap();
}

/// A repository whose three measures read the same big file.
fn big_repository(root: &Path, rows: usize) {
    std::fs::create_dir_all(root.join("plan/areas")).unwrap();
    std::fs::create_dir_all(root.join("data")).unwrap();
    tidy_file(&root.join("data/big.csv"), rows);
    let neighbours: Vec<String> = (20..30).map(|p| format!("E1000{p:04}")).collect();
    std::fs::write(
        root.join("plan/plan.yaml"),
        format!(
            "id: bench\ntitle: Bench\norganisations: [{{id: kcc, name: Kent}}]\nvisits: [{{id: v, date: 2025-11-20}}]\nlocal_authority: {{code: E10000016, name: LA 16, neighbours: [{}]}}\n",
            neighbours.join(", ")
        ),
    )
    .unwrap();
    let mut area = String::from("id: A1\ntitle: Area\nweakness: W\noutcome: O\nmeasures:\n");
    for m in 0..3 {
        writeln!(
            area,
            "  - id: A1.M{m}\n    title: M{m}\n    official: {{file: data/big.csv, value: rate, where: {{breakdown: Breakdown {m}}}}}"
        )
        .unwrap();
    }
    std::fs::write(root.join("plan/areas/a1.yaml"), area).unwrap();
}

fn load_and_check(root: &Path) -> usize {
    let mut loaded = pack::load::load(root).unwrap();
    let today = pack::model::Date::parse("2025-11-20").unwrap();
    let as_of = pack::timeline::resolve(
        &loaded.repo.plan,
        &pack::timeline::AsOfRequest::Visit("2025-11".into()),
        today,
    )
    .or_else(|_| {
        pack::timeline::resolve(&loaded.repo.plan, &pack::timeline::AsOfRequest::Auto, today)
    })
    .unwrap();
    let findings = std::mem::take(&mut loaded.findings);
    let snap = pack::assess::Snapshot::new(&loaded.repo, as_of.date);
    pack::check::run(&snap, &as_of, pack::check::Edition::Reviewer, findings).len()
}

/// The example as it is, and without data/ and its measures' `official:`.
fn example_copies() -> (tempfile::TempDir, tempfile::TempDir) {
    let example = Path::new(env!("CARGO_MANIFEST_DIR"));
    let with = tempfile::tempdir().unwrap();
    let without = tempfile::tempdir().unwrap();
    for dir in ["plan", "evidence", "data"] {
        for e in walkdir::WalkDir::new(example.join(dir))
            .into_iter()
            .flatten()
        {
            let rel = e.path().strip_prefix(example).unwrap();
            for (to, keep) in [(&with, true), (&without, dir != "data")] {
                if !keep {
                    continue;
                }
                let target = to.path().join(rel);
                if e.file_type().is_dir() {
                    std::fs::create_dir_all(&target).unwrap();
                } else {
                    std::fs::copy(e.path(), &target).unwrap();
                }
            }
        }
    }
    // Drop each `official:` block (its key and the deeper-indented lines after it).
    for e in std::fs::read_dir(without.path().join("plan/areas")).unwrap() {
        let p = e.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        let mut out = String::new();
        let mut skipping = false;
        for line in text.lines() {
            if line.trim_start().starts_with("official:") {
                skipping = true;
                continue;
            }
            if skipping && line.starts_with("      ") {
                continue;
            }
            skipping = false;
            out.push_str(line);
            out.push('\n');
        }
        std::fs::write(&p, out).unwrap();
    }
    (with, without)
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    big_repository(dir.path(), 100_000);
    let root = dir.path().canonicalize().unwrap();
    // The file is whole and the three measures find their rows.
    let loaded = pack::load::load(&root).unwrap();
    assert!(
        loaded
            .findings
            .iter()
            .all(|f| f.rule != pack::rules::Rule::DataSource),
        "{:?}",
        loaded.findings
    );
    for a in &loaded.repo.areas {
        for m in &a.measures {
            assert!(
                !m.data.is_empty() && m.benchmarks.len() == 3,
                "{}",
                m.id.value
            );
        }
    }
    let mut g = c.benchmark_group("100,000-row data file, 3 measures");
    g.sample_size(10);
    g.bench_function("load+check", |b| b.iter(|| load_and_check(&root)));
    g.finish();

    let (with, without) = example_copies();
    let (with, without) = (
        with.path().canonicalize().unwrap(),
        without.path().canonicalize().unwrap(),
    );
    let mut g = c.benchmark_group("the example");
    g.sample_size(30);
    g.bench_function("load+check with data/", |b| {
        b.iter(|| load_and_check(&with))
    });
    g.bench_function("load+check without data/", |b| {
        b.iter(|| load_and_check(&without))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
