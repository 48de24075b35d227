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
