//! Links inside the pack, bound to their targets after layout.
//!
//! typst resolves `link(<label>)` while it lays the document out: on the
//! first pass no label exists yet, so every table holding such a link is laid
//! out once without it and again with it, and both layouts stay in typst's
//! cache. With thousands of citations to the evidence index that second
//! layout was a third of the build time and half its memory (see
//! docs/performance.md). So the template writes an internal link as a link to
//! the address `pack-anchor:<anchor>`, which needs nothing from layout, and
//! this module points each such link at the element labelled `<anchor>`
//! once the pages exist, exactly as typst would have: the annotation gets the
//! element's location (a named destination in the PDF) and the link's tag its
//! description, "<target text>, page N", for screen readers.
//!
//! An address with the prefix whose anchor names no label is left as it was
//! written: it can only come from a user's own `url`, not from the template.

use ecow::{EcoString, eco_format};
use typst::foundations::{Content, Label};
use typst::introspection::{Introspector, Location, Tag};
use typst::layout::{Frame, FrameItem};
use typst::model::{Destination, Document, HeadingElem, LinkMarker};
use typst::utils::PicoStr;
use typst_layout::{PagedDocument, PagedIntrospector};

/// The address prefix the template uses for a link to an anchor in the pack.
pub const PREFIX: &str = super::ANCHOR_LINK;

/// The document with every `pack-anchor:` link pointing at its target.
/// Returns the document unchanged (not rebuilt) when it has none.
pub fn bind(doc: PagedDocument) -> PagedDocument {
    let introspector = doc.introspector().clone();
    let resolver = Resolver {
        introspector: &introspector,
    };
    let mut changed = false;
    let pages = doc
        .pages()
        .iter()
        .map(|page| {
            let mut page = page.clone();
            if let Some(frame) = resolver.rewrite(&page.frame) {
                page.frame = frame;
                changed = true;
            }
            page
        })
        .collect();
    if !changed {
        return doc;
    }
    // A new document, so that its introspector knows the new link targets
    // (the PDF writer gives each a named destination from that list).
    PagedDocument::new(pages, doc.info().clone())
}

struct Resolver<'a> {
    introspector: &'a PagedIntrospector,
}

impl Resolver<'_> {
    /// A copy of the frame with its anchor links bound, or `None` if it holds
    /// none. Frames are shared with typst's cache, so only the frames on the
    /// way to a link are copied, and each frame is visited once.
    fn rewrite(&self, frame: &Frame) -> Option<Frame> {
        let mut edits: Vec<(usize, FrameItem)> = Vec::new();
        for (i, (_, item)) in frame.items().enumerate() {
            let edit = match item {
                FrameItem::Group(group) => self.rewrite(&group.frame).map(|inner| {
                    let mut group = group.clone();
                    group.frame = inner;
                    FrameItem::Group(group)
                }),
                FrameItem::Link(Destination::Url(url), size) => self
                    .target(url)
                    .map(|(loc, _)| FrameItem::Link(Destination::Location(loc), *size)),
                FrameItem::Tag(Tag::Start(content, flags)) => self
                    .describe(content)
                    .map(|content| FrameItem::Tag(Tag::Start(content, *flags))),
                _ => None,
            };
            if let Some(edit) = edit {
                edits.push((i, edit));
            }
        }
        if edits.is_empty() {
            return None;
        }
        let mut frame = frame.clone();
        let mut edits = edits.into_iter().peekable();
        let mut i = 0;
        frame.retain(|item| {
            if edits.peek().is_some_and(|(at, _)| *at == i) {
                *item = edits.next().expect("peeked").1;
            }
            i += 1;
            true
        });
        Some(frame)
    }

    /// The link's description for assistive technology, in place of the
    /// address typst gave it.
    fn describe(&self, content: &Content) -> Option<Content> {
        let marker = content.to_packed::<LinkMarker>()?;
        let (loc, text) = self.target(marker.alt.as_ref()?)?;
        let page = self.introspector.position(loc).map_or(1, |p| p.page.get());
        let mut marker = marker.clone();
        marker.alt = Some(if text.is_empty() {
            eco_format!("Page {page}")
        } else {
            eco_format!("{text}, page {page}")
        });
        Some(marker.pack())
    }

    /// The location and plain text of the element an address points at.
    fn target(&self, address: &str) -> Option<(Location, EcoString)> {
        let anchor = address.strip_prefix(PREFIX)?;
        let label = Label::new(PicoStr::intern(anchor))?;
        let element = self.introspector.query_label(label).ok()?;
        // A heading's own plain text starts with its supplement ("Section"):
        // its body is what a reader sees.
        let text = match element.to_packed::<HeadingElem>() {
            Some(heading) => heading.body.plain_text(),
            None => element.plain_text(),
        };
        Some((element.location()?, text.trim().into()))
    }
}
