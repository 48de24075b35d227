//! Parse stage: Markdown → a flat list of blocks, each keeping its file:line.
//!
//! pulldown-cmark does the CommonMark work; this module flattens its events into the blocks that
//! extraction reads (headings, paragraphs and list-item text with their inline code, code blocks,
//! HTML comments, tables, images), each with the 1-based line where it starts and ends.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Parser, Tag, TagEnd};
use runbook_core::markdown::{options, preprocess, LineIndex};

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

type TableState = (usize, Vec<Vec<String>>, Vec<String>, String);

impl Inline {
    /// Text that starts at `range`; the first text of a list item takes the item's mark.
    fn new(range: &std::ops::Range<usize>, pending_item: &mut bool) -> Inline {
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

struct Inline {
    text: String,
    codes: Vec<String>,
    start: usize,
    end: usize,
    strong_chars: usize,
    plain_chars: usize,
    item_start: bool,
}

pub fn parse(file: &str, source: &str) -> Doc {
    let text = preprocess(source);
    let idx = LineIndex::new(&text);
    let mut blocks = Vec::new();
    let mut unterminated = Vec::new();
    let mut list_depth = 0usize;
    let mut quote_depth = 0usize;
    let mut strong = 0usize;
    let mut inline: Option<Inline> = None;
    let mut pending_item = false;
    let mut code: Option<(String, bool, usize, String)> = None; // info, fenced, start, content
    let mut heading: Option<(u8, usize, String)> = None;
    // start, rows, the row being read, the cell being read
    let mut table: Option<TableState> = None;
    let mut image: Option<(String, String, usize)> = None;
    let mut links: Vec<(String, usize)> = Vec::new();
    let mut html_anchors: Vec<String> = Vec::new();

    let flush = |inline: &mut Option<Inline>,
                 blocks: &mut Vec<Block>,
                 list_depth: usize,
                 quote_depth: usize| {
        if let Some(il) = inline.take() {
            let t = il.text.trim().to_string();
            if !t.is_empty() {
                blocks.push(Block {
                    kind: BlockKind::Para {
                        text: t,
                        codes: il.codes,
                        strong: il.strong_chars > 0 && il.plain_chars == 0,
                    },
                    line: idx.line(il.start),
                    end_line: idx.line(il.end.saturating_sub(1).max(il.start)),
                    list_depth,
                    in_quote: quote_depth > 0,
                    item_start: il.item_start,
                });
            }
        }
    };

    for (ev, range) in Parser::new_ext(&text, options()).into_offset_iter() {
        if let Event::Html(h) | Event::InlineHtml(h) = &ev {
            for (k, v) in runbook_core::html::attributes(h) {
                if k == "name" || k == "id" {
                    html_anchors.push(v);
                }
            }
        }
        // Text inside an image is its alt text.
        if let Some((_, alt, _)) = image.as_mut() {
            match &ev {
                Event::Text(t) | Event::Code(t) => {
                    alt.push_str(t);
                    continue;
                }
                Event::End(TagEnd::Image) => {}
                _ => continue,
            }
        }
        if let Some((_, _, _, content)) = code.as_mut() {
            if let Event::Text(t) = &ev {
                content.push_str(t);
                continue;
            }
        }
        if let Some((_, _, cells, cell)) = table.as_mut() {
            match &ev {
                Event::Text(t) | Event::Code(t) => {
                    cell.push_str(t);
                    continue;
                }
                Event::End(TagEnd::TableCell) => {
                    cells.push(std::mem::take(cell).trim().to_string());
                    continue;
                }
                Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
                    let row = std::mem::take(cells);
                    if let Some((_, rows, _, _)) = table.as_mut() {
                        rows.push(row);
                    }
                    continue;
                }
                Event::End(TagEnd::Table) => {}
                _ => continue,
            }
        }
        if let Some((_, _, htext)) = heading.as_mut() {
            match &ev {
                Event::Text(t) | Event::Code(t) => {
                    htext.push_str(t);
                    continue;
                }
                Event::End(TagEnd::Heading(_)) => {}
                _ => continue,
            }
        }
        match ev {
            Event::Start(Tag::Paragraph) => {
                flush(&mut inline, &mut blocks, list_depth, quote_depth);
                inline = Some(Inline::new(&range, &mut pending_item));
            }
            Event::End(TagEnd::Paragraph) => {
                flush(&mut inline, &mut blocks, list_depth, quote_depth);
            }
            Event::Start(Tag::Item) => {
                flush(&mut inline, &mut blocks, list_depth, quote_depth);
                pending_item = true;
            }
            Event::End(TagEnd::Item) => {
                flush(&mut inline, &mut blocks, list_depth, quote_depth);
                pending_item = false;
            }
            Event::Start(Tag::List(_)) => {
                flush(&mut inline, &mut blocks, list_depth, quote_depth);
                list_depth += 1;
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut inline, &mut blocks, list_depth, quote_depth);
                list_depth = list_depth.saturating_sub(1);
            }
            Event::Start(Tag::BlockQuote(_)) => {
                flush(&mut inline, &mut blocks, list_depth, quote_depth);
                quote_depth += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                flush(&mut inline, &mut blocks, list_depth, quote_depth);
                quote_depth = quote_depth.saturating_sub(1);
            }
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut inline, &mut blocks, list_depth, quote_depth);
                let l = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    HeadingLevel::H5 => 5,
                    HeadingLevel::H6 => 6,
                };
                heading = Some((l, range.start, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, start, t)) = heading.take() {
                    blocks.push(Block {
                        kind: BlockKind::Heading {
                            level,
                            text: t.trim().to_string(),
                        },
                        line: idx.line(start),
                        end_line: idx.line(start),
                        list_depth,
                        in_quote: quote_depth > 0,
                        item_start: false,
                    });
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                flush(&mut inline, &mut blocks, list_depth, quote_depth);
                let (info, fenced) = match kind {
                    CodeBlockKind::Fenced(i) => (i.to_string(), true),
                    CodeBlockKind::Indented => (String::new(), false),
                };
                code = Some((info, fenced, range.start, String::new()));
                let end_line = idx.line(range.end.saturating_sub(1).max(range.start));
                if fenced && range.end >= text.len() {
                    // An unterminated fence runs to the end of the document.
                    let last = text[range.start..].trim_end().lines().last().unwrap_or("");
                    let t = last.trim();
                    let open = text[range.start..].trim_start();
                    let ch = open.chars().next().unwrap_or('`');
                    let closed = t.len() >= 3
                        && t.chars().all(|c| c == ch)
                        && end_line > idx.line(range.start);
                    if !closed {
                        unterminated.push(idx.line(range.start));
                    }
                }
                if let Some(c) = code.as_mut() {
                    c.2 = range.start;
                }
                // remember end line through the range
                blocks.push(Block {
                    kind: BlockKind::Rule, // placeholder, replaced at End
                    line: idx.line(range.start),
                    end_line,
                    list_depth,
                    in_quote: quote_depth > 0,
                    item_start: std::mem::take(&mut pending_item),
                });
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((info, fenced, _, content)) = code.take() {
                    if let Some(b) = blocks.last_mut() {
                        b.kind = BlockKind::Code {
                            info: info.trim().to_string(),
                            content,
                            fenced,
                        };
                    }
                }
            }
            Event::Start(Tag::Table(_)) => {
                flush(&mut inline, &mut blocks, list_depth, quote_depth);
                table = Some((range.start, Vec::new(), Vec::new(), String::new()));
            }
            Event::End(TagEnd::Table) => {
                if let Some((start, rows, _, _)) = table.take() {
                    blocks.push(Block {
                        kind: BlockKind::Table { rows },
                        line: idx.line(start),
                        end_line: idx.line(range.end.saturating_sub(1)),
                        list_depth,
                        in_quote: quote_depth > 0,
                        item_start: false,
                    });
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                links.push((dest_url.to_string(), idx.line(range.start)));
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                image = Some((dest_url.to_string(), String::new(), range.start));
            }
            Event::End(TagEnd::Image) => {
                if let Some((src, alt, start)) = image.take() {
                    blocks.push(Block {
                        kind: BlockKind::Image { src, alt },
                        line: idx.line(start),
                        end_line: idx.line(start),
                        list_depth,
                        in_quote: quote_depth > 0,
                        item_start: false,
                    });
                }
            }
            Event::Html(h) => {
                flush(&mut inline, &mut blocks, list_depth, quote_depth);
                push_html(
                    &mut blocks,
                    &h,
                    idx.line(range.start),
                    list_depth,
                    quote_depth,
                );
            }
            Event::InlineHtml(h) => {
                let line = idx.line(range.start);
                if is_br(&h) {
                    if let Some(il) = inline.as_mut() {
                        il.text.push('\n');
                        il.end = range.end;
                    }
                } else if h.trim_start().starts_with("<!--") || h.trim_start().starts_with("<img") {
                    push_html(&mut blocks, &h, line, list_depth, quote_depth);
                }
            }
            Event::Text(t) => {
                let il = inline.get_or_insert_with(|| Inline::new(&range, &mut pending_item));
                il.text.push_str(&t);
                il.end = range.end;
                let n = t.trim().chars().count();
                if strong > 0 {
                    il.strong_chars += n;
                } else {
                    il.plain_chars += n;
                }
            }
            Event::Code(t) => {
                let il = inline.get_or_insert_with(|| Inline::new(&range, &mut pending_item));
                il.text.push('`');
                il.text.push_str(&t);
                il.text.push('`');
                il.codes.push(t.to_string());
                il.end = range.end;
                if strong > 0 {
                    il.strong_chars += 1;
                } else {
                    il.plain_chars += 1;
                }
            }
            Event::SoftBreak => {
                if let Some(il) = inline.as_mut() {
                    il.text.push('\n');
                }
            }
            Event::HardBreak => {
                if let Some(il) = inline.as_mut() {
                    il.text.push('\n');
                }
            }
            Event::Start(Tag::Strong) => strong += 1,
            Event::End(TagEnd::Strong) => strong = strong.saturating_sub(1),
            Event::Rule => {
                flush(&mut inline, &mut blocks, list_depth, quote_depth);
                blocks.push(Block {
                    kind: BlockKind::Rule,
                    line: idx.line(range.start),
                    end_line: idx.line(range.start),
                    list_depth,
                    in_quote: quote_depth > 0,
                    item_start: false,
                });
            }
            _ => {}
        }
    }
    flush(&mut inline, &mut blocks, list_depth, quote_depth);
    Doc {
        file: file.to_string(),
        blocks,
        unterminated_fences: unterminated,
        links,
        html_anchors,
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
