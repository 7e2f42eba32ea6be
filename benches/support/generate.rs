//! Generates a synthetic evidence repository of any size, for benchmarks.

use std::fmt::Write as _;
use std::path::Path;

/// Writes a repository with nine areas (ten actions and three measures
/// each) and `items` evidence items spread over two years, into `root`.
#[allow(dead_code)]
pub fn repository(root: &Path, items: usize) {
    repository_over(root, items, 24);
}

/// The same, with the items dated over the `months` months to October 2025
/// (6 or fewer: every item is current for the November 2025 visit).
pub fn repository_over(root: &Path, items: usize, months: usize) {
    let w = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    w(
        "plan/plan.yaml",
        "id: bench-plan\ntitle: Benchmark plan\norganisations:\n  - id: kcc\n    name: Kent County Council\n  - id: nhs\n    name: NHS\nvisits:\n  - id: 2025-11\n    date: 2025-11-18\n",
    );
    for a in 1..=9 {
        let mut s = format!(
            "id: A{a}\ntitle: Area {a}\nweakness: >-\n  The weakness of area {a}, as the inspection worded it.\noutcome: Things get better in area {a}.\norder: {a}\nprogress:\n  rating: amber\n  date: 2025-10-31\n  summary: Progress is steady [@E-{a}-1].\nactions:\n"
        );
        for x in 1..=10 {
            let _ = write!(
                s,
                "  - id: A{a}.{x}\n    title: Action {x} of area {a}\n    owner: kcc\n    due: 2026-03-31\n    status: in-progress\n"
            );
        }
        s.push_str("measures:\n");
        for m in 1..=3 {
            let _ = write!(
                s,
                "  - id: A{a}.M{m}\n    title: Measure {m}\n    unit: \"%\"\n    direction: up\n    target: {{ value: 80, date: 2026-03-31 }}\n    floor: 40\n    data:\n"
            );
            for (i, month) in ["2024-09-30", "2025-03-31", "2025-09-30"]
                .iter()
                .enumerate()
            {
                let _ = writeln!(s, "      - {{ date: {month}, value: {} }}", 40 + 10 * i);
            }
        }
        w(&format!("plan/areas/a{a}.yaml"), &s);
    }
    for i in 0..items {
        let a = i % 9 + 1;
        let day = i % 28 + 1;
        // Months counted from year 0, ending in October 2025.
        let month = 2025 * 12 + 9 + 1 - months + (i / 9) % months;
        let (year, m) = (month / 12, month % 12 + 1);
        let n = i / 9 + 1;
        let id = if n == 1 {
            format!("E-{a}-1")
        } else {
            format!("E-{a}-{n}")
        };
        let shows = ["impact", "activity", "voice"][(i / 9) % 3];
        let text = format!(
            "# generated\nid: {id}\ntitle: Evidence item {i} for area {a}\ndate: {year}-{m:02}-{day:02}\norganisation: kcc\nkind: report\nshows: {shows}\nareas: [A{a}]\nactions: [A{a}.{}]\nsummary: >-\n  A summary of what item {i} shows, long enough to be typical of a real\n  evidence item, with a second line of plain text.\n",
            i % 10 + 1
        );
        w(&format!("evidence/{year}/{m:02}/item-{i:06}.yaml"), &text);
    }
}
