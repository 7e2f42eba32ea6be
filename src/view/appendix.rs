//! The appendix: what was left out, the acknowledged gaps, and the rules
//! the pack was checked against.

use crate::model::{Choice, Classification};
use crate::rules::Rule;

use super::{AckView, Ctx, LeftOut, RuleView, RulesView};

/// What the repository holds that this pack does not show, and why.
pub(super) fn left_out(ctx: &Ctx) -> LeftOut {
    let current_total = ctx.snap.current.iter().filter(|c| **c).count();
    let sensitive = ctx
        .snap
        .current_items()
        .filter(|e| {
            !ctx.opts.include_sensitive && e.classification == Classification::OfficialSensitive
        })
        .count();
    let personal = ctx
        .snap
        .current_items()
        .filter(|e| {
            !ctx.opts.include_sensitive
                && e.personal_data
                && e.classification != Classification::OfficialSensitive
        })
        .count();
    let left_total = current_total - ctx.included.len();
    let not_current = ctx.snap.repo.evidence.len() - current_total;
    let left_text = if left_total == 0 {
        format!(
            "No current item was left out. {not_current} older or superseded item{} held in the repository {} not current on {}.",
            crate::assess::plural(not_current),
            if not_current == 1 { "is" } else { "are" },
            ctx.as_of.date.long()
        )
    } else {
        format!(
            "{left_total} current item{} left out of this pack: {sensitive} marked OFFICIAL-SENSITIVE and {personal} holding personal data. {not_current} older or superseded item{} not current on {}.",
            if left_total == 1 { " was" } else { "s were" },
            crate::assess::plural(not_current),
            ctx.as_of.date.long()
        )
    };

    LeftOut {
        total: left_total,
        sensitive,
        personal_data: personal,
        not_current,
        text: left_text,
    }
}

pub(super) fn acknowledged(ctx: &Ctx) -> Vec<AckView> {
    ctx.snap
        .repo
        .plan
        .acknowledged
        .iter()
        .map(|a| AckView {
            rule: a.rule.name().into(),
            id: a.id.clone(),
            reason: a.reason.clone(),
            until: a.until,
            in_force: a.until >= ctx.as_of.date,
        })
        .collect()
}

pub(super) fn rules(ctx: &Ctx) -> RulesView {
    let rules = &ctx.snap.repo.plan.rules;
    RulesView {
        max_age_months: rules.max_age_months,
        min_current_per_area: rules.min_current_per_area,
        require_shows: rules
            .require_shows
            .iter()
            .map(|s| s.name().to_owned())
            .collect(),
        action_evidence: rules.action_evidence.name().to_owned(),
        window_start: ctx.snap.currency.window_start(ctx.as_of.date),
        rules: Rule::ALL
            .iter()
            .filter(|r| r.in_reviewer_pack())
            .map(|r| RuleView {
                name: r.name().into(),
                severity: match r {
                    Rule::ActionGap => rules.action_evidence.name().to_owned(),
                    r => r.default_severity().name().into(),
                },
                description: r.describe().into(),
            })
            .collect(),
    }
}
