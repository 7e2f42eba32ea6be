//! letter-point: a point of the last letter (spec section 5) with no
//! current evidence responding to it.

use crate::assess::Snapshot;
use crate::finding::{Finding, Rule};

pub fn letter_point(snap: &Snapshot, out: &mut Vec<Finding>) {
    let repo = snap.repo;
    let Some((visit, letter)) = repo.plan.last_letter(snap.as_of) else {
        return;
    };
    for p in &letter.points {
        let answered = snap
            .current_items()
            .any(|e| e.responds_to.iter().any(|r| r.value == p.id.value));
        if !answered {
            out.push(
                Finding::new(
                    Rule::LetterPoint,
                    &repo.plan.file,
                    p.id.pos,
                    format!(
                        "point {} of the letter after visit {} has no current evidence responding to it",
                        p.id.value, visit.id.value
                    ),
                )
                .hint(format!(
                    "add `responds_to: [{}]` to a current evidence item that shows what was done",
                    p.id.value
                ))
                .about(p.id.value.as_str())
                .width(p.id.value.chars().count()),
            );
        }
    }
}
