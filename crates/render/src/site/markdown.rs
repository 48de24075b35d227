//! One chapter's Markdown → HTML: GitHub-style heading ids, links to other chapters rewritten,
//! images copied or replaced by placeholders, raw HTML sanitized, and every step of the chapter
//! inserted right after the block(s) it comes from.

use super::sanitize::{self, url_kind, ImgSink, UrlKind};
use super::{steps, Ctx};
use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag, TagEnd};
use runbook_core::html::escape;
use runbook_core::links::{self as media, encode_path, Local};
use runbook_core::markdown::LineIndex;
use runbook_core::model::Step;
use runbook_core::source::Chapter;
use std::collections::HashSet;

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
        self.text = super::search::squeeze(&self.text);
        self
    }
}

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
    /// (path under `site/`, file on disk) of the local files the chapter uses.
    pub media: Vec<(String, std::path::PathBuf)>,
    /// The steps placed on the page, in page order.
    pub placed: Vec<String>,
    /// (level, id, text) of the chapter's level-2 and level-3 headings.
    pub toc: Vec<(u8, String, String)>,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Blk {
    Leaf,
    Container,
    List,
    Table,
    Inline,
}

fn blk(tag: &Tag) -> Blk {
    match tag {
        Tag::Paragraph | Tag::Heading { .. } | Tag::CodeBlock(_) | Tag::HtmlBlock => Blk::Leaf,
        Tag::MetadataBlock(_) => Blk::Leaf,
        Tag::BlockQuote(_) | Tag::Item | Tag::FootnoteDefinition(_) => Blk::Container,
        Tag::DefinitionListTitle | Tag::DefinitionListDefinition => Blk::Container,
        Tag::List(_) | Tag::DefinitionList => Blk::List,
        Tag::Table(_) | Tag::TableHead | Tag::TableRow | Tag::TableCell => Blk::Table,
        _ => Blk::Inline,
    }
}

struct Images<'c, 'a> {
    ctx: &'c Ctx<'a>,
    chapter: &'a Chapter,
    media: Vec<(String, std::path::PathBuf)>,
}

impl Images<'_, '_> {
    /// HTML for an image (from Markdown or from an `<img>` tag).
    fn html(
        &mut self,
        src: &str,
        alt: &str,
        width: Option<&str>,
        height: Option<&str>,
        title: Option<&str>,
        block: bool,
    ) -> String {
        let label = if alt.trim().is_empty() {
            "그림"
        } else {
            alt.trim()
        };
        let missing = |why: &str| {
            let t = format!(
                "<span class=\"img-missing-label\">그림 없음: {}</span> <small>({})</small>",
                escape(label),
                escape(why)
            );
            if block {
                format!(
                    "<figure class=\"img-missing\" role=\"img\" aria-label=\"{}\">{t}</figure>",
                    escape(label)
                )
            } else {
                format!(
                    "<span class=\"img-missing\" role=\"img\" aria-label=\"{}\">{t}</span>",
                    escape(label)
                )
            }
        };
        match url_kind(src) {
            UrlKind::Unsafe => missing("허용되지 않는 주소"),
            UrlKind::External => format!(
                "<a class=\"remote-img\" href=\"{}\" rel=\"noopener\">{} <small>(외부 그림)</small></a>",
                escape(src.trim()),
                escape(label)
            ),
            UrlKind::Relative => {
                let (path, _) = media::url_path(src.trim());
                match media::resolve(&self.ctx.guide.root, self.ctx.root_canon.as_deref(), &self.chapter.rel, &path) {
                    Local::Found { rel, abs } => {
                        let out = format!("media/{rel}");
                        let mut s = format!("<img src=\"{}\" alt=\"{}\" loading=\"lazy\"", encode_path(&out), escape(alt));
                        for (n, v) in [("width", width), ("height", height)] {
                            if let Some(v) = v.map(str::trim).filter(|v| !v.is_empty() && v.len() < 8 && v.chars().all(|c| c.is_ascii_digit())) {
                                s.push_str(&format!(" {n}=\"{v}\""));
                            }
                        }
                        if let Some(t) = title.filter(|t| !t.is_empty()) {
                            s.push_str(&format!(" title=\"{}\"", escape(t)));
                        }
                        s.push('>');
                        self.media.push((out, abs));
                        s
                    }
                    Local::Missing(_) => missing("파일을 찾을 수 없음"),
                    Local::Outside(_) => missing("가이드 폴더 밖의 파일"),
                }
            }
        }
    }
}

