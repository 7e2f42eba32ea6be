//! placeholder: a value `pack init` wrote as a stand-in (in its example
//! area, organisation and item) that is still word for word what init
//! wrote (spec section 4). The stand-ins are one table, [`STAND_INS`]:
//! `pack init` writes them from it and this rule looks for them with it, so
//! the two cannot drift apart.
//!
//! The model keeps no place for most texts (a title is a `String`), so the
//! model only says which files hold a stand-in; those few files are read
//! again and the value's place taken from the YAML tree. A repository with
//! no stand-ins left reads nothing more.

use crate::finding::{Finding, Pos, Rule};
use crate::load::yaml::{Node, Value};
use crate::model::Repo;

/// The kind of file a stand-in is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// plan/plan.yaml
    Plan,
    /// plan/areas/*.yaml
    Area,
    /// evidence/**/*.yaml
    Evidence,
}

/// One value `pack init` writes for the user to replace.
#[derive(Debug)]
pub struct StandIn {
    pub place: Place,
    /// Keys from the top of the file to the value; `*` is every entry of a list.
    pub path: &'static [&'static str],
    /// What it says: the example what-it-is, in words. `{year}` stands for
    /// the year init ran (the example item's id has it).
    pub text: &'static str,
    /// What the value is, for the message: "the area's title".
    pub what: &'static str,
}

impl StandIn {
    /// The text with `{year}` filled in, as init writes it.
    pub fn written(&self, year: i16) -> String {
        self.text.replace("{year}", &year.to_string())
    }

    /// Whether `value` is still this stand-in (for any year).
    pub fn matches(&self, value: &str) -> bool {
        match self.text.split_once("{year}") {
            None => value == self.text,
            Some((before, after)) => value
                .strip_prefix(before)
                .and_then(|rest| rest.strip_suffix(after))
                .is_some_and(|y| {
                    !y.is_empty() && y.len() <= 5 && y.bytes().all(|b| b.is_ascii_digit())
                }),
        }
    }
}

const fn stand_in(
    place: Place,
    path: &'static [&'static str],
    text: &'static str,
    what: &'static str,
) -> StandIn {
    StandIn {
        place,
        path,
        text,
        what,
    }
}

pub const ORGANISATION_NAME: StandIn = stand_in(
    Place::Plan,
    &["organisations", "*", "name"],
    "The County Council",
    "an organisation's name",
);
pub const AREA_TITLE: StandIn =
    stand_in(Place::Area, &["title"], "Example area", "the area's title");
pub const AREA_WEAKNESS: StandIn = stand_in(
    Place::Area,
    &["weakness"],
    "The finding, as the inspection worded it.",
    "the area's weakness",
);
pub const AREA_OUTCOME: StandIn = stand_in(
    Place::Area,
    &["outcome"],
    "The difference we will make.",
    "the area's outcome",
);
pub const AREA_PROGRESS: StandIn = stand_in(
    Place::Area,
    &["progress", "summary"],
    "Early progress, see [@E-{year}-001].",
    "the area's progress summary",
);
pub const ACTION_TITLE: StandIn = stand_in(
    Place::Area,
    &["actions", "*", "title"],
    "An action of the plan",
    "an action's title",
);
pub const MEASURE_TITLE: StandIn = stand_in(
    Place::Area,
    &["measures", "*", "title"],
    "An indicator that shows impact",
    "a measure's title",
);
pub const EVIDENCE_TITLE: StandIn = stand_in(
    Place::Evidence,
    &["title"],
    "Example dashboard",
    "the item's title",
);
pub const EVIDENCE_SUMMARY: StandIn = stand_in(
    Place::Evidence,
    &["summary"],
    "An example item; replace it with real evidence.",
    "the item's summary",
);

/// Every stand-in `pack init` writes.
pub const STAND_INS: [&StandIn; 9] = [
    &ORGANISATION_NAME,
    &AREA_TITLE,
    &AREA_WEAKNESS,
    &AREA_OUTCOME,
    &AREA_PROGRESS,
    &ACTION_TITLE,
    &MEASURE_TITLE,
    &EVIDENCE_TITLE,
    &EVIDENCE_SUMMARY,
];

fn any_stand_in(place: Place, value: &str) -> bool {
    STAND_INS
        .iter()
        .any(|s| s.place == place && s.matches(value))
}

