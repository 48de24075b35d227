//! A chapter's page (`chapter.hbs`): the chapter's HTML with its steps in place, its links made
//! final, and a pager to the chapters before and after it.

use super::Pages;
use crate::site::layout::{assemble, chapter_link, pager, PageInfo, BODY_MARK};
use crate::site::links::{finalize_links_into, PageIds};
use crate::site::nav::local_toc;
use anyhow::{Context, Result};
use rayon::prelude::*;
use serde_json::json;

impl Pages<'_> {
    /// Every chapter's page, in parallel; `htmls` are the chapters' HTML, in chapter order.
    pub fn chapter_pages(&self, htmls: &[String]) -> Result<()> {
        let ids: PageIds = self
            .ctx
            .guide
            .chapters
            .iter()
            .zip(self.chapters.iter())
            .map(|(ch, o)| (ch.page.as_str(), &o.ids))
            .collect();
        htmls
            .par_iter()
            .enumerate()
            .try_for_each(|(i, html)| self.chapter_page(i, html, &ids))
    }

    fn chapter_page(&self, i: usize, html: &str, ids: &PageIds) -> Result<()> {
        let chapters = &self.ctx.guide.chapters;
        let ch = &chapters[i];
        let o = &self.chapters[i];
        let body = self
            .theme
            .render(
                "chapter",
                json!({
                    "title": o.title,
                    "show_title": !o.has_h1,
                    "content": BODY_MARK,
                    "source": ch.rel,
                    "step_count": self.steps.by_chapter[i].len(),
                }),
            )
            .with_context(|| format!("theme template chapter.hbs ({})", ch.page))?;
        let link = |j: usize| chapter_link(&chapters[j].page, self.titles[j]);
        let prev = i.checked_sub(1).map(link);
        let next = (i + 1 < chapters.len()).then(|| link(i + 1));
        let toc = local_toc(&o.toc);
        let info = PageInfo {
            pager: pager(prev, next),
            local_toc: &toc,
            ..PageInfo::plain("chapter", &ch.page, &o.title)
        };
        let size = body.len() + html.len() + o.links.len() * 24;
        let page = self.layout.page_with(info, size, &mut |out: &mut String| {
            assemble(out, &body, &mut |out: &mut String| {
                finalize_links_into(out, html, &o.links, &ch.page, ids)
            })
        })?;
        (self.emit)(&crate::site::file(ch.page.clone(), page.into_bytes()))
    }
}
