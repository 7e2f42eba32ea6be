//! One build of what the server shows, made in memory by the same pipeline
//! as `pack build` (load and check, view, the HTML renderer): the page at
//! `/`, the attachments it may serve, and the view the PDF is laid out from.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::cli::{AsOfArgs, BuildFormat};
use crate::finding::{Finding, Rule, Severity, Tally};
use crate::model::Resolved;
use crate::output::bundle;
use crate::render;
use crate::report::{Outcome, human};
use crate::view::{self, PackView};

/// The URL path attachments are served under: `/attachments/<path in the repository>`.
pub const ATTACHMENTS: &str = "/attachments/";

/// Everything one rebuild produced.
pub struct Built {
    /// Counts rebuilds; the page carries it so that it can tell it is stale.
    pub generation: u64,
    /// The page at `/`: the pack with the findings above it, or the
    /// findings alone when the pack cannot or must not be shown.
    pub html: String,
    /// URL path under [`ATTACHMENTS`] to the file: only items in the pack.
    pub attachments: BTreeMap<String, PathBuf>,
    /// The view the PDF is laid out from; `None` when no pack is served.
    pub view: Option<Arc<PackView>>,
}

/// What the server was asked to show.
#[derive(Clone)]
pub struct Settings {
    pub root: PathBuf,
    pub as_of: AsOfArgs,
    pub include_sensitive: bool,
}

/// Loads, checks and renders the repository. Never fails: a repository
/// that does not load is a page saying why.
pub fn build(settings: &Settings, generation: u64) -> Built {
    let root = &settings.root;
    // `load_and_check` looks upwards for a plan: a deleted plan.yaml must
    // not make it find another repository above this one.
    if !root.join(crate::load::PLAN_FILE).is_file() {
        let msg = format!(
            "{} is missing: the repository does not load. Restore it and this page updates by itself.",
            crate::load::PLAN_FILE
        );
        return error_page(generation, &msg);
    }
    let checked = match crate::pipeline::load_and_check(
        root,
        &settings.as_of.request(),
        crate::cli::Edition::Reviewer,
        false,
    ) {
        Ok(c) => c,
        Err(e) => return error_page(generation, &format!("the repository does not load: {e:#}")),
    };
    let outcome = Outcome {
        deny_warnings: false,
        plan_title: &checked.loaded.repo.plan.title,
        as_of: &checked.as_of,
        areas: &checked.areas,
        findings: &checked.findings,
        sources: &checked.loaded.sources,
    };
    let tally = Tally::of(&checked.findings);
    let personal = checked
        .findings
        .iter()
        .any(|f| f.rule == Rule::PersonalIdentifier && f.severity != Severity::Acknowledged);
    if personal {
        let banner = "Text bound for the pack holds a personal identifier (an NHS number or a UPN): \
                      nothing of the pack is served until it is removed.";
        let panel =
            error_bar(&checked.findings) + &findings_panel(&outcome, tally.errors, Some(banner));
        return Built {
            generation,
            html: standalone(generation, "Findings", &panel),
            attachments: BTreeMap::new(),
            view: None,
        };
    }

    let repo = &checked.loaded.repo;
    let snap = checked.snapshot();
    let mut digests = HashMap::new();
    let mut attachments = BTreeMap::new();
    for e in snap
        .current_items()
        .filter(|e| settings.include_sensitive || !e.is_sensitive())
    {
        if let Some(Resolved::File(p)) = &e.resolved {
            let full = repo.root.join(p);
            // An unreadable attachment is already a finding; it is not served.
            if let Ok(bytes) = std::fs::read(&full) {
                digests.insert(p.clone(), (bytes.len() as u64, bundle::sha256(&bytes)));
                attachments.insert(p.clone(), full);
            }
        }
    }
    let opts = view::Options {
        include_sensitive: settings.include_sensitive,
        allow_gaps: tally.errors > 0,
        commit: crate::provenance::commit(&repo.root),
        build_date: checked.as_of.today,
        digests,
    };
    let pack = view::build(&snap, &checked.as_of, &checked.findings, &opts);
    let ctx = render::RenderContext {
        view: &pack,
        root: &repo.root,
        progress: false,
    };
    let html = match render::renderer(BuildFormat::Html).render(&ctx) {
        Ok(files) => files
            .into_iter()
            .find(|f| f.path.ends_with(".html"))
            .map(|f| String::from_utf8_lossy(&f.bytes).into_owned()),
        Err(e) => return error_page(generation, &format!("the HTML pack was not made: {e:#}")),
    };
    let Some(html) = html else {
        return error_page(generation, "the HTML renderer made no page");
    };
    let banner = (tally.errors > 0).then(|| {
        format!(
            "The pack could not be built: {} error{} must be fixed first. Below, it is drawn as \
             `pack build --allow-gaps` would draw it.",
            tally.errors,
            crate::assess::plural(tally.errors)
        )
    });
    let panel = if tally.errors + tally.warnings > 0 {
        error_bar(&checked.findings) + &findings_panel(&outcome, tally.errors, banner.as_deref())
    } else {
        String::new()
    };
    Built {
        generation,
        html: splice(&html, generation, &panel),
        attachments,
        view: Some(Arc::new(pack)),
    }
}