pub fn placeholder(repo: &Repo, out: &mut Vec<Finding>) {
    // Which files hold a stand-in, with what each finding is about and
    // where it falls back to when the file cannot be read again.
    let mut files: Vec<(&str, Place, String, Pos)> = Vec::new();
    let plan = &repo.plan;
    if let Some(o) = plan
        .organisations
        .iter()
        .find(|o| any_stand_in(Place::Plan, &o.name))
    {
        files.push((&plan.file, Place::Plan, o.id.value.to_string(), o.id.pos));
    }
    for a in &repo.areas {
        let mut texts = vec![a.title.as_str(), a.weakness.as_str(), a.outcome.as_str()];
        if let Some(s) = a.progress.as_ref().and_then(|p| p.summary.as_ref()) {
            texts.push(&s.value);
        }
        texts.extend(a.actions.iter().map(|x| x.title.as_str()));
        texts.extend(a.measures.iter().map(|m| m.title.as_str()));
        if texts.iter().any(|t| any_stand_in(Place::Area, t)) {
            files.push((&a.file, Place::Area, a.id.value.to_string(), a.id.pos));
        }
    }
    for e in &repo.evidence {
        let summary = e.summary.as_ref().map(|s| s.value.as_str());
        if [Some(e.title.as_str()), summary]
            .into_iter()
            .flatten()
            .any(|t| any_stand_in(Place::Evidence, t))
        {
            files.push((&e.file, Place::Evidence, e.id.value.to_string(), e.id.pos));
        }
    }
    for (file, place, subject, fallback) in files {
        let tree = std::fs::read(repo.root.join(file))
            .ok()
            .and_then(|bytes| crate::load::decode::decode(&bytes).ok())
            .and_then(|text| crate::load::yaml::parse(&text).ok());
        let mut found = Vec::new();
        if let Some(tree) = &tree {
            for s in STAND_INS.iter().filter(|s| s.place == place) {
                at_path(tree, s.path, tree, &mut |node, holder| {
                    let Some(value) = node.as_str().filter(|v| s.matches(v)) else {
                        return;
                    };
                    // In the plan, the organisation holding the name is
                    // what an acknowledgement names.
                    let about = match place {
                        Place::Plan => id_of(holder).unwrap_or(&subject).to_owned(),
                        _ => subject.clone(),
                    };
                    found.push((*s, node.pos, value.to_owned(), about));
                });
            }
        }
        if found.is_empty() {
            // Not readable again (an import's file not yet written): the
            // item as a whole, once.
            out.push(finding(file, fallback, &subject, None, ""));
        }
        for (s, pos, value, about) in found {
            out.push(finding(file, pos, &about, Some(s), &value));
        }
    }
}

/// The `id:` of a mapping, when it has a text one.
fn id_of(map: &Node) -> Option<&str> {
    match &map.value {
        Value::Map(entries) => entries
            .iter()
            .find(|(k, _)| k.as_str() == Some("id"))
            .and_then(|(_, v)| v.as_str()),
        _ => None,
    }
}

fn finding(file: &str, pos: Pos, subject: &str, s: Option<&StandIn>, value: &str) -> Finding {
    let message = match s {
        Some(s) => format!(
            "{} is still the example text `pack init` wrote: \"{value}\"",
            s.what
        ),
        None => format!("{subject} still holds example text `pack init` wrote"),
    };
    Finding::new(Rule::Placeholder, file, pos, message)
        .hint("replace it with your own words: until then the pack says on its cover that it holds example text")
        .about(subject)
        .width(value.chars().count().max(1))
}

/// Calls `f` with every node at `path` below `node` (`*`: each list entry)
/// and the mapping that holds it.
fn at_path(node: &Node, path: &[&str], holder: &Node, f: &mut dyn FnMut(&Node, &Node)) {
    let Some((first, rest)) = path.split_first() else {
        f(node, holder);
        return;
    };
    match (&node.value, *first) {
        (Value::Seq(items), "*") => items.iter().for_each(|n| at_path(n, rest, holder, f)),
        (Value::Map(entries), key) => {
            for (k, v) in entries {
                if k.as_str() == Some(key) {
                    at_path(v, rest, node, f);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_in_a_stand_in_matches_any_year_and_nothing_else() {
        assert!(AREA_PROGRESS.matches(&AREA_PROGRESS.written(2026)));
        assert!(AREA_PROGRESS.matches("Early progress, see [@E-1999-001]."));
        assert!(!AREA_PROGRESS.matches("Early progress, see [@E-2026-002]."));
        assert!(!AREA_PROGRESS.matches("Early progress, see [@E--001]."));
        assert!(AREA_TITLE.matches("Example area"));
        assert!(!AREA_TITLE.matches("Example area 2"));
    }
}
