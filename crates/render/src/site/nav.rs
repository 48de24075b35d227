//! The sidebar: the current chapter's sections, then overview, order and search, the nodes, and
//! the chapters (inline up to [`INLINE_TOC_MAX`](super::INLINE_TOC_MAX), else filled in by
//! `toc.js`).

use super::markdown::TocEntry;
use super::Ctx;
use runbook_core::html::escape;
use runbook_core::links::encode_path;
use serde_json::{json, Value};

/// An entry of the sidebar.
enum NavEntry {
    Link {
        href: String,
        /// The link's text as HTML.
        inner: String,
    },
    /// The start of the node list.
    Nodes,
    /// The start of the chapter list.
    Chapters,
}

/// The sidebar, the same on every page but for the current page and its sections.
pub(crate) struct Nav {
    entries: Vec<NavEntry>,
    /// Chapters come from `toc.js` (too many to repeat in every page).
    pub scripted: bool,
}

impl Nav {
    pub fn new(ctx: &Ctx, titles: &[&str]) -> Nav {
        let link = |href: &str, inner: &str| NavEntry::Link {
            href: href.to_string(),
            inner: inner.to_string(),
        };
        let mut entries = vec![
            link("index.html", "개요"),
            link("order.html", "실행 순서"),
            link("search.html", "검색"),
            NavEntry::Nodes,
        ];
        for nd in &ctx.plan.nodes {
            entries.push(NavEntry::Link {
                href: format!("node-{nd}.html"),
                inner: format!(
                    "<span class=\"dot n{}\" aria-hidden=\"true\"></span>{} 노드",
                    ctx.color(nd),
                    escape(nd)
                ),
            });
        }
        let scripted = titles.len() > super::INLINE_TOC_MAX;
        entries.push(NavEntry::Chapters);
        if !scripted {
            for (i, ch) in ctx.guide.chapters.iter().enumerate() {
                entries.push(NavEntry::Link {
                    href: encode_path(&ch.page),
                    inner: numbered_title(i, titles[i]),
                });
            }
        }
        Nav { entries, scripted }
    }

    /// The sidebar's HTML on `page`, after the page's own sections (`local_toc`).
    pub fn html(&self, page: &str, local_toc: &str) -> String {
        let current = encode_path(page);
        let mut h = String::with_capacity(self.entries.len() * 80 + 200 + local_toc.len());
        h.push_str(local_toc);
        h.push_str("<h2>안내</h2>\n<ul>\n");
        for e in &self.entries {
            match e {
                NavEntry::Nodes => h.push_str("</ul>\n<h2>노드</h2>\n<ul>\n"),
                NavEntry::Chapters => {
                    h.push_str("</ul>\n<h2>차례</h2>\n<ol id=\"rb-toc\" class=\"chapters\">\n");
                    if self.scripted {
                        h.push_str("<li><a href=\"index.html#toc-h\">전체 차례 보기</a></li>\n");
                    }
                }
                NavEntry::Link { href, inner } => {
                    let cur = if *href == current {
                        " aria-current=\"page\""
                    } else {
                        ""
                    };
                    h.push_str(&format!("<li><a href=\"{href}\"{cur}>{inner}</a></li>\n"));
                }
            }
        }
        h.push_str("</ol>\n");
        h
    }
}

/// A chapter's title in the sidebar, numbered unless it starts with a number of its own.
fn numbered_title(i: usize, title: &str) -> String {
    if title.starts_with(|c: char| c.is_ascii_digit()) {
        escape(title)
    } else {
        format!("<span class=\"num\">{}.</span>{}", i + 1, escape(title))
    }
}

/// The sidebar's list of the current chapter's sections.
pub(crate) fn local_toc(toc: &[TocEntry]) -> String {
    if toc.len() < 2 {
        return String::new();
    }
    let mut h = String::from("<h2>이 장의 내용</h2>\n<ul class=\"local-toc\">\n");
    for e in toc.iter().take(60) {
        h.push_str(&format!(
            "<li class=\"l{}\"><a href=\"#{}\">{}</a></li>\n",
            e.level,
            escape(&e.id),
            escape(&e.text)
        ));
    }
    h.push_str("</ul>\n");
    h
}

/// `toc.js`: fills the chapter list of the sidebar when it is too long to inline.
pub(crate) fn toc_script(pages: &[String], titles: &[&str]) -> String {
    let enc = |v: Vec<Value>| {
        serde_json::to_string(&v)
            .unwrap_or_else(|_| "[]".into())
            .replace('<', "\\u003c")
    };
    let t = enc(titles.iter().map(|t| json!(t)).collect());
    let p = enc(pages.iter().map(|p| json!(p)).collect());
    format!(
        "(function(){{var t={};var p={};var ol=document.getElementById(\"rb-toc\");if(!ol)return;\
var here=decodeURIComponent(location.pathname.split(\"/\").pop());while(ol.firstChild)ol.removeChild(ol.firstChild);\
for(var i=0;i<t.length;i++){{var li=document.createElement(\"li\"),a=document.createElement(\"a\");a.href=p[i];\
var s=document.createElement(\"span\");s.className=\"num\";s.textContent=(i+1)+\".\";if(!/^[0-9]/.test(t[i]))a.appendChild(s);\
a.appendChild(document.createTextNode(t[i]));if(decodeURIComponent(p[i])===here)a.setAttribute(\"aria-current\",\"page\");\
li.appendChild(a);ol.appendChild(li);}}}})();\n",
        t, p
    )
}
