//! The ids a file that cannot be read would have defined, read back from
//! its text line by line. A YAML slip on one line should cost the user one
//! finding, not one per reference to the ids the file defines: with these
//! ids, the references to them are folded into the file's own finding.

use super::walk::FileRole;

/// The ids that `text` (a file of `role` that did not parse, or lost its
/// item) would have defined, in file order: for an area its own `id:` and
/// its actions' and measures' `- id:` lines; for an evidence item its
/// top-level `id:`; for plan.yaml its organisations, visits and letter
/// points (its `- id:` lines).
pub fn ids(role: FileRole, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let Some((top, id)) = id_line(line) else {
            continue;
        };
        let wanted = match role {
            FileRole::AreaYaml => true,
            FileRole::EvidenceYaml => top,
            FileRole::Plan => !top,
            _ => false,
        };
        if wanted && !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// `id: X` at the top level (true) or `- id: X` / an indented `id: X`
/// inside a list item (false), with X unquoted and without a comment.
fn id_line(line: &str) -> Option<(bool, String)> {
    let body = line.trim_start_matches([' ', '\t']);
    let indent = line.len() - body.len();
    let (dash, rest) = match body.strip_prefix("- ") {
        Some(r) => (true, r.trim_start()),
        None => (false, body),
    };
    let value = rest.strip_prefix("id:")?;
    if !value.is_empty() && !value.starts_with([' ', '\t']) {
        return None;
    }
    let value = value.split(" #").next().unwrap_or(value).trim();
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value)
        .trim();
    // A flow collection or an empty value defines no id pack can name.
    if value.is_empty() || value.starts_with(['[', '{', '&', '*', '|', '>']) {
        return None;
    }
    Some((indent == 0 && !dash, value.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ids_by_role() {
        let area = "id: A1\ntitle: [x\nactions:\n  - id: A1.1 # first\n    title: t\nmeasures:\n  - title: m\n    id: \"A1.M1\"\n";
        assert_eq!(ids(FileRole::AreaYaml, area), ["A1", "A1.1", "A1.M1"]);
        assert_eq!(ids(FileRole::EvidenceYaml, area), ["A1"]);
        let plan = "id: p\norganisations:\n  - id: kcc\nvisits:\n  - id: 2025-05\n    letter:\n      points:\n        - id: P1\n";
        assert_eq!(ids(FileRole::Plan, plan), ["kcc", "2025-05", "P1"]);
        assert!(ids(FileRole::EvidenceYaml, "idx: 1\nid:\nid: [a]\n").is_empty());
    }
}
