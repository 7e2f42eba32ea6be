//! Where each area stands on the as-of date: completeness, counts, action
//! coverage, measure ratings. Shared by `check` (area-gap, json, junit),
//! `status` and the pack's view, so they can never disagree.

use std::collections::HashMap;

use serde::Serialize;

use crate::model::{
    ActionStatus, Area, Choice, Date, Direction, Evidence, Measure, Monitoring, Point, Rating,
    Repo, Shows,
};
use crate::timeline::Currency;

/// A measure's rating on the as-of date (KCC's RAG convention).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Rag {
    Green,
    Amber,
    Red,
}

impl Rag {
    pub fn word(self) -> &'static str {
        match self {
            Rag::Green => "green",
            Rag::Amber => "amber",
            Rag::Red => "red",
        }
    }
}

/// Movement between the latest two points, judged by `direction`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Trend {
    Improving,
    Worsening,
    Level,
    /// Fewer than two points.
    Unknown,
}

impl Trend {
    pub fn arrow(self, value_rose: Option<bool>) -> &'static str {
        match (self, value_rose) {
            (Trend::Level, _) => "→",
            (Trend::Unknown, _) => "–",
            (_, Some(true)) => "↑",
            (_, Some(false)) => "↓",
            (_, None) => "–",
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Trend::Improving => "improving",
            Trend::Worsening => "worsening",
            Trend::Level => "level",
            Trend::Unknown => "no trend yet",
        }
    }
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct MeasureState {
    #[schemars(pattern(crate::schema::table::ITEM_ID))]
    pub id: String,
    pub title: String,
    pub unit: String,
    pub latest: Option<Point>,
    pub previous: Option<Point>,
    pub rating: Option<Rag>,
    pub trend: Trend,
    /// "↑", "↓", "→" or "–": which way the value itself moved.
    pub arrow: &'static str,
}

impl MeasureState {
    /// The arrow as a reader sees it, with whether the move is better or
    /// worse by `direction` ("↑ better", "↓ worse", "→ no change", "no
    /// trend yet"): an arrow alone says only which way the value moved, and a
    /// falling arrow is good news for a waiting time. The pack's At a glance,
    /// `pack status` and the exported workbook all show it this way.
    pub fn arrow_words(&self) -> String {
        match self.trend {
            Trend::Improving => format!("{} better", self.arrow),
            Trend::Worsening => format!("{} worse", self.arrow),
            Trend::Level => format!("{} no change", self.arrow),
            Trend::Unknown => "no trend yet".to_owned(),
        }
    }
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AreaState {
    #[schemars(pattern(crate::schema::table::ITEM_ID))]
    pub id: String,
    pub title: String,
    pub monitoring: Monitoring,
    pub rating: Option<Rating>,
    /// Complete on the as-of date (always true when monitoring has ended).
    pub complete: bool,
    /// What is missing, in words, when not complete.
    pub missing: Vec<String>,
    pub current: usize,
    pub impact: usize,
    pub voice: usize,
    pub activity: usize,
    pub actions_total: usize,
    pub actions_complete: usize,
    /// Actions with at least one current item.
    pub actions_covered: usize,
    pub measures: Vec<MeasureState>,
    /// The current item that stops being current first, and its last day.
    pub next_expiry: Option<Expiry>,
}

/// How `pack status` and the exported Areas sheet word an area's row.
impl AreaState {
    /// "ended", "complete" or "GAP".
    pub fn state_word(&self) -> &'static str {
        if self.monitoring == Monitoring::Ended {
            "ended"
        } else if self.complete {
            "complete"
        } else {
            "GAP"
        }
    }

    /// "7/10 covered, 2 done".
    pub fn actions_text(&self) -> String {
        format!(
            "{}/{} covered, {} done",
            self.actions_covered, self.actions_total, self.actions_complete
        )
    }

