//! The family edition's view (spec section 8): what children, young people
//! and families read, computed from the same snapshot as the reviewer's
//! pack but built on its own, from the `family:` blocks, the chosen
//! measures and the current public evidence. It holds no ids, owners,
//! ratings, findings, acknowledgements or attachments: a template cannot
//! show what is not here. Documented in docs/family.md.

mod caption;
mod chart;

use serde::Serialize;

use crate::assess::Snapshot;
use crate::markdown::{self as markup, Text};
use crate::model::{Area, Date, Evidence};
use crate::timeline::AsOf;

#[derive(Debug, Clone, Serialize)]
pub struct FamilyView {
    pub meta: FamilyMeta,
    /// Plain Markdown introduction, from the plan's `family.intro`.
    pub intro: Option<Text>,
    /// The areas that have something to tell families, in plan order.
    pub areas: Vec<FamilyArea>,
    /// Term and plain explanation, sorted by term.
    pub glossary: Vec<GlossaryEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FamilyMeta {
    /// Names the PDF (its identifier), never shown.
    #[serde(skip)]
    pub plan_id: String,
    pub tool: String,
    /// The edition's title: `family.title`, else "<plan title>: what has changed".
    pub title: String,
    pub plan_title: String,
    /// The date the edition describes, "18 November 2025".
    pub as_of: Date,
    pub as_of_long: String,
    pub build_date: Date,
    pub build_date_long: String,
    /// `<plan id>-<visit id or as-of date>-family`: the output file stem.
    pub file_stem: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FamilyArea {
    /// `part-1`, `part-2`...: numbered, so that no id reaches the page.
    pub anchor: String,
    pub number: usize,
    pub title: String,
    pub you_said: Option<Text>,
    pub we_did: Option<Text>,
    pub changed: Option<Text>,
    pub charts: Vec<FamilyChart>,
    /// Current public items naming the area, newest first.
    pub evidence: Vec<PublicItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FamilyChart {
    pub title: String,
    /// One sentence: the area's own caption, else one made from the measure.
    pub caption: String,
    /// Relative path of the SVG when written beside the HTML.
    pub chart_file: String,
    pub chart_svg: String,
    pub chart_alt: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PublicItem {
    pub title: String,
    pub date: Option<Date>,
    pub date_long: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GlossaryEntry {
    pub term: String,
    pub explanation: String,
}

/// The family edition for the snapshot's as-of date.
pub fn build(snap: &Snapshot, as_of: &AsOf, build_date: Date) -> FamilyView {
    let plan = &snap.repo.plan;
    let stem = format!(
        "{}-{}-family",
        plan.id.value,
        as_of
            .visit
            .as_ref()
            .map_or_else(|| as_of.date.to_string(), |v| v.to_string())
    );
    let public: Vec<&Evidence> = snap
        .current_items()
        .filter(|e| e.public && !e.is_sensitive())
        .collect();
    let areas = snap
        .repo
        .areas
        .iter()
        .filter(|a| a.family.is_some())
        .enumerate()
        .map(|(i, a)| area(a, i + 1, &public, as_of.date, &stem))
        .collect();
    let mut glossary: Vec<GlossaryEntry> = plan
        .family
        .glossary
        .iter()
        .map(|(t, e)| GlossaryEntry {
            term: clean(&t.value),
            explanation: clean(&e.value),
        })
        .collect();
    glossary.sort_by_key(|g| g.term.to_lowercase());
    FamilyView {
        meta: FamilyMeta {
            plan_id: plan.id.value.clone(),
            tool: format!("pack {}", crate::VERSION),
            title: plan.family.title.as_ref().map_or_else(
                || format!("{}: what has changed", clean(&plan.title)),
                |t| clean(&t.value),
            ),
            plan_title: clean(&plan.title),
            as_of: as_of.date,
            as_of_long: as_of.date.long(),
            build_date,
            build_date_long: build_date.long(),
            file_stem: stem,
        },
        intro: plan.family.intro.as_ref().map(|t| text(&t.value)),
        areas,
        glossary,
    }
}

fn area(a: &Area, number: usize, public: &[&Evidence], as_of: Date, stem: &str) -> FamilyArea {
    let fam = a.family.as_ref().expect("only areas with a family block");
    let charts = fam
        .measures
        .iter()
        .filter_map(|id| a.measures.iter().find(|m| m.id.value == id.value))
        .map(family_measure)
        .enumerate()
        .map(|(i, m)| {
            let m = &m;
            let caption = fam
                .caption(m.id.value.as_str())
                .map_or_else(|| caption::generate(m, as_of), clean);
            let (svg, alt) = chart::svg(m, as_of, &caption);
            FamilyChart {
                title: clean(&m.title),
                caption,
                chart_file: format!("{stem}-charts/part-{number}-{}.svg", i + 1),
                chart_svg: svg,
                chart_alt: alt,
            }
        })
        .collect();
    let mut evidence: Vec<PublicItem> = public
        .iter()
        .filter(|e| e.names_area(a.id.value.as_str()))
        .map(|e| {
            let date = e.date.as_ref().map(|d| d.value);
            PublicItem {
                title: clean(&e.title),
                date,
                date_long: date.map(Date::long),
                url: e.url.clone().filter(|u| web_address(u)),
            }
        })
        .collect();
    evidence.sort_by(|x, y| (y.date, &x.title).cmp(&(x.date, &y.title)));
    FamilyArea {
        anchor: format!("part-{number}"),
        number,
        title: fam
            .title
            .as_ref()
            .map_or_else(|| clean(&a.title), |t| clean(&t.value)),
        you_said: fam.you_said.as_ref().map(|t| text(&t.value)),
        we_did: fam.we_did.as_ref().map(|t| text(&t.value)),
        changed: fam.changed.as_ref().map(|t| text(&t.value)),
        charts,
        evidence,
    }
}

/// The measure as families read it: its words (title, unit, the notes of
/// its points) cleaned like every other text, before the caption and the
/// chart are made from them.
fn family_measure(m: &crate::model::Measure) -> crate::model::Measure {
    let mut m = m.clone();
    m.title = clean(&m.title);
    m.unit = clean(&m.unit);
    m.source = m.source.as_deref().map(clean);
    for p in &mut m.data {
        p.note = p.note.as_deref().map(clean);
    }
    m
}

/// Family Markdown for every format. Every text of the edition goes
/// through `markup::strip_citations` (here or in `clean`): a family never
/// meets an id, whatever form the citation took (`plain-language` reports
/// each citation).
fn text(markdown: &str) -> Text {
    markup::render(&markup::strip_citations(markdown), &|_| false)
}

/// Only a web address is a link in a published edition.
fn web_address(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// Plain text as shown: no citation, identifiers masked, whitespace tidied.
fn clean(s: &str) -> String {
    crate::pii::mask_all(&markup::strip_citations(s))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
