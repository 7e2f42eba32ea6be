//! duplicate-id and unknown-reference.

use std::collections::{HashMap, HashSet};

use crate::finding::{Finding, Pos, Rule};
use crate::model::Repo;

/// Areas, actions, measures and evidence share one namespace (an
/// acknowledgement names any of them by id alone); visits and organisations
/// each have their own.
pub fn duplicate_id(repo: &Repo, out: &mut Vec<Finding>) {
    let mut items: Vec<(&str, &str, &str, Pos)> = Vec::new();
    // An invalid id is reported as such; it takes no part in duplicates.
    for a in &repo.areas {
        if a.id_ok {
            items.push(("area", a.id.value.as_str(), &a.file, a.id.pos));
        }
        for x in a.actions.iter().filter(|x| x.id_ok) {
            items.push(("action", x.id.value.as_str(), &a.file, x.id.pos));
        }
        for m in a.measures.iter().filter(|m| m.id_ok) {
            items.push(("measure", m.id.value.as_str(), &a.file, m.id.pos));
        }
    }
    for e in repo.evidence.iter().filter(|e| e.id_ok) {
        items.push(("evidence item", e.id.value.as_str(), &e.file, e.id.pos));
    }
    for v in &repo.plan.visits {
        for p in v.letter.iter().flat_map(|l| &l.points).filter(|p| p.id_ok) {
            items.push((
                "letter point",
                p.id.value.as_str(),
                &repo.plan.file,
                p.id.pos,
            ));
        }
    }
    report_duplicates(&items, out);

    let plan = &repo.plan;
    let orgs: Vec<_> = plan
        .organisations
        .iter()
        .map(|o| {
            (
                "organisation",
                o.id.value.as_str(),
                plan.file.as_str(),
                o.id.pos,
            )
        })
        .collect();
    report_duplicates(&orgs, out);
    let visits: Vec<_> = plan
        .visits
        .iter()
        .map(|v| ("visit", v.id.value.as_str(), plan.file.as_str(), v.id.pos))
        .collect();
    report_duplicates(&visits, out);
}

fn report_duplicates(items: &[(&str, &str, &str, Pos)], out: &mut Vec<Finding>) {
    let mut first: HashMap<&str, (&str, &str, Pos)> = HashMap::with_capacity(items.len());
    for (kind, id, file, pos) in items {
        match first.get(id) {
            None => {
                first.insert(id, (kind, file, *pos));
            }
            Some((k0, f0, p0)) => out.push(
                Finding::new(
                    Rule::DuplicateId,
                    *file,
                    *pos,
                    format!("id `{id}` is already used by the {k0} at {f0}:{}", p0.line),
                )
                .hint(format!("give this {kind} an id of its own"))
                .width(id.chars().count()),
            ),
        }
    }
}

