//! Everything a reader of the pack sees, computed once for the as-of date:
//! ordering, which items are current and included, ratings, counts,
//! resolved citations and chart SVGs. Serializable: it is the `json` output
//! and the only input of every template (documented in docs/view.md).

pub mod letter;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::assess::{AreaState, Rag, Snapshot};
use crate::chart;
use crate::finding::{Finding, Rule, Severity};
use crate::markdown::{self as markup, Text};
use crate::model::{Choice, Classification, Date, Evidence, Monitoring, Rating, Resolved};
use crate::timeline::AsOf;

#[derive(Debug, Clone, Serialize)]
pub struct PackView {
    pub meta: Meta,
    pub summary: Summary,
    /// The previous visit, when there is one: what moved since is in each area's `since`.
    pub since: Option<crate::since::Since>,
    /// What the letter after the last visit asked, and what answers it.
    pub last_letter: Option<letter::LetterView>,
    pub areas: Vec<AreaView>,
    /// Every included current item, by id: the entries citations link to.
    pub evidence_index: Vec<EvidenceView>,
    pub acknowledged: Vec<AckView>,
    pub left_out: LeftOut,
    pub rules: RulesView,
}

#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub tool: String,
    pub plan_id: String,
    pub title: String,
    /// The marking printed at the top and bottom of every page.
    pub marking: String,
    pub visit: Option<VisitView>,
    pub as_of: Date,
    pub as_of_long: String,
    pub build_date: Date,
    pub build_date_long: String,
    pub commit: Commit,
    pub organisations: Vec<OrgView>,
    /// `<plan id>-<visit id or as-of date>`: the output file stem.
    pub file_stem: String,
    pub include_sensitive: bool,
    pub allow_gaps: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct VisitView {
    pub id: String,
    pub title: String,
    pub date: Date,
    pub date_long: String,
    pub evidence_due: Date,
}