    /// "A1.M1 green ↑, A1.M2 none –"; empty when the area has no measures.
    pub fn measures_text(&self) -> String {
        self.measures
            .iter()
            .map(|m| {
                format!(
                    "{} {} {}",
                    m.id,
                    m.rating.map_or("none", |r| r.word()),
                    m.arrow_words()
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Expiry {
    #[schemars(pattern(crate::schema::table::ITEM_ID))]
    pub id: String,
    pub last_current_day: Date,
}

/// Which items are current on D, computed once per run.
pub struct Snapshot<'r> {
    pub repo: &'r Repo,
    pub as_of: Date,
    pub currency: Currency,
    /// Parallel to `repo.evidence`.
    pub current: Vec<bool>,
    /// Evidence id to its index in `repo.evidence` (the first, if duplicated).
    by_id: HashMap<&'r str, usize>,
}

impl<'r> Snapshot<'r> {
    pub fn new(repo: &'r Repo, as_of: Date) -> Self {
        let currency = Currency::new(repo);
        let current = repo
            .evidence
            .iter()
            .map(|e| currency.is_current(e, as_of))
            .collect();
        Snapshot::with(repo, as_of, currency, current)
    }

    /// The snapshot again from what an earlier one computed (`current`),
    /// without judging any item a second time.
    pub fn from_current(repo: &'r Repo, as_of: Date, current: Vec<bool>) -> Self {
        Snapshot::with(repo, as_of, Currency::new(repo), current)
    }

    fn with(repo: &'r Repo, as_of: Date, currency: Currency, current: Vec<bool>) -> Self {
        let mut by_id = HashMap::with_capacity(repo.evidence.len());
        for (i, e) in repo.evidence.iter().enumerate() {
            by_id.entry(e.id.value.as_str()).or_insert(i);
        }
        Snapshot {
            repo,
            as_of,
            currency,
            current,
            by_id,
        }
    }

    pub fn current_items(&self) -> impl Iterator<Item = &'r Evidence> + '_ {
        self.repo
            .evidence
            .iter()
            .zip(&self.current)
            .filter(|(_, c)| **c)
            .map(|(e, _)| e)
    }

    /// The item with this id and whether it is current.
    pub fn lookup(&self, id: &str) -> Option<(&'r Evidence, bool)> {
        self.by_id
            .get(id)
            .map(|i| (&self.repo.evidence[*i], self.current[*i]))
    }

    pub fn area(&self, area: &Area) -> AreaState {
        let id = area.id.value.as_str();
        let items: Vec<&Evidence> = self.current_items().filter(|e| e.names_area(id)).collect();
        let count = |s: Shows| items.iter().filter(|e| e.shows == Some(s)).count();
        let rules = &self.repo.plan.rules;
        let mut missing = Vec::new();
        if items.len() < rules.min_current_per_area as usize {
            missing.push(format!(
                "{} current item{} (needs {})",
                items.len(),
                plural(items.len()),
                rules.min_current_per_area
            ));
        }
        for s in &rules.require_shows {
            if count(*s) == 0 {
                missing.push(format!("no current item showing {}", s.name()));
            }
        }
        let ended = area.monitoring == Monitoring::Ended;
        let covered = area
            .actions
            .iter()
            .filter(|a| {
                items
                    .iter()
                    .any(|e| e.actions.iter().any(|x| x.value == a.id.value))
            })
            .count();
        let next_expiry = items
            .iter()
            .filter_map(|e| {
                self.currency.last_current_day(e).map(|d| Expiry {
                    // Shown by status, check's JSON and export: an id that is
                    // an NHS number or UPN is shown masked, as everywhere.
                    id: crate::pii::mask_all(e.id.value.as_str()).into_owned(),
                    last_current_day: d,
                })
            })
            .min_by(|a, b| (a.last_current_day, &a.id).cmp(&(b.last_current_day, &b.id)));
        AreaState {
            id: id.to_owned(),
            title: area.title.clone(),
            monitoring: area.monitoring,
            rating: area.progress.as_ref().and_then(|p| p.rating),
            complete: ended || missing.is_empty(),
            missing: if ended { Vec::new() } else { missing },
            current: items.len(),
            impact: count(Shows::Impact),
            voice: count(Shows::Voice),
            activity: count(Shows::Activity),
            actions_total: area.actions.len(),
            actions_complete: area
                .actions
                .iter()
                .filter(|a| a.status == ActionStatus::Complete)
                .count(),
            actions_covered: covered,
            measures: area
                .measures
                .iter()
                .map(|m| measure(m, self.as_of))
                .collect(),
            next_expiry,
        }
    }

    pub fn areas(&self) -> Vec<AreaState> {
        self.repo.areas.iter().map(|a| self.area(a)).collect()
    }
}

/// Rating and trend of a measure on `d`, from its points on or before `d`.
pub fn measure(m: &Measure, d: Date) -> MeasureState {
    let upto: Vec<&Point> = m.data.iter().filter(|p| p.date <= d).collect();
    let latest = upto.last().copied();
    let previous = upto.len().checked_sub(2).map(|i| upto[i]);
    let better = |a: f64, b: f64| match m.direction {
        Direction::Up => a >= b,
        Direction::Down => a <= b,
    };
    let rating = match (latest, &m.target) {
        (Some(p), Some(t)) => Some(if better(p.value, t.value) {
            Rag::Green
        } else if m.floor.is_none_or(|f| better(p.value, f)) {
            Rag::Amber
        } else {
            Rag::Red
        }),
        _ => None,
    };
    let (trend, rose) = match (latest, previous) {
        (Some(l), Some(p)) if l.value == p.value => (Trend::Level, None),
        (Some(l), Some(p)) => {
            let improving = match m.direction {
                Direction::Up => l.value > p.value,
                Direction::Down => l.value < p.value,
            };
            (
                if improving {
                    Trend::Improving
                } else {
                    Trend::Worsening
                },
                Some(l.value > p.value),
            )
        }
        _ => (Trend::Unknown, None),
    };
    MeasureState {
        id: m.id.value.to_string(),
        title: m.title.clone(),
        unit: m.unit.clone(),
        latest: latest.cloned(),
        previous: previous.cloned(),
        rating,
        trend,
        arrow: trend.arrow(rose),
    }
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
