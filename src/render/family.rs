//! The family edition's files: HTML (one self-contained page), the tagged
//! PDF and the family view as JSON, each from its own template (overridable
//! from the repository's templates/ like the reviewer's).

use anyhow::{Result, bail};

use crate::cli::BuildFormat;
use crate::view::family::FamilyView;

use std::path::Path;

use super::OutputFile;

pub const TYPST: (&str, &str) = ("family.typ", include_str!("../../templates/family.typ"));
pub const HTML: (&str, &str) = (
    "family.html.j2",
    include_str!("../../templates/family.html.j2"),
);

/// The files of one format of the family edition.
pub fn render(view: &FamilyView, root: &Path, format: BuildFormat) -> Result<Vec<OutputFile>> {
    let stem = &view.meta.file_stem;
    let file = match format {
        BuildFormat::Html => {
            let t = super::template(root, HTML)?;
            OutputFile {
                path: format!("{stem}.html"),
                bytes: super::text::render(view, &t, true)?.into_bytes(),
            }
        }
        BuildFormat::Pdf => pdf(view, root)?,
        BuildFormat::Json => {
            let mut json = serde_json::to_vec_pretty(view)?;
            json.push(b'\n');
            OutputFile {
                path: format!("{stem}.json"),
                bytes: json,
            }
        }
        BuildFormat::Md => bail!("the family edition is made as html, pdf or json, not md"),
    };
    Ok(vec![file])
}

#[cfg(feature = "pdf")]
fn pdf(view: &FamilyView, root: &Path) -> Result<OutputFile> {
    let stem = &view.meta.file_stem;
    let t = super::template(root, TYPST)?;
    let doc = super::pdf::Doc {
        view: serde_json::to_value(view)?,
        charts: view
            .areas
            .iter()
            .flat_map(|a| &a.charts)
            .map(|c| (c.chart_file.as_str(), c.chart_svg.as_str()))
            .collect(),
        build_date: view.meta.build_date,
        ident: format!("{}/{stem}", view.meta.plan_id),
    };
    Ok(OutputFile {
        path: format!("{stem}.pdf"),
        bytes: super::pdf::render_doc(doc, &t.source, &t.name)?,
    })
}

#[cfg(not(feature = "pdf"))]
fn pdf(_: &FamilyView, _: &Path) -> Result<OutputFile> {
    bail!(super::NO_PDF)
}
