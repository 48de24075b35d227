//! The page layout (`layout.hbs`) around every page's body: the header, the sidebar, the pager
//! and the footer.
//!
//! A page's body is HTML the layout inserts whole (`{{{body}}}`, as a chapter's `{{{content}}}`).
//! The largest bodies do not travel through the template engine: the template gets
//! [`BODY_MARK`] (or a [`part_mark`]) in their place and the HTML is written where the mark
//! landed, straight into the page's one buffer.

use super::nav::Nav;
use super::theme::Theme;
use anyhow::{Context, Result};
use serde_json::{json, Value};

/// Stands for a body in a template's output (NUL never occurs in pages).
pub(crate) const BODY_MARK: &str = "\u{0}runbook-body\u{0}";

/// Write `template` into `out`, with `fill` writing in place of each [`BODY_MARK`].
pub(crate) fn assemble(out: &mut String, template: &str, fill: &mut dyn FnMut(&mut String)) {
    let mut parts = template.split(BODY_MARK);
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for part in parts {
        fill(out);
        out.push_str(part);
    }
}

/// Stands for part `k` of a page in a template's output (see [`assemble_parts`]).
pub(crate) fn part_mark(k: usize) -> String {
    format!("{PART_MARK}{k}\u{0}")
}

const PART_MARK: &str = "\u{0}runbook-part-";

/// Write `template` into `out`, with `parts[k]` in place of each mark of part `k`
/// ([`part_mark`]); a mark of no part is left as it is.
pub(crate) fn assemble_parts(out: &mut String, template: &str, parts: &[String]) {
    let mut rest = template;
    while let Some(at) = rest.find(PART_MARK) {
        out.push_str(&rest[..at]);
        let after = &rest[at + PART_MARK.len()..];
        let part = after.split_once('\u{0}').and_then(|(k, tail)| {
            let p = parts.get(k.parse::<usize>().ok()?)?;
            Some((p, tail))
        });
        match part {
            Some((p, tail)) => {
                out.push_str(p);
                rest = tail;
            }
            None => {
                out.push_str(PART_MARK);
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

/// What the layout is told about one page.
pub(crate) struct PageInfo<'p> {
    /// `index`, `chapter`, `node`, `order`, `search`, `print` (the body's class `kind-…`).
    pub kind: &'static str,
    /// The page's file, to mark it current in the sidebar.
    pub file: &'p str,
    /// The page's title (empty for the index: the site's title alone).
    pub title: &'p str,
    /// `{prev, next}` links between chapters, or `null` for no pager ([`pager`]).
    pub pager: Value,
    /// The page runs the search scripts.
    pub search_page: bool,
    /// HTML of the sidebar's list of the page's own sections (chapters only).
    pub local_toc: &'p str,
}

impl<'p> PageInfo<'p> {
    /// A page with no pager, no search and no sections of its own.
    pub fn plain(kind: &'static str, file: &'p str, title: &'p str) -> Self {
        PageInfo {
            kind,
            file,
            title,
            pager: Value::Null,
            search_page: false,
            local_toc: "",
        }
    }
}

/// A link to a chapter, as the pager shows it.
pub(crate) fn chapter_link(page: &str, title: &str) -> Value {
    json!({"page": runbook_core::links::encode_path(page), "title": title})
}

/// The pager's data: both links, each a [`chapter_link`] or `null`.
pub(crate) fn pager(prev: Option<Value>, next: Option<Value>) -> Value {
    json!({
        "prev": prev.unwrap_or(Value::Null),
        "next": next.unwrap_or(Value::Null),
    })
}

/// The layout, with what is the same on every page.
pub(crate) struct Layout<'a> {
    theme: &'a Theme,
    pub site_title: String,
    pub nav: Nav,
    extra_css: Vec<Value>,
}

impl<'a> Layout<'a> {
    pub fn new(theme: &'a Theme, site_title: String, nav: Nav) -> Self {
        let extra_css = theme.extra_css.iter().map(|s| json!(s)).collect();
        Layout {
            theme,
            site_title,
            nav,
            extra_css,
        }
    }

    /// A page: the layout around a body that `fill` writes (about `size` bytes) into the page's
    /// buffer.
    pub fn page_with(
        &self,
        info: PageInfo,
        size: usize,
        fill: &mut dyn FnMut(&mut String),
    ) -> Result<String> {
        let data = json!({
            "site_title": self.site_title,
            "page_title": info.title,
            "kind": info.kind,
            "nav": self.nav.html(info.file, info.local_toc),
            "body": BODY_MARK,
            "pager": info.pager,
            "toc_script": self.nav.scripted,
            "search_page": info.search_page,
            "query": "",
            "extra_css": self.extra_css,
        });
        let out = self
            .theme
            .render("layout", data)
            .with_context(|| format!("theme template layout.hbs ({})", info.file))?;
        let mut html = String::with_capacity(out.len() + size);
        assemble(&mut html, &out, fill);
        Ok(html)
    }

    /// A page around a body already written.
    pub fn page(&self, info: PageInfo, body: &str) -> Result<String> {
        self.page_with(info, body.len(), &mut |o: &mut String| o.push_str(body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_written_where_the_template_put_them() {
        let template = format!("<a>{BODY_MARK}</a><b>{BODY_MARK}</b>");
        let mut out = String::new();
        assemble(&mut out, &template, &mut |o: &mut String| o.push_str("[x]"));
        assert_eq!(out, "<a>[x]</a><b>[x]</b>");
        let mut out = String::new();
        assemble(&mut out, "no mark", &mut |_: &mut String| {
            panic!("no body here")
        });
        assert_eq!(out, "no mark");
    }
}
