//! Acknowledgements: known gaps the board has accepted, for a time.

use crate::finding::{Finding, Rule, Severity};
use crate::model::{Date, Repo};

pub fn apply(repo: &Repo, d: Date, findings: &mut Vec<Finding>) {
    let mut unused = Vec::new();
    for ack in &repo.plan.acknowledged {
        let matches =
            |f: &Finding| f.rule == ack.rule && f.subject.as_deref() == Some(ack.id.as_str());
        let mut matched = false;
        for f in findings.iter_mut().filter(|f| matches(f)) {
            matched = true;
            if f.severity == Severity::Acknowledged {
                continue;
            }
            if ack.until >= d {
                f.severity = Severity::Acknowledged;
                f.set_hint(format!("acknowledged until {}: {}", ack.until, ack.reason));
            } else {
                let old = f.hint.take().unwrap_or_default();
                f.set_hint(format!(
                    "the acknowledgement of this ended on {} ({}:{}); {old}",
                    ack.until, repo.plan.file, ack.pos.line
                ));
            }
        }
        if !matched {
            unused.push(
                Finding::new(
                    Rule::UnusedAcknowledgement,
                    &repo.plan.file,
                    ack.pos,
                    format!(
                        "the acknowledgement of {} for {} matches no finding",
                        ack.rule, ack.id
                    ),
                )
                .hint("the gap is closed or the id is wrong: remove this acknowledgement"),
            );
        }
    }
    findings.extend(unused);
}
