//! Walk one chapter block by block and emit its raw steps with their node signals.
//!
//! The walker keeps what a reader keeps in mind while reading: where they are (the heading
//! path), where the commands run (the node scope: headings, scope lines, tags, cleared by the
//! next heading of the same or a higher level), which alternative is in force, which file the
//! prose is talking about, and what the shell session has done so far (the working directory,
//! variables, an open database client). Each kind of reading is one module:
//!
//! | module | reads |
//! |---|---|
//! | [`heading`] | headings: the section path, scopes and alternatives they open |
//! | [`prose`] | paragraphs and list items: scope lines, files named, steps told in prose |
//! | [`code`] | code blocks (and blockquotes of commands): their segments become steps |
//! | [`scope`] | the node scope in force and the rules that open one |
//! | [`files`] | which file a block of content belongs to |
//! | [`emit`] | turning a draft into a raw step, merging one-line edits of one file |
//! | [`context`] | the shell session: working directory and variables, for relative paths |

mod code;
mod context;
mod emit;
mod files;
mod heading;
mod naming;
pub mod options;
mod prose;
mod scope;

use super::annotate::Annotation;
use super::discover::Found;
use super::files::Intent;
use super::steps::{RawStep, Signal};
use crate::parse::{Block, BlockKind, Doc};
use runbook_core::diag::Diagnostics;
use runbook_core::model::{Source, StepOption};
use std::collections::HashMap;

use context::Session;
use options::Options;
use scope::ScopeStack;

/// A file the prose named for editing, waiting for its content.
struct PendingFile {
    path: String,
    intent: Intent,
    /// Where the prose named it, and the rule that read it.
    at: Source,
    rule: &'static super::rules::Rule,
    /// Named by the section's heading: waits through the section's prose.
    sticky: bool,
    /// Blocks since it was named; it expires after a few.
    age: usize,
    depth: usize,
}

/// What the prose says about files: the one named for the next block, the one a list item is
/// about, an editor left open, the last caption and the last ini file.
#[derive(Default)]
struct FileContext {
    pending: Option<PendingFile>,
    /// The file a list item is about, and its depth.
    item: Option<(String, usize)>,
    /// An editor command (`vi FILE`) whose content comes in the next block.
    editor: Option<String>,
    /// The file the last block's caption named (the sentence after it repeats it).
    last_caption: Option<String>,
    /// The file the last ini settings of this section went to.
    last_ini: Option<String>,
}

/// What the prose before a block says.
#[derive(Default)]
struct ProseContext {
    /// A sentence about where to run the next block.
    hint: Option<Signal>,
    /// List-item and paragraph texts by list depth: the title of what follows at that depth.
    titles: Vec<Option<String>>,
    /// Prose was written since the last block or heading (it introduces the next block).
    since_block: bool,
    /// The chapter explains each block in the sentence after it.
    explains_after: bool,
    /// The text of the paragraph or list item right before the block.
    last_para: Option<String>,
    /// A label line naming the instance the next block is for.
    label: Option<Signal>,
    /// A list item was read since the heading.
    seen_item: bool,
    /// Nodes the sentence before the next block says it copies to.
    copies_to: Vec<super::nodes::Canon>,
}

struct Walker<'a> {
    doc: &'a Doc,
    found: &'a Found,
    out: &'a mut Vec<RawStep>,
    diags: &'a mut Diagnostics,
    /// (level, text) of the headings down to the current one.
    sections: Vec<(u8, String)>,
    level: u8,
    scopes: ScopeStack,
    options: Options<'a>,
    annotation: Option<Annotation>,
    files: FileContext,
    prose: ProseContext,
    session: Session,
}

