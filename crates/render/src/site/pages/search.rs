//! The search page (`search.hbs`) and the index it searches (`search-index.js`): an entry for
//! every section of every chapter and for every step.

use super::Pages;
use crate::site::layout::PageInfo;
use crate::site::search_index::{self as search, Entry};
use anyhow::{Context, Result};
use rayon::prelude::*;
use runbook_core::links::encode_path;
use runbook_core::model::Step;
use serde_json::json;
use std::borrow::Cow;

impl Pages<'_> {
    pub fn search_page(&self) -> Result<()> {
        let body = self
            .theme
            .render("search", json!({}))
            .context("theme template search.hbs")?;
        let info = PageInfo {
            search_page: true,
            ..PageInfo::plain("search", "search.html", "검색")
        };
        let page = self.layout.page(info, &body)?;
        (self.emit)(&crate::site::file("search.html".into(), page.into_bytes()))
    }

    /// `search-index.js`, in one pass over sections and steps.
    pub fn search_index(&self) -> Result<()> {
        // each chapter's entries in parallel, in guide order
        let per_chapter: Vec<Vec<Entry>> = (0..self.chapters.len())
            .into_par_iter()
            .map(|i| self.chapter_entries(i))
            .collect();
        let mut entries: Vec<Entry> = per_chapter.into_iter().flatten().collect();
        for s in &self.steps.orphans {
            entries.push(step_entry(s, "index.html", &self.layout.site_title));
        }
        (self.emit)(&crate::site::file(
            "search-index.js".into(),
            search::build(&entries).into_bytes(),
        ))
    }

    /// The entries of chapter `i`: its sections, then its steps.
    fn chapter_entries(&self, i: usize) -> Vec<Entry<'_>> {
        let page = encode_path(&self.ctx.guide.chapters[i].page);
        let title = self.titles[i];
        let mut entries = Vec::new();
        for sec in &self.chapters[i].sections {
            entries.push(Entry {
                url: match &sec.id {
                    Some(id) => format!("{page}#{id}"),
                    None => page.clone(),
                },
                title: Cow::Borrowed(if sec.title.is_empty() {
                    title
                } else {
                    &sec.title
                }),
                chapter: Cow::Borrowed(title),
                text: Cow::Borrowed(&sec.text),
            });
        }
        for s in &self.steps.by_chapter[i] {
            entries.push(step_entry(s, &page, title));
        }
        entries
    }
}

/// A step's search entry: its title, nodes, kind and file. Not its run text: the guide's own
/// text of the step is in its section's entry, and the runtime's calls and heredoc markers
/// (`rb_ini`, `RUNBOOK_INI_…`) would only crowd the index.
fn step_entry<'a>(s: &'a Step, page: &str, chapter: &'a str) -> Entry<'a> {
    let mut text = String::new();
    text.push_str(&s.nodes.join(" "));
    text.push(' ');
    text.push_str(s.kind().label_ko());
    if let Some(p) = s.path() {
        text.push(' ');
        text.push_str(p);
    }
    Entry {
        url: format!("{page}#step-{}", s.id),
        title: Cow::Borrowed(&s.title),
        chapter: Cow::Borrowed(chapter),
        text: Cow::Owned(search::squeeze(&text)),
    }
}
