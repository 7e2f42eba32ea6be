//! Property: whatever a valid file is mutated into, loading and checking
//! never panics, and every finding points at a line that exists.

mod common;

use common::*;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Insert(usize, char),
    DropLine(usize),
    DupLine(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let chars = prop::sample::select(vec![
        ':', '-', '[', ']', '{', '}', '&', '*', '"', '\'', '#', ' ', '\n', '\t', '|', '>', '!',
        '%', '@', 'x', '9', 'é',
    ]);
    prop_oneof![
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), chars).prop_map(|(i, c)| Edit::Insert(i, c)),
        any::<usize>().prop_map(Edit::DropLine),
        any::<usize>().prop_map(Edit::DupLine),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for e in edits {
        match *e {
            Edit::Delete(i) if !chars.is_empty() => {
                chars.remove(i % chars.len());
            }
            Edit::Insert(i, c) => {
                let at = i % (chars.len() + 1);
                chars.insert(at, c);
            }
            Edit::DropLine(i) | Edit::DupLine(i) => {
                let s: String = chars.iter().collect();
                let mut lines: Vec<&str> = s.split('\n').collect();
                let k = i % lines.len();
                if matches!(e, Edit::DropLine(_)) {
                    lines.remove(k);
                } else {
                    lines.insert(k, lines[k]);
                }
                chars = lines.join("\n").chars().collect();
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

fn check_lib(f: &Fixture) -> Vec<pack::finding::Finding> {
    let root = pack::load::find_root(f.path()).unwrap();
    let mut loaded = pack::load::load(&root).unwrap();
    let as_of = pack::timeline::resolve(
        &loaded.repo.plan,
        &pack::timeline::AsOfRequest::Date(pack::model::Date::parse("2025-05-20").unwrap()),
        pack::model::Date::parse("2025-06-01").unwrap(),
    )
    .unwrap();
    let findings = std::mem::take(&mut loaded.findings);
    let snap = pack::assess::Snapshot::new(&loaded.repo, as_of.date);
    pack::check::run(&snap, &as_of, pack::check::Edition::Reviewer, findings)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_files_never_panic_and_lines_exist(which in 0usize..3, edits in prop::collection::vec(edit(), 1..6)) {
        let f = Fixture::new();
        let (rel, base) = [("plan/plan.yaml", PLAN), ("plan/areas/a1.yaml", AREA), ("evidence/2025/dashboard.yaml", EVIDENCE)][which];
        let mutated = apply(base, &edits);
        f.write(rel, &mutated);
        for finding in check_lib(&f) {
            let text = std::fs::read_to_string(f.file(&finding.file)).unwrap_or_default();
            let lines = text.split('\n').count().max(1) as u32;
            prop_assert!(finding.line >= 1 && finding.line <= lines, "{finding:?} beyond {lines} lines of:\n{text}");
            prop_assert!(finding.column >= 1);
            if finding.line <= lines {
                let line_len = text.split('\n').nth(finding.line as usize - 1).map_or(0, |l| l.chars().count()) as u32;
                prop_assert!(finding.column <= line_len + 1, "{finding:?} beyond column {line_len} of:\n{text}");
            }
        }
    }
}
