//! One row per local area. A local area is its `local_authority.code`, else
//! its plan id and title; of two bundles of one area the later as-of date
//! wins, then the later build date (then the later file name, so that a run
//! gives the same answer every time). The others are superseded: listed,
//! not failed.

use std::collections::{BTreeMap, BTreeSet};

use super::{Bundle, Superseded};

/// The bundle shown for each area, sorted by name, and those it replaces.
pub fn resolve(bundles: Vec<Bundle>) -> (Vec<Bundle>, Vec<Superseded>) {
    let mut by_area: BTreeMap<String, Vec<Bundle>> = BTreeMap::new();
    for b in bundles {
        by_area.entry(b.identity.clone()).or_default().push(b);
    }
    let mut rows = Vec::new();
    let mut superseded = Vec::new();
    for (_, mut group) in by_area {
        group.sort_by(|a, b| {
            (a.as_of, a.build_date, &a.path).cmp(&(b.as_of, b.build_date, &b.path))
        });
        let Some(winner) = group.pop() else { continue };
        for old in group {
            superseded.push(Superseded {
                path: old.path,
                name: old.name,
                as_of: old.as_of,
                build_date: old.build_date,
                by: winner.path.clone(),
            });
        }
        rows.push(winner);
    }
    rows.sort_by(|a, b| {
        (a.name.to_lowercase(), &a.identity).cmp(&(b.name.to_lowercase(), &b.identity))
    });
    superseded.sort_by(|a, b| a.path.cmp(&b.path));
    (rows, superseded)
}

/// Each row's folder beside the portfolio: its LA code, else its plan id,
/// made safe as a file name (the bundle is not trusted to name a path), and
/// made unique when two areas would share one.
pub fn folders(rows: &mut [Bundle]) -> Vec<(&mut Bundle, String)> {
    let mut used = BTreeSet::new();
    let mut out = Vec::new();
    for row in rows.iter_mut() {
        let base = safe_name(row.la_code.as_deref().unwrap_or(&row.plan_id));
        let mut name = base.clone();
        let mut n = 2;
        while !used.insert(name.to_lowercase()) {
            name = format!("{base}-{n}");
            n += 1;
        }
        out.push((row, name));
    }
    out
}

/// Letters, digits, `-` and `_` kept; anything else `_`; never empty, never
/// hidden, at most 64 characters.
pub fn safe_name(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.starts_with('_') {
        out.insert_str(0, "area");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_are_safe() {
        assert_eq!(safe_name("E10000016"), "E10000016");
        assert_eq!(safe_name("../etc"), "area___etc");
        assert_eq!(safe_name(""), "area");
        assert_eq!(safe_name("kent plan"), "kent_plan");
    }
}
