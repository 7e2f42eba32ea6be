//! Everything a reader of the pack sees, computed once for the as-of date:
//! ordering, which items are current and included, ratings, counts,
//! resolved citations and chart SVGs. Serializable: it is the `json` output
//! and the only input of every template (documented in docs/view.md).

mod appendix;
mod area;
mod evidence;
pub mod family;
pub mod glance;
pub mod indexes;
pub mod letter;
mod meta;
pub mod official;
pub mod overdue;

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::assess::{AreaState, Rag, Snapshot};

use crate::finding::{Finding, Rule, Severity};
use crate::markdown::{self as markup, Text};
use crate::model::{Date, Evidence, Monitoring, Rating};
use crate::timeline::AsOf;

/// The version of the view's JSON shape (semver, docs/view.md): a minor
/// version adds fields, a major one removes a field or changes its meaning.
/// Readers of bundles (`pack portfolio`) refuse a major version they do
/// not know.
pub use meta::{Commit, LocalAuthorityView, Meta, OrgView, VisitView};

pub const SCHEMA_VERSION: &str = "1.0.0";

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PackView {
    /// [`SCHEMA_VERSION`] when the view was written.
    pub schema_version: String,
    pub meta: Meta,
    pub summary: Summary,
    /// The previous visit, when there is one: what moved since is in each area's `since`.
    pub since: Option<crate::since::Since>,
    /// What the letter after the last visit asked, and what answers it.
    pub last_letter: Option<letter::LetterView>,
    /// One row per measure, grouped by area (spec section 11).
    pub measures_at_a_glance: Vec<glance::GlanceRow>,
    /// Actions overdue or at risk, across areas, in plan order.
    pub overdue_actions: Vec<overdue::OverdueView>,
    pub areas: Vec<AreaView>,
    /// Every included current item, by id: the entries citations link to.
    pub evidence_index: Vec<EvidenceView>,
    /// The evidence index by area: each area's item ids, linked.
    pub evidence_by_area: Vec<indexes::IndexGroup>,
    /// The evidence index by point of the last letter (empty without one).
    pub evidence_by_point: Vec<indexes::IndexGroup>,
    pub acknowledged: Vec<AckView>,
    pub left_out: LeftOut,
    pub rules: RulesView,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Summary {
    pub areas_total: usize,
    pub areas_complete: usize,
    pub areas_with_gaps: Vec<String>,
    pub items_included: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Shown on the summary page when the pack was built with gaps.
    pub gap_banner: Option<String>,
    /// Shown on the cover and in At a glance while any value `pack init`
    /// wrote as an example is still there (rule `placeholder`).
    pub placeholder: Option<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
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

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AreaView {
    #[schemars(pattern(crate::schema::table::ITEM_ID))]
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

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ActionView {
    #[schemars(pattern(crate::schema::table::ITEM_ID))]
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
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct EvRef {
    #[schemars(pattern(crate::schema::table::ITEM_ID))]
    pub id: String,
    pub anchor: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct MeasureView {
    #[schemars(pattern(crate::schema::table::ITEM_ID))]
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
    /// "↑ better", "↓ worse", "→ no change" or "no trend yet": which way the
    /// value moved, and whether that is better or worse by `direction`.
    pub arrow: String,
    /// Relative path of the chart beside the Markdown output.
    pub chart_file: String,
    pub chart_svg: String,
    pub chart_alt: String,
    pub points: Vec<PointView>,
    /// Where the published figures come from, when the measure has an
    /// `official:` source (spec section 10).
    pub official: Option<official::OfficialView>,
    /// England, the region and the statistical neighbours, from that file.
    pub benchmarks: Vec<crate::model::Benchmark>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PointView {
    pub date: Date,
    pub value: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct EvidenceView {
    #[schemars(pattern(crate::schema::table::ITEM_ID))]
    pub id: String,
    pub anchor: String,
    pub title: String,
    pub date: Option<Date>,
    pub organisation: String,
    pub kind: String,
    pub shows: String,
    #[schemars(inner(pattern(crate::schema::table::ITEM_ID)))]
    pub areas: Vec<String>,
    #[schemars(inner(pattern(crate::schema::table::ITEM_ID)))]
    pub actions: Vec<String>,
    /// `areas`, each linking to its area's section.
    pub area_links: Vec<indexes::Link>,
    /// The points of the last letter this item answers, each linking to its row.
    pub answers: Vec<indexes::Link>,
    pub summary: Option<Text>,
    pub url: Option<String>,
    pub attachment: Option<Attachment>,
    pub classification: String,
    pub sensitive: bool,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Attachment {
    pub name: String,
    /// Relative to the repository root.
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AckView {
    pub rule: String,
    pub id: String,
    pub reason: String,
    pub until: Date,
    pub in_force: bool,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct LeftOut {
    /// Current items left out of this pack.
    pub total: usize,
    pub sensitive: usize,
    pub personal_data: usize,
    /// Items held but not current on the as-of date.
    pub not_current: usize,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RulesView {
    pub max_age_months: u32,
    pub min_current_per_area: u32,
    pub require_shows: Vec<String>,
    pub action_evidence: String,
    pub window_start: Date,
    pub rules: Vec<RuleView>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
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

/// What every section of the view is built from.
pub(crate) struct Ctx<'a> {
    snap: &'a Snapshot<'a>,
    as_of: &'a AsOf,
    findings: &'a [Finding],
    opts: &'a Options,
    /// The current items this pack may show.
    included: Vec<&'a Evidence>,
    in_pack: HashSet<&'a str>,
    /// `<plan id>-<visit id or as-of date>`.
    file_stem: String,
}

impl<'a> Ctx<'a> {
    fn new(
        snap: &'a Snapshot<'a>,
        as_of: &'a AsOf,
        findings: &'a [Finding],
        opts: &'a Options,
    ) -> Self {
        let included: Vec<&Evidence> = snap
            .current_items()
            .filter(|e| opts.include_sensitive || !e.is_sensitive())
            .collect();
        let in_pack = included.iter().map(|e| e.id.value.as_str()).collect();
        let file_stem = format!(
            "{}-{}",
            snap.repo.plan.id.value,
            as_of
                .visit
                .as_ref()
                .map_or_else(|| as_of.date.to_string(), |v| v.to_string())
        );
        Ctx {
            snap,
            as_of,
            findings,
            opts,
            included,
            in_pack,
            file_stem,
        }
    }

    /// Whether a cited id has an entry in this pack.
    fn known(&self, id: &str) -> bool {
        self.in_pack.contains(id)
    }

    fn may_show(&self, e: &Evidence) -> bool {
        self.opts.include_sensitive || !e.is_sensitive()
    }

    fn org_name(&self, id: &str) -> String {
        self.snap
            .repo
            .plan
            .organisation(id)
            .map_or_else(|| id.to_owned(), |o| o.name.clone())
    }

    /// An error of `rule` about `id` let through by --allow-gaps.
    fn gaps_allowed(&self, rule: Rule, id: &str) -> bool {
        self.findings.iter().any(|f| {
            f.rule == rule && f.severity == Severity::Error && f.subject.as_deref() == Some(id)
        })
    }

    /// The acknowledgement covering `rule` about `id`, as its hint says it.
    fn ack_of(&self, rule: Rule, id: &str) -> Option<String> {
        self.findings
            .iter()
            .find(|f| {
                f.rule == rule
                    && f.severity == Severity::Acknowledged
                    && f.subject.as_deref() == Some(id)
            })
            .and_then(|f| f.hint.clone())
    }
}

/// The view, section by section.
pub fn build(snap: &Snapshot, as_of: &AsOf, findings: &[Finding], opts: &Options) -> PackView {
    let ctx = Ctx::new(snap, as_of, findings, opts);
    let plan = &snap.repo.plan;
    let since = crate::since::previous_visit(&plan.visits_by_date(), as_of.date);
    let last_letter = letter::build(snap, &|e| ctx.may_show(e));
    let mut index = evidence::index(&ctx);
    let evidence_by_point = indexes::by_point(last_letter.as_ref(), &mut index);
    let areas = area::all(&ctx, &index, since.as_ref());
    let t = crate::finding::Tally::of(ctx.findings);
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

    PackView {
        schema_version: SCHEMA_VERSION.to_owned(),
        meta: meta::build(&ctx),
        last_letter,
        measures_at_a_glance: glance::rows(&ctx, since.as_ref().map(|s| s.visit_date)),
        overdue_actions: overdue::all(&ctx),
        since,
        summary: Summary {
            areas_total: areas.len(),
            areas_complete: areas.iter().filter(|a| a.complete).count(),
            areas_with_gaps: gap_areas,
            items_included: index.len(),
            errors: t.errors,
            warnings: t.warnings,
            gap_banner,
            placeholder: placeholder_note(findings),
        },
        evidence_by_area: indexes::by_area(&ctx, &index),
        evidence_by_point,
        areas,
        evidence_index: index,
        acknowledged: appendix::acknowledged(&ctx),
        left_out: appendix::left_out(&ctx),
        rules: appendix::rules(&ctx),
    }
}

/// What the pack says while it still holds init's example text: every
/// `placeholder` finding counts, acknowledged or not (the text is still
/// there either way).
fn placeholder_note(findings: &[Finding]) -> Option<String> {
    let mut left = findings.iter().filter(|f| f.rule == Rule::Placeholder);
    let first = left.next()?;
    let n = 1 + left.count();
    Some(format!(
        "This pack still holds example text written by pack init: {n} value{} to replace, \
         the first in {} line {}.",
        crate::assess::plural(n),
        first.file,
        first.line
    ))
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
