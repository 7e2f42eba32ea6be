//! Who and what the pack is for, and where it came from: the plan, the
//! visit, the dates, the commit and the local area's identity.

use serde::Serialize;

use crate::model::{Choice, Classification, Date};

use super::Ctx;

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Meta {
    pub tool: String,
    #[schemars(pattern(crate::schema::table::SLUG))]
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
    /// The minisign key id the bundle is signed with (`pack build --bundle
    /// --sign`), as minisign prints it; `None` when it is not signed.
    pub signing_key: Option<String>,
    /// The local area the plan is for (`local_authority:` in plan.yaml).
    pub local_authority: Option<LocalAuthorityView>,
}

/// The local area's identity: the portfolio joins bundles on `code`.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct LocalAuthorityView {
    /// The ONS code (E10000016).
    pub code: String,
    /// DfE's LA number ("886").
    pub old_code: Option<String>,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct VisitView {
    #[schemars(pattern(crate::schema::table::SLUG))]
    pub id: String,
    pub title: String,
    pub date: Date,
    pub date_long: String,
    pub evidence_due: Date,
}

/// Where the pack came from.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct Commit {
    pub sha: Option<String>,
    pub short: Option<String>,
    pub dirty: bool,
    /// "1a2b3c4d", "1a2b3c4d with uncommitted changes" or "not under version control".
    pub text: String,
    /// What the pack was built from, in words that follow "Built from":
    /// "commit 1a2b3c4d", "commit 1a2b3c4d with uncommitted changes" or
    /// "files not under version control".
    pub source: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OrgView {
    #[schemars(pattern(crate::schema::table::ITEM_ID))]
    pub id: String,
    pub name: String,
}

/// The view's `meta`, from the plan and how the pack is being built.
pub(super) fn build(ctx: &Ctx) -> Meta {
    let plan = &ctx.snap.repo.plan;
    let (as_of, opts) = (ctx.as_of, ctx.opts);
    let visit = ctx
        .as_of
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
    let marking = if ctx.opts.include_sensitive {
        Classification::OfficialSensitive
    } else {
        plan.classification
    };
    Meta {
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
        file_stem: ctx.file_stem.clone(),
        include_sensitive: opts.include_sensitive,
        allow_gaps: opts.allow_gaps,
        signing_key: None,
        local_authority: plan.local_authority.as_ref().map(|la| LocalAuthorityView {
            code: la.code.value.clone(),
            old_code: la.old_code.as_ref().map(|c| c.value.clone()),
            name: la.name.clone(),
        }),
    }
}
