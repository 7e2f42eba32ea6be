//! The validated plan and evidence: typed ids, dates and choices. Nothing
//! downstream re-reads files or re-parses strings.

mod date;
pub mod ids;

use serde::Serialize;

pub use date::{Date, DateError};
pub use ids::{ActionId, AreaId, EvidenceId, MeasureId, OrgId, VisitId};

use crate::finding::{Pos, Rule};

/// A value with the place in its file where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct At<T> {
    pub value: T,
    pub pos: Pos,
}

impl<T> At<T> {
    pub fn new(value: T, pos: Pos) -> Self {
        At { value, pos }
    }
}

/// A closed set of words a field may take, with their spelling in YAML.
pub trait Choice: Sized + Copy + 'static {
    const NAMES: &'static [&'static str];
    fn from_index(i: usize) -> Self;
    fn index(self) -> usize;
    fn name(self) -> &'static str {
        Self::NAMES[self.index()]
    }
    fn parse(s: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .position(|n| *n == s)
            .map(Self::from_index)
    }
}

macro_rules! choice {
    ($(#[$m:meta])* $name:ident { $($var:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($var),+ }
        impl Choice for $name {
            const NAMES: &'static [&'static str] = &[$($s),+];
            fn from_index(i: usize) -> Self {
                const ALL: &[$name] = &[$($name::$var),+];
                ALL[i]
            }
            fn index(self) -> usize { self as usize }
        }
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }
        // Written by hand: the enum serializes as its YAML word.
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "enum": Self::NAMES })
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

// After `choice!`, so the module can use the macro.
mod official;
pub use official::{BenchKind, BenchPoint, Benchmark, LocalAuthority, Official};

choice!(Kind {
    Data = "data",
    Report = "report",
    Minutes = "minutes",
    Survey = "survey",
    CaseStudy = "case-study",
    Audit = "audit",
    Policy = "policy",
    Letter = "letter",
    Training = "training",
    Communication = "communication",
    Other = "other",
});

choice!(Shows {
    Activity = "activity",
    Impact = "impact",
    Voice = "voice",
});

choice!(Classification {
    Official = "OFFICIAL",
    OfficialSensitive = "OFFICIAL-SENSITIVE",
});

choice!(Monitoring {
    Formal = "formal",
    Reduced = "reduced",
    Ended = "ended",
});

choice!(Rating {
    Red = "red",
    Amber = "amber",
    Green = "green",
    Complete = "complete",
});

choice!(ActionStatus {
    NotStarted = "not-started",
    InProgress = "in-progress",
    Complete = "complete",
    AtRisk = "at-risk",
});

choice!(Direction {
    Up = "up",
    Down = "down",
});

choice!(ActionEvidence {
    Off = "off",
    Warn = "warn",
    Error = "error",
});

/// The whole repository as loaded.
#[derive(Debug, Clone)]
pub struct Repo {
    /// The folder holding `plan/plan.yaml`.
    pub root: std::path::PathBuf,
    pub plan: Plan,
    /// Sorted by `order`, then id.
    pub areas: Vec<Area>,
    /// In file order (sorted paths).
    pub evidence: Vec<Evidence>,
    pub narratives: Vec<Narrative>,
    /// Every file under evidence/ that is not an evidence YAML, relative to the root.
    pub attachments: Vec<String>,
    /// Every `[@ID]` in narratives and summaries, in file order.
    pub citations: Vec<Citation>,
    pub health: Health,
}

/// What an evidence item's `file:` turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    /// An existing file inside the repository, relative to the root.
    File(String),
    /// No such file (or a folder): why, in words.
    Missing(String),
    /// Absolute, or outside the repository: why, in words.
    Unsafe(String),
}

/// `[@ID]` in a text bound for the pack.
#[derive(Debug, Clone, PartialEq)]
pub struct Citation {
    pub file: String,
    pub pos: Pos,
    pub id: EvidenceId,
}

/// What could not be read, so that later rules do not pile up findings
/// that are only echoes of a broken file.
#[derive(Debug, Clone, Default)]
pub struct Health {
    /// plan.yaml parsed and its organisation list was readable.
    pub organisations_known: bool,
    /// Area files that could not be read: an id "unknown" may be defined there.
    pub broken_areas: Vec<String>,
    /// Evidence files that could not be read.
    pub broken_evidence: Vec<String>,
    /// plan/plan.yaml could not be read.
    pub broken_plan: bool,
    /// Each file that could not be read, with the ids it would have
    /// defined (read back line by line), so that references to them are
    /// folded into that file's finding.
    pub recovered: Vec<(String, Vec<String>)>,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub file: String,
    pub id: At<String>,
    pub title: String,
    pub classification: Classification,
    pub organisations: Vec<Organisation>,
    pub rules: Rules,
    pub visits: Vec<Visit>,
    pub acknowledged: Vec<Acknowledgement>,
    /// The family edition's title, introduction and glossary.
    pub family: PlanFamily,
    /// Who the plan is for, in DfE's codes (spec section 10).
    pub local_authority: Option<LocalAuthority>,
}

