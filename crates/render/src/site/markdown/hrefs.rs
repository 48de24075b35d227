//! Where a link of a chapter leads: another chapter (its fragment checked once every page's
//! ids are known), a local file copied into `media/`, an external address, or nowhere.

use super::images::Images;
use super::{LinkRef, MediaFile};
use crate::site::sanitize::{url_kind, UrlKind};
use crate::site::Ctx;
use runbook_core::links::{self as media, Local};
use runbook_core::source::Chapter;

/// Where a link from the chapter leads.
pub(super) enum Href {
    External(String),
    Internal(LinkRef),
    File(String),
    Broken,
    Unsafe,
}

pub(super) fn resolve_href(ctx: &Ctx, chapter: &Chapter, images: &mut Images, dest: &str) -> Href {
    let dest = dest.trim();
    match url_kind(dest) {
        UrlKind::Unsafe => return Href::Unsafe,
        UrlKind::External => return Href::External(dest.to_string()),
        UrlKind::Relative => {}
    }
    let (path, frag) = media::url_path(dest);
    let frag = frag.filter(|f| !f.is_empty());
    if path.is_empty() {
        return Href::Internal(LinkRef { page: None, frag });
    }
    // chapters: `x.md`, `dir/`, `x.html` (a built page)
    let base = chapter.rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let joined = normalize(base, &path);
    if let Some(j) = &joined {
        let mut cands = vec![j.clone()];
        let lower = j.to_ascii_lowercase();
        if !(lower.ends_with(".md") || lower.ends_with(".markdown")) {
            let t = j.trim_end_matches('/');
            for c in [
                format!("{t}/README.md"),
                format!("{t}/index.md"),
                format!("{t}.md"),
            ] {
                cands.push(c.trim_start_matches('/').to_string());
            }
        }
        let found = cands
            .iter()
            .find_map(|c| ctx.chapter_by_rel.get(c.as_str()))
            .or_else(|| ctx.chapter_by_page.get(path.trim_start_matches("./")));
        if let Some(&i) = found {
            let page = &ctx.guide.chapters[i].page;
            let page = (*page != chapter.page).then(|| page.clone());
            return Href::Internal(LinkRef { page, frag });
        }
    }
    match media::resolve(
        &ctx.guide.root,
        ctx.root_canon.as_deref(),
        &chapter.rel,
        &path,
    ) {
        Local::Found { rel, abs } => {
            let lower = rel.to_ascii_lowercase();
            if lower.ends_with(".md") || lower.ends_with(".markdown") {
                // a Markdown file that is not a chapter: not published
                return Href::Broken;
            }
            let out = format!("media/{rel}");
            images.media.push(MediaFile {
                out: out.clone(),
                source: abs,
            });
            Href::File(out)
        }
        _ => Href::Broken,
    }
}

/// `base/path` normalised; `None` if it leaves the root.
fn normalize(base: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        base.split('/').filter(|s| !s.is_empty()).collect()
    };
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            c => parts.push(c),
        }
    }
    let mut s = parts.join("/");
    if path.ends_with('/') {
        s.push('/');
    }
    Some(s)
}