pub fn error_page(generation: u64, message: &str) -> Built {
    let body = format!(
        "<section class=\"pack-findings\" aria-labelledby=\"pack-findings-title\">\n\
         <h1 id=\"pack-findings-title\">The pack cannot be shown</h1>\n\
         <p class=\"pack-banner\" role=\"alert\">{}</p>\n</section>\n",
        escape(message)
    );
    Built {
        generation,
        html: standalone(generation, "The pack cannot be shown", &body),
        attachments: BTreeMap::new(),
        view: None,
    }
}

/// The bar that keeps errors in view (spec section 7): it sticks to the top
/// of the window however far down the pack the reader has scrolled (the
/// page reloads to its old position after each save, so the panel above the
/// pack may be thousands of pixels off screen), names the count and the
/// first error (root cause first, as the findings are sorted) and links to
/// the panel. Empty without errors: warnings do not stop a build.
fn error_bar(findings: &[Finding]) -> String {
    let errors: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    let Some(first) = errors.first() else {
        return String::new();
    };
    let place = match &first.cell {
        Some(cell) => format!("{} cell {}", first.file, cell.name()),
        None => format!("{} line {}", first.file, first.line),
    };
    let lead = if errors.len() == 1 {
        "1 error:".to_owned()
    } else {
        format!("{} errors: the first is", errors.len())
    };
    format!(
        "<div class=\"pack-error-bar\" role=\"alert\"><p>{} {}: {} \
         <a href=\"#pack-findings-title\">Show the findings</a></p></div>\n",
        escape(&lead),
        escape(&place),
        escape(&first.message)
    )
}

/// The findings as `pack check` prints them (without colour), one block
/// each, above an optional banner.
fn findings_panel(outcome: &Outcome, errors: usize, banner: Option<&str>) -> String {
    let shown: Vec<&Finding> = outcome
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Acknowledged)
        .collect();
    let mut s =
        String::from("<section class=\"pack-findings\" aria-labelledby=\"pack-findings-title\">\n");
    s.push_str(&format!(
        "<h2 id=\"pack-findings-title\">Findings: {}</h2>\n",
        escape(&human::summary(outcome))
    ));
    if let Some(b) = banner {
        s.push_str(&format!(
            "<p class=\"pack-banner\" role=\"alert\">{}</p>\n",
            escape(b)
        ));
    } else if errors == 0 {
        s.push_str("<p>Warnings do not stop `pack build`, but a reviewer will see them.</p>\n");
    }
    s.push_str("<ol class=\"pack-finding-list\">\n");
    for f in shown {
        let one = Outcome {
            findings: std::slice::from_ref(f),
            ..*outcome
        };
        let text = human::findings(&one, false);
        s.push_str(&format!(
            "<li class=\"pack-finding {}\" data-file=\"{}\" data-line=\"{}\"><pre>{}</pre></li>\n",
            f.severity.name(),
            escape(&f.file),
            f.line,
            escape(text.trim_end())
        ));
    }
    s.push_str("</ol>\n</section>\n");
    s
}

