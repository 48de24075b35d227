//! The events of one chapter, rewritten on their way to HTML: heading ids and anchors, links
//! resolved, images and raw HTML made safe, footnotes, the sections the search index keeps,
//! and each step's box placed after the last block it comes from.

use super::hrefs::{resolve_href, Href};
use super::images::Images;
use super::{ChapterOut, LinkRef, Section, TocEntry, TOKEN};
use crate::site::highlight::{self, Lang, Reading};
use crate::site::sanitize;
use crate::site::{steps, Ctx};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd};
use runbook_core::html::escape;
use runbook_core::links::encode_path;
use runbook_core::markdown::LineIndex;
use runbook_core::model::{Action, Step};
use runbook_core::slug::{github_slug, Slugger};
use runbook_core::source::Chapter;
use std::iter::Peekable;
use std::ops::Range;

/// What a block is, for placing steps: a step goes between blocks, never inside a list,
/// table or leaf block (only inside containers such as list items and quotes).
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

/// The last line a step covers.
fn step_end(s: &Step) -> usize {
    s.end_line.max(s.source.line)
}

/// A heading being written: where its start event is, and its text so far.
struct OpenHeading {
    at: usize,
    text: String,
}

/// An image being read: its address, title and alt text so far.
struct OpenImage {
    dest: String,
    title: String,
    alt: String,
}

/// A code block being read: its info string (none for an indented block), its first line and
/// its text so far.
struct OpenCode {
    info: Option<String>,
    line: usize,
    text: String,
}

/// One chapter's events on their way to HTML.
pub(super) struct ChapterWriter<'r, 't> {
    ctx: &'r Ctx<'r>,
    chapter: &'r Chapter,
    idx: LineIndex,
    total_lines: usize,
    capacity: usize,
    /// The chapter's steps not placed yet, by their last line.
    pending: Peekable<std::vec::IntoIter<&'r Step>>,
    events: Vec<Event<'t>>,
    res: ChapterOut,
    images: Images<'r>,
    slugger: Slugger,
    /// The section being read (for the search index).
    section: Section,
    first_h1: Option<String>,
    first_heading: Option<String>,
    /// The blocks open at this point.
    stack: Vec<Blk>,
    heading: Option<OpenHeading>,
    image: Option<OpenImage>,
    html_block: Option<String>,
    code: Option<OpenCode>,
    /// The chapter's steps, in plan order (what they made of a code block decides its
    /// highlighting).
    steps: Vec<&'r Step>,
    /// The closing text of each open link.
    link_close: Vec<&'static str>,
    footnotes: Vec<String>,
}