/// Where the pack came from.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Commit {
    pub sha: Option<String>,
    pub short: Option<String>,
    pub dirty: bool,
    /// "1a2b3c4d", "1a2b3c4d with uncommitted changes" or "not under version control".
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrgView {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub areas_total: usize,
    pub areas_complete: usize,
    pub areas_with_gaps: Vec<String>,
    pub items_included: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Shown on the summary page when the pack was built with gaps.
    pub gap_banner: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RatingView {
    pub word: String,
    /// Hex colour for the rating's swatch; the word is always shown beside it.
    pub colour: String,
}

impl RatingView {
    fn of_rating(r: Rating) -> RatingView {
        let (word, colour) = match r {
            Rating::Red => ("Red", "#d4351c"),
            Rating::Amber => ("Amber", "#f47738"),
            Rating::Green => ("Green", "#00703c"),
            Rating::Complete => ("Complete", "#1d70b8"),
        };
        RatingView {
            word: word.into(),
            colour: colour.into(),
        }
    }

    fn of_rag(r: Rag) -> RatingView {
        RatingView::of_rating(match r {
            Rag::Red => Rating::Red,
            Rag::Amber => Rating::Amber,
            Rag::Green => Rating::Green,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AreaView {
    pub id: String,
    pub anchor: String,
    pub title: String,
    pub weakness: String,
    pub outcome: String,
    pub lead: Option<String>,
    pub monitoring: Monitoring,
    pub monitoring_text: String,
    pub rating: Option<RatingView>,
    pub rating_date: Option<Date>,
    pub progress_summary: Option<Text>,
    pub narrative: Option<Text>,
    pub complete: bool,
    /// What is missing, when the area has a gap (built with --allow-gaps).
    pub gap: Option<String>,
    pub acknowledged_gap: Option<String>,
    pub state: AreaState,
    /// What moved since the previous visit.
    pub since: Option<crate::since::AreaSince>,
    pub actions: Vec<ActionView>,
    pub measures: Vec<MeasureView>,
    pub evidence: Vec<EvidenceView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionView {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub due: Option<Date>,
    pub status: String,
    pub evidence: Vec<EvRef>,
    /// No current evidence (an action-gap let through by --allow-gaps).
    pub gap: bool,
}

/// A link to an item's entry in the evidence index.
#[derive(Debug, Clone, Serialize)]
pub struct EvRef {
    pub id: String,
    pub anchor: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeasureView {
    pub id: String,
    pub title: String,
    pub unit: String,
    pub direction: String,
    pub source: Option<String>,
    pub baseline: Option<String>,
    pub latest: Option<String>,
    pub latest_date: Option<Date>,
    pub target: Option<String>,
    pub floor: Option<String>,
    pub rating: Option<RatingView>,
    pub trend: String,
    pub arrow: String,
    /// Relative path of the chart beside the Markdown output.
    pub chart_file: String,
    pub chart_svg: String,
    pub chart_alt: String,
    pub points: Vec<PointView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PointView {
    pub date: Date,
    pub value: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceView {
    pub id: String,
    pub anchor: String,
    pub title: String,
    pub date: Option<Date>,
    pub organisation: String,
    pub kind: String,
    pub shows: String,
    pub areas: Vec<String>,
    pub actions: Vec<String>,
    pub summary: Option<Text>,
    pub url: Option<String>,
    pub attachment: Option<Attachment>,
    pub classification: String,
    pub sensitive: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    pub name: String,
    /// Relative to the repository root.
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AckView {
    pub rule: String,
    pub id: String,
    pub reason: String,
    pub until: Date,
    pub in_force: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct LeftOut {
    /// Current items left out of this pack.
    pub total: usize,
    pub sensitive: usize,
    pub personal_data: usize,
    /// Items held but not current on the as-of date.
    pub not_current: usize,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RulesView {
    pub max_age_months: u32,
    pub min_current_per_area: u32,
    pub require_shows: Vec<String>,
    pub action_evidence: String,
    pub window_start: Date,
    pub rules: Vec<RuleView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleView {
    pub name: String,
    pub severity: String,
    pub description: String,
}

/// How the pack is being built.
pub struct Options {
    pub include_sensitive: bool,
    pub allow_gaps: bool,
    pub commit: Commit,
    pub build_date: Date,
    /// SHA-256 and size of an attachment (relative path), computed by the caller.
    pub digests: HashMap<String, (u64, String)>,
}

pub fn build(snap: &Snapshot, as_of: &AsOf, findings: &[Finding], opts: &Options) -> PackView {
    let repo = snap.repo;
    let plan = &repo.plan;
    let org_name = |id: &str| {
        plan.organisation(id)
            .map_or_else(|| id.to_owned(), |o| o.name.clone())
    };
    let included: Vec<&Evidence> = snap
        .current_items()
        .filter(|e| opts.include_sensitive || !e.is_sensitive())
        .collect();
    let in_pack: HashSet<&str> = included.iter().map(|e| e.id.value.as_str()).collect();
    let known = |id: &str| in_pack.contains(id);

    let evidence_view = |e: &Evidence| -> EvidenceView {
        let attachment = match &e.resolved {
            Some(Resolved::File(p)) => opts.digests.get(p).map(|(bytes, sha)| Attachment {
                name: p.rsplit('/').next().unwrap_or(p).to_owned(),
                path: p.clone(),
                bytes: *bytes,
                sha256: sha.clone(),
            }),
            _ => None,
        };
        EvidenceView {
            id: e.id.value.to_string(),
            anchor: markup::anchor(e.id.value.as_str()),
            title: crate::pii::mask_all(&e.title).into_owned(),
            date: e.date.as_ref().map(|d| d.value),
            organisation: e
                .organisation
                .as_ref()
                .map_or_else(String::new, |o| org_name(o.value.as_str())),
            kind: e.kind.map_or("", |k| k.name()).to_owned(),
            shows: e.shows.map_or("", |s| s.name()).to_owned(),
            areas: e.areas.iter().map(|a| a.value.to_string()).collect(),
            actions: e.actions.iter().map(|a| a.value.to_string()).collect(),
            summary: e.summary.as_ref().map(|s| markup::render(&s.value, &known)),
            url: e.url.clone().filter(|u| {
                (u.starts_with("https://") || u.starts_with("http://"))
                    && u.len() <= markup::MAX_URL
            }),
            attachment,
            classification: e.classification.name().to_owned(),
            sensitive: e.is_sensitive(),
        }
    };
    let mut index: Vec<EvidenceView> = included.iter().map(|e| evidence_view(e)).collect();
    index.sort_by(|a, b| a.id.cmp(&b.id));
    let by_id: BTreeMap<&str, &EvidenceView> = index.iter().map(|e| (e.id.as_str(), e)).collect();

    let gaps_allowed = |rule: Rule, id: &str| {
        findings.iter().any(|f| {
            f.rule == rule && f.severity == Severity::Error && f.subject.as_deref() == Some(id)
        })
    };
    let ack_of = |rule: Rule, id: &str| {
        findings
            .iter()
            .find(|f| {
                f.rule == rule
                    && f.severity == Severity::Acknowledged
                    && f.subject.as_deref() == Some(id)
            })
            .and_then(|f| f.hint.clone())
    };

    let file_stem = format!(
        "{}-{}",
        plan.id.value,
        as_of
            .visit
            .as_ref()
            .map_or_else(|| as_of.date.to_string(), |v| v.to_string())
    );
    let since = crate::since::previous_visit(&plan.visits_by_date(), as_of.date);
    let may_show = |e: &Evidence| opts.include_sensitive || !e.is_sensitive();
    let mut areas = Vec::new();
    for area in &repo.areas {
        let state = snap.area(area);
        let id = area.id.value.as_str();
        let mut area_items: Vec<EvidenceView> = included
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
                        .map_or_else(String::new, |o| org_name(o.value.as_str())),
                    due: x.due,
                    status: x.status.name().replace('-', " "),
                    gap: gaps_allowed(Rule::ActionGap, aid),
                    evidence: ev,
                }
            })
            .collect();
        let measures = area
            .measures
            .iter()
            .map(|m| {
                let st = crate::assess::measure(m, as_of.date);
                let (svg, alt) = chart::svg(m, as_of.date);
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
                    source: m.source.clone(),
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
                    arrow: st.arrow.to_owned(),
                    chart_file: format!(
                        "{file_stem}-charts/{}.svg",
                        safe_file(m.id.value.as_str())
                    ),
                    chart_svg: svg,
                    chart_alt: alt,
                    points: m
                        .data
                        .iter()
                        .filter(|p| p.date <= as_of.date)
                        .map(|p| PointView {
                            date: p.date,
                            value: chart::with_unit(p.value, &m.unit),
                            note: p.note.clone(),
                        })
                        .collect(),
                }
            })
            .collect();
        let narrative = repo
            .narratives
            .iter()
            .find(|n| n.area.as_ref().is_some_and(|a| a.as_str() == id))
            .map(|n| markup::render(&n.text, &known));
        let gap = gaps_allowed(Rule::AreaGap, id).then(|| {
            format!(
                "Evidence gap: this area is not complete on {} ({}).",
                as_of.date.long(),
                state.missing.join("; ")
            )
        });
        areas.push(AreaView {
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
                .map(|s| markup::render(&s.value, &known)),
            narrative,
            complete: state.complete,
            gap,
            acknowledged_gap: ack_of(Rule::AreaGap, id),
            since: since
                .as_ref()
                .map(|s| crate::since::area(snap, area, s, &may_show)),
            state,
            actions,
            measures,
            evidence: area_items,
        });
    }

    let current_total = snap.current.iter().filter(|c| **c).count();
    let sensitive = snap
        .current_items()
        .filter(|e| {
            !opts.include_sensitive && e.classification == Classification::OfficialSensitive
        })
        .count();
    let personal = snap
        .current_items()
        .filter(|e| {
            !opts.include_sensitive
                && e.personal_data
                && e.classification != Classification::OfficialSensitive
        })
        .count();
    let left_total = current_total - included.len();
    let not_current = repo.evidence.len() - current_total;
    let left_text = if left_total == 0 {
        format!(
            "No current item was left out. {not_current} older or superseded item{} held in the repository {} not current on {}.",
            crate::assess::plural(not_current),
            if not_current == 1 { "is" } else { "are" },
            as_of.date.long()
        )
    } else {
        format!(
            "{left_total} current item{} left out of this pack: {sensitive} marked OFFICIAL-SENSITIVE and {personal} holding personal data. {not_current} older or superseded item{} not current on {}.",
            if left_total == 1 { " was" } else { "s were" },
            crate::assess::plural(not_current),
            as_of.date.long()
        )
    };

    let t = crate::finding::Tally::of(findings);
    let gap_areas: Vec<String> = areas
        .iter()
        .filter(|a| a.gap.is_some())
        .map(|a| a.id.clone())
        .collect();
    let action_gaps = areas
        .iter()
        .flat_map(|a| &a.actions)
        .filter(|a| a.gap)
        .count();
    let gap_banner = (!gap_areas.is_empty() || action_gaps > 0).then(|| {
        let mut s = String::from("This pack was built with known evidence gaps: ");
        if !gap_areas.is_empty() {
            s.push_str(&format!(
                "area{} {} {} not complete",
                crate::assess::plural(gap_areas.len()),
                gap_areas.join(", "),
                if gap_areas.len() == 1 { "is" } else { "are" }
            ));
        }
        if action_gaps > 0 {
            if !gap_areas.is_empty() {
                s.push_str("; ");
            }
            s.push_str(&format!(
                "{action_gaps} action{} without current evidence",
                crate::assess::plural(action_gaps)
            ));
        }
        s.push('.');
        s
    });

    let visit = as_of
        .visit
        .as_ref()
        .and_then(|v| plan.visit(v.as_str()))
        .map(|v| VisitView {
            id: v.id.value.to_string(),
            title: v.label(),
            date: v.date,
            date_long: v.date.long(),
            evidence_due: v.evidence_due,
        });
    let marking = if opts.include_sensitive {
        Classification::OfficialSensitive
    } else {
        plan.classification
    };
    let rules = &plan.rules;
    PackView {
        meta: Meta {
            tool: format!("pack {}", crate::VERSION),
            plan_id: plan.id.value.clone(),
            title: plan.title.clone(),
            marking: marking.name().to_owned(),
            visit,
            as_of: as_of.date,
            as_of_long: as_of.date.long(),
            build_date: opts.build_date,
            build_date_long: opts.build_date.long(),
            commit: opts.commit.clone(),
            organisations: plan
                .organisations
                .iter()
                .map(|o| OrgView {
                    id: o.id.value.to_string(),
                    name: o.name.clone(),
                })
                .collect(),
            file_stem,
            include_sensitive: opts.include_sensitive,
            allow_gaps: opts.allow_gaps,
        },
        since,
        last_letter: letter::build(snap, &may_show),
        summary: Summary {
            areas_total: areas.len(),
            areas_complete: areas.iter().filter(|a| a.complete).count(),
            areas_with_gaps: gap_areas,
            items_included: index.len(),
            errors: t.errors,
            warnings: t.warnings,
            gap_banner,
        },
        areas,
        evidence_index: index,
        acknowledged: plan
            .acknowledged
            .iter()
            .map(|a| AckView {
                rule: a.rule.name().into(),
                id: a.id.clone(),
                reason: a.reason.clone(),
                until: a.until,
                in_force: a.until >= as_of.date,
            })
            .collect(),
        left_out: LeftOut {
            total: left_total,
            sensitive,
            personal_data: personal,
            not_current,
            text: left_text,
        },
        rules: RulesView {
            max_age_months: rules.max_age_months,
            min_current_per_area: rules.min_current_per_area,
            require_shows: rules
                .require_shows
                .iter()
                .map(|s| s.name().to_owned())
                .collect(),
            action_evidence: rules.action_evidence.name().to_owned(),
            window_start: snap.currency.window_start(as_of.date),
            rules: Rule::ALL
                .iter()
                .map(|r| RuleView {
                    name: r.name().into(),
                    severity: match r {
                        Rule::ActionGap => rules.action_evidence.name().to_owned(),
                        r => r.default_severity().name().into(),
                    },
                    description: r.describe().into(),
                })
                .collect(),
        },
    }
}

/// The anchor of an area's section.
pub fn area_anchor(id: &str) -> String {
    format!("area-{}", markup::anchor(id).trim_start_matches("ev-"))
}

/// A measure id as a file name.
fn safe_file(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}