const PANEL_STYLE: &str = "<style>\n\
.pack-findings { max-width: 60rem; margin: 1rem auto; padding: 0 1rem; font-family: \"Liberation Sans\", Arial, sans-serif; color: #0b0c0c; }\n\
.pack-findings h1, .pack-findings h2 { font-size: 1.3rem; border-top: 0; margin-top: 1rem; }\n\
.pack-banner { border-left: 5px solid #d4351c; background: #fbe9e7; padding: .7rem; font-weight: bold; }\n\
.pack-error-bar { position: sticky; top: 0; z-index: 1000; margin: 0; padding: .6rem 1rem; background: #942514; color: #ffffff; font-family: \"Liberation Sans\", Arial, sans-serif; font-weight: bold; box-shadow: 0 2px 4px rgba(0,0,0,.3); }\n\
.pack-error-bar p { margin: 0; max-width: 60rem; margin: 0 auto; overflow-wrap: anywhere; }\n\
.pack-error-bar a { color: #ffffff; text-decoration: underline; }\n\
.pack-error-bar a:focus { outline: 3px solid #ffdd00; background: #0b0c0c; }\n\
#pack-findings-title { scroll-margin-top: 6rem; }\n\
.pack-finding-list { padding-left: 1.5rem; }\n\
.pack-finding pre { white-space: pre-wrap; overflow-wrap: anywhere; font-family: \"Liberation Mono\", monospace; font-size: .85rem; background: #f3f2f1; padding: .5rem; margin: .3rem 0 .8rem; }\n\
</style>\n";

fn head_extra(generation: u64) -> String {
    format!(
        "<meta name=\"pack-generation\" content=\"{generation}\">\n{PANEL_STYLE}\
         <script src=\"{}\" defer></script>\n",
        super::routes::LIVE_JS
    )
}

/// The rendered pack with the live script in its head and the findings
/// panel first in its body.
fn splice(html: &str, generation: u64, panel: &str) -> String {
    let mut out = String::with_capacity(html.len() + panel.len() + 1024);
    let head_at = html.find("</head>");
    let body_at = html
        .find("<body")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1));
    match (head_at, body_at) {
        (Some(h), Some(b)) if h < b => {
            out.push_str(&html[..h]);
            out.push_str(&head_extra(generation));
            out.push_str(&html[h..b]);
            out.push('\n');
            out.push_str(panel);
            out.push_str(&html[b..]);
        }
        // A custom template without a head and body: the panel and the
        // script go first; browsers accept it.
        _ => {
            out.push_str(&head_extra(generation));
            out.push_str(panel);
            out.push_str(html);
        }
    }
    out
}

/// A page of its own, for when no pack is shown.
fn standalone(generation: u64, title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} – pack serve</title>\n{}</head>\n<body>\n<main>\n{}</main>\n</body>\n</html>\n",
        escape(title),
        head_extra(generation),
        body
    )
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            _ => out.push(c),
        }
    }
    out
}

/// Whether `file` is inside `root` once every symlink is followed.
pub fn inside(root: &Path, file: &Path) -> bool {
    match (root.canonicalize(), file.canonicalize()) {
        (Ok(r), Ok(f)) => f.starts_with(r) && f.is_file(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn splices_the_panel_after_body_and_the_script_before_head_ends() {
        let page = splice(
            "<html><head><title>t</title></head><body class=\"x\"><h1>P</h1></body></html>",
            7,
            "<section>F</section>",
        );
        let script = page.find("/_pack/live.js").unwrap();
        let head_end = page.find("</head>").unwrap();
        let panel = page.find("<section>F").unwrap();
        let body = page.find("<body class=\"x\">").unwrap();
        assert!(script < head_end && body < panel && panel < page.find("<h1>P").unwrap());
        assert!(page.contains("content=\"7\""));
    }
}
