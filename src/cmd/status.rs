//! `pack status`: one row per area.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use serde::Serialize;

use crate::assess::AreaState;
use crate::cli::{Edition, StatusArgs, StatusFormat};
use crate::model::{Choice, Date, VisitId};
use crate::since::{AreaSince, Since, since_of};

#[derive(Serialize)]
struct StatusJson<'a> {
    as_of: Date,
    visit: Option<&'a VisitId>,
    areas: &'a [AreaState],
    /// YAML files that could not be read: `areas` may be missing some.
    unreadable_files: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    since: Option<SinceJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    letter: Option<LetterJson>,
}

#[derive(Serialize)]
struct SinceJson {
    visit: Since,
    areas: Vec<(String, AreaSince)>,
}

pub fn run(dir: &Path, args: &StatusArgs, progress: bool) -> Result<ExitCode> {
    let checked = super::load_and_check(dir, &args.as_of, Edition::Reviewer, progress)?;
    let repo = &checked.loaded.repo;
    let snap = checked.snapshot();
    let since = match &args.since {
        None => None,
        Some(id) => {
            let Some(v) = repo.plan.visit(id) else {
                let ids: Vec<&str> = repo
                    .plan
                    .visits_by_date()
                    .iter()
                    .map(|v| v.id.value.as_str())
                    .collect();
                bail!(
                    "no visit `{id}` in plan/plan.yaml; the visits are {}",
                    ids.join(", ")
                );
            };
            let s = since_of(v);
            let areas: Vec<(String, AreaSince)> = repo
                .areas
                .iter()
                .map(|a| {
                    (
                        a.id.value.to_string(),
                        crate::since::area(&snap, a, &s, &|_| true),
                    )
                })
                .collect();
            Some(SinceJson { visit: s, areas })
        }
    };
    // The last letter's points, and which current items answer them.
    let letter = crate::view::letter::build(&snap, &|_| true);
    match args.format {
        StatusFormat::Json => {
            let json = StatusJson {
                as_of: checked.as_of.date,
                visit: checked.as_of.visit.as_ref(),
                areas: &checked.areas,
                unreadable_files: checked.loaded.sources.unreadable().total(),
                since,
                letter: letter.as_ref().map(LetterJson::of),
            };
            println!("{}", serde_json::to_string_pretty(&json)?);
        }
        StatusFormat::Human => {
            if let Some(n) = &checked.as_of.notice {
                println!("note: {n}\n");
            }
            let visit = checked
                .as_of
                .visit
                .as_ref()
                .map(|v| format!(", visit {v}"))
                .unwrap_or_default();
            println!(
                "{} as of {}{visit}\n",
                checked.loaded.repo.plan.title.trim(),
                checked.as_of.date
            );
            print!("{}", table(&checked.areas));
            // Counts stay true: the table cannot show an area whose file could not be read.
            let unreadable = checked.loaded.sources.unreadable();
            if let Some(words) = unreadable.words() {
                let complete = checked.areas.iter().filter(|a| a.complete).count();
                let files: Vec<&str> = unreadable
                    .plan
                    .then_some(crate::load::PLAN_FILE)
                    .into_iter()
                    .chain(unreadable.areas.iter().map(String::as_str))
                    .chain(unreadable.evidence.iter().map(String::as_str))
                    .collect();
                let total = checked.areas.len() + unreadable.areas.len();
                println!(
                    "\n{complete} of {total} area{} complete ({words}: {}; run `pack check` for why)",
                    crate::assess::plural(total),
                    files.join(", ")
                );
            }
            if let Some(l) = &letter {
                let open: Vec<&str> = l
                    .points
                    .iter()
                    .filter(|p| p.responses.is_empty())
                    .map(|p| p.id.as_str())
                    .collect();
                println!(
                    "\nLetter after {} ({}, {}): {}",
                    l.visit_title,
                    l.visit_id,
                    l.date,
                    if open.is_empty() {
                        match l.points.len() {
                            1 => "its 1 point has current evidence responding".to_owned(),
                            n => format!("all {n} points have current evidence responding"),
                        }
                    } else {
                        format!(
                            "{} of {} point{} {} no current evidence yet: {}",
                            open.len(),
                            l.points.len(),
                            crate::assess::plural(l.points.len()),
                            if open.len() == 1 { "has" } else { "have" },
                            open.join(", ")
                        )
                    }
                );
            }
            if let Some(s) = &since {
                println!(
                    "\nSince {} ({}, {}):\n",
                    s.visit.visit_title, s.visit.visit_id, s.visit.visit_date
                );
                for (id, a) in &s.areas {
                    println!("{id}  {}", a.headline);
                    for e in &a.new_items {
                        println!(
                            "      new   {} {} ({})",
                            e.id,
                            e.title,
                            e.date.map(|d| d.to_string()).unwrap_or_default()
                        );
                    }
                    for m in &a.measures {
                        println!(
                            "      {}  {} → {}  ({})",
                            m.id,
                            m.then.as_deref().unwrap_or("–"),
                            m.now.as_deref().unwrap_or("–"),
                            m.change
                        );
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The last letter in `pack status --format json`: each point, whether a
/// current item answers it, and which.
#[derive(serde::Serialize)]
struct LetterJson {
    visit: String,
    date: crate::model::Date,
    points: Vec<PointJson>,
}

#[derive(serde::Serialize)]
struct PointJson {
    id: String,
    answered: bool,
    responses: Vec<String>,
}

impl LetterJson {
    fn of(l: &crate::view::letter::LetterView) -> LetterJson {
        LetterJson {
            visit: l.visit_id.clone(),
            date: l.date,
            points: l
                .points
                .iter()
                .map(|p| PointJson {
                    id: p.id.clone(),
                    answered: !p.responses.is_empty(),
                    responses: p.responses.iter().map(|e| e.id.clone()).collect(),
                })
                .collect(),
        }
    }
}

fn table(areas: &[AreaState]) -> String {
    let header = [
        "Area",
        "Title",
        "Rating",
        "State",
        "Current",
        "Impact",
        "Voice",
        "Actions",
        "Measures",
        "Next to expire",
    ];
    let mut rows: Vec<Vec<String>> = vec![header.iter().map(|s| s.to_string()).collect()];
    for a in areas {
        let measures = a.measures_text();
        rows.push(vec![
            a.id.clone(),
            a.title.clone(),
            a.rating.map_or("–".to_owned(), |r| r.name().to_owned()),
            a.state_word().to_owned(),
            a.current.to_string(),
            a.impact.to_string(),
            a.voice.to_string(),
            a.actions_text(),
            if measures.is_empty() {
                "–".to_owned()
            } else {
                measures
            },
            a.next_expiry.as_ref().map_or("–".to_owned(), |e| {
                format!("{} (until {})", e.id, e.last_current_day)
            }),
        ]);
    }
    let widths: Vec<usize> = (0..header.len())
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut s = String::new();
    for (i, r) in rows.iter().enumerate() {
        let line: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}", w = *w))
            .collect();
        s.push_str(line.join("  ").trim_end());
        s.push('\n');
        if i == 0 {
            s.push_str(
                &widths
                    .iter()
                    .map(|w| "-".repeat(*w))
                    .collect::<Vec<_>>()
                    .join("  "),
            );
            s.push('\n');
        }
    }
    let gaps: Vec<&AreaState> = areas.iter().filter(|a| !a.complete).collect();
    if !gaps.is_empty() {
        s.push('\n');
        for a in gaps {
            s.push_str(&format!("{} gap: {}\n", a.id, a.missing.join("; ")));
        }
    }
    s
}