impl ImgSink for Images<'_, '_> {
    fn img(
        &mut self,
        src: &str,
        alt: &str,
        width: Option<&str>,
        height: Option<&str>,
        title: Option<&str>,
        block: bool,
    ) -> String {
        self.html(src, alt, width, height, title, block)
    }
}

/// Where a link from the chapter leads.
enum Href {
    External(String),
    Internal(LinkRef),
    File(String),
    Broken,
    Unsafe,
}

fn resolve_href(ctx: &Ctx, chapter: &Chapter, images: &mut Images, dest: &str) -> Href {
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
        for c in &cands {
            if let Some(&i) = ctx.chapter_by_rel.get(c.as_str()) {
                let page = &ctx.guide.chapters[i].page;
                let page = if *page == chapter.page {
                    None
                } else {
                    Some(page.clone())
                };
                return Href::Internal(LinkRef { page, frag });
            }
        }
        if let Some(&i) = ctx.chapter_by_page.get(path.trim_start_matches("./")) {
            let page = &ctx.guide.chapters[i].page;
            let page = if *page == chapter.page {
                None
            } else {
                Some(page.clone())
            };
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
            images.media.push((out.clone(), abs));
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

/// The last line a step covers.
fn step_end(s: &Step) -> usize {
    s.end_line.max(s.source.line)
}

/// Render one chapter. `steps` are the plan's steps whose `source.file` is this chapter.
pub fn render(ctx: &Ctx, chapter: &Chapter, steps_in: &[&Step]) -> ChapterOut {
    let text = runbook_core::markdown::preprocess(&chapter.text);
    let (text, front_title) = front_matter(&text);
    let idx = LineIndex::new(&text);
    let total_lines = idx.count(text.len()).max(1);
    let mut pending: Vec<&Step> = steps_in.to_vec();
    pending.sort_by_key(|s| step_end(s)); // stable: guide order among equals
    let mut pending = pending.into_iter().peekable();

    let mut out_ev: Vec<Event> = Vec::with_capacity(256);
    let mut res = ChapterOut::default();
    let mut images = Images {
        ctx,
        chapter,
        media: Vec::new(),
    };
    let mut slugger = runbook_core::slug::Slugger::default();
    for id in super::RESERVED_IDS {
        slugger.reserve(id);
    }
    for s in steps_in {
        slugger.reserve(&format!("step-{}", s.id));
        slugger.reserve(&format!("run-{}", s.id));
    }
    let mut section = Section::default();
    let mut first_h1: Option<String> = None;
    let mut first_heading: Option<String> = None;

    let mut stack: Vec<Blk> = Vec::new();
    // heading being collected: (index of its Start in out_ev, level, text)
    let mut heading: Option<(usize, pulldown_cmark::HeadingLevel, String)> = None;
    // image being collected: (dest, title, alt)
    let mut image: Option<(String, String, String)> = None;
    let mut html_block: Option<String> = None;
    // closing text for each open link
    let mut link_close: Vec<&'static str> = Vec::new();
    let mut footnotes: Vec<String> = Vec::new();

    macro_rules! flush {
        ($cond:expr) => {
            while let Some(s) = pending.next_if(|s| $cond(step_end(s))) {
                out_ev.push(Event::Html(CowStr::from(steps::step_box(ctx, s))));
                res.placed.push(s.id.clone());
            }
        };
    }
    let can_insert = |stack: &[Blk]| matches!(stack.last(), None | Some(Blk::Container));

    for (ev, range) in Parser::new_ext(&text, runbook_core::markdown::options()).into_offset_iter()
    {
        // inside an image: collect alt text only
        if let Some((_, _, alt)) = image.as_mut() {
            match &ev {
                Event::Text(t) | Event::Code(t) => {
                    alt.push_str(t);
                    continue;
                }
                Event::End(TagEnd::Image) => {}
                _ => continue,
            }
        }
        if let Some(h) = html_block.as_mut() {
            match &ev {
                Event::Html(t) | Event::Text(t) => {
                    h.push_str(t);
                    continue;
                }
                Event::End(TagEnd::HtmlBlock) => {}
                _ => continue,
            }
        }
        match ev {
            Event::Start(tag) => {
                let kind = blk(&tag);
                let block_start =
                    kind != Blk::Inline && kind != Blk::Table || matches!(tag, Tag::Table(_));
                if block_start && can_insert(&stack) {
                    let start = idx.line(range.start);
                    flush!(|e: usize| e < start);
                }
                stack.push(kind);
                match tag {
                    Tag::Heading { level, .. } => {
                        heading = Some((out_ev.len(), level, String::new()));
                        out_ev.push(Event::Start(Tag::Paragraph)); // replaced at the end
                    }
                    Tag::Image {
                        dest_url, title, ..
                    } => {
                        image = Some((dest_url.to_string(), title.to_string(), String::new()));
                    }
                    Tag::HtmlBlock => {
                        html_block = Some(String::new());
                    }
                    Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        ..
                    } => {
                        let dest =
                            if link_type == LinkType::Email && !dest_url.starts_with("mailto:") {
                                format!("mailto:{dest_url}")
                            } else {
                                dest_url.to_string()
                            };
                        let title_attr = if title.is_empty() {
                            String::new()
                        } else {
                            format!(" title=\"{}\"", escape(&title))
                        };
                        let (open, close) = match resolve_href(ctx, chapter, &mut images, &dest) {
                            Href::External(u) => {
                                (format!("<a href=\"{}\"{title_attr}>", escape(&u)), "</a>")
                            }
                            Href::Internal(l) => {
                                let n = res.links.len();
                                res.links.push(l);
                                (
                                    format!("<a href=\"{TOKEN}{n}{TOKEN}\"{title_attr}>"),
                                    "</a>",
                                )
                            }
                            Href::File(p) => (
                                format!("<a href=\"{}\"{title_attr}>", encode_path(&p)),
                                "</a>",
                            ),
                            Href::Broken => (
                                format!(
                                    "<span class=\"broken-link\" title=\"{}\">",
                                    escape(&format!("찾을 수 없는 링크: {dest}"))
                                ),
                                "</span>",
                            ),
                            Href::Unsafe => (String::new(), ""),
                        };
                        link_close.push(close);
                        if !open.is_empty() {
                            out_ev.push(Event::Html(CowStr::from(open)));
                        }
                    }
                    Tag::FootnoteDefinition(name) => {
                        let id = format!("fn:{}", runbook_core::slug::github_slug(&name));
                        res.ids.insert(id.clone());
                        out_ev.push(Event::Html(CowStr::from(format!(
                            "<div class=\"footnote\" id=\"{}\"><span class=\"fn-label\">{}</span> ",
                            escape(&id),
                            escape(&name)
                        ))));
                    }
                    Tag::CodeBlock(k) => {
                        out_ev.push(Event::Start(Tag::CodeBlock(k)));
                    }
                    other => out_ev.push(Event::Start(other)),
                }
            }
            Event::End(end) => {
                let kind = stack.pop().unwrap_or(Blk::Inline);
                let last_line = idx.line(range.end.saturating_sub(1).max(range.start));
                if kind == Blk::Container {
                    stack.push(kind);
                    flush!(|e: usize| e <= last_line);
                    stack.pop();
                }
                match end {
                    TagEnd::Heading(level) => {
                        if let Some((at, _, htext)) = heading.take() {
                            let htext = htext.trim().to_string();
                            let id = slugger.slug(&htext);
                            res.ids.insert(id.clone());
                            let lv = match level {
                                pulldown_cmark::HeadingLevel::H2 => 2,
                                pulldown_cmark::HeadingLevel::H3 => 3,
                                _ => 0,
                            };
                            if lv > 0 && !htext.is_empty() {
                                res.toc.push((lv, id.clone(), htext.clone()));
                            }
                            out_ev[at] = Event::Start(Tag::Heading {
                                level,
                                id: Some(CowStr::from(id.clone())),
                                classes: Vec::new(),
                                attrs: Vec::new(),
                            });
                            out_ev.push(Event::Html(CowStr::from(format!(
                                "<a class=\"hlink\" href=\"#{}\" aria-label=\"이 제목의 링크\">#</a>",
                                escape(&id)
                            ))));
                            out_ev.push(Event::End(TagEnd::Heading(level)));
                            if level == pulldown_cmark::HeadingLevel::H1 && first_h1.is_none() {
                                first_h1 = Some(htext.clone());
                            }
                            if first_heading.is_none() {
                                first_heading = Some(htext.clone());
                            }
                            let old = std::mem::replace(
                                &mut section,
                                Section {
                                    id: Some(id),
                                    title: htext,
                                    text: String::new(),
                                },
                            );
                            if old.id.is_some() || !old.text.trim().is_empty() {
                                res.sections.push(old.squeezed());
                            }
                        }
                    }
                    TagEnd::Image => {
                        if let Some((dest, title, alt)) = image.take() {
                            let t = (!title.is_empty()).then_some(title.as_str());
                            let h = images.html(&dest, &alt, None, None, t, false);
                            out_ev.push(Event::Html(CowStr::from(h)));
                            section.text.push_str(&alt);
                            section.text.push(' ');
                        }
                    }
                    TagEnd::HtmlBlock => {
                        if let Some(h) = html_block.take() {
                            let clean = sanitize::sanitize(&h, true, &mut images);
                            push_plain(&mut section.text, &clean);
                            out_ev.push(Event::Html(CowStr::from(clean)));
                        }
                    }
                    TagEnd::Link => {
                        let close = link_close.pop().unwrap_or("");
                        if !close.is_empty() {
                            out_ev.push(Event::Html(CowStr::from(close)));
                        }
                    }
                    TagEnd::FootnoteDefinition => {
                        out_ev.push(Event::Html(CowStr::from("</div>")));
                    }
                    other => out_ev.push(Event::End(other)),
                }
                let block_end =
                    matches!(kind, Blk::Leaf | Blk::List) || matches!(end, TagEnd::Table);
                if block_end && can_insert(&stack) {
                    flush!(|e: usize| e <= last_line);
                }
                if kind != Blk::Inline {
                    section.text.push('\n');
                }
            }
            Event::Text(t) => {
                if let Some((_, _, h)) = heading.as_mut() {
                    h.push_str(&t);
                }
                section.text.push_str(&t);
                out_ev.push(Event::Text(t));
            }
            Event::Code(t) => {
                if let Some((_, _, h)) = heading.as_mut() {
                    h.push_str(&t);
                }
                section.text.push_str(&t);
                out_ev.push(Event::Code(t));
            }
            Event::InlineHtml(h) | Event::Html(h) => {
                let clean = sanitize::sanitize(&h, false, &mut images);
                if !clean.is_empty() {
                    push_plain(&mut section.text, &clean);
                    out_ev.push(Event::Html(CowStr::from(clean)));
                }
            }
            Event::FootnoteReference(name) => {
                let n = match footnotes.iter().position(|f| *f == *name) {
                    Some(i) => i + 1,
                    None => {
                        footnotes.push(name.to_string());
                        footnotes.len()
                    }
                };
                let l = res.links.len();
                res.links.push(LinkRef {
                    page: None,
                    frag: Some(format!("fn:{}", runbook_core::slug::github_slug(&name))),
                });
                out_ev.push(Event::Html(CowStr::from(format!(
                    "<sup class=\"fnref\"><a href=\"{TOKEN}{l}{TOKEN}\">{n}</a></sup>"
                ))));
            }
            Event::SoftBreak | Event::HardBreak => {
                section.text.push(' ');
                out_ev.push(ev);
            }
            Event::Rule => {
                if can_insert(&stack) {
                    let start = idx.line(range.start);
                    flush!(|e: usize| e < start);
                }
                out_ev.push(Event::Rule);
            }
            other => out_ev.push(other),
        }
    }
    // steps not placed yet: at the end of the page
    let mut tail: Vec<&Step> = pending.collect();
    if !tail.is_empty() {
        let beyond = tail.iter().any(|s| s.source.line > total_lines);
        if beyond {
            let id = slugger.slug("위치를 찾지 못한 단계");
            res.ids.insert(id.clone());
            out_ev.push(Event::Html(CowStr::from(format!(
                "<section class=\"unplaced\"><h2 id=\"{}\">위치를 찾지 못한 단계</h2><p>가이드에서 줄 위치를 찾지 못한 이 장의 단계입니다.</p>",
                escape(&id)
            ))));
        }
        for s in tail.drain(..) {
            out_ev.push(Event::Html(CowStr::from(steps::step_box(ctx, s))));
            res.placed.push(s.id.clone());
        }
        if beyond {
            out_ev.push(Event::Html(CowStr::from("</section>")));
        }
    }
    if section.id.is_some() || !section.text.trim().is_empty() {
        res.sections.push(section.squeezed());
    }
    let mut html = String::with_capacity(text.len() * 3 / 2 + 1024);
    pulldown_cmark::html::push_html(&mut html, out_ev.into_iter());
    res.html = html;
    for id in &res.placed {
        res.ids.insert(format!("step-{id}"));
    }
    res.has_h1 = first_h1.is_some();
    res.title = first_h1
        .or(front_title)
        .or(first_heading)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| {
            let stem = chapter.rel.rsplit('/').next().unwrap_or(&chapter.rel);
            stem.trim_end_matches(".md")
                .trim_end_matches(".markdown")
                .to_string()
        });
    res.media = images.media;
    res
}

