//! Code blocks (and blockquotes of commands): the block is read into segments (commands by
//! effect, SQL, heredoc writes, file content; see [`crate::extract::block`]) and each segment
//! becomes steps, with the file a content segment belongs to and the signals of its nodes.

use super::super::annotate::Annotation;
use super::super::block::{self, BlockCtx, SegKind, Segment};
use super::super::files::{self, Intent};
use super::super::prompt;
use super::super::rules;
use super::super::shell::{self, Effect};
use super::super::steps::{self, Draft, Signal, Signals};
use super::files::Caption;
use super::{PendingFile, Walker};
use crate::parse::{Block, BlockKind};
use runbook_core::model::Kind;

/// Info strings that say the block is a file's content, not commands.
const CONTENT_INFO: &[&str] = &[
    "text",
    "ini",
    "conf",
    "cfg",
    "config",
    "yaml",
    "yml",
    "json",
    "xml",
    "toml",
    "properties",
    "apache",
    "nginx",
    "apacheconf",
    "plaintext",
    "txt",
];

/// Info strings of pasted output: without a prompt or a file to fill, never commands (`console`
/// is not one: authors use it for commands without prompts too).
const OUTPUT_INFO: &[&str] = &["text", "txt", "plaintext", "output", "log", "none", "plain"];

/// What the reading of one block shares between its segments.
pub(super) struct BlockRead<'b> {
    pub block: &'b Block,
    /// The chapter line of the block's first content line.
    pub start: usize,
    pub raw_lines: Vec<&'b str>,
    /// The info string, lowercase.
    pub info: String,
    pub ann: Option<Annotation>,
    /// The file the prose before named, and whether a segment took it.
    pub pending: Option<PendingFile>,
    pub used_pending: bool,
    /// An editor opened in the block before.
    pub editor: Option<String>,
    pub caption: Option<Caption>,
    /// The sentence after the block, in a chapter that explains blocks after them.
    pub after_title: Option<String>,
}

impl BlockRead<'_> {
    pub fn info_word(&self) -> &str {
        self.info.split_whitespace().next().unwrap_or("")
    }
}

/// Does the block end by opening the database client (`mysql -u root -p`), so that the next
/// block holds the session's statements?
fn opens_sql(raw_lines: &[&str]) -> bool {
    raw_lines
        .iter()
        .rev()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| {
            let t = prompt::strip(l, &|_| false, &shell::is_command)
                .map(|p| p.rest)
                .unwrap_or_else(|| l.to_string());
            let t = t.trim();
            (t.starts_with("mysql") || t.starts_with("sudo mysql") || t.starts_with("mariadb"))
                && !t.contains(" -e")
                && !t.contains('<')
        })
}

/// The sentence after a top-level block in a chapter that explains blocks after them
/// (`chrony Package를 설치한다.`): the block's title.
fn after_title(rest: &[Block]) -> Option<String> {
    rest.iter()
        .find(|x| !matches!(x.kind, BlockKind::Html { .. }))
        .and_then(|x| match &x.kind {
            BlockKind::Para { text, .. }
                if !x.in_quote && x.list_depth == 0 && super::prose::is_after_sentence(text) =>
            {
                Some(steps::title_of(text))
            }
            _ => None,
        })
}