pub fn unknown_reference(repo: &Repo, out: &mut Vec<Finding>) {
    let plan = &repo.plan;
    let org_ids: Vec<&str> = plan
        .organisations
        .iter()
        .map(|o| o.id.value.as_str())
        .collect();
    let area_ids: Vec<&str> = repo.areas.iter().map(|a| a.id.value.as_str()).collect();
    // action id -> its area
    let action_area: HashMap<&str, &str> = repo
        .areas
        .iter()
        .flat_map(|a| {
            a.actions
                .iter()
                .map(move |x| (x.id.value.as_str(), a.id.value.as_str()))
        })
        .collect();
    let measure_ids: HashSet<&str> = repo
        .areas
        .iter()
        .flat_map(|a| a.measures.iter().map(|m| m.id.value.as_str()))
        .collect();
    let evidence_ids: HashSet<&str> = repo.evidence.iter().map(|e| e.id.value.as_str()).collect();
    let health = &repo.health;

    let unknown = |file: &str, pos: Pos, what: &str, id: &str, subject: &str, choices: &[&str]| {
        let hint = match crate::finding::did_you_mean(id, choices.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None if choices.is_empty() => format!("define the {what} first"),
            None if choices.len() <= 12 => format!("the {what}s are {}", choices.join(", ")),
            None => format!(
                "check the {what} id; there are {} to choose from",
                choices.len()
            ),
        };
        // An id may be "unknown" only because the file defining it is broken: say so.
        let broken: &[String] = match what {
            "area" | "action" | "measure" => &health.broken_areas,
            "evidence item" => &health.broken_evidence,
            _ => &[],
        };
        Finding::new(
            Rule::UnknownReference,
            file,
            pos,
            format!("no {what} has the id `{id}`"),
        )
        .hint(with_broken(&hint, broken))
        .about(subject)
        .refers_to(id)
        .width(id.chars().count())
    };

    if health.organisations_known {
        for a in &repo.areas {
            for x in &a.actions {
                if let Some(o) = &x.owner
                    && !org_ids.contains(&o.value.as_str())
                {
                    out.push(unknown(
                        &a.file,
                        o.pos,
                        "organisation",
                        o.value.as_str(),
                        x.id.value.as_str(),
                        &org_ids,
                    ));
                }
            }
        }
    }
    for e in &repo.evidence {
        let subject = e.id.value.as_str();
        if let Some(o) = &e.organisation
            && health.organisations_known
            && !org_ids.contains(&o.value.as_str())
        {
            out.push(unknown(
                &e.file,
                o.pos,
                "organisation",
                o.value.as_str(),
                subject,
                &org_ids,
            ));
        }
        for a in &e.areas {
            if !area_ids.contains(&a.value.as_str()) {
                out.push(unknown(
                    &e.file,
                    a.pos,
                    "area",
                    a.value.as_str(),
                    subject,
                    &area_ids,
                ));
            }
        }
        for x in &e.actions {
            match action_area.get(x.value.as_str()) {
                None => {
                    let mut all: Vec<&str> = action_area.keys().copied().collect();
                    all.sort();
                    out.push(unknown(&e.file, x.pos, "action", x.value.as_str(), subject, &all));
                }
                Some(area) if !e.names_area(area) => out.push(
                    Finding::new(
                        Rule::UnknownReference,
                        &e.file,
                        x.pos,
                        format!(
                            "action `{}` belongs to area {area}, which this item does not list in `areas`",
                            x.value
                        ),
                    )
                    .hint(format!("add {area} to `areas`, or remove the action"))
                    .about(subject)
                    .width(x.value.as_str().chars().count()),
                ),
                Some(_) => {}
            }
        }
        for m in &e.measures {
            if !measure_ids.contains(m.value.as_str()) {
                let mut all: Vec<&str> = measure_ids.iter().copied().collect();
                all.sort();
                out.push(unknown(
                    &e.file,
                    m.pos,
                    "measure",
                    m.value.as_str(),
                    subject,
                    &all,
                ));
            }
        }
    }
    // Letters: their points' areas, the letter's own evidence item, and
    // every `responds_to` naming a point.
    let point_ids: Vec<&str> = plan
        .visits
        .iter()
        .flat_map(|v| v.letter.iter().flat_map(|l| &l.points))
        .map(|p| p.id.value.as_str())
        .collect();
    for v in &plan.visits {
        let Some(letter) = &v.letter else { continue };
        if let Some(e) = &letter.evidence
            && !evidence_ids.contains(e.value.as_str())
        {
            out.push(unknown(
                &plan.file,
                e.pos,
                "evidence item",
                e.value.as_str(),
                v.id.value.as_str(),
                &[],
            ));
        }
        for p in &letter.points {
            for a in &p.areas {
                if !area_ids.contains(&a.value.as_str()) {
                    out.push(unknown(
                        &plan.file,
                        a.pos,
                        "area",
                        a.value.as_str(),
                        p.id.value.as_str(),
                        &area_ids,
                    ));
                }
            }
        }
    }
    for e in &repo.evidence {
        for r in &e.responds_to {
            if !point_ids.contains(&r.value.as_str()) {
                out.push(
                    unknown(
                        &e.file,
                        r.pos,
                        "letter point",
                        r.value.as_str(),
                        e.id.value.as_str(),
                        &point_ids,
                    )
                    .hint("`responds_to` names the `id` of a point of a visit's `letter` in plan/plan.yaml"),
                );
            }
        }
    }
    for e in &repo.evidence {
        for s in &e.supersedes {
            if !evidence_ids.contains(s.value.as_str()) {
                out.push(
                    unknown(
                        &e.file,
                        s.pos,
                        "evidence item",
                        s.value.as_str(),
                        e.id.value.as_str(),
                        &[],
                    )
                    .hint(with_broken(
                        "check the id of the item this one replaces",
                        &health.broken_evidence,
                    )),
                );
            }
        }
    }
}

/// `hint`, noting the files that could not be read and may define the id.
pub fn with_broken(hint: &str, broken: &[String]) -> String {
    if broken.is_empty() {
        return hint.to_owned();
    }
    let mut files = broken
        .iter()
        .take(3)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if broken.len() > 3 {
        files.push_str(&format!(" and {} more", broken.len() - 3));
    }
    format!("{hint} (it may be defined in {files}, which could not be read)")
}
