//! `pack portfolio` over 150 bundles of 1,000 current items each (spec
//! section 12: at most 10 s and 1 GB). The bundles are built once, from
//! generated repositories that differ in their plan id, into
//! `target/portfolio-bench/` and kept: delete that folder to build them
//! again. `PACK_BENCH_BUNDLES=N` changes how many.

#[path = "support/generate.rs"]
mod generate;
#[path = "support/view.rs"]
mod view;

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use pack::cli::BuildFormat;

const ITEMS: usize = 1_000;

fn count() -> usize {
    std::env::var("PACK_BENCH_BUNDLES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(150)
}

fn kept_folder(n: usize) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join(format!("portfolio-bench/{n}-bundles-of-{ITEMS}"))
}

/// The bundle `pack build --bundle --format html` makes of `root`: the HTML
/// pack and the view, with their manifest.
fn build_bundle(root: &Path, out: &Path) {
    let view = view::view_of(root);
    let ctx = pack::render::RenderContext {
        view: &view,
        root,
        progress: false,
    };
    let mut entries = Vec::new();
    for f in [BuildFormat::Html, BuildFormat::Json] {
        for file in pack::render::renderer(f).render(&ctx).unwrap() {
            entries.push((file.path, None, file.bytes));
        }
    }
    let zip = pack::output::bundle::zip(entries).unwrap();
    std::fs::write(out.join(format!("{}-bundle.zip", view.meta.file_stem)), zip).unwrap();
}

/// The kept folder of bundles, built the first time.
fn bundles(n: usize) -> PathBuf {
    let dir = kept_folder(n);
    let done = dir.join(".complete");
    if done.is_file() {
        return dir;
    }
    std::fs::create_dir_all(&dir).unwrap();
    let repo = tempfile::tempdir().unwrap();
    generate::repository_over(repo.path(), ITEMS, 5);
    let plan_path = repo.path().join("plan/plan.yaml");
    let plan = std::fs::read_to_string(&plan_path).unwrap();
    for i in 0..n {
        std::fs::write(
            &plan_path,
            plan.replace("id: bench-plan", &format!("id: area-{i:03}"))
                .replace(
                    "title: Benchmark plan",
                    &format!("title: Local area {i:03}"),
                ),
        )
        .unwrap();
        build_bundle(repo.path(), &dir);
    }
    std::fs::write(&done, "").unwrap();
    dir
}

fn bench(c: &mut Criterion) {
    let n = count();
    let dir = bundles(n);
    let mut g = c.benchmark_group(format!("portfolio of {n} bundles of {ITEMS} items"));
    g.sample_size(10);
    g.measurement_time(std::time::Duration::from_secs(60));
    g.bench_function("verify, read, html+xlsx+json", |b| {
        b.iter(|| {
            let out = tempfile::tempdir().unwrap();
            let made = pack::portfolio::run(&pack::portfolio::Options {
                inputs: std::slice::from_ref(&dir),
                keys: None,
                out: out.path(),
                formats: &[
                    pack::portfolio::Format::Html,
                    pack::portfolio::Format::Xlsx,
                    pack::portfolio::Format::Json,
                ],
                today: pack::model::Date::parse("2025-11-20").unwrap(),
            })
            .unwrap();
            assert_eq!(made.portfolio.rows.len(), n);
            assert!(made.portfolio.failed.is_empty());
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
