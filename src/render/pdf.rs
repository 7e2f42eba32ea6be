//! The PDF, laid out by typst used as a library. The `World` holds only
//! in-memory files (the template, the view as JSON, the chart SVGs) and the
//! embedded fonts: no file on disk is reachable from a template.

use std::collections::HashMap;

use anyhow::{Result, anyhow};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use super::pagecheck::{self, Fix};
use crate::model::Date;
use crate::view::PackView;

struct PackWorld {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: FileId,
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
    today: Datetime,
}

fn file_id(path: &str) -> Result<FileId> {
    let vpath = VirtualPath::new(path).map_err(|e| anyhow!("bad virtual path {path}: {e:?}"))?;
    Ok(FileId::new(RootedPath::new(VirtualRoot::Project, vpath)))
}

impl World for PackWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }
    fn main(&self) -> FileId {
        self.main
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        self.sources
            .get(&id)
            .cloned()
            .ok_or(FileError::AccessDenied)
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.get(&id).cloned().ok_or(FileError::AccessDenied)
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

/// What a PDF is laid out from: a view as JSON (`/view.json` to the
/// template), the chart SVGs it names, and what the file records.
pub struct Doc<'a> {
    pub view: serde_json::Value,
    /// (path, SVG) of every chart the template may show.
    pub charts: Vec<(&'a str, &'a str)>,
    pub build_date: Date,
    /// The PDF's identifier: `<plan id>/<file stem>`.
    pub ident: String,
}

/// The reviewer's pack as a tagged PDF/UA-1, laid out by `template` (typst
/// source); `template_name` names the template in error messages.
pub fn render(view: &PackView, template: &str, template_name: &str) -> Result<Vec<u8>> {
    let doc = Doc {
        view: serde_json::to_value(view)?,
        charts: view
            .areas
            .iter()
            .flat_map(|a| &a.measures)
            .map(|m| (m.chart_file.as_str(), m.chart_svg.as_str()))
            .collect(),
        build_date: view.meta.build_date,
        ident: format!("{}/{}", view.meta.plan_id, view.meta.file_stem),
    };
    render_doc(doc, template, template_name)
}

/// Lays out `template` over `doc` and exports a tagged PDF/UA-1.
pub fn render_doc(doc: Doc, template: &str, template_name: &str) -> Result<Vec<u8>> {
    // Every string the template can show, with what no font has replaced:
    // a missing glyph would fail the PDF/UA export.
    let Doc {
        view: mut json,
        charts,
        build_date,
        ident,
    } = doc;
    displayable(&mut json);
    // Only the bytes stay during layout: the tree would double the memory
    // the view takes while typst holds its own copy.
    let mut json = serde_json::to_vec(&json)?;
    let mut charts: Vec<(String, String)> = charts
        .into_iter()
        .map(|(path, svg)| (path.to_owned(), crate::fonts::displayable(svg).into_owned()))
        .collect();
    let stamp = Stamp { build_date, ident };
    // Each character can be shown, but a cluster may still mix fonts in a
    // way no single font can shape (an emoji with a combining accent inside
    // a right-to-left override). typst names such text exactly: replace it
    // and lay out again, a bounded number of times.
    let mut attempt = 0;
    loop {
        match lay_out(&stamp, &json, &charts, template)? {
            Ok(pdf) => return Ok(pdf),
            Err((world, diags)) => {
                let stuck = undisplayable(&diags);
                attempt += 1;
                if stuck.is_empty() || attempt > 3 {
                    return Err(anyhow!(describe(&world, &diags, template_name)));
                }
                let mut tree: serde_json::Value = serde_json::from_slice(&json)?;
                replace_everywhere(&mut tree, &stuck);
                json = serde_json::to_vec(&tree)?;
                for (_, svg) in &mut charts {
                    for t in &stuck {
                        *svg = svg.replace(t.as_str(), REPLACED);
                    }
                }
            }
        }
    }
}

/// Hands the pages freed by the cache back to the system, so that writing
/// the PDF grows from what layout still holds, not from its peak: the cache
/// is freed in small pieces between live ones, which the allocator would
/// otherwise keep (measured: 90 MB less peak at 5,000 items).
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns unused pages to the kernel.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// What stands for text typst could not display as a cluster.
const REPLACED: &str = "\u{FFFD}";

type Failure = (PackWorld, Vec<SourceDiagnostic>);

/// What the PDF file records about itself.
struct Stamp {
    build_date: Date,
    ident: String,
}

