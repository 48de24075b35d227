//! Parse stage: Markdown → a flat list of blocks, each keeping its file:line.
//!
//! pulldown-cmark does the CommonMark work; this module flattens its events into the blocks that
//! extraction reads (headings, paragraphs and list-item text with their inline code, code blocks,
//! HTML comments, tables, images), each with the 1-based line where it starts and ends.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Parser, Tag, TagEnd};
use runbook_core::markdown::{options, preprocess, LineIndex};
use std::ops::Range;

#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    Heading {
        level: u8,
        text: String,
    },
    /// A paragraph or the text of a list item. `text` keeps inline code in backticks.
    Para {
        text: String,
        codes: Vec<String>,
        /// The whole paragraph is bold (`**Controller 노드에서 진행**`).
        strong: bool,
    },
    Code {
        info: String,
        content: String,
        fenced: bool,
    },
    /// Raw HTML block or inline comment (annotations live here).
    Html {
        text: String,
    },
    Table {
        rows: Vec<Vec<String>>,
    },
    Image {
        src: String,
        alt: String,
    },
    /// A thematic break or other separator; ends a caption search.
    Rule,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub kind: BlockKind,
    pub line: usize,
    pub end_line: usize,
    /// Nesting depth in lists (0 outside lists).
    pub list_depth: usize,
    /// Inside a blockquote.
    pub in_quote: bool,
    /// The first text of a list item.
    pub item_start: bool,
}

#[derive(Debug, Clone)]
pub struct Doc {
    pub file: String,
    pub blocks: Vec<Block>,
    /// Fenced blocks that run to the end of the file (line of the opening fence).
    pub unterminated_fences: Vec<usize>,
    /// Link destinations with their lines.
    pub links: Vec<(String, usize)>,
    /// Anchors written by hand in HTML (`<a name="a5">`, `id="x"`).
    pub html_anchors: Vec<String>,
}

/// The paragraph or list-item text being read.
struct Inline {
    text: String,
    codes: Vec<String>,
    start: usize,
    end: usize,
    strong_chars: usize,
    plain_chars: usize,
    item_start: bool,
}

impl Inline {
    /// Text that starts at `range`; the first text of a list item takes the item's mark.
    fn new(range: &Range<usize>, pending_item: &mut bool) -> Inline {
        Inline {
            text: String::new(),
            codes: Vec::new(),
            start: range.start,
            end: range.end,
            strong_chars: 0,
            plain_chars: 0,
            item_start: std::mem::take(pending_item),
        }
    }
}

/// A code block being read.
struct CodeState {
    info: String,
    fenced: bool,
    content: String,
}

/// A heading being read.
struct HeadingState {
    level: u8,
    start: usize,
    text: String,
}

/// A table being read: its start, its rows, the row and the cell being read.
struct TableState {
    start: usize,
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    cell: String,
}

/// An image being read: its source, its alt text, its start.
struct ImageState {
    src: String,
    alt: String,
    start: usize,
}

/// pulldown-cmark's events flattened into blocks, keeping what is open at each point.
struct Flattener<'t> {
    text: &'t str,
    idx: LineIndex,
    blocks: Vec<Block>,
    unterminated: Vec<usize>,
    list_depth: usize,
    quote_depth: usize,
    strong: usize,
    inline: Option<Inline>,
    pending_item: bool,
    code: Option<CodeState>,
    heading: Option<HeadingState>,
    table: Option<TableState>,
    image: Option<ImageState>,
    links: Vec<(String, usize)>,
    html_anchors: Vec<String>,
}

pub fn parse(file: &str, source: &str) -> Doc {
    let text = preprocess(source);
    let mut f = Flattener {
        text: &text,
        idx: LineIndex::new(&text),
        blocks: Vec::new(),
        unterminated: Vec::new(),
        list_depth: 0,
        quote_depth: 0,
        strong: 0,
        inline: None,
        pending_item: false,
        code: None,
        heading: None,
        table: None,
        image: None,
        links: Vec::new(),
        html_anchors: Vec::new(),
    };
    for (ev, range) in Parser::new_ext(&text, options()).into_offset_iter() {
        f.event(ev, range);
    }
    f.flush();
    Doc {
        file: file.to_string(),
        blocks: f.blocks,
        unterminated_fences: f.unterminated,
        links: f.links,
        html_anchors: f.html_anchors,
    }
}

