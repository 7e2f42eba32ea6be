//! One section per area: facts, progress, actions with their evidence,
//! measures with charts, and the area's current evidence.

use std::collections::BTreeMap;

use crate::chart;
use crate::finding::Rule;
use crate::markdown as markup;
use crate::model::{Area, Choice, Monitoring};

use super::{
    ActionView, AreaView, Ctx, EvRef, EvidenceView, MeasureView, PointView, RatingView,
    area_anchor, safe_file,
};

/// Every area's section, in plan order.
pub(super) fn all(
    ctx: &Ctx,
    index: &[EvidenceView],
    since: Option<&crate::since::Since>,
) -> Vec<AreaView> {
    let by_id: BTreeMap<&str, &EvidenceView> = index.iter().map(|e| (e.id.as_str(), e)).collect();
    ctx.snap
        .repo
        .areas
        .iter()
        .map(|area| one(ctx, area, &by_id, since))
        .collect()
}

fn one(
    ctx: &Ctx,
    area: &Area,
    by_id: &BTreeMap<&str, &EvidenceView>,
    since: Option<&crate::since::Since>,
) -> AreaView {
    let state = ctx.snap.area(area);
    let id = area.id.value.as_str();
    let mut area_items: Vec<EvidenceView> = ctx
        .included
        .iter()
        .filter(|e| e.names_area(id))
        .filter_map(|e| by_id.get(e.id.value.as_str()).map(|v| (*v).clone()))
        .collect();
    area_items.sort_by(|a, b| (b.date, &a.id).cmp(&(a.date, &b.id)));
    let actions = area
        .actions
        .iter()
        .map(|x| {
            let aid = x.id.value.as_str();
            let mut ev: Vec<EvRef> = area_items
                .iter()
                .filter(|e| e.actions.iter().any(|a| a == aid))
                .map(|e| EvRef {
                    id: e.id.clone(),
                    anchor: e.anchor.clone(),
                })
                .collect();
            ev.sort_by(|a, b| a.id.cmp(&b.id));
            ActionView {
                id: aid.to_owned(),
                title: crate::pii::mask_all(&x.title).into_owned(),
                owner: x
                    .owner
                    .as_ref()
                    .map_or_else(String::new, |o| ctx.org_name(o.value.as_str())),
                due: x.due,
                status: x.status.name().replace('-', " "),
                gap: ctx.gaps_allowed(Rule::ActionGap, aid),
                evidence: ev,
            }
        })
        .collect();
    let measures = area
        .measures
        .iter()
        .map(|m| {
            let st = crate::assess::measure(m, ctx.as_of.date);
            let (svg, alt) = chart::svg(m, ctx.as_of.date);
            MeasureView {
                id: m.id.value.to_string(),
                title: m.title.clone(),
                unit: m.unit.clone(),
                direction: if m.direction == crate::model::Direction::Up {
                    "Higher is better"
                } else {
                    "Lower is better"
                }
                .to_owned(),
                // Without its final full stop: every format writes
                // "Source: ….", and "data/README.md).." reads as a slip.
                source: m
                    .source
                    .as_deref()
                    .map(|s| s.trim_end().trim_end_matches('.').to_owned()),
                baseline: m.baseline.as_ref().map(|p| {
                    format!(
                        "{} ({})",
                        chart::with_unit(p.value, &m.unit),
                        p.date.short()
                    )
                }),
                latest: st
                    .latest
                    .as_ref()
                    .map(|p| chart::with_unit(p.value, &m.unit)),
                latest_date: st.latest.as_ref().map(|p| p.date),
                target: m.target.as_ref().map(|p| {
                    format!(
                        "{} by {}",
                        chart::with_unit(p.value, &m.unit),
                        p.date.short()
                    )
                }),
                floor: m.floor.map(|f| chart::with_unit(f, &m.unit)),
                rating: st.rating.map(RatingView::of_rag),
                trend: st.trend.word().to_owned(),
                arrow: st.arrow_words(),
                chart_file: format!(
                    "{}-charts/{}.svg",
                    ctx.file_stem,
                    safe_file(m.id.value.as_str())
                ),
                chart_svg: svg,
                chart_alt: alt,
                points: m
                    .data
                    .iter()
                    .filter(|p| p.date <= ctx.as_of.date)
                    .map(|p| PointView {
                        date: p.date,
                        value: chart::with_unit(p.value, &m.unit),
                        note: p.note.clone(),
                    })
                    .collect(),
                official: m.official.as_ref().map(super::official::OfficialView::of),
                // As the measure's own points: nothing after the as-of date.
                benchmarks: m
                    .benchmarks
                    .iter()
                    .map(|b| crate::model::Benchmark {
                        points: b
                            .points
                            .iter()
                            .filter(|p| p.date <= ctx.as_of.date)
                            .cloned()
                            .collect(),
                        ..b.clone()
                    })
                    .filter(|b| !b.points.is_empty())
                    .collect(),
            }
        })
        .collect();
    let narrative = ctx
        .snap
        .repo
        .narratives
        .iter()
        .find(|n| n.area.as_ref().is_some_and(|a| a.as_str() == id))
        .map(|n| markup::render(&n.text, &|id| ctx.known(id)));
    let gap = ctx.gaps_allowed(Rule::AreaGap, id).then(|| {
        format!(
            "Evidence gap: this area is not complete on {} ({}).",
            ctx.as_of.date.long(),
            state.missing.join("; ")
        )
    });
    AreaView {
        id: id.to_owned(),
        anchor: area_anchor(id),
        title: area.title.clone(),
        weakness: area.weakness.clone(),
        outcome: area.outcome.clone(),
        lead: area.lead.clone(),
        monitoring: area.monitoring,
        monitoring_text: match area.monitoring {
            Monitoring::Formal => "Formal monitoring".into(),
            Monitoring::Reduced => "Reduced monitoring".into(),
            Monitoring::Ended => "Formal monitoring has ended".into(),
        },
        rating: area
            .progress
            .as_ref()
            .and_then(|p| p.rating)
            .map(RatingView::of_rating),
        rating_date: area.progress.as_ref().and_then(|p| p.date),
        progress_summary: area
            .progress
            .as_ref()
            .and_then(|p| p.summary.as_ref())
            .map(|s| markup::render(&s.value, &|id| ctx.known(id))),
        narrative,
        complete: state.complete,
        gap,
        acknowledged_gap: ctx.ack_of(Rule::AreaGap, id),
        since: since
            .as_ref()
            .map(|s| crate::since::area(ctx.snap, area, s, &|e| ctx.may_show(e))),
        state,
        actions,
        measures,
        evidence: area_items,
    }
}
