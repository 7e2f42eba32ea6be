//! `plan/plan.yaml` to `Plan`.

use crate::finding::{Finding, Pos, Rule};
use crate::model::{
    Acknowledgement, At, Choice, Classification, Letter, LetterPoint, LocalAuthority, Organisation,
    Plan, Rules, Shows, Visit,
};

use super::fields::{IdShape, Reader};
use super::yaml::Node;

const PLAN_FIELDS: &[&str] = crate::field_names!(PLAN);
const ORG_FIELDS: &[&str] = crate::field_names!(ORGANISATION);
const RULE_FIELDS: &[&str] = crate::field_names!(RULES);
const VISIT_FIELDS: &[&str] = crate::field_names!(VISIT);
const LETTER_FIELDS: &[&str] = crate::field_names!(LETTER);
const POINT_FIELDS: &[&str] = crate::field_names!(LETTER_POINT);
const ACK_FIELDS: &[&str] = crate::field_names!(ACKNOWLEDGEMENT);
const LA_FIELDS: &[&str] = crate::field_names!(LOCAL_AUTHORITY);

/// The most statistical neighbours a plan may list (spec section 10; DfE's
/// own neighbour sets have ten).
pub const MAX_NEIGHBOURS: usize = 10;

/// An empty plan, used when plan.yaml cannot be read at all.
pub fn empty(file: &str) -> Plan {
    Plan {
        file: file.to_owned(),
        id: At::new("pack".to_owned(), Pos::START),
        title: String::new(),
        classification: Classification::Official,
        organisations: Vec::new(),
        rules: Rules::default(),
        visits: Vec::new(),
        acknowledged: Vec::new(),
        family: Default::default(),
        local_authority: None,
    }
}

/// Reads the plan; the bool says whether the organisation list was readable.
pub fn read(r: &mut Reader, root: &Node) -> (Plan, bool) {
    let mut plan = empty(r.file);
    let Some(f) = r.map(root, "the plan", PLAN_FIELDS) else {
        return (plan, false);
    };
    if let Some(id) = r.req_id(&f, "id", IdShape::Slug, "my-send-plan") {
        plan.id = id;
    }
    plan.title = r
        .req_text(&f, "title", "Our SEND improvement plan")
        .map(|t| t.value)
        .unwrap_or_default();
    if let Some(c) = r.opt_choice::<Classification>(&f, "classification") {
        plan.classification = c.value;
    }

    let mut orgs_ok = r.require(
        &f,
        "organisations",
        "[{id: kcc, name: Kent County Council}]",
    );
    let org_nodes = r.list(
        &f,
        "organisations",
        "[{id: kcc, name: Kent County Council}]",
    );
    if orgs_ok && org_nodes.is_empty() {
        let pos = r.node(&f, "organisations").map_or(f.pos(), |n| n.pos);
        r.schema(
            pos,
            "the plan needs at least one organisation",
            "add `- {id: kcc, name: Kent County Council}` under `organisations:`",
        );
        orgs_ok = false;
    }
    for node in org_nodes {
        let Some(of) = r.map(node, "an organisation", ORG_FIELDS) else {
            orgs_ok = false;
            continue;
        };
        let id = r.req_id(&of, "id", IdShape::Item, "kcc");
        let name = r.req_text(&of, "name", "Kent County Council");
        match id {
            Some(id) => plan.organisations.push(Organisation {
                name: name.map_or_else(|| id.value.clone(), |n| n.value),
                id: At::new(id.value.as_str().into(), id.pos),
            }),
            None => orgs_ok = false,
        }
    }

    if let Some(node) = r.node(&f, "rules") {
        read_rules(r, node, &mut plan.rules);
    }

    for node in r.list(&f, "visits", "[{id: 2025-05, date: 2025-05-20}]") {
        let Some(vf) = r.map(node, "a visit", VISIT_FIELDS) else {
            continue;
        };
        let id = r.req_id(&vf, "id", IdShape::Slug, "2025-05");
        let date = r.req_date(&vf, "date");
        let title = r.opt_text(&vf, "title").map(|t| t.value);
        let due = r.opt_date(&vf, "evidence_due");
        let letter = r.node(&vf, "letter").and_then(|n| read_letter(r, n));
        if let (Some(id), Some(date)) = (id, date) {
            plan.visits.push(Visit {
                id: At::new(id.value.as_str().into(), id.pos),
                date: date.value,
                date_pos: date.pos,
                title,
                evidence_due: due
                    .as_ref()
                    .map_or_else(|| date.value.minus_days(14), |d| d.value),
                evidence_due_pos: due.map(|d| d.pos),
                letter,
            });
        }
    }

    for node in r.list(
        &f,
        "acknowledged",
        "[{rule: area-gap, id: A8, reason: ..., until: 2025-11-30}]",
    ) {
        if let Some(ack) = read_ack(r, node) {
            plan.acknowledged.push(ack);
        }
    }
    if let Some(node) = r.node(&f, "family") {
        plan.family = super::family::read_plan(r, node);
    }
    if let Some(node) = r.node(&f, "local_authority") {
        plan.local_authority = read_local_authority(r, node);
    }
    (plan, orgs_ok)
}

