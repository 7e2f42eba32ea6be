//! The evidence index: every current item included in the pack, by id,
//! the entries citations link to.

use crate::markdown as markup;
use crate::model::{Choice, Evidence, Resolved};

use super::{Attachment, Ctx, EvidenceView};

/// Every included item's entry, sorted by id.
pub(super) fn index(ctx: &Ctx) -> Vec<EvidenceView> {
    let mut index: Vec<EvidenceView> = ctx.included.iter().map(|e| evidence_view(ctx, e)).collect();
    index.sort_by(|a, b| a.id.cmp(&b.id));
    index
}

fn evidence_view(ctx: &Ctx, e: &Evidence) -> EvidenceView {
    let attachment = match &e.resolved {
        Some(Resolved::File(p)) => ctx.opts.digests.get(p).map(|(bytes, sha)| Attachment {
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
            .map_or_else(String::new, |o| ctx.org_name(o.value.as_str())),
        kind: e.kind.map_or("", |k| k.name()).to_owned(),
        shows: e.shows.map_or("", |s| s.name()).to_owned(),
        areas: e.areas.iter().map(|a| a.value.to_string()).collect(),
        actions: e.actions.iter().map(|a| a.value.to_string()).collect(),
        area_links: super::indexes::area_links(e.areas.iter().map(|a| a.value.as_str())),
        // Filled from the letter's view (indexes::by_point).
        answers: Vec::new(),
        summary: e
            .summary
            .as_ref()
            .map(|s| markup::render(&s.value, &|id| ctx.known(id))),
        url: e.url.clone().filter(|u| {
            (u.starts_with("https://") || u.starts_with("http://")) && u.len() <= markup::MAX_URL
        }),
        attachment,
        classification: e.classification.name().to_owned(),
        sensitive: e.is_sensitive(),
    }
}
