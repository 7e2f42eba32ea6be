//! Every output format behind one interface, as mdBook's `Renderer`: each
//! takes the view (in a `RenderContext`) and returns the files it makes.
//! `pack build` loops over the formats asked for; a new edition or a
//! workbook is one implementation and one line in `renderer`.

use std::path::Path;

use anyhow::Result;

use crate::cli::BuildFormat;
use crate::view::PackView;

/// What every renderer is given.
pub struct RenderContext<'a> {
    pub view: &'a PackView,
    /// The repository root, where `templates/` may override a template.
    pub root: &'a Path,
    /// Progress may be shown on a terminal.
    pub progress: bool,
}

/// One file a renderer makes: its path under the output folder, and bytes.
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

pub trait Renderer {
    fn render(&self, ctx: &RenderContext) -> Result<Vec<OutputFile>>;
}

/// The renderer of a format.
pub fn renderer(format: BuildFormat) -> Box<dyn Renderer> {
    match format {
        BuildFormat::Pdf => Box::new(Pdf),
        BuildFormat::Md => Box::new(Markdown),
        BuildFormat::Html => Box::new(Html),
        BuildFormat::Json => Box::new(Json),
    }
}

fn stem<'a>(ctx: &RenderContext<'a>) -> &'a str {
    &ctx.view.meta.file_stem
}

pub struct Pdf;

#[cfg(not(feature = "pdf"))]
impl Renderer for Pdf {
    fn render(&self, _: &RenderContext) -> Result<Vec<OutputFile>> {
        anyhow::bail!(super::NO_PDF)
    }
}

#[cfg(feature = "pdf")]
impl Renderer for Pdf {
    fn render(&self, ctx: &RenderContext) -> Result<Vec<OutputFile>> {
        let t = super::template(ctx.root, super::TYPST)?;
        // Laying out a large pack takes seconds: say so on a terminal.
        let items = ctx.view.summary.items_included;
        let spinner = if ctx.progress && items > 200 {
            let s = indicatif::ProgressBar::new_spinner();
            s.set_message(format!("Laying out the PDF ({items} items)"));
            s.enable_steady_tick(std::time::Duration::from_millis(120));
            s
        } else {
            indicatif::ProgressBar::hidden()
        };
        let pdf = super::pdf::render(ctx.view, &t.source, &t.name);
        spinner.finish_and_clear();
        Ok(vec![OutputFile {
            path: format!("{}.pdf", stem(ctx)),
            bytes: pdf?,
        }])
    }
}

/// The Markdown pack, and the chart SVGs it links to beside it.
pub struct Markdown;

impl Renderer for Markdown {
    fn render(&self, ctx: &RenderContext) -> Result<Vec<OutputFile>> {
        let t = super::template(ctx.root, super::MARKDOWN)?;
        let mut files = vec![OutputFile {
            path: format!("{}.md", stem(ctx)),
            bytes: super::text::render(ctx.view, &t, false)?.into_bytes(),
        }];
        for a in &ctx.view.areas {
            for m in &a.measures {
                files.push(OutputFile {
                    path: m.chart_file.clone(),
                    bytes: super::with_final_newline(m.chart_svg.clone()).into_bytes(),
                });
            }
        }
        Ok(files)
    }
}

/// One self-contained HTML file.
pub struct Html;

impl Renderer for Html {
    fn render(&self, ctx: &RenderContext) -> Result<Vec<OutputFile>> {
        let t = super::template(ctx.root, super::HTML)?;
        Ok(vec![OutputFile {
            path: format!("{}.html", stem(ctx)),
            bytes: super::text::render(ctx.view, &t, true)?.into_bytes(),
        }])
    }
}

/// The view itself, as documented in docs/view.md.
pub struct Json;

impl Renderer for Json {
    fn render(&self, ctx: &RenderContext) -> Result<Vec<OutputFile>> {
        let mut json = serde_json::to_vec_pretty(ctx.view)?;
        json.push(b'\n');
        Ok(vec![OutputFile {
            path: format!("{}.json", stem(ctx)),
            bytes: json,
        }])
    }
}