/// One layout and export: the PDF, or the world and what went wrong.
/// The page check (pagecheck/) reads the pages; when it can mend what it
/// finds, the document is laid out once more with its fix, and what is
/// still wrong after that is a warning (the PDF is still written).
fn lay_out(
    stamp: &Stamp,
    json: &[u8],
    charts: &[(String, String)],
    template: &str,
) -> Result<Result<Vec<u8>, Failure>> {
    let mut fix = Fix::default();
    let doc = loop {
        let world = world(stamp, json, charts, template, &fix)?;
        let compiled = typst::compile::<typst_layout::PagedDocument>(&world);
        let doc = match compiled.output {
            Ok(doc) => doc,
            Err(diags) => return Ok(Err((world, diags.to_vec()))),
        };
        let check = pagecheck::check(&doc, &fix);
        if fix.is_empty() && !check.fix.is_empty() {
            if std::env::var_os("PACK_PAGECHECK_DEBUG").is_some() {
                eprintln!("first layout: {:?}, fix {:?}", check.faults, check.fix);
            }
            fix = check.fix;
            continue;
        }
        for f in &check.faults {
            eprintln!("warning: {}: page {}: {}", stamp.ident, f.page, f.what);
        }
        break doc;
    };
    // Layout is done: typst's cache of it is no longer needed, and freeing it
    // before the PDF is written lowers the build's peak memory.
    typst::comemo::evict(0);
    release_freed_memory();
    let doc = super::links::bind(doc);
    let (y, mo, d) = stamp.build_date.parts();
    let built = Datetime::from_ymd_hms(i32::from(y), mo as u8, d as u8, 0, 0, 0)
        .ok_or_else(|| anyhow!("bad build date"))?;
    let options = PdfOptions {
        ident: Smart::Custom(stamp.ident.clone()),
        timestamp: Some(Timestamp::new_utc(built)),
        standards: PdfStandards::new(&[PdfStandard::Ua_1]).map_err(|e| anyhow!("{e:?}"))?,
        ..PdfOptions::default()
    };
    let world = world(stamp, json, charts, template, &fix)?;
    Ok(typst_pdf::pdf(&doc, &options).map_err(|diags| (world, diags.to_vec())))
}

/// The files a template sees: itself, the view, the charts, and what the
/// page check asks of this layout (`/layout.json`).
fn world(
    stamp: &Stamp,
    json: &[u8],
    charts: &[(String, String)],
    template: &str,
    fix: &Fix,
) -> Result<PackWorld> {
    let fonts: Vec<Font> = crate::fonts::FONTS
        .iter()
        .flat_map(|b| Font::iter(Bytes::new(*b)))
        .collect();
    let book = FontBook::from_fonts(&fonts);
    let main = file_id("/pack.typ")?;
    let mut sources = HashMap::new();
    sources.insert(main, Source::new(main, template.to_owned()));
    let mut files = HashMap::new();
    files.insert(file_id("/view.json")?, Bytes::new(json.to_vec()));
    files.insert(
        file_id("/layout.json")?,
        Bytes::new(serde_json::to_vec(fix)?),
    );
    for (name, svg) in charts {
        files.insert(
            file_id(&format!("/{name}"))?,
            Bytes::new(svg.clone().into_bytes()),
        );
    }
    let (y, mo, d) = stamp.build_date.parts();
    let today = Datetime::from_ymd(i32::from(y), mo as u8, d as u8)
        .ok_or_else(|| anyhow!("bad build date"))?;
    Ok(PackWorld {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(book),
        fonts,
        main,
        sources,
        files,
        today,
    })
}

/// The texts typst says no font could display: from messages "the text
/// `"…"` could not be displayed with font …", the text as a typst string.
fn undisplayable(diags: &[SourceDiagnostic]) -> Vec<String> {
    let mut out: Vec<String> = diags
        .iter()
        .filter_map(|d| {
            let m = d.message.as_str();
            let start = m.find("the text `")? + "the text `".len();
            let end = start + m[start..].find("` could not be displayed")?;
            unquote(&m[start..end])
        })
        // Plain ASCII is in Liberation: never replace it everywhere.
        .filter(|t| !t.is_empty() && !t.is_ascii())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// A typst string literal's value: `"a\u{301}"` is "a\u{301}".
fn unquote(repr: &str) -> Option<String> {
    let inner = repr.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'u' => {
                let hex: String = chars.by_ref().skip(1).take_while(|c| *c != '}').collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            }
            other => out.push(other),
        }
    }
    Some(out)
}

/// Replaces each of `texts` in every string of the view.
fn replace_everywhere(v: &mut serde_json::Value, texts: &[String]) {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::String(s) => {
                for t in texts {
                    if s.contains(t.as_str()) {
                        *s = s.replace(t.as_str(), REPLACED);
                    }
                }
            }
            serde_json::Value::Array(items) => stack.extend(items.iter_mut()),
            serde_json::Value::Object(map) => stack.extend(map.values_mut()),
            _ => {}
        }
    }
}

/// Replaces, in every string of the view, the characters no font can show.
fn displayable(v: &mut serde_json::Value) {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::String(s) => {
                if let std::borrow::Cow::Owned(clean) = crate::fonts::displayable(s) {
                    *s = clean;
                }
            }
            serde_json::Value::Array(items) => stack.extend(items.iter_mut()),
            serde_json::Value::Object(map) => stack.extend(map.values_mut()),
            _ => {}
        }
    }
}

/// Typst diagnostics as "template:line:column: message" lines.
fn describe(world: &PackWorld, diags: &[SourceDiagnostic], template_name: &str) -> String {
    let mut lines = Vec::new();
    for d in diags {
        let mut place = template_name.to_owned();
        if let Some(id) = d.span.id()
            && let (Ok(source), Some(range)) = (world.source(id), world.range(d.span))
        {
            let text = source.text();
            let before = &text[..range.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            place = format!("{template_name}:{line}:{col}");
        }
        let hints: String = d
            .hints
            .iter()
            .map(|h| format!(" (hint: {})", h.v))
            .collect();
        lines.push(format!("{place}: {}{hints}", d.message));
    }
    format!("the PDF template failed:\n  {}", lines.join("\n  "))
}

use typst::WorldExt as _;

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_text_typst_names() {
        assert_eq!(super::unquote("\"\\u{301}\"").as_deref(), Some("\u{301}"));
        assert_eq!(super::unquote("\"😀\"").as_deref(), Some("😀"));
        assert_eq!(super::unquote("\"a\\\"b\"").as_deref(), Some("a\"b"));
    }
}