fn read_local_authority(r: &mut Reader, node: &Node) -> Option<LocalAuthority> {
    let f = r.map(node, "`local_authority`", LA_FIELDS)?;
    let code = r.req_text(&f, "code", "E10000016");
    let old_code = r.opt_text(&f, "old_code");
    let name = r.req_text(&f, "name", "Kent");
    let neighbours = r.id_list(&f, "neighbours", "[E10000014, E10000015]");
    if neighbours.len() > MAX_NEIGHBOURS {
        let at = r.node(&f, "neighbours").map_or(f.pos(), |n| n.pos);
        r.findings.push(
            Finding::new(
                Rule::Limit,
                r.file,
                at,
                format!(
                    "`neighbours` lists {} local authorities; pack compares with at most {MAX_NEIGHBOURS}",
                    neighbours.len()
                ),
            )
            .hint("keep the ten closest statistical neighbours (DfE's LAIT lists them)"),
        );
    }
    let code = code?;
    Some(LocalAuthority {
        code: At::new(code.value.trim().to_owned(), code.pos),
        old_code: old_code.map(|o| At::new(o.value.trim().to_owned(), o.pos)),
        name: name?.value,
        neighbours,
        pos: node.pos,
    })
}

fn read_letter(r: &mut Reader, node: &Node) -> Option<Letter> {
    let f = r.map(node, "the `letter`", LETTER_FIELDS)?;
    let date = r.req_date(&f, "date");
    let evidence = r
        .opt_id(&f, "evidence", IdShape::Item)
        .map(|e| At::new(e.value.as_str().into(), e.pos));
    let mut points = Vec::new();
    if r.require(&f, "points", "[{id: L25-05.1, text: ..., areas: [A6]}]") {
        let nodes = r.list(&f, "points", "[{id: L25-05.1, text: ..., areas: [A6]}]");
        if nodes.is_empty()
            && let Some(n) = r.node(&f, "points")
        {
            r.schema(
                n.pos,
                "a letter needs at least one point",
                "add `- {id: L25-05.1, text: ..., areas: [A6]}` under `points:`",
            );
        }
        for n in nodes {
            let Some(pf) = r.map(n, "a letter point", POINT_FIELDS) else {
                continue;
            };
            let (id, id_ok) = r.item_id(&pf, "id", "L25-05.1");
            let text = r.req_text(&pf, "text", "what the letter asked");
            let areas = r.req_id_list(&pf, "areas", "[A6]");
            points.push(LetterPoint {
                id,
                id_ok,
                text: text.map(|t| t.value).unwrap_or_default(),
                areas: areas
                    .into_iter()
                    .map(|a| At::new(a.value.as_str().into(), a.pos))
                    .collect(),
            });
        }
    }
    Some(Letter {
        date: date?,
        evidence,
        points,
    })
}

fn read_rules(r: &mut Reader, node: &Node, rules: &mut Rules) {
    let Some(f) = r.map(node, "`rules`", RULE_FIELDS) else {
        return;
    };
    if let Some(v) = r.opt_uint(&f, "max_age_months", 1..=120) {
        rules.max_age_months = v.value;
    }
    if let Some(v) = r.opt_uint(&f, "min_current_per_area", 0..=1000) {
        rules.min_current_per_area = v.value;
    }
    if r.node(&f, "require_shows").is_some() {
        rules.require_shows.clear();
        for item in r.list(&f, "require_shows", "[impact]") {
            let text = item.as_str().unwrap_or_default();
            match Shows::parse(text) {
                Some(s) if !rules.require_shows.contains(&s) => rules.require_shows.push(s),
                Some(_) => {}
                None => r.findings.push(
                    Finding::new(
                        Rule::Schema,
                        r.file,
                        item.pos,
                        format!("`require_shows` cannot hold `{text}`"),
                    )
                    .hint(format!("the choices are {}", Shows::NAMES.join(", "))),
                ),
            }
        }
    }
    if let Some(v) = r.opt_choice(&f, "action_evidence") {
        rules.action_evidence = v.value;
    }
}

fn read_ack(r: &mut Reader, node: &Node) -> Option<Acknowledgement> {
    let f = r.map(node, "an acknowledgement", ACK_FIELDS)?;
    let rule_text = r.req_text(&f, "rule", "area-gap");
    let id = r.req_text(&f, "id", "A8");
    let reason = r.req_text(
        &f,
        "reason",
        "why the board accepts this gap, and until when",
    );
    let until = r.req_date(&f, "until");
    let rule_text = rule_text?;
    let rule = match Rule::from_name(&rule_text.value) {
        Some(rule) if !rule.can_acknowledge() => {
            r.schema(
                rule_text.pos,
                format!("a `{rule}` finding cannot be acknowledged"),
                match rule {
                    Rule::PersonalIdentifier => {
                        "remove the identifier from the text: personal data must never reach a pack"
                    }
                    Rule::SecretKey => {
                        "remove the key from the repository and make a new one with `pack keygen`"
                    }
                    _ => "fix what the finding points at instead",
                },
            );
            return None;
        }
        Some(rule) => rule,
        None => {
            let names = Rule::ALL.map(Rule::name);
            let hint = match crate::finding::did_you_mean(&rule_text.value, names) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("the rules are {}", names.join(", ")),
            };
            r.findings.push(
                Finding::new(
                    Rule::Schema,
                    r.file,
                    rule_text.pos,
                    format!("`{}` is not a rule name", rule_text.value),
                )
                .hint(hint),
            );
            return None;
        }
    };
    Some(Acknowledgement {
        rule,
        id: id?.value,
        reason: reason?.value,
        until: until?.value,
        pos: node.pos,
    })
}
