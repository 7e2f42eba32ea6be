//! One module per output format. Templates hold presentation only; each is
//! embedded in the binary and may be overridden by the repository's own
//! `templates/` folder.

pub mod family;
#[cfg(feature = "pdf")]
mod links;
mod outputs;
#[cfg(feature = "pdf")]
pub mod pagecheck;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod text;

pub use outputs::{OutputFile, RenderContext, Renderer, renderer};

/// The address prefix templates use for a link to an anchor inside the
/// pack; the PDF binds such links after layout (links.rs).
pub const ANCHOR_LINK: &str = "pack-anchor:";

/// Whether this build of pack can write PDFs (the `pdf` cargo feature).
pub const HAS_PDF: bool = cfg!(feature = "pdf");

/// What a check-only build says when asked for a PDF.
pub const NO_PDF: &str = "this build of pack has no PDF support (it was built without the `pdf` feature): \
install the full build (see the README's Install section), or ask for other formats with --format";
use std::path::Path;

use anyhow::{Context, Result};

/// A template and where it came from (for error messages).
pub struct Template {
    pub name: String,
    pub source: String,
}

pub const TYPST: (&str, &str) = ("pack.typ", include_str!("../../templates/pack.typ"));
pub const MARKDOWN: (&str, &str) = ("pack.md.j2", include_str!("../../templates/pack.md.j2"));
pub const HTML: (&str, &str) = ("pack.html.j2", include_str!("../../templates/pack.html.j2"));

/// The repository's `templates/NAME` when it has one, else the built-in.
pub fn template(root: &Path, (name, builtin): (&str, &str)) -> Result<Template> {
    let custom = root.join("templates").join(name);
    if custom.is_file() {
        let source = std::fs::read_to_string(&custom)
            .with_context(|| format!("cannot read templates/{name}"))?;
        Ok(Template {
            name: format!("templates/{name}"),
            source,
        })
    } else {
        Ok(Template {
            name: format!("{name} (built in)"),
            source: builtin.to_owned(),
        })
    }
}

/// A text file ends with a newline (POSIX's definition of a line; `cat`,
/// `diff` and git all expect it). minijinja drops a template's last
/// newline, and a repository's own template may have none.
pub fn with_final_newline(mut text: String) -> String {
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}
