//! A whole `pack build` (view, PDF, Markdown, HTML; no disk writes of the
//! outputs) from a generated repository of 1,000 current items; 5,000 with
//! `PACK_BENCH_LARGE=1`.

#[path = "support/generate.rs"]
mod generate;
#[path = "support/view.rs"]
mod view;

use criterion::{Criterion, criterion_group, criterion_main};

fn build_all(root: &std::path::Path) -> usize {
    let view = view::view_of(root);
    let (name, typ) = pack::render::TYPST;
    let pdf = pack::render::pdf::render(&view, typ, name).unwrap();
    let md = pack::render::text::render(
        &view,
        &pack::render::template(root, pack::render::MARKDOWN).unwrap(),
        false,
    )
    .unwrap();
    let html = pack::render::text::render(
        &view,
        &pack::render::template(root, pack::render::HTML).unwrap(),
        true,
    )
    .unwrap();
    pdf.len() + md.len() + html.len()
}

fn bench(c: &mut Criterion) {
    let mut sizes = vec![1_000];
    if std::env::var_os("PACK_BENCH_LARGE").is_some() {
        sizes.push(5_000);
    }
    for n in sizes {
        let dir = tempfile::tempdir().unwrap();
        generate::repository_over(dir.path(), n, 5);
        let root = dir.path().canonicalize().unwrap();
        let mut g = c.benchmark_group(format!("build {n} current items"));
        g.sample_size(10);
        g.measurement_time(std::time::Duration::from_secs(30));
        g.bench_function("pdf+md+html", |b| b.iter(|| build_all(&root)));
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