impl Walker<'_> {
    pub(super) fn code(
        &mut self,
        b: &Block,
        info: &str,
        content: &str,
        start: usize,
        rest: &[Block],
    ) {
        let ann = self.annotation.take();
        if ann.as_ref().is_some_and(|a| a.skip) {
            return;
        }
        let raw_lines: Vec<&str> = content.lines().collect();
        let opens = opens_sql(&raw_lines);
        let mut r = BlockRead {
            block: b,
            start,
            raw_lines,
            info: info.to_ascii_lowercase(),
            ann,
            pending: self.files.pending.take(),
            used_pending: false,
            editor: self.files.editor.take(),
            caption: super::files::caption_after(rest),
            after_title: (self.prose.explains_after && b.list_depth == 0)
                .then(|| after_title(rest))
                .flatten(),
        };
        let label = self.prose.label.take();
        for seg in self.segments(content, &r) {
            self.segment(&mut r, seg, label.as_ref());
        }
        self.after_block(r, opens);
    }

    /// The block's segments: as the annotation's kind says, else as the block reads.
    fn segments(&self, content: &str, r: &BlockRead) -> Vec<Segment> {
        let ann_kind = r.ann.as_ref().and_then(|a| a.kind);
        if let Some(Kind::File | Kind::Ini | Kind::Lines) = ann_kind {
            return vec![Segment {
                kind: SegKind::Content {
                    path: None,
                    editor: false,
                },
                lines: r.raw_lines.iter().map(|s| s.to_string()).collect(),
                first: 0,
                last: r.raw_lines.len().saturating_sub(1),
                prompt_nodes: vec![],
                local_scope: None,
                editor_pending: None,
                named_by: None,
                scope_rule: None,
            }];
        }
        let ctx = match ann_kind {
            Some(k) => BlockCtx {
                known_nodes: &self.found.nodes,
                expects_content: false,
                creates_file: false,
                sql_info: k == Kind::Sql,
                output_info: false,
            },
            None => BlockCtx {
                known_nodes: &self.found.nodes,
                expects_content: r.pending.is_some()
                    || r.editor.is_some()
                    || r.caption.is_some()
                    || r.ann.as_ref().is_some_and(|a| a.path.is_some()),
                creates_file: self.forced_content(r),
                sql_info: matches!(r.info_word(), "sql" | "mysql") || self.session.sql_open,
                output_info: OUTPUT_INFO.contains(&r.info_word()),
            },
        };
        block::segments(content, &ctx)
    }

    /// A caption naming the file with a content info string, or a file the prose said to create
    /// followed by a block of settings (a block of real commands such as `mkdir`, `chown` makes
    /// the file itself): the block is content.
    fn forced_content(&self, r: &BlockRead) -> bool {
        let only_settings = r.raw_lines.iter().map(|l| l.trim()).all(|l| {
            l.is_empty()
                || l.starts_with('#')
                || !shell::is_command(l)
                || ["export ", "alias ", "unset ", "set "]
                    .iter()
                    .any(|p| l.starts_with(p))
        });
        r.caption.is_some() && CONTENT_INFO.contains(&r.info_word())
            || r.pending
                .as_ref()
                .is_some_and(|p| p.intent == Intent::Create)
                && only_settings
    }

    /// The node signals of a segment.
    fn segment_signals(&self, r: &BlockRead, seg: &Segment, label: Option<&Signal>) -> Signals {
        let local = seg
            .local_scope
            .as_ref()
            .map(|s| {
                let mut sig = Signal::new(s.0.clone(), self.src(r.start + s.1));
                sig.rule = seg.scope_rule;
                sig
            })
            .or_else(|| label.cloned());
        Signals {
            annotation: None,
            local,
            scope: self.scopes.current(),
            prompt: seg.prompt_nodes.clone(),
            hint: self.prose.hint.clone(),
            copies_to: self.prose.copies_to.clone(),
        }
    }

    /// One segment's steps.
    fn segment(&mut self, r: &mut BlockRead, seg: Segment, label: Option<&Signal>) {
        if let Some(p) = &seg.editor_pending {
            self.files.editor = Some(p.clone());
        }
        let signals = self.segment_signals(r, &seg, label);
        let first = r.start + seg.first;
        let end_line = r.start + seg.last;
        let original = r
            .raw_lines
            .get(seg.first..=seg.last.min(r.raw_lines.len().saturating_sub(1)))
            .map(|ls| ls.join("\n"))
            .unwrap_or_default();
        let title = r
            .after_title
            .clone()
            .unwrap_or_else(|| self.step_title(&r.raw_lines.join("\n"), r.block.list_depth));
        let base = self.draft(Kind::Command, first, end_line, title, original);
        match seg.kind {
            SegKind::Commands(Effect::Editor) => {}
            SegKind::Commands(eff) => self.commands(r, base, eff, seg.lines, signals),
            SegKind::Sql => {
                let mut d = base;
                d.kind = Kind::Sql;
                d.lines = seg.lines;
                self.emit(d, signals, r.ann.as_ref());
            }
            SegKind::Heredoc { path, append } => {
                let mut d = base;
                if append {
                    let (keep, _) = files::lines_of(&seg.lines.join("\n"));
                    d.kind = Kind::Lines;
                    d.keep = Some(keep);
                } else {
                    d.kind = Kind::File;
                    d.content = Some(super::files::with_newline(&seg.lines.join("\n")));
                }
                d.path = Some(path);
                d.why.push(rules::HEREDOC_WRITE.at(&d.source));
                self.emit(d, signals, r.ann.as_ref());
            }
            SegKind::Content { path, .. } => {
                let named = path.map(|p| (p, seg.named_by));
                self.content(r, base, named, seg.lines, signals)
            }
        }
    }

    /// Commands: one step for the lines of one effect (a manual step for each manual line).
    fn commands(
        &mut self,
        r: &BlockRead,
        base: Draft,
        eff: Effect,
        lines: Vec<String>,
        signals: Signals,
    ) {
        let kind = r.ann.as_ref().and_then(|a| a.kind).unwrap_or(match eff {
            Effect::Verify => Kind::Verify,
            Effect::Manual => Kind::Manual,
            _ => Kind::Command,
        });
        if kind != Kind::Manual {
            let mut d = base;
            d.kind = kind;
            d.lines = lines;
            self.emit(d, signals, r.ann.as_ref());
            return;
        }
        for l in lines {
            let mut d = base.clone();
            d.kind = Kind::Manual;
            d.lines = vec![l];
            self.emit(d, signals.clone(), r.ann.as_ref());
        }
    }

    /// What a block leaves behind: the database client it opened, the caption it had, a pending
    /// file still waiting for its content (after a block of commands such as `vi file`).
    fn after_block(&mut self, r: BlockRead, opens: bool) {
        self.prose.hint = None;
        self.prose.copies_to.clear();
        if r.caption.is_none() {
            self.files.last_caption = None;
        }
        self.session.sql_open = opens;
        self.prose.last_para = None;
        self.prose.since_block = false;
        if !r.used_pending {
            if let Some(mut p) = r.pending {
                p.age += 1;
                if p.age <= 2 && self.files.editor.is_some() {
                    self.files.pending = Some(p);
                }
            }
        }
    }
}
