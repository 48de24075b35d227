//! The printable page (`print.hbs`, `print.html`): every chapter in order with its step boxes
//! (opened), without the navigation, and an appendix with each node's runbook commands, phase
//! by phase. Each chapter is a section (`#pc{n}`) whose ids are prefixed (`pc{n}-`), so the ids
//! of all chapters live side by side and links between chapters stay inside the page.

use super::Pages;
use crate::site::layout::{assemble_parts, part_mark};
use crate::site::links::{print_links_into, print_prefix, PageIds, PrintTargets};
use anyhow::{Context, Result};
use rayon::prelude::*;
use runbook_core::html::escape_into;
use runbook_core::model::Step;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::fmt::Write as _;

impl Pages<'_> {
    /// `print.html`; `htmls` are the chapters' HTML, in chapter order.
    pub fn print_page(&self, htmls: &[String]) -> Result<()> {
        let guide_chapters = &self.ctx.guide.chapters;
        let pages: Vec<&str> = guide_chapters.iter().map(|c| c.page.as_str()).collect();
        let index: HashMap<&str, usize> = pages.iter().enumerate().map(|(i, p)| (*p, i)).collect();
        let ids: PageIds = pages
            .iter()
            .zip(self.chapters.iter())
            .map(|(p, o)| (*p, &o.ids))
            .collect();
        let targets = PrintTargets {
            pages: &pages,
            index: &index,
            ids: &ids,
        };
        // the chapters' and the appendix's HTML are written in parallel, and go into the page
        // where the template put their marks (they are most of the page)
        let mut parts: Vec<String> = htmls
            .par_iter()
            .enumerate()
            .map(|(i, html)| {
                let mut content = String::with_capacity(html.len() + html.len() / 16);
                let prefixed = prefix_ids(html, &print_prefix(i));
                print_links_into(
                    &mut content,
                    &prefixed,
                    &self.chapters[i].links,
                    i,
                    &targets,
                );
                content
            })
            .collect();
        let chapters: Vec<Value> = (0..htmls.len())
            .map(|i| {
                let o = &self.chapters[i];
                json!({
                    "id": print_prefix(i).trim_end_matches('-'),
                    "title": o.title,
                    "show_title": !o.has_h1,
                    "source": guide_chapters[i].rel,
                    "content": part_mark(i),
                })
            })
            .collect();
        let nodes = &self.ctx.plan.nodes;
        parts.extend(
            nodes
                .par_iter()
                .map(|nd| self.node_commands(nd))
                .collect::<Vec<String>>(),
        );
        let nodes: Vec<Value> = nodes
            .iter()
            .enumerate()
            .map(|(k, nd)| {
                json!({
                    "name": nd,
                    "color": self.ctx.color(nd),
                    "id": format!("print-node-{}", k + 1),
                    "commands": part_mark(htmls.len() + k),
                })
            })
            .collect();
        let extra_css: Vec<Value> = self.theme.extra_css.iter().map(|s| json!(s)).collect();
        let template = self
            .theme
            .render(
                "print",
                json!({
                    "site_title": self.layout.site_title,
                    "chapters": chapters,
                    "nodes": nodes,
                    "extra_css": extra_css,
                }),
            )
            .context("theme template print.hbs")?;
        let size = template.len() + parts.iter().map(String::len).sum::<usize>();
        let mut html = String::with_capacity(size);
        assemble_parts(&mut html, &template, &parts);
        (self.emit)(&crate::site::file("print.html".into(), html.into_bytes()))
    }

    /// A node's runbook commands, phase by phase, as HTML: each selected step's title (linking
    /// to it in its chapter above) and what the runbook runs for it.
    fn node_commands(&self, nd: &str) -> String {
        let ctx = self.ctx;
        let mut h = String::new();
        let mut phase = 0;
        for s in ctx.plan.steps.iter().filter(|s| s.selected()) {
            if !s.nodes.iter().any(|n| n == nd) {
                continue;
            }
            if s.phase != phase {
                phase = s.phase;
                let _ = writeln!(
                    h,
                    "<h3>실행 단계 {phase} <small><code>./{}.sh --phase {phase}</code></small></h3>",
                    runbook_core::html::escape(nd)
                );
            }
            self.push_command(&mut h, s);
        }
        if h.is_empty() {
            h.push_str("<p class=\"empty\">이 노드에서 실행하는 단계가 없습니다.</p>\n");
        }
        h
    }

    fn push_command(&self, h: &mut String, s: &Step) {
        h.push_str("<p class=\"print-run\">");
        match self.ctx.chapter_by_rel.get(s.source.file.as_str()) {
            Some(&j) => {
                let _ = write!(h, "<a href=\"#{}step-", print_prefix(j));
                escape_into(h, &s.id);
                h.push_str("\">");
                escape_into(h, &s.title);
                h.push_str("</a>");
            }
            None => escape_into(h, &s.title),
        }
        let _ = write!(
            h,
            " <span class=\"badge kind k-{}\">{}</span></p>\n<pre><code class=\"language-bash\">",
            s.kind().as_str(),
            s.kind().label_ko()
        );
        self.ctx.push_run(h, s);
        h.push_str("</code></pre>\n");
    }
}

/// A chapter's HTML with its ids (and the fragments and copy targets naming them) prefixed, and
/// its step boxes open.
fn prefix_ids(html: &str, prefix: &str) -> String {
    use memchr::memmem::find_iter;
    let b = html.as_bytes();
    // (where, what is replaced there, what goes in)
    let mut edits: Vec<(usize, usize, &str)> = Vec::new();
    for (pattern, at) in [(" id=\"", 5), (" data-target=\"", 14), (" href=\"#", 8)] {
        edits.extend(find_iter(b, pattern).map(|p| (p + at, 0, prefix)));
    }
    edits.extend(find_iter(b, "<details>").map(|p| (p, "<details>".len(), "<details open>")));
    edits.sort_unstable_by_key(|e| e.0);
    let mut out = String::with_capacity(html.len() + edits.len() * prefix.len());
    let mut from = 0;
    for (at, len, insert) in edits {
        out.push_str(&html[from..at]);
        out.push_str(insert);
        from = at + len;
    }
    out.push_str(&html[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::prefix_ids;

    #[test]
    fn ids_and_their_links_are_prefixed() {
        let html = "<h2 id=\"a\">A<a class=\"hlink\" href=\"#a\">#</a></h2><a href=\"x.html#b\">x</a><button data-target=\"run-s\">c</button><details><summary>s</summary></details><p>id=\"no\"</p>";
        assert_eq!(
            prefix_ids(html, "pc2-"),
            "<h2 id=\"pc2-a\">A<a class=\"hlink\" href=\"#pc2-a\">#</a></h2><a href=\"x.html#b\">x</a><button data-target=\"pc2-run-s\">c</button><details open><summary>s</summary></details><p>id=\"no\"</p>"
        );
    }
}