impl<'r, 't> ChapterWriter<'r, 't> {
    pub fn new(ctx: &'r Ctx<'r>, chapter: &'r Chapter, steps: &[&'r Step], text: &str) -> Self {
        let idx = LineIndex::new(text);
        let total_lines = idx.count(text.len()).max(1);
        let mut pending: Vec<&Step> = steps.to_vec();
        pending.sort_by_key(|s| step_end(s)); // stable: guide order among equals
        let mut slugger = Slugger::default();
        for id in crate::site::RESERVED_IDS {
            slugger.reserve(id);
        }
        for s in steps {
            slugger.reserve(&format!("step-{}", s.id));
            slugger.reserve(&format!("run-{}", s.id));
        }
        ChapterWriter {
            ctx,
            chapter,
            idx,
            total_lines,
            capacity: text.len() * 3 / 2 + 1024,
            pending: pending.into_iter().peekable(),
            events: Vec::with_capacity(256),
            res: ChapterOut::default(),
            images: Images {
                ctx,
                chapter,
                media: Vec::new(),
            },
            slugger,
            section: Section::default(),
            first_h1: None,
            first_heading: None,
            stack: Vec::new(),
            heading: None,
            image: None,
            html_block: None,
            code: None,
            steps: steps.to_vec(),
            link_close: Vec::new(),
            footnotes: Vec::new(),
        }
    }

    /// Take one event of the chapter, at `range` of its text.
    pub fn event(&mut self, ev: Event<'t>, range: Range<usize>) {
        if self.collected_by_image(&ev)
            || self.collected_by_html_block(&ev)
            || self.collected_by_code(&ev)
        {
            return;
        }
        match ev {
            Event::Start(tag) => self.start(tag, range),
            Event::End(end) => self.end(end, range),
            Event::Text(t) => {
                self.heading_text(&t);
                self.section.text.push_str(&t);
                self.events.push(Event::Text(t));
            }
            Event::Code(t) => {
                self.heading_text(&t);
                self.section.text.push_str(&t);
                self.events.push(Event::Code(t));
            }
            Event::InlineHtml(h) | Event::Html(h) => {
                let clean = sanitize::sanitize(&h, false, &mut self.images);
                if !clean.is_empty() {
                    push_plain(&mut self.section.text, &clean);
                    self.events.push(Event::Html(CowStr::from(clean)));
                }
            }
            Event::FootnoteReference(name) => self.footnote_reference(&name),
            Event::SoftBreak | Event::HardBreak => {
                self.section.text.push(' ');
                self.events.push(ev);
            }
            Event::Rule => {
                if self.can_insert() {
                    let start = self.idx.line(range.start);
                    self.flush(|e| e < start);
                }
                self.events.push(Event::Rule);
            }
            other => self.events.push(other),
        }
    }

    /// Inside an image only its alt text is read; the image's end passes.
    fn collected_by_image(&mut self, ev: &Event) -> bool {
        let Some(img) = self.image.as_mut() else {
            return false;
        };
        match ev {
            Event::Text(t) | Event::Code(t) => {
                img.alt.push_str(t);
                true
            }
            Event::End(TagEnd::Image) => false,
            _ => true,
        }
    }

    /// An HTML block is read whole, then sanitized at its end, which passes.
    fn collected_by_html_block(&mut self, ev: &Event) -> bool {
        let Some(h) = self.html_block.as_mut() else {
            return false;
        };
        match ev {
            Event::Html(t) | Event::Text(t) => {
                h.push_str(t);
                true
            }
            Event::End(TagEnd::HtmlBlock) => false,
            _ => true,
        }
    }

    /// A code block's text is read whole, then highlighted at its end, which passes.
    fn collected_by_code(&mut self, ev: &Event) -> bool {
        let Some(code) = self.code.as_mut() else {
            return false;
        };
        match ev {
            Event::Text(t) => {
                code.text.push_str(t);
                self.section.text.push_str(t);
                true
            }
            Event::End(TagEnd::CodeBlock) => false,
            _ => true,
        }
    }

    fn heading_text(&mut self, t: &str) {
        if let Some(h) = self.heading.as_mut() {
            h.text.push_str(t);
        }
    }

    /// Steps go only between blocks at the top level or inside containers.
    fn can_insert(&self) -> bool {
        matches!(self.stack.last(), None | Some(Blk::Container))
    }

    /// Place the pending steps whose last line satisfies `placed`.
    fn flush(&mut self, placed: impl Fn(usize) -> bool) {
        while let Some(s) = self.pending.next_if(|s| placed(step_end(s))) {
            let html = steps::step_box(self.ctx, s);
            self.events.push(Event::Html(CowStr::from(html)));
            self.res.placed.push(s.id.clone());
        }
    }

    fn start(&mut self, tag: Tag<'t>, range: Range<usize>) {
        let kind = blk(&tag);
        let block_start = kind != Blk::Inline && kind != Blk::Table || matches!(tag, Tag::Table(_));
        if block_start && self.can_insert() {
            let start = self.idx.line(range.start);
            self.flush(|e| e < start);
        }
        self.stack.push(kind);
        match tag {
            Tag::Heading { .. } => {
                self.heading = Some(OpenHeading {
                    at: self.events.len(),
                    text: String::new(),
                });
                self.events.push(Event::Start(Tag::Paragraph)); // replaced at the end
            }
            Tag::Image {
                dest_url, title, ..
            } => {
                self.image = Some(OpenImage {
                    dest: dest_url.to_string(),
                    title: title.to_string(),
                    alt: String::new(),
                });
            }
            Tag::HtmlBlock => self.html_block = Some(String::new()),
            Tag::CodeBlock(kind) => {
                self.code = Some(OpenCode {
                    info: match &kind {
                        CodeBlockKind::Fenced(info) => Some(info.to_string()),
                        CodeBlockKind::Indented => None,
                    },
                    line: self.idx.line(range.start),
                    text: String::new(),
                });
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => self.start_link(link_type, &dest_url, &title),
            Tag::FootnoteDefinition(name) => {
                let id = format!("fn:{}", github_slug(&name));
                self.res.ids.insert(id.clone());
                self.events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"footnote\" id=\"{}\"><span class=\"fn-label\">{}</span> ",
                    escape(&id),
                    escape(&name)
                ))));
            }
            other => self.events.push(Event::Start(other)),
        }
    }

    fn start_link(&mut self, link_type: LinkType, dest_url: &str, title: &str) {
        let dest = if link_type == LinkType::Email && !dest_url.starts_with("mailto:") {
            format!("mailto:{dest_url}")
        } else {
            dest_url.to_string()
        };
        let title_attr = if title.is_empty() {
            String::new()
        } else {
            format!(" title=\"{}\"", escape(title))
        };
        let (open, close) = match resolve_href(self.ctx, self.chapter, &mut self.images, &dest) {
            Href::External(u) => (format!("<a href=\"{}\"{title_attr}>", escape(&u)), "</a>"),
            Href::Internal(l) => {
                let n = self.res.links.len();
                self.res.links.push(l);
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
        self.link_close.push(close);
        if !open.is_empty() {
            self.events.push(Event::Html(CowStr::from(open)));
        }
    }

    fn end(&mut self, end: TagEnd, range: Range<usize>) {
        let kind = self.stack.pop().unwrap_or(Blk::Inline);
        let last_line = self.idx.line(range.end.saturating_sub(1).max(range.start));
        if kind == Blk::Container {
            self.flush(|e| e <= last_line);
        }
        let block_end = matches!(kind, Blk::Leaf | Blk::List) || matches!(end, TagEnd::Table);
        match end {
            TagEnd::Heading(level) => self.end_heading(level),
            TagEnd::Image => self.end_image(),
            TagEnd::HtmlBlock => {
                if let Some(h) = self.html_block.take() {
                    let clean = sanitize::sanitize(&h, true, &mut self.images);
                    push_plain(&mut self.section.text, &clean);
                    self.events.push(Event::Html(CowStr::from(clean)));
                }
            }
            TagEnd::Link => {
                let close = self.link_close.pop().unwrap_or("");
                if !close.is_empty() {
                    self.events.push(Event::Html(CowStr::from(close)));
                }
            }
            TagEnd::FootnoteDefinition => {
                self.events.push(Event::Html(CowStr::from("</div>")));
            }
            TagEnd::CodeBlock => self.end_code(last_line),
            other => self.events.push(Event::End(other)),
        }
        if block_end && self.can_insert() {
            self.flush(|e| e <= last_line);
        }
        if kind != Blk::Inline {
            self.section.text.push('\n');
        }
    }

    /// A heading's end: its id, its anchor link, the sidebar entry, and a new section.
    fn end_heading(&mut self, level: HeadingLevel) {
        let Some(open) = self.heading.take() else {
            return;
        };
        let htext = open.text.trim().to_string();
        let id = self.slugger.slug(&htext);
        self.res.ids.insert(id.clone());
        let toc_level = match level {
            HeadingLevel::H2 => 2,
            HeadingLevel::H3 => 3,
            _ => 0,
        };
        if toc_level > 0 && !htext.is_empty() {
            self.res.toc.push(TocEntry {
                level: toc_level,
                id: id.clone(),
                text: htext.clone(),
            });
        }
        self.events[open.at] = Event::Start(Tag::Heading {
            level,
            id: Some(CowStr::from(id.clone())),
            classes: Vec::new(),
            attrs: Vec::new(),
        });
        self.events.push(Event::Html(CowStr::from(format!(
            "<a class=\"hlink\" href=\"#{}\" aria-label=\"이 제목의 링크\">#</a>",
            escape(&id)
        ))));
        self.events.push(Event::End(TagEnd::Heading(level)));
        if level == HeadingLevel::H1 && self.first_h1.is_none() {
            self.first_h1 = Some(htext.clone());
        }
        if self.first_heading.is_none() {
            self.first_heading = Some(htext.clone());
        }
        let section = Section {
            id: Some(id),
            title: htext,
            text: String::new(),
        };
        let old = std::mem::replace(&mut self.section, section);
        if old.id.is_some() || !old.text.trim().is_empty() {
            self.res.sections.push(old.squeezed());
        }
    }

    /// A code block's end: its text, highlighted as its info string says, else as the step made
    /// of it says (the file it writes, a command, SQL), else as its prompts say.
    fn end_code(&mut self, last_line: usize) {
        let Some(code) = self.code.take() else {
            return;
        };
        let nodes = &self.ctx.plan.nodes;
        let step = self
            .steps
            .iter()
            .find(|s| (code.line..=last_line).contains(&s.source.line));
        let by_step = step.and_then(|s| match &s.action {
            Action::File { path, .. } | Action::Ini { path, .. } | Action::Lines { path, .. } => {
                Some((Lang::of_path(path), Reading::Source))
            }
            Action::Sql => Some((Lang::Sql, Reading::Session)),
            Action::Command | Action::Verify => Some((Lang::Shell, Reading::Session)),
            Action::Manual => None,
        });
        let by_info = code.info.as_deref().and_then(Lang::of_info);
        let (lang, reading) = match (by_info, by_step) {
            // a file's content under a generic `bash`: the file's language
            (Some(Lang::Shell), Some((l, Reading::Source))) => (l, Reading::Source),
            (Some(l), Some((_, reading))) => (l, reading),
            (Some(l), None) => (l, Reading::Session),
            (None, Some(found)) => found,
            (None, None) => (highlight::sniff(&code.text, nodes), Reading::Session),
        };
        // as pulldown-cmark writes a code block (its class from the info string's first word),
        // with the language highlighted
        let mut html = String::with_capacity(code.text.len() * 2 + 64);
        html.push_str("<pre><code");
        let info = code.info.as_deref().unwrap_or("");
        let word = info.split(' ').next().unwrap_or("");
        if !word.is_empty() {
            html.push_str(" class=\"language-");
            runbook_core::html::escape_into(&mut html, word);
            html.push('"');
        }
        if lang != Lang::Plain {
            html.push_str(" data-lang=\"");
            html.push_str(lang.name());
            html.push('"');
        }
        html.push('>');
        highlight::highlight(&mut html, &code.text, lang, reading, nodes);
        html.push_str("</code></pre>\n");
        self.events.push(Event::Html(CowStr::from(html)));
    }

    fn end_image(&mut self) {
        if let Some(img) = self.image.take() {
            let title = (!img.title.is_empty()).then_some(img.title.as_str());
            let h = self
                .images
                .html(&img.dest, &img.alt, None, None, title, false);
            self.events.push(Event::Html(CowStr::from(h)));
            self.section.text.push_str(&img.alt);
            self.section.text.push(' ');
        }
    }

    fn footnote_reference(&mut self, name: &str) {
        let n = match self.footnotes.iter().position(|f| f == name) {
            Some(i) => i + 1,
            None => {
                self.footnotes.push(name.to_string());
                self.footnotes.len()
            }
        };
        let l = self.res.links.len();
        self.res.links.push(LinkRef {
            page: None,
            frag: Some(format!("fn:{}", github_slug(name))),
        });
        self.events.push(Event::Html(CowStr::from(format!(
            "<sup class=\"fnref\"><a href=\"{TOKEN}{l}{TOKEN}\">{n}</a></sup>"
        ))));
    }

    /// The steps not placed yet go at the end of the page (in a section of their own when the
    /// guide's lines they name are past its end).
    fn place_the_rest(&mut self) {
        if self.pending.peek().is_none() {
            return;
        }
        let total_lines = self.total_lines;
        let beyond = self.pending.clone().any(|s| s.source.line > total_lines);
        if beyond {
            let id = self.slugger.slug("위치를 찾지 못한 단계");
            self.res.ids.insert(id.clone());
            self.events.push(Event::Html(CowStr::from(format!(
                "<section class=\"unplaced\"><h2 id=\"{}\">위치를 찾지 못한 단계</h2><p>가이드에서 줄 위치를 찾지 못한 이 장의 단계입니다.</p>",
                escape(&id)
            ))));
        }
        self.flush(|_| true);
        if beyond {
            self.events.push(Event::Html(CowStr::from("</section>")));
        }
    }

    /// The rendered chapter; `front_title` is its front matter's title, if any.
    pub fn finish(mut self, front_title: Option<String>) -> ChapterOut {
        self.place_the_rest();
        let mut res = self.res;
        let section = self.section;
        if section.id.is_some() || !section.text.trim().is_empty() {
            res.sections.push(section.squeezed());
        }
        let mut html = String::with_capacity(self.capacity);
        pulldown_cmark::html::push_html(&mut html, self.events.into_iter());
        res.html = html;
        for id in &res.placed {
            res.ids.insert(format!("step-{id}"));
        }
        res.has_h1 = self.first_h1.is_some();
        let chapter = self.chapter;
        res.title = self
            .first_h1
            .or(front_title)
            .or(self.first_heading)
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| {
                let stem = chapter.rel.rsplit('/').next().unwrap_or(&chapter.rel);
                stem.trim_end_matches(".md")
                    .trim_end_matches(".markdown")
                    .to_string()
            });
        res.media = self.images.media;
        res
    }
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
