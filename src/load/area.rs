//! `plan/areas/NAME.yaml` to `Area`.

use crate::model::{
    Action, ActionStatus, Area, At, BenchKind, Choice, Direction, Measure, Monitoring, Official,
    Point, Progress,
};

use super::fields::{Fields, IdShape, Reader};
use super::yaml::Node;

const AREA_FIELDS: &[&str] = crate::field_names!(AREA);
const PROGRESS_FIELDS: &[&str] = crate::field_names!(PROGRESS);
const HISTORY_FIELDS: &[&str] = crate::field_names!(HISTORY);
const ACTION_FIELDS: &[&str] = crate::field_names!(ACTION);
const MEASURE_FIELDS: &[&str] = crate::field_names!(MEASURE);
const POINT_FIELDS: &[&str] = crate::field_names!(POINT);
const OFFICIAL_FIELDS: &[&str] = crate::field_names!(OFFICIAL);

pub fn read(r: &mut Reader, root: &Node) -> Option<Area> {
    let f = r.map(root, "the area", AREA_FIELDS)?;
    let (id, id_ok) = r.item_id(&f, "id", "A6");
    let title = r.req_text(&f, "title", "Quality of the EHC process");
    let weakness = r.req_text(&f, "weakness", "the finding, as the inspection worded it");
    let outcome = r.req_text(&f, "outcome", "the difference we will make");
    let lead = r.opt_text(&f, "lead").map(|t| t.value);
    let order = r.opt_int(&f, "order").map(|o| o.value);
    let monitoring = r
        .opt_choice::<Monitoring>(&f, "monitoring")
        .map_or(Monitoring::Formal, |m| m.value);
    let progress = r.node(&f, "progress").and_then(|n| read_progress(r, n));

    let mut actions = Vec::new();
    for node in r.list(
        &f,
        "actions",
        "[{id: A6.1, title: ..., owner: kcc, status: in-progress}]",
    ) {
        if let Some(a) = read_action(r, node) {
            actions.push(a);
        }
    }
    let mut measures = Vec::new();
    for node in r.list(&f, "measures", "[{id: A6.M1, title: ..., direction: up}]") {
        if let Some(m) = read_measure(r, node) {
            measures.push(m);
        }
    }
    let family = r
        .node(&f, "family")
        .and_then(|n| super::family::read_area(r, n));
    Some(Area {
        file: r.file.to_owned(),
        id: At::new(id.value.as_str().into(), id.pos),
        id_ok,
        title: title.map(|t| t.value).unwrap_or_default(),
        weakness: weakness.map(|t| t.value).unwrap_or_default(),
        outcome: outcome.map(|t| t.value).unwrap_or_default(),
        lead,
        order,
        monitoring,
        progress,
        actions,
        measures,
        family,
    })
}

fn read_progress(r: &mut Reader, node: &Node) -> Option<Progress> {
    let f = r.map(node, "`progress`", PROGRESS_FIELDS)?;
    let mut history = Vec::new();
    for n in r.list(&f, "history", "[{date: 2025-04-30, rating: amber}]") {
        let Some(hf) = r.map(n, "a `history` entry", HISTORY_FIELDS) else {
            continue;
        };
        let date = r.req_date(&hf, "date");
        let rating = r.req_choice(&hf, "rating");
        if let (Some(d), Some(rt)) = (date, rating) {
            history.push((d.value, rt.value));
        }
    }
    history.sort_by_key(|(d, _)| *d);
    Some(Progress {
        rating: r.opt_choice(&f, "rating").map(|c| c.value),
        date: r.opt_date(&f, "date").map(|d| d.value),
        summary: r.opt_text(&f, "summary"),
        history,
    })
}

fn read_action(r: &mut Reader, node: &Node) -> Option<Action> {
    let what = label(node, "action");
    let f = r.map(node, what, ACTION_FIELDS)?;
    let (id, id_ok) = r.item_id(&f, "id", "A6.1");
    let title = r.req_text(&f, "title", "Recruit more caseworkers");
    let owner = r.opt_id(&f, "owner", IdShape::Item);
    let due = r.opt_date(&f, "due").map(|d| d.value);
    let status = r
        .opt_choice::<ActionStatus>(&f, "status")
        .map_or(ActionStatus::NotStarted, |s| s.value);
    Some(Action {
        id: At::new(id.value.as_str().into(), id.pos),
        id_ok,
        title: title.map(|t| t.value).unwrap_or_default(),
        owner: owner.map(|o| At::new(o.value.as_str().into(), o.pos)),
        due,
        status,
    })
}

