//! One chapter's Markdown → HTML: GitHub-style heading ids, links to other chapters rewritten,
//! images copied or replaced by placeholders, raw HTML sanitized, and every step of the chapter
//! inserted right after the block(s) it comes from.
//!
//! [`render`] runs pulldown-cmark over the chapter and hands every event to a
//! [`writer::ChapterWriter`], which rewrites the events and places the steps; pulldown-cmark's
//! HTML writer then writes them out.

mod front_matter;
mod hrefs;
mod images;
mod writer;

use pulldown_cmark::Parser;
use runbook_core::model::Step;
use runbook_core::source::Chapter;
use std::collections::HashSet;
use std::path::PathBuf;

use super::Ctx;

/// A link inside the site whose fragment is checked once every page's ids are known.
#[derive(Debug, Clone)]
pub struct LinkRef {
    /// Target page; `None` for the page itself.
    pub page: Option<String>,
    pub frag: Option<String>,
}

/// Marks a link in the rendered HTML: `\0<n>\0` (pulldown-cmark never emits NUL).
pub const TOKEN: char = '\0';

/// A part of a chapter for the search index: from a heading to the next.
#[derive(Debug, Clone, Default)]
pub struct Section {
    pub id: Option<String>,
    pub title: String,
    /// (whitespace collapsed once the section is complete, as the index keeps it)
    pub text: String,
}

impl Section {
    fn squeezed(mut self) -> Section {
        self.text = super::search_index::squeeze(&self.text);
        self
    }
}

/// A level-2 or level-3 heading of a chapter, for the sidebar.
#[derive(Debug, Clone)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A local file a chapter uses (an image or a linked file), copied into the site.
#[derive(Debug, Clone)]
pub struct MediaFile {
    /// Its path under `site/`.
    pub out: String,
    /// The file on disk.
    pub source: PathBuf,
}

/// A rendered chapter.
#[derive(Debug, Default)]
pub struct ChapterOut {
    pub title: String,
    /// The chapter has a level-1 heading of its own (else the page shows the title).
    pub has_h1: bool,
    /// HTML with link tokens (see [`TOKEN`]).
    pub html: String,
    pub links: Vec<LinkRef>,
    pub ids: HashSet<String>,
    pub sections: Vec<Section>,
    pub media: Vec<MediaFile>,
    /// The steps placed on the page, in page order.
    pub placed: Vec<String>,
    /// The chapter's level-2 and level-3 headings.
    pub toc: Vec<TocEntry>,
}

/// Render one chapter. `steps` are the plan's steps whose `source.file` is this chapter.
pub fn render(ctx: &Ctx, chapter: &Chapter, steps: &[&Step]) -> ChapterOut {
    let text = runbook_core::markdown::preprocess(&chapter.text);
    let front = front_matter::front_matter(&text);
    let mut w = writer::ChapterWriter::new(ctx, chapter, steps, &front.text);
    for (ev, range) in
        Parser::new_ext(&front.text, runbook_core::markdown::options()).into_offset_iter()
    {
        w.event(ev, range);
    }
    w.finish(front.title)
}
