//! The family edition's rules (spec section 8): `family-gap`, the part of
//! `plain-language` that needs the whole plan (an abbreviation the glossary
//! may explain), and references from `family:` blocks to measures.

use crate::finding::{Finding, Rule};

pub use crate::cli::Edition;
use crate::model::{At, Monitoring, Repo};

/// An area under monitoring with nothing to tell families.
pub fn family_gap(repo: &Repo, out: &mut Vec<Finding>) {
    for area in &repo.areas {
        if area.monitoring == Monitoring::Ended || area.family.is_some() {
            continue;
        }
        out.push(
            Finding::new(
                Rule::FamilyGap,
                &area.file,
                area.id.pos,
                format!(
                    "area {} is under {} monitoring but has nothing for the family edition",
                    area.id.value, area.monitoring
                ),
            )
            .hint("add a `family:` block (title, you_said, we_did, changed, measures) to the area, in plain words")
            .about(area.id.value.as_str())
            .width(area.id.value.as_str().chars().count()),
        );
    }
}

/// Abbreviations that neither their own text nor the plan's glossary explains.
pub fn unexplained_abbreviations(repo: &Repo, out: &mut Vec<Finding>) {
    let glossary = &repo.plan.family;
    for a in &glossary.unexplained {
        if !glossary.explains(&a.value) {
            out.push(unexplained(&repo.plan.file, a, &repo.plan.id.value));
        }
    }
    for area in &repo.areas {
        let Some(fam) = &area.family else { continue };
        for a in &fam.unexplained {
            if !glossary.explains(&a.value) {
                out.push(unexplained(&area.file, a, area.id.value.as_str()));
            }
        }
    }
}

fn unexplained(file: &str, abbr: &At<String>, subject: &str) -> Finding {
    Finding::new(
        Rule::PlainLanguage,
        file,
        abbr.pos,
        format!("`{}` is not explained where it is first used", abbr.value),
    )
    .hint(format!(
        "write what it stands for the first time, as `words ({0})` or `{0} (words)`, or add `{0}` to the glossary under `family:` in plan/plan.yaml",
        abbr.value
    ))
    .about(subject)
    .width(abbr.value.chars().count())
}

/// A family block may only show, and caption, the area's own measures.
pub fn family_measures(repo: &Repo, out: &mut Vec<Finding>) {
    for area in &repo.areas {
        let Some(fam) = &area.family else { continue };
        let own = |id: &str| area.measures.iter().any(|m| m.id.value.as_str() == id);
        let ids: Vec<String> = area
            .measures
            .iter()
            .map(|m| m.id.value.to_string())
            .collect();
        let hint = if ids.is_empty() {
            format!("area {} has no measures", area.id.value)
        } else {
            format!(
                "the measures of area {} are {}",
                area.id.value,
                ids.join(", ")
            )
        };
        for m in &fam.measures {
            if !own(m.value.as_str()) {
                out.push(
                    Finding::new(
                        Rule::UnknownReference,
                        &area.file,
                        m.pos,
                        format!(
                            "`family.measures` names `{}`, which is not a measure of this area",
                            m.value
                        ),
                    )
                    .hint(hint.clone())
                    .width(m.value.as_str().chars().count()),
                );
            }
        }
        for (m, _) in &fam.captions {
            if !fam.measures.iter().any(|s| s.value == m.value) {
                out.push(
                    Finding::new(
                        Rule::UnknownReference,
                        &area.file,
                        m.pos,
                        format!(
                            "a caption for `{}`, which `family.measures` does not show",
                            m.value
                        ),
                    )
                    .hint("add the measure to `family.measures`, or remove its caption")
                    .width(m.value.as_str().chars().count()),
                );
            }
        }
    }
}