fn read_measure(r: &mut Reader, node: &Node) -> Option<Measure> {
    let what = label(node, "measure");
    let f = r.map(node, what, MEASURE_FIELDS)?;
    let (id, id_ok) = r.item_id(&f, "id", "A6.M1");
    let title = r.req_text(&f, "title", "New EHC plans issued within 20 weeks");
    let unit = r.opt_text(&f, "unit").map(|t| t.value).unwrap_or_default();
    let direction = r
        .opt_choice::<Direction>(&f, "direction")
        .map_or(Direction::Up, |d| d.value);
    let source = r.opt_text(&f, "source").map(|t| t.value);
    let baseline = r
        .node(&f, "baseline")
        .and_then(|n| read_point(r, n, "`baseline`"));
    let target = r
        .node(&f, "target")
        .and_then(|n| read_point(r, n, "`target`"));
    let floor = r.opt_number(&f, "floor").map(|n| n.value);
    let mut data: Vec<Point> = r
        .list(&f, "data", "[{date: 2025-03-31, value: 34.0}]")
        .into_iter()
        .filter_map(|n| read_point(r, n, "a data point"))
        .collect();
    data.sort_by(|a, b| a.date.cmp(&b.date).then(a.value.total_cmp(&b.value)));
    let official = r.node(&f, "official").and_then(|n| read_official(r, n));
    Some(Measure {
        id: At::new(id.value.as_str().into(), id.pos),
        id_ok,
        title: title.map(|t| t.value).unwrap_or_default(),
        unit,
        direction,
        source,
        baseline,
        target,
        floor,
        data,
        official,
        benchmarks: Vec::new(),
        suppressed: Vec::new(),
    })
}

fn read_point(r: &mut Reader, node: &Node, what: &str) -> Option<Point> {
    let f: Fields = r.map(node, what, POINT_FIELDS)?;
    let date = r.req_date(&f, "date");
    let value = r.req_number(&f, "value");
    let note = r.opt_text(&f, "note").map(|t| t.value);
    let date = date?;
    Some(Point {
        date: date.value,
        value: value?.value,
        note,
        pos: date.pos,
    })
}

fn read_official(r: &mut Reader, node: &Node) -> Option<Official> {
    let f = r.map(node, "`official`", OFFICIAL_FIELDS)?;
    let file = r.req_text(&f, "file", "data/ehc-plan-timeliness.csv");
    let value = r.req_text(&f, "value", "pc_plans_issued_within_20_weeks_ex");
    let filters = r.text_map(&f, "where", "{breakdown: All EHC plans}");
    let compare = r.node(&f, "compare").map(|_| {
        let mut kinds: Vec<At<BenchKind>> = Vec::new();
        for item in r.list(&f, "compare", "[england, region, neighbours]") {
            let text = Reader::text_of(item).unwrap_or_default();
            match BenchKind::parse(&text) {
                Some(k) if !kinds.iter().any(|x| x.value == k) => kinds.push(At::new(k, item.pos)),
                Some(_) => {}
                None => r.schema(
                    item.pos,
                    format!("`compare` cannot hold `{text}`"),
                    format!("the choices are {}", BenchKind::NAMES.join(", ")),
                ),
            }
        }
        kinds
    });
    Some(Official {
        file: file?,
        value: value?,
        filters,
        compare,
        pos: node.pos,
        newest: None,
        periods: Default::default(),
        resolved: None,
    })
}

/// "action A6.1" when the id is readable, for messages.
fn label(node: &Node, kind: &str) -> String {
    if let super::yaml::Value::Map(entries) = &node.value {
        for (k, v) in entries {
            if k.as_str() == Some("id")
                && let Some(id) = Reader::text_of(v)
            {
                return format!("{kind} {id}");
            }
        }
    }
    format!("an {kind}")
}