/// Blank out (line for line) a YAML front matter block and kramdown's `{:toc}` markers, which
/// are not content; the front matter's `title:` is returned.
fn front_matter(text: &str) -> (std::borrow::Cow<'_, str>, Option<String>) {
    // most chapters have neither front matter nor kramdown attribute lines
    if !text.starts_with("---") && memchr::memmem::find(text.as_bytes(), b"{:").is_none() {
        return (std::borrow::Cow::Borrowed(text), None);
    }
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut title = None;
    let is_fence = |l: &str| l.trim_end() == "---";
    if lines.first().is_some_and(|l| is_fence(l)) {
        if let Some(end) = lines
            .iter()
            .enumerate()
            .skip(1)
            .take(200)
            .find(|(_, l)| is_fence(l) || l.trim_end() == "...")
            .map(|(i, _)| i)
        {
            for l in &lines[1..end] {
                if let Some(v) = l.trim().strip_prefix("title:") {
                    let v = v.trim().trim_matches(|c| c == '"' || c == '\'').trim();
                    if !v.is_empty() {
                        title = Some(v.to_string());
                    }
                }
            }
            for l in lines.iter_mut().take(end + 1) {
                *l = if l.ends_with('\n') { "\n" } else { "" };
            }
        }
    }
    for i in 0..lines.len() {
        let t = lines[i].trim();
        if t.starts_with("{:") && t.ends_with('}') {
            if t == "{:toc}" && i > 0 {
                let prev = lines[i - 1].trim();
                let item = prev.trim_start_matches(['*', '-', '+', '1', '.', ' ']);
                if item.eq_ignore_ascii_case("toc")
                    || item.eq_ignore_ascii_case("table of contents")
                {
                    lines[i - 1] = "\n";
                }
            }
            lines[i] = if lines[i].ends_with('\n') { "\n" } else { "" };
        }
    }
    (std::borrow::Cow::Owned(lines.concat()), title)
}

/// Text of sanitized HTML for the search index (tags dropped).
fn push_plain(out: &mut String, html: &str) {
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
}
