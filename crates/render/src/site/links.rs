//! Links between chapters, made final once every page's ids are known: a fragment the guide
//! writes (as typed, percent-encoded, or as a heading's text) becomes the id it means, and a
//! fragment that names nothing is dropped.

use super::markdown::{LinkRef, TOKEN};
use runbook_core::links::{encode_path, percent_decode};
use std::collections::{HashMap, HashSet};

/// The ids each chapter page defines, by page.
pub(crate) type PageIds<'a> = HashMap<&'a str, &'a HashSet<String>>;

/// Append a chapter's HTML to `out`, its link tokens replaced by hrefs whose fragment exists.
pub(crate) fn finalize_links_into(
    out: &mut String,
    html: &str,
    links: &[LinkRef],
    own: &str,
    ids: &PageIds,
) {
    if links.is_empty() {
        out.push_str(html);
        return;
    }
    let mut parts = html.split(TOKEN);
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    // tokens come as `\0<n>\0`: odd parts are numbers
    let mut is_token = true;
    for part in parts {
        if is_token {
            let l = part.parse::<usize>().ok().and_then(|k| links.get(k));
            match l {
                Some(l) => runbook_core::html::escape_into(out, &link_href(l, own, ids)),
                None => out.push_str(part),
            }
        } else {
            out.push_str(part);
        }
        is_token = !is_token;
    }
}

fn link_href(l: &LinkRef, own: &str, ids: &PageIds) -> String {
    let target = l.page.as_deref().unwrap_or(own);
    let frag = l
        .frag
        .as_deref()
        .and_then(|f| ids.get(target).and_then(|set| match_fragment(f, set)));
    match (&l.page, frag) {
        (None, Some(id)) => format!("#{id}"),
        (None, None) => encode_path(own),
        (Some(p), Some(id)) => format!("{}#{id}", encode_path(p)),
        (Some(p), None) => encode_path(p),
    }
}

/// The id a fragment written in the guide means (as typed, percent-encoded, or as heading text).
fn match_fragment(f: &str, ids: &HashSet<String>) -> Option<String> {
    let f = f.strip_prefix("user-content-").unwrap_or(f);
    if ids.contains(f) {
        return Some(f.to_string());
    }
    let d = percent_decode(f);
    let d = d.strip_prefix("user-content-").unwrap_or(&d);
    if ids.contains(d) {
        return Some(d.to_string());
    }
    let l = d.to_lowercase();
    if ids.contains(&l) {
        return Some(l);
    }
    let s = runbook_core::slug::github_slug(d);
    ids.contains(&s).then_some(s)
}

/// Where a chapter link leads on the printable page, where every chapter is a section (`#pc{n}`)
/// and its ids are prefixed (`#pc{n}-{id}`, [`print_prefix`]).
pub(crate) struct PrintTargets<'a> {
    /// Each chapter's page, in order.
    pub pages: &'a [&'a str],
    pub index: &'a HashMap<&'a str, usize>,
    pub ids: &'a PageIds<'a>,
}

/// The prefix of chapter `i`'s ids on the printable page (and, without its dash, the id of the
/// chapter's section).
pub(crate) fn print_prefix(i: usize) -> String {
    format!("pc{}-", i + 1)
}

/// [`finalize_links_into`] for the printable page: links between chapters become links inside
/// the page.
pub(crate) fn print_links_into(
    out: &mut String,
    html: &str,
    links: &[LinkRef],
    own: usize,
    t: &PrintTargets,
) {
    let mut parts = html.split(TOKEN);
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    let mut is_token = true;
    for part in parts {
        let link = is_token
            .then(|| part.parse::<usize>().ok().and_then(|k| links.get(k)))
            .flatten();
        match link {
            Some(l) => {
                let j = match &l.page {
                    Some(p) => t.index.get(p.as_str()).copied().unwrap_or(own),
                    None => own,
                };
                let prefix = print_prefix(j);
                let frag = l.frag.as_deref().and_then(|f| {
                    let set = t.ids.get(t.pages[j])?;
                    match_fragment(f, set)
                });
                out.push('#');
                match frag {
                    Some(id) => {
                        out.push_str(&prefix);
                        runbook_core::html::escape_into(out, &id);
                    }
                    None => out.push_str(prefix.trim_end_matches('-')),
                }
            }
            None => out.push_str(part),
        }
        is_token = !is_token;
    }
}
