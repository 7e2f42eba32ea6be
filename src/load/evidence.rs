//! `evidence/**/*.yaml` to `Evidence`.

use crate::model::{At, Classification, Evidence, Kind, Shows};

use super::fields::{IdShape, Reader};
use super::yaml::Node;

pub const EVIDENCE_FIELDS: &[&str] = crate::field_names!(EVIDENCE);

pub fn read(r: &mut Reader, root: &Node) -> Option<Evidence> {
    let f = r.map(root, "the evidence item", EVIDENCE_FIELDS)?;
    let (id, id_ok) = r.item_id(&f, "id", "E-2025-014");
    let title = r.req_text(&f, "title", "EHC timeliness dashboard, April 2025");
    let date = r.req_date(&f, "date");
    let organisation = if r.require(&f, "organisation", "kcc") {
        r.opt_id(&f, "organisation", IdShape::Item)
    } else {
        None
    };
    let kind = r.req_choice::<Kind>(&f, "kind").map(|k| k.value);
    let shows = r.req_choice::<Shows>(&f, "shows").map(|s| s.value);
    let areas = r.req_id_list(&f, "areas", "[A6]");
    let actions = r.id_list(&f, "actions", "[A6.3]");
    let measures = r.id_list(&f, "measures", "[A6.M1]");
    let attachment = r.opt_text(&f, "file");
    let url = r.opt_text(&f, "url");
    if let Some(u) = &url
        && u.value.len() > crate::markdown::MAX_URL
    {
        r.findings.push(
            crate::finding::Finding::new(
                crate::finding::Rule::Limit,
                r.file,
                u.pos,
                format!(
                    "`url` is {} characters long; pack links to addresses of at most {}",
                    u.value.len(),
                    crate::markdown::MAX_URL
                ),
            )
            .hint("link to a shorter address, such as the page that holds the document"),
        );
    }
    let url = url.map(|u| u.value);
    let summary = r.opt_text(&f, "summary");
    // An unreadable marking is treated as sensitive: never show by accident.
    let classification = match r.node(&f, "classification") {
        None => Classification::Official,
        Some(_) => r
            .opt_choice::<Classification>(&f, "classification")
            .map_or(Classification::OfficialSensitive, |c| c.value),
    };
    // Unreadable personal_data is treated as personal: never show by accident.
    let personal_data = match r.node(&f, "personal_data") {
        None => false,
        Some(_) => r.opt_bool(&f, "personal_data").is_none_or(|b| b.value),
    };
    // Unreadable `public` is not public: never publish by accident.
    let public = r.opt_bool(&f, "public").is_some_and(|b| b.value);
    let valid_until = r.opt_date(&f, "valid_until");
    let supersedes = r.id_list(&f, "supersedes", "[E-2024-088]");
    let responds_to = r.id_list(&f, "responds_to", "[L25-05.1]");
    Some(Evidence {
        file: r.file.to_owned(),
        id: At::new(id.value.as_str().into(), id.pos),
        id_ok,
        title: title.map(|t| t.value).unwrap_or_default(),
        date,
        organisation: organisation.map(|o| At::new(o.value.as_str().into(), o.pos)),
        kind,
        shows,
        areas: areas
            .into_iter()
            .map(|a| At::new(a.value.as_str().into(), a.pos))
            .collect(),
        actions: actions
            .into_iter()
            .map(|a| At::new(a.value.as_str().into(), a.pos))
            .collect(),
        measures: measures
            .into_iter()
            .map(|a| At::new(a.value.as_str().into(), a.pos))
            .collect(),
        attachment,
        resolved: None,
        url,
        summary,
        classification,
        personal_data,
        valid_until,
        supersedes: supersedes
            .into_iter()
            .map(|a| At::new(a.value.as_str().into(), a.pos))
            .collect(),
        responds_to,
        public,
    })
}