impl Plan {
    pub fn organisation(&self, id: &str) -> Option<&Organisation> {
        self.organisations
            .iter()
            .find(|o| o.id.value.as_str() == id)
    }

    pub fn visit(&self, id: &str) -> Option<&Visit> {
        self.visits.iter().find(|v| v.id.value.as_str() == id)
    }

    /// The letter the pack for `d` answers: that of the latest visit before
    /// `d` whose letter is dated on or before `d` (spec section 5).
    pub fn last_letter(&self, d: Date) -> Option<(&Visit, &Letter)> {
        self.visits_by_date()
            .into_iter()
            .rev()
            .filter(|v| v.date < d)
            .find_map(|v| {
                v.letter
                    .as_ref()
                    .filter(|l| l.date.value <= d)
                    .map(|l| (v, l))
            })
    }

    /// Visits in date order.
    pub fn visits_by_date(&self) -> Vec<&Visit> {
        let mut v: Vec<&Visit> = self.visits.iter().collect();
        v.sort_by(|a, b| (a.date, &a.id.value).cmp(&(b.date, &b.id.value)));
        v
    }
}

#[derive(Debug, Clone)]
pub struct Organisation {
    pub id: At<OrgId>,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    pub max_age_months: u32,
    pub min_current_per_area: u32,
    pub require_shows: Vec<Shows>,
    pub action_evidence: ActionEvidence,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            max_age_months: 6,
            min_current_per_area: 1,
            require_shows: vec![Shows::Impact],
            action_evidence: ActionEvidence::Warn,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Visit {
    pub id: At<VisitId>,
    pub date: Date,
    /// Where `date` is written.
    pub date_pos: Pos,
    pub title: Option<String>,
    pub evidence_due: Date,
    /// Where `evidence_due` is written, when it is.
    pub evidence_due_pos: Option<Pos>,
    /// The letter DfE and NHS England wrote after the visit (spec section 5).
    pub letter: Option<Letter>,
}

/// The letter after a visit: what the next visit will ask about.
#[derive(Debug, Clone)]
pub struct Letter {
    pub date: At<Date>,
    /// The letter itself, as an evidence item.
    pub evidence: Option<At<EvidenceId>>,
    pub points: Vec<LetterPoint>,
}

/// One point of a letter, which evidence answers with `responds_to`.
#[derive(Debug, Clone)]
pub struct LetterPoint {
    pub id: At<String>,
    pub id_ok: bool,
    pub text: String,
    pub areas: Vec<At<AreaId>>,
}

impl Visit {
    /// "Fourth progress monitoring visit" or, untitled, "Visit 2025-05".
    pub fn label(&self) -> String {
        self.title
            .clone()
            .unwrap_or_else(|| format!("Visit {}", self.id.value))
    }
}

#[derive(Debug, Clone)]
pub struct Acknowledgement {
    pub rule: Rule,
    pub id: String,
    pub reason: String,
    pub until: Date,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub struct Area {
    pub file: String,
    pub id: At<AreaId>,
    /// False when `id` is missing or not a valid id: the area is still read,
    /// so that everything else in it is checked, but nothing can refer to it.
    pub id_ok: bool,
    pub title: String,
    pub weakness: String,
    pub outcome: String,
    pub lead: Option<String>,
    pub order: Option<i64>,
    pub monitoring: Monitoring,
    pub progress: Option<Progress>,
    pub actions: Vec<Action>,
    pub measures: Vec<Measure>,
    /// What the family edition says about the area (spec section 8).
    pub family: Option<AreaFamily>,
}

/// An area's `family:` block: its story in plain words for children, young
/// people and families. Every text keeps its place, for `plain-language`.
#[derive(Debug, Clone)]
pub struct AreaFamily {
    /// Where `family:` is written.
    pub pos: Pos,
    pub title: Option<At<String>>,
    pub you_said: Option<At<String>>,
    pub we_did: Option<At<String>>,
    pub changed: Option<At<String>>,
    /// The measures shown to families, in the order given.
    pub measures: Vec<At<MeasureId>>,
    /// A caption per measure, keyed by the measure id as written.
    pub captions: Vec<(At<MeasureId>, At<String>)>,
    /// Abbreviations not explained where first used in this area's family
    /// text: the glossary may still explain them (checked after loading).
    pub unexplained: Vec<At<String>>,
}

impl AreaFamily {
    pub fn caption(&self, measure: &str) -> Option<&str> {
        self.captions
            .iter()
            .find(|(m, _)| m.value.as_str() == measure)
            .map(|(_, c)| c.value.as_str())
    }
}

/// The plan's `family:` block: the edition's title, introduction and glossary.
#[derive(Debug, Clone, Default)]
pub struct PlanFamily {
    pub title: Option<At<String>>,
    pub intro: Option<At<String>>,
    /// Term and plain explanation, in the order written.
    pub glossary: Vec<(At<String>, At<String>)>,
    /// Abbreviations the introduction uses without explaining them.
    pub unexplained: Vec<At<String>>,
}

impl PlanFamily {
    /// Whether the glossary explains `abbr`: a term that is it, or holds it as a word.
    pub fn explains(&self, abbr: &str) -> bool {
        self.glossary.iter().any(|(term, _)| {
            term.value
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == abbr || w.trim_end_matches('s') == abbr.trim_end_matches('s'))
        })
    }
}

#[derive(Debug, Clone)]
pub struct Progress {
    pub rating: Option<Rating>,
    pub date: Option<Date>,
    pub summary: Option<At<String>>,
    /// Earlier ratings, sorted by date: `progress.history`.
    pub history: Vec<(Date, Rating)>,
}

impl Progress {
    /// The board's rating as it stood on `d`: the latest of the history and
    /// the current rating dated on or before `d`.
    pub fn rating_on(&self, d: Date) -> Option<Rating> {
        let mut all: Vec<(Date, Rating)> = self.history.clone();
        if let (Some(r), Some(date)) = (self.rating, self.date) {
            all.push((date, r));
        }
        all.sort_by_key(|(date, _)| *date);
        all.into_iter()
            .rev()
            .find(|(date, _)| *date <= d)
            .map(|(_, r)| r)
    }
}

#[derive(Debug, Clone)]
pub struct Action {
    pub id: At<ActionId>,
    pub id_ok: bool,
    pub title: String,
    pub owner: Option<At<OrgId>>,
    pub due: Option<Date>,
    pub status: ActionStatus,
}

#[derive(Debug, Clone)]
pub struct Measure {
    pub id: At<MeasureId>,
    pub id_ok: bool,
    pub title: String,
    pub unit: String,
    pub direction: Direction,
    pub source: Option<String>,
    pub baseline: Option<Point>,
    pub target: Option<Point>,
    pub floor: Option<f64>,
    /// Sorted by date, then value (so two points on one date, which are an
    /// `inconsistent-data` finding, still give one answer whatever their order).
    /// Includes the local area's rows of an `official:` source.
    pub data: Vec<Point>,
    /// `official:`: where the published figures come from (spec section 10).
    pub official: Option<Official>,
    /// England, the region and the neighbours, from the `official:` file.
    pub benchmarks: Vec<Benchmark>,
    /// Periods whose local figure is a symbol (`c`, `x`, `low`...), by end date:
    /// "suppressed in the source" where one falls within a chart's range.
    pub suppressed: Vec<Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Point {
    pub date: Date,
    pub value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where the point's `date` is written.
    #[serde(skip)]
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub struct Evidence {
    /// The YAML file, relative to the root.
    pub file: String,
    pub id: At<EvidenceId>,
    /// False when `id` is missing or not a valid id (see `Area::id_ok`).
    pub id_ok: bool,
    pub title: String,
    pub date: Option<At<Date>>,
    pub organisation: Option<At<OrgId>>,
    pub kind: Option<Kind>,
    pub shows: Option<Shows>,
    pub areas: Vec<At<AreaId>>,
    pub actions: Vec<At<ActionId>>,
    pub measures: Vec<At<MeasureId>>,
    /// `file:` as written, and what it resolved to on disk.
    pub attachment: Option<At<String>>,
    pub resolved: Option<Resolved>,
    pub url: Option<String>,
    pub summary: Option<At<String>>,
    pub classification: Classification,
    pub personal_data: bool,
    pub valid_until: Option<At<Date>>,
    pub supersedes: Vec<At<EvidenceId>>,
    /// The letter points this item answers.
    pub responds_to: Vec<At<String>>,
    /// May be listed in the family edition (spec section 8).
    pub public: bool,
}

impl Evidence {
    /// Never shown in a pack unless `--include-sensitive`.
    pub fn is_sensitive(&self) -> bool {
        self.personal_data || self.classification == Classification::OfficialSensitive
    }

    pub fn valid_until(&self) -> Option<Date> {
        self.valid_until.as_ref().map(|v| v.value)
    }

    pub fn names_area(&self, area: &str) -> bool {
        self.areas.iter().any(|a| a.value.as_str() == area)
    }
}

/// `plan/areas/NAME.md`: the narrative of the area defined in `NAME.yaml`.
#[derive(Debug, Clone)]
pub struct Narrative {
    pub file: String,
    /// The area it belongs to, when `NAME.yaml` defines one.
    pub area: Option<AreaId>,
    pub text: String,
}