impl Flattener<'_> {
    /// A block of `kind` at the current depths.
    fn push(&mut self, kind: BlockKind, line: usize, end_line: usize, item_start: bool) {
        self.blocks.push(Block {
            kind,
            line,
            end_line,
            list_depth: self.list_depth,
            in_quote: self.quote_depth > 0,
            item_start,
        });
    }

    /// End the paragraph being read.
    fn flush(&mut self) {
        let Some(il) = self.inline.take() else {
            return;
        };
        let t = il.text.trim().to_string();
        if t.is_empty() {
            return;
        }
        let kind = BlockKind::Para {
            text: t,
            codes: il.codes,
            strong: il.strong_chars > 0 && il.plain_chars == 0,
        };
        let (line, end) = (
            self.idx.line(il.start),
            self.idx.line(il.end.saturating_sub(1).max(il.start)),
        );
        self.push(kind, line, end, il.item_start);
    }

    fn event(&mut self, ev: Event, range: Range<usize>) {
        if let Event::Html(h) | Event::InlineHtml(h) = &ev {
            for (k, v) in runbook_core::html::attributes(h) {
                if k == "name" || k == "id" {
                    self.html_anchors.push(v);
                }
            }
        }
        if self.captured(&ev) {
            return;
        }
        match ev {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            ev => self.inline_event(ev, range),
        }
    }

    /// Text inside an image, a code block, a table or a heading belongs to it.
    fn captured(&mut self, ev: &Event) -> bool {
        if let Some(img) = self.image.as_mut() {
            return match ev {
                Event::Text(t) | Event::Code(t) => {
                    img.alt.push_str(t);
                    true
                }
                Event::End(TagEnd::Image) => false,
                _ => true,
            };
        }
        if let (Some(c), Event::Text(t)) = (self.code.as_mut(), ev) {
            c.content.push_str(t);
            return true;
        }
        if let Some(tb) = self.table.as_mut() {
            return match ev {
                Event::Text(t) | Event::Code(t) => {
                    tb.cell.push_str(t);
                    true
                }
                Event::End(TagEnd::TableCell) => {
                    let cell = std::mem::take(&mut tb.cell).trim().to_string();
                    tb.row.push(cell);
                    true
                }
                Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
                    let row = std::mem::take(&mut tb.row);
                    tb.rows.push(row);
                    true
                }
                Event::End(TagEnd::Table) => false,
                _ => true,
            };
        }
        if let Some(h) = self.heading.as_mut() {
            return match ev {
                Event::Text(t) | Event::Code(t) => {
                    h.text.push_str(t);
                    true
                }
                Event::End(TagEnd::Heading(_)) => false,
                _ => true,
            };
        }
        false
    }

    fn start(&mut self, tag: Tag, range: Range<usize>) {
        match tag {
            Tag::Paragraph => {
                self.flush();
                self.inline = Some(Inline::new(&range, &mut self.pending_item));
            }
            Tag::Item => {
                self.flush();
                self.pending_item = true;
            }
            Tag::List(_) => {
                self.flush();
                self.list_depth += 1;
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.quote_depth += 1;
            }
            Tag::Heading { level, .. } => {
                self.flush();
                let level = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    HeadingLevel::H5 => 5,
                    HeadingLevel::H6 => 6,
                };
                self.heading = Some(HeadingState {
                    level,
                    start: range.start,
                    text: String::new(),
                });
            }
            Tag::CodeBlock(kind) => self.code_start(kind, range),
            Tag::Table(_) => {
                self.flush();
                self.table = Some(TableState {
                    start: range.start,
                    rows: Vec::new(),
                    row: Vec::new(),
                    cell: String::new(),
                });
            }
            Tag::Link { dest_url, .. } => {
                self.links
                    .push((dest_url.to_string(), self.idx.line(range.start)));
            }
            Tag::Image { dest_url, .. } => {
                self.image = Some(ImageState {
                    src: dest_url.to_string(),
                    alt: String::new(),
                    start: range.start,
                });
            }
            Tag::Strong => self.strong += 1,
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, range: Range<usize>) {
        match tag {
            TagEnd::Paragraph => self.flush(),
            TagEnd::Item => {
                self.flush();
                self.pending_item = false;
            }
            TagEnd::List(_) => {
                self.flush();
                self.list_depth = self.list_depth.saturating_sub(1);
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote_depth = self.quote_depth.saturating_sub(1);
            }
            TagEnd::Heading(_) => {
                if let Some(h) = self.heading.take() {
                    let line = self.idx.line(h.start);
                    let kind = BlockKind::Heading {
                        level: h.level,
                        text: h.text.trim().to_string(),
                    };
                    self.push(kind, line, line, false);
                }
            }
            TagEnd::CodeBlock => {
                if let (Some(c), Some(b)) = (self.code.take(), self.blocks.last_mut()) {
                    b.kind = BlockKind::Code {
                        info: c.info.trim().to_string(),
                        content: c.content,
                        fenced: c.fenced,
                    };
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    let (line, end) = (
                        self.idx.line(t.start),
                        self.idx.line(range.end.saturating_sub(1)),
                    );
                    self.push(BlockKind::Table { rows: t.rows }, line, end, false);
                }
            }
            TagEnd::Image => {
                if let Some(img) = self.image.take() {
                    let line = self.idx.line(img.start);
                    let kind = BlockKind::Image {
                        src: img.src,
                        alt: img.alt,
                    };
                    self.push(kind, line, line, false);
                }
            }
            TagEnd::Strong => self.strong = self.strong.saturating_sub(1),
            _ => {}
        }
    }

    /// A code block starts: it holds its lines until it ends (a fence never closed runs to the
    /// end of the document and is reported).
    fn code_start(&mut self, kind: CodeBlockKind, range: Range<usize>) {
        self.flush();
        let (info, fenced) = match kind {
            CodeBlockKind::Fenced(i) => (i.to_string(), true),
            CodeBlockKind::Indented => (String::new(), false),
        };
        self.code = Some(CodeState {
            info,
            fenced,
            content: String::new(),
        });
        let idx = &self.idx;
        let end_line = idx.line(range.end.saturating_sub(1).max(range.start));
        if fenced && range.end >= self.text.len() {
            let rest = &self.text[range.start..];
            let last = rest.trim_end().lines().last().unwrap_or("");
            let t = last.trim();
            let ch = rest.trim_start().chars().next().unwrap_or('`');
            let closed =
                t.len() >= 3 && t.chars().all(|c| c == ch) && end_line > idx.line(range.start);
            if !closed {
                self.unterminated.push(idx.line(range.start));
            }
        }
        // a placeholder, given the block's kind when it ends
        let line = self.idx.line(range.start);
        let item_start = std::mem::take(&mut self.pending_item);
        self.push(BlockKind::Rule, line, end_line, item_start);
    }

    /// Text, inline code, breaks, HTML and rules.
    fn inline_event(&mut self, ev: Event, range: Range<usize>) {
        match ev {
            Event::Html(h) => {
                self.flush();
                let line = self.idx.line(range.start);
                push_html(
                    &mut self.blocks,
                    &h,
                    line,
                    self.list_depth,
                    self.quote_depth,
                );
            }
            Event::InlineHtml(h) => {
                let line = self.idx.line(range.start);
                if is_br(&h) {
                    if let Some(il) = self.inline.as_mut() {
                        il.text.push('\n');
                        il.end = range.end;
                    }
                } else if h.trim_start().starts_with("<!--") || h.trim_start().starts_with("<img") {
                    push_html(
                        &mut self.blocks,
                        &h,
                        line,
                        self.list_depth,
                        self.quote_depth,
                    );
                }
            }
            Event::Text(t) => {
                let strong = self.strong > 0;
                let il = self
                    .inline
                    .get_or_insert_with(|| Inline::new(&range, &mut self.pending_item));
                il.text.push_str(&t);
                il.end = range.end;
                let n = t.trim().chars().count();
                if strong {
                    il.strong_chars += n;
                } else {
                    il.plain_chars += n;
                }
            }
            Event::Code(t) => {
                let strong = self.strong > 0;
                let il = self
                    .inline
                    .get_or_insert_with(|| Inline::new(&range, &mut self.pending_item));
                il.text.push('`');
                il.text.push_str(&t);
                il.text.push('`');
                il.codes.push(t.to_string());
                il.end = range.end;
                if strong {
                    il.strong_chars += 1;
                } else {
                    il.plain_chars += 1;
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(il) = self.inline.as_mut() {
                    il.text.push('\n');
                }
            }
            Event::Rule => {
                self.flush();
                let line = self.idx.line(range.start);
                self.push(BlockKind::Rule, line, line, false);
            }
            _ => {}
        }
    }
}