/// Walk `doc`, appending its raw steps to `out`. `first_options` holds the first value seen of
/// each option (selected when the config chooses none).
pub fn walk(
    doc: &Doc,
    found: &Found,
    first_options: &mut HashMap<String, String>,
    out: &mut Vec<RawStep>,
    diags: &mut Diagnostics,
) {
    for &line in &doc.unterminated_fences {
        diags.warn(
            Source {
                file: doc.file.clone(),
                line,
            },
            "code fence is never closed: it runs to the end of the file",
        );
    }
    let mut w = Walker {
        doc,
        found,
        out,
        diags,
        sections: Vec::new(),
        level: 0,
        scopes: ScopeStack::default(),
        options: Options::new(first_options),
        annotation: None,
        files: FileContext::default(),
        prose: ProseContext {
            explains_after: prose::explains_after(&doc.blocks),
            ..ProseContext::default()
        },
        session: Session::default(),
    };
    let blocks = &doc.blocks;
    for (i, b) in blocks.iter().enumerate() {
        w.block(b, &blocks[i + 1..]);
    }
}

impl Walker<'_> {
    fn src(&self, line: usize) -> Source {
        Source {
            file: self.doc.file.clone(),
            line,
        }
    }

    fn block(&mut self, b: &Block, rest: &[Block]) {
        match &b.kind {
            BlockKind::Heading { level, text } => {
                // a heading with no body before a sibling heading titles a group of sections
                let group = matches!(rest.first(), Some(Block { kind: BlockKind::Heading { level: l2, .. }, .. }) if l2 == level);
                self.heading(*level, text, b.line, group)
            }
            BlockKind::Html { text } => self.html(text, b.line),
            BlockKind::Para {
                text,
                codes,
                strong,
            } => {
                if b.in_quote && self.quote_commands(b, text) {
                    return;
                }
                self.para(b, text, codes, *strong, rest);
            }
            BlockKind::Code {
                info,
                content,
                fenced,
            } => {
                let start = if *fenced { b.line + 1 } else { b.line };
                self.code(b, info, content, start, rest);
            }
            _ => {}
        }
    }

    /// `<!-- runbook: ... -->` comments: an alternative for the next heading, or an annotation
    /// for the next block, item or heading. What cannot be read is reported and left out.
    fn html(&mut self, text: &str, line: usize) {
        for a in super::annotate::parse(text, line) {
            let a = match a {
                Ok(a) => a,
                Err(e) => {
                    self.diags.warn(
                        self.src(line),
                        format!("invalid runbook annotation, ignored: {e}"),
                    );
                    continue;
                }
            };
            if let Some((n, v)) = a.option.clone() {
                if !self.found.options.contains_key(&n) {
                    self.diags.note(
                        self.src(line),
                        format!("option {n}={v}: no selection in runbook.toml; the first alternative runs"),
                    );
                }
                self.options.annotate_next(n, v);
                continue;
            }
            for n in a.nodes.iter().flatten() {
                if self.found.node(n).is_none() {
                    self.diags.warn(
                        self.src(line),
                        format!(
                            "annotation names unknown node {n:?} (nodes: {})",
                            self.found.nodes.join(", ")
                        ),
                    );
                }
            }
            self.annotation = Some(a);
        }
    }

    fn option(&self) -> Option<StepOption> {
        self.options.current()
    }

    fn section(&self) -> Vec<String> {
        self.sections.iter().map(|(_, t)| t.clone()).collect()
    }

    /// The title of a step: the annotation's, the paragraph right before a top-level block, the
    /// list item it sits in, else the section's heading.
    fn step_title(&self, fallback: &str, depth: usize) -> String {
        if let Some(t) = self.annotation.as_ref().and_then(|a| a.title.as_ref()) {
            return t.clone();
        }
        if depth == 0 {
            if let Some(t) = &self.prose.last_para {
                return t.clone();
            }
        }
        let titles = &self.prose.titles;
        let upto = (depth + 1).min(titles.len());
        match titles[..upto].iter().rev().flatten().next() {
            Some(t) => t.clone(),
            None => self
                .sections
                .last()
                .map(|(_, t)| super::steps::title_of(t))
                .unwrap_or_else(|| super::steps::title_of(fallback)),
        }
    }
}