fn is_br(h: &str) -> bool {
    let t = h.trim().to_ascii_lowercase();
    t == "<br>" || t == "<br/>" || t == "<br />"
}

fn push_html(blocks: &mut Vec<Block>, h: &str, line: usize, list_depth: usize, quote_depth: usize) {
    // `<img src=… alt=…>` becomes an image block.
    for img in runbook_core::html::img_tags(h) {
        blocks.push(Block {
            kind: BlockKind::Image {
                src: img.0,
                alt: img.1,
            },
            line,
            end_line: line,
            list_depth,
            in_quote: quote_depth > 0,
            item_start: false,
        });
    }
    // Merge consecutive HTML events of one block.
    if let Some(last) = blocks.last_mut() {
        if let BlockKind::Html { text } = &mut last.kind {
            if last.end_line + 1 >= line && !text.trim_end().ends_with("-->") {
                text.push_str(h);
                last.end_line = line + h.trim_end().matches('\n').count();
                return;
            }
        }
    }
    blocks.push(Block {
        kind: BlockKind::Html {
            text: h.to_string(),
        },
        line,
        end_line: line + h.trim_end().matches('\n').count(),
        list_depth,
        in_quote: quote_depth > 0,
        item_start: false,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(doc: &Doc) -> Vec<(String, usize, usize)> {
        doc.blocks
            .iter()
            .map(|b| {
                let k = match &b.kind {
                    BlockKind::Heading { text, .. } => format!("H:{text}"),
                    BlockKind::Para { text, .. } => format!("P:{text}"),
                    BlockKind::Code { content, .. } => format!("C:{}", content.trim_end()),
                    BlockKind::Html { text } => format!("X:{}", text.trim()),
                    BlockKind::Table { rows } => format!("T:{}", rows.len()),
                    BlockKind::Image { src, .. } => format!("I:{src}"),
                    BlockKind::Rule => "R".into(),
                };
                (k, b.line, b.list_depth)
            })
            .collect()
    }

    #[test]
    fn list_items_keep_lines_and_code() {
        let d = parse(
            "g.md",
            "# T\n\n- `/etc/hosts` 파일 편집\n\n  ```bash\n  10.0.0.11 controller\n  ```\n- next\n",
        );
        let k = kinds(&d);
        assert_eq!(k[0], ("H:T".into(), 1, 0));
        assert_eq!(k[1], ("P:`/etc/hosts` 파일 편집".into(), 3, 1));
        assert_eq!(k[2], ("C:10.0.0.11 controller".into(), 5, 1));
        assert_eq!(k[3], ("P:next".into(), 8, 1));
        assert!(d.blocks[1].item_start);
    }

    #[test]
    fn jekyll_highlight_is_code_and_lines_hold() {
        let d = parse(
            "g.md",
            "a\n\n{% highlight text %}\nx = 1\n{% endhighlight %}\n\nb\n",
        );
        let k = kinds(&d);
        assert_eq!(k[1], ("C:x = 1".into(), 3, 0));
        assert_eq!(k[2], ("P:b".into(), 7, 0));
    }

    #[test]
    fn unterminated_fence_is_reported() {
        let d = parse("g.md", "a\n\n```\nls\n");
        assert_eq!(d.unterminated_fences, vec![3]);
        let d = parse("g.md", "a\n\n```\nls\n```\n");
        assert!(d.unterminated_fences.is_empty());
    }

    #[test]
    fn blockquote_br_lines_and_annotations() {
        let d = parse(
            "g.md",
            "<!-- runbook: skip -->\n> \\# apt update <br>\n> \\# apt upgrade <br>\n",
        );
        let k = kinds(&d);
        assert_eq!(k[0].0, "X:<!-- runbook: skip -->");
        assert!(k[1].0.contains("# apt update \n"));
        assert!(d.blocks[1].in_quote);
    }

    #[test]
    fn strong_paragraph() {
        let d = parse("g.md", "**Controller 노드에서 진행**\n");
        assert!(matches!(
            &d.blocks[0].kind,
            BlockKind::Para { strong: true, .. }
        ));
    }

    #[test]
    fn line_index_counts_lines_as_str_lines_does() {
        for t in ["", "a", "a\n", "a\nb", "\n", "\n\n", "a\n\nb\n", "x\r\ny"] {
            assert_eq!(LineIndex::new(t).count(t.len()), t.lines().count(), "{t:?}");
        }
    }
}
