//! Walk one chapter block by block, keeping the heading path, the node scope (headings and scope
//! lines, cleared by the next heading of the same or a higher level), the alternative in force,
//! the file the prose names, and pending annotations; emit raw steps with their node signals.

use super::annotate::{self, Annotation};
use super::block::{self, BlockCtx, SegKind, Segment};
use super::discover::Found;
use super::files::{self, Intent};
use super::nodes::{self, Canon};
use super::prose::{self, Action};
use super::shell::Effect;
use super::steps::{self, Draft, RawStep, Signal, Signals};
use crate::load::Guide;
use crate::parse::{Block, BlockKind, Doc};
use runbook_core::diag::Diagnostics;
use runbook_core::model::{Action as StepAction, Kind, Source, StepOption};

struct Scope {
    level: u8,
    nodes: Vec<Canon>,
    source: Source,
    /// Stated by a prose line (replaced by the next one at the same level).
    prose: bool,
    /// Stated by a heading that titles the unnumbered sibling sections after it.
    group: bool,
}

struct PendingFile {
    path: String,
    intent: Intent,
    /// Blocks since it was named; it expires after a few.
    age: usize,
    depth: usize,
}

struct Walker<'a> {
    doc: &'a Doc,
    found: &'a Found,
    out: &'a mut Vec<RawStep>,
    diags: &'a mut Diagnostics,
    sections: Vec<(u8, String)>,
    level: u8,
    scopes: Vec<Scope>,
    options: Vec<(u8, String, String, bool)>,
    annotation: Option<Annotation>,
    option_next: Option<(String, String, usize)>,
    pending_file: Option<PendingFile>,
    file_ctx: Option<(String, usize)>,
    hint: Option<Signal>,
    /// List-item and paragraph texts by list depth: the title of what follows at that depth.
    titles: Vec<Option<String>>,
    editor: Option<String>,
    /// The block before ended by opening the database client (`mysql -u root -p`).
    sql_session: bool,
    /// Prose was written since the last block or heading (it introduces the next block).
    prose_since_block: bool,
    /// The chapter explains each block in the sentence after it.
    explains_after: bool,
    /// The text of the paragraph or list item right before the block.
    last_para: Option<String>,
    /// The file the last block's caption named (the sentence after it repeats it).
    last_caption: Option<String>,
    /// Choices a sentence offered (option name, lowercase values), for the sections after it.
    choices: Option<(String, Vec<String>)>,
    /// The file the last ini settings of this section went to.
    last_ini: Option<String>,
    /// The first value seen of each option, selected when the config chooses none.
    first_options: &'a mut std::collections::HashMap<String, String>,
}

pub fn walk(
    doc: &Doc,
    found: &Found,
    guide: &Guide,
    first_options: &mut std::collections::HashMap<String, String>,
    out: &mut Vec<RawStep>,
    diags: &mut Diagnostics,
) {
    let _ = guide;
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
        scopes: Vec::new(),
        options: Vec::new(),
        annotation: None,
        option_next: None,
        pending_file: None,
        file_ctx: None,
        hint: None,
        titles: Vec::new(),
        editor: None,
        sql_session: false,
        prose_since_block: false,
        explains_after: explains_after(&doc.blocks),
        last_para: None,
        last_caption: None,
        choices: None,
        last_ini: None,
        first_options,
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
                self.para(b, text, codes, *strong);
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

    fn heading(&mut self, level: u8, text: &str, line: usize, group: bool) {
        while self.sections.last().is_some_and(|(l, _)| *l >= level) {
            self.sections.pop();
        }
        self.sections.push((level, text.to_string()));
        self.level = level;
        // a group's scope ("(10) … - master에서만 실행") lasts over the unnumbered sibling sections
        // after it, until the next numbered one
        let numbered = numbered_heading(text);
        self.scopes
            .retain(|s| s.level < level || s.group && s.level == level && !numbered);
        self.options.retain(|o| o.0 < level);
        self.pending_file = None;
        self.file_ctx = None;
        self.hint = None;
        self.titles.clear();
        self.editor = None;
        self.last_ini = None;
        self.last_para = None;
        self.prose_since_block = false;
        let m = {
            let w = nodes::where_run(text, &self.found.nodes);
            if w.is_empty() {
                nodes::mentions(text, &self.found.nodes)
            } else {
                w
            }
        };
        let m = if m.is_empty() {
            nodes::canon_label(text, &self.found.nodes)
                .filter(|c| matches!(c, Canon::Node(n) if self.found.node(n).is_some()))
                .into_iter()
                .collect()
        } else {
            m
        };
        let specific: Vec<Canon> = m
            .iter()
            .filter(|c| matches!(c, Canon::Node(_)))
            .cloned()
            .collect();
        let scope = if !specific.is_empty() { specific } else { m };
        if !scope.is_empty() && !self.found.expand(&scope).is_empty() {
            self.scopes.retain(|s| !(s.group && s.level == level));
            self.scopes.push(Scope {
                level,
                nodes: scope,
                source: self.src(line),
                prose: false,
                group,
            });
        }
        // sections named after one of the choices a sentence offered ("Calico, Flannel, Cilium …
        // 중에서 … 하나를 선택") are alternatives, as if annotated
        if self.option_next.is_none() {
            if let Some((name, choices)) = &self.choices {
                let words = heading_words(text);
                let named: Vec<&String> = choices.iter().filter(|c| words.contains(c)).collect();
                if !named.is_empty() && words.first().is_some_and(|w| choices.contains(w)) {
                    let value = named
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(",");
                    self.option_next = Some((name.clone(), value, line));
                }
            }
        }
        if let Some((name, value, _)) = self.option_next.take() {
            let first = self
                .first_options
                .entry(name.clone())
                .or_insert_with(|| value.split(',').next().unwrap_or("").to_string())
                .clone();
            let chosen = self.found.options.get(&name).cloned().unwrap_or(first);
            let selected = value.split(',').any(|v| v == chosen);
            self.options.push((level, name, value, selected));
        }
        if let Some(a) = self.annotation.take() {
            if let Some(n) = &a.nodes {
                self.scopes.push(Scope {
                    level,
                    nodes: n.iter().map(|x| Canon::Node(x.clone())).collect(),
                    source: self.src(a.line),
                    prose: false,
                    group: false,
                });
            }
            if a.skip {
                // skip a whole section: remember as an option that is never selected
                self.options
                    .push((level, "skip".into(), "skip".into(), false));
            }
        }
    }

    fn html(&mut self, text: &str, line: usize) {
        for a in annotate::parse(text, line) {
            match a {
                Ok(a) => {
                    if let Some((n, v)) = a.option.clone() {
                        if !self.found.options.contains_key(&n) {
                            self.diags.note(self.src(line), format!("option {n}={v}: no selection in runbook.toml; the first alternative runs"));
                        }
                        self.option_next = Some((n, v, line));
                    } else {
                        if let Some(ns) = &a.nodes {
                            for n in ns {
                                if self.found.node(n).is_none() {
                                    self.diags.error(
                                        self.src(line),
                                        format!("annotation names unknown node {n:?}"),
                                    );
                                }
                            }
                        }
                        self.annotation = Some(a);
                    }
                }
                Err(e) => self
                    .diags
                    .error(self.src(line), format!("invalid runbook annotation: {e}")),
            }
        }
        // a figure caption names the file and node of the block before it: handled in code()
    }

    fn current_scope(&self) -> Option<Signal> {
        self.scopes.last().map(|s| Signal {
            nodes: s.nodes.clone(),
            at: s.source.clone(),
        })
    }

    fn option(&self) -> Option<StepOption> {
        self.options.last().map(|(_, n, v, sel)| StepOption {
            name: n.clone(),
            value: v.clone(),
            selected: *sel,
        })
    }

    fn section(&self) -> Vec<String> {
        self.sections.iter().map(|(_, t)| t.clone()).collect()
    }

    fn step_title(&self, fallback: &str, depth: usize) -> String {
        if let Some(a) = &self.annotation {
            if let Some(t) = &a.title {
                return t.clone();
            }
        }
        if depth == 0 {
            if let Some(t) = &self.last_para {
                return t.clone();
            }
        }
        let upto = (depth + 1).min(self.titles.len());
        match self.titles[..upto].iter().rev().flatten().next() {
            Some(t) => t.clone(),
            None => self
                .sections
                .last()
                .map(|(_, t)| steps::title_of(t))
                .unwrap_or_else(|| steps::title_of(fallback)),
        }
    }

    fn para(&mut self, b: &Block, text: &str, codes: &[String], strong: bool) {
        // a file named for editing stays pending through its own sub-items
        if let Some(p) = self.pending_file.as_mut() {
            if b.list_depth <= p.depth {
                p.age += 1;
            }
            if p.age > 2 {
                self.pending_file = None;
            }
        }
        // a sentence about where to run applies to the next block only
        self.hint = None;
        if self
            .file_ctx
            .as_ref()
            .is_some_and(|(_, d)| b.list_depth <= *d)
        {
            self.file_ctx = None;
        }
        // node scope stated in prose
        let m = nodes::where_run(text, &self.found.nodes);
        if !m.is_empty() && !self.found.expand(&m).is_empty() {
            let specific: Vec<Canon> = m
                .iter()
                .filter(|c| matches!(c, Canon::Node(_)))
                .cloned()
                .collect();
            let sc = if !specific.is_empty() {
                specific
            } else {
                m.clone()
            };
            if nodes::short_scope_line(text, strong) && codes.iter().all(|c| !c.starts_with('/')) {
                let level = self.level;
                self.scopes.retain(|s| !(s.prose && s.level == level));
                self.scopes.push(Scope {
                    level,
                    nodes: sc,
                    source: self.src(b.line),
                    prose: true,
                    group: false,
                });
                return;
            } else {
                self.hint = Some(Signal {
                    nodes: sc,
                    at: self.src(b.line),
                });
            }
        }
        // in a guide that explains each block after it, the sentence right after a block is about
        // that block (its file was already taken from the caption): it names no file for the next
        let about_block_before =
            self.explains_after && !self.prose_since_block && b.list_depth == 0;
        if let Some(c) = offered_choices(text) {
            if !self.found.options.contains_key(&c.0) {
                self.diags.note(
                    self.src(b.line),
                    format!(
                        "alternatives {} ({}): no selection in runbook.toml [options]; only {:?} runs",
                        c.0,
                        c.1.join(", "),
                        c.1[0]
                    ),
                );
            }
            self.choices = Some(c);
        }
        self.prose_since_block = true;
        self.last_para = Some(steps::title_of(text));
        let is_title = b.list_depth > 0 || text.chars().count() <= 120;
        // a file named for editing
        let paths: Vec<String> = files::paths_in(text);
        let intent = if paths.is_empty() {
            None
        } else {
            files::intent_of(text)
        };
        let does_it_itself = codes
            .iter()
            .any(|c| super::shell::is_command(c) && c.contains(' '));
        let caption_named = paths
            .first()
            .is_some_and(|p| self.last_caption.as_deref() == Some(p.as_str()));
        if let (Some(p), Some(it), false, false, false) = (
            paths.first(),
            intent,
            does_it_itself,
            about_block_before,
            caption_named,
        ) {
            let leading = codes
                .first()
                .filter(|c| c.starts_with('/') && text.starts_with(&format!("`{c}`")))
                .cloned();
            if leading.is_some()
                || paths.len() == 1
                || codes.iter().filter(|c| c.starts_with('/')).count() == 1
            {
                let p = leading
                    .or_else(|| codes.iter().find(|c| c.starts_with('/')).cloned())
                    .unwrap_or_else(|| p.clone());
                self.pending_file = Some(PendingFile {
                    path: p.clone(),
                    intent: it,
                    age: 0,
                    depth: b.list_depth,
                });
                self.file_ctx = Some((p, b.list_depth));
            }
        }
        if is_title {
            let d = b.list_depth;
            self.titles.truncate(d + 1);
            while self.titles.len() <= d {
                self.titles.push(None);
            }
            self.titles[d] = Some(steps::title_of(text));
        }
        // steps told in the prose itself
        let ctx = self
            .file_ctx
            .as_ref()
            .filter(|(_, d)| b.list_depth > *d || self.pending_file.is_some())
            .map(|(p, _)| p.clone());
        let actions = prose::read(text, codes, ctx.as_deref(), b.list_depth > 0);
        if actions.is_empty() {
            self.annotation_for_prose_only(b);
            return;
        }
        let ann = self.annotation.take();
        if ann.as_ref().is_some_and(|a| a.skip) {
            return;
        }
        for a in actions {
            let title = steps::title_of(text);
            match a {
                Action::Command(cmd) => {
                    let eff = super::shell::effect(&cmd);
                    let kind = match eff {
                        Effect::Verify => Kind::Verify,
                        Effect::Manual => Kind::Manual,
                        Effect::Editor => continue,
                        Effect::Change => Kind::Command,
                    };
                    self.emit(
                        Draft {
                            kind,
                            source: self.src(b.line),
                            end_line: b.end_line,
                            section: self.section(),
                            title: title.clone(),
                            original: cmd.clone(),
                            lines: vec![cmd],
                            path: None,
                            content: None,
                            settings: None,
                            keep: None,
                            comment_out: vec![],
                            option: self.option(),
                        },
                        self.prose_signals(),
                        ann.as_ref(),
                    );
                }
                Action::Lines {
                    path,
                    keep,
                    comment_out,
                } => {
                    let Some(path) = path.or_else(|| ann.as_ref().and_then(|a| a.path.clone()))
                    else {
                        self.diags.warn(self.src(b.line), "an edit told in prose names no file; annotate it with <!-- runbook: path=/etc/... -->");
                        continue;
                    };
                    let original = codes
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(" ");
                    self.emit(
                        Draft {
                            kind: Kind::Lines,
                            source: self.src(b.line),
                            end_line: b.end_line,
                            section: self.section(),
                            title,
                            original,
                            lines: vec![],
                            path: Some(path),
                            content: None,
                            settings: None,
                            keep: Some(keep),
                            comment_out,
                            option: self.option(),
                        },
                        self.prose_signals(),
                        ann.as_ref(),
                    );
                    // the file has been edited as told: a block that follows is not its content
                    if self
                        .pending_file
                        .as_ref()
                        .is_some_and(|p| p.depth < b.list_depth)
                    {
                        if let Some(p) = self.pending_file.as_mut() {
                            p.age = 0;
                        }
                    }
                }
            }
        }
    }

    fn prose_signals(&self) -> Signals {
        Signals {
            scope: self.current_scope(),
            hint: self.hint.clone(),
            ..Signals::default()
        }
    }

    fn annotation_for_prose_only(&mut self, b: &Block) {
        // an annotation before a list item carries to the block inside it
        let _ = b;
    }

    /// `> \# apt update <br>` blockquotes of commands.
    fn quote_commands(&mut self, b: &Block, text: &str) -> bool {
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let cmds = lines
            .iter()
            .filter(|l| {
                let l = l.trim_start_matches('\\');
                let l = l
                    .strip_prefix("# ")
                    .or_else(|| l.strip_prefix("$ "))
                    .or_else(|| l.strip_prefix('#'))
                    .unwrap_or(l);
                super::shell::is_command(l)
            })
            .count();
        let strip = |l: &str| -> String {
            let l = l.trim_start_matches('\\');
            l.strip_prefix("# ")
                .or_else(|| l.strip_prefix("$ "))
                .unwrap_or(l)
                .to_string()
        };
        let first_cmd = lines
            .first()
            .is_some_and(|l| super::shell::is_command(&strip(l)));
        let sql_prompts = lines
            .iter()
            .filter(|l| {
                let t = l.trim_start().to_ascii_lowercase();
                t.starts_with("mysql>") || t.starts_with("mariadb [") || t.starts_with("->")
            })
            .count();
        let cmds = cmds + sql_prompts;
        let heredoc = lines.iter().any(|l| l.contains("<<"));
        if self.editor.is_some() && !first_cmd {
            // the content of the file an editor opened in the quote before
            let content = lines.join("\n");
            self.code(b, "", &content, b.line, &[]);
            return true;
        }
        if cmds == 0 || cmds * 2 < lines.len() && !(first_cmd && heredoc) {
            return false;
        }
        let content = lines
            .iter()
            .map(|l| l.trim_start_matches('\\').to_string())
            .collect::<Vec<_>>()
            .join("\n");
        self.code(b, "", &content, b.line, &[]);
        true
    }

    fn code(&mut self, b: &Block, info: &str, content: &str, start: usize, rest: &[Block]) {
        let ann = self.annotation.take();
        if ann.as_ref().is_some_and(|a| a.skip) {
            return;
        }
        let raw_lines: Vec<&str> = content.lines().collect();
        let opens_sql = raw_lines
            .iter()
            .rev()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| {
                let t = super::prompt::strip(l, &|_| false, &super::shell::is_command)
                    .map(|p| p.rest)
                    .unwrap_or_else(|| l.to_string());
                let t = t.trim();
                (t.starts_with("mysql") || t.starts_with("sudo mysql") || t.starts_with("mariadb"))
                    && !t.contains(" -e")
                    && !t.contains('<')
            });
        let pending = self.pending_file.take();
        let editor = self.editor.take();
        let caption = caption_after(rest);
        let info_l = info.to_ascii_lowercase();
        let info_word = info_l.split_whitespace().next().unwrap_or("");
        let content_info = matches!(
            info_word,
            "text"
                | "ini"
                | "conf"
                | "cfg"
                | "config"
                | "yaml"
                | "yml"
                | "json"
                | "xml"
                | "toml"
                | "properties"
                | "apache"
                | "nginx"
                | "apacheconf"
                | "plaintext"
                | "txt"
        );
        let expects = pending.is_some()
            || editor.is_some()
            || caption.is_some()
            || ann.as_ref().is_some_and(|a| a.path.is_some());
        // a caption naming the file, or a content info string with a file named: the block is content
        // a file "created" with a block of real commands (`mkdir`, `chown`) is made by them: only
        // a block of settings or `export` lines is the file's content
        let only_settings = raw_lines.iter().map(|l| l.trim()).all(|l| {
            l.is_empty()
                || l.starts_with('#')
                || !super::shell::is_command(l)
                || ["export ", "alias ", "unset ", "set "]
                    .iter()
                    .any(|p| l.starts_with(p))
        });
        let forced = caption.is_some() && content_info
            || pending.as_ref().is_some_and(|p| p.intent == Intent::Create) && only_settings;
        let segs = if let Some(k) = ann.as_ref().and_then(|a| a.kind) {
            match k {
                Kind::File | Kind::Ini | Kind::Lines => vec![Segment {
                    kind: SegKind::Content {
                        path: None,
                        editor: false,
                    },
                    lines: raw_lines.iter().map(|s| s.to_string()).collect(),
                    first: 0,
                    last: raw_lines.len().saturating_sub(1),
                    prompt_nodes: vec![],
                    local_scope: None,
                    editor_pending: None,
                }],
                _ => block::segments(
                    content,
                    &BlockCtx {
                        known_nodes: &self.found.nodes,
                        expects_content: false,
                        creates_file: false,
                        sql_info: k == Kind::Sql,
                    },
                ),
            }
        } else {
            block::segments(
                content,
                &BlockCtx {
                    known_nodes: &self.found.nodes,
                    expects_content: expects,
                    creates_file: forced,
                    sql_info: info_word == "sql" || info_word == "mysql" || self.sql_session,
                },
            )
        };
        // guides that explain a block after it ("chrony Package를 설치한다.")
        let after_title = if !self.explains_after || b.list_depth > 0 {
            None
        } else {
            rest.iter()
                .find(|x| !matches!(x.kind, BlockKind::Html { .. }))
                .and_then(|x| match &x.kind {
                    BlockKind::Para { text, .. }
                        if !x.in_quote && x.list_depth == 0 && text.chars().count() <= 100 && {
                            let t = text.trim_end();
                            t.ends_with("다.") || t.ends_with('다')
                        } =>
                    {
                        Some(steps::title_of(text))
                    }
                    _ => None,
                })
        };
        let mut used_pending = false;
        for seg in segs {
            if let Some(p) = &seg.editor_pending {
                self.editor = Some(p.clone());
            }
            let source = self.src(start + seg.first);
            let end_line = start + seg.last;
            let original = raw_lines
                .get(seg.first..=seg.last.min(raw_lines.len().saturating_sub(1)))
                .map(|ls| ls.join("\n"))
                .unwrap_or_default();
            let mut signals = Signals {
                annotation: None,
                local: seg.local_scope.as_ref().map(|s| Signal {
                    nodes: s.0.clone(),
                    at: self.src(start + s.1),
                }),
                scope: self.current_scope(),
                prompt: seg.prompt_nodes.clone(),
                hint: self.hint.clone(),
            };
            let title = after_title
                .clone()
                .unwrap_or_else(|| self.step_title(content, b.list_depth));
            let section = self.section();
            let option = self.option();
            let base = |kind: Kind, lines: Vec<String>| Draft {
                kind,
                source: source.clone(),
                end_line,
                section: section.clone(),
                title: title.clone(),
                original: original.clone(),
                lines,
                path: None,
                content: None,
                settings: None,
                keep: None,
                comment_out: vec![],
                option: option.clone(),
            };
            match seg.kind {
                SegKind::Commands(Effect::Editor) => {}
                SegKind::Commands(eff) => {
                    let kind = ann.as_ref().and_then(|a| a.kind).unwrap_or(match eff {
                        Effect::Verify => Kind::Verify,
                        Effect::Manual => Kind::Manual,
                        _ => Kind::Command,
                    });
                    if kind == Kind::Manual {
                        for l in seg.lines {
                            let d = base(Kind::Manual, vec![l]);
                            self.emit(d, signals.clone(), ann.as_ref());
                        }
                    } else {
                        let d = base(kind, seg.lines);
                        self.emit(d, signals, ann.as_ref());
                    }
                }
                SegKind::Sql => {
                    let d = base(Kind::Sql, seg.lines);
                    self.emit(d, signals, ann.as_ref());
                }
                SegKind::Heredoc { path, append } => {
                    let mut d = base(if append { Kind::Lines } else { Kind::File }, vec![]);
                    if append {
                        let (keep, _) = files::lines_of(&seg.lines.join("\n"));
                        d.keep = Some(keep);
                    } else {
                        d.content = Some(with_newline(&seg.lines.join("\n")));
                    }
                    d.path = Some(path);
                    self.emit(d, signals, ann.as_ref());
                }
                SegKind::Content {
                    path,
                    editor: in_block_editor,
                } => {
                    // where the content goes: annotation, the block itself, the prose before, an editor, a caption after
                    let (path, intent) = if let Some(p) = ann.as_ref().and_then(|a| a.path.clone())
                    {
                        (Some(p), Intent::Edit)
                    } else if let Some(p) = path {
                        // named inside the block: the words before it decide, else it is an edit
                        let _ = in_block_editor;
                        let intent = match &pending {
                            Some(pf) if pf.path == p => pf.intent,
                            _ => Intent::Edit,
                        };
                        (Some(p), intent)
                    } else if let Some((p, it, cn)) = caption.clone() {
                        // a caption right after the block names its file and node: it beats the
                        // prose before, which may speak of the block before
                        self.last_caption = Some(p.clone());
                        if !cn.is_empty() {
                            signals.local = Some(Signal {
                                nodes: cn,
                                at: self.src(b.end_line + 1),
                            });
                        }
                        (Some(p), it)
                    } else if let Some(p) = pending.as_ref().filter(|_| !used_pending) {
                        used_pending = true;
                        (Some(p.path.clone()), p.intent)
                    } else if let Some(p) = editor.clone() {
                        (Some(p), Intent::Edit)
                    } else {
                        (None, Intent::Edit)
                    };
                    let body = seg.lines.join("\n");
                    // more `[section]` settings in the same section go on in the same file
                    let (path, intent) = match path {
                        None if files::looks_ini(&body) => (self.last_ini.clone(), Intent::Edit),
                        p => (p, intent),
                    };
                    let Some(path) = path else {
                        if files::looks_ini(&body)
                            || body.lines().filter(|l| l.contains('=')).count() >= 2
                                && !info_l.contains("console")
                        {
                            self.diags.warn(
                                source.clone(),
                                "block looks like file content but no file is named before or after it; annotate it with <!-- runbook: kind=... path=... -->",
                            );
                        }
                        continue;
                    };
                    let kind = ann.as_ref().and_then(|a| a.kind).unwrap_or_else(|| {
                        steps::content_kind(
                            &path,
                            if intent == Intent::Create {
                                info_word
                            } else {
                                ""
                            },
                            &body,
                            intent == Intent::Create,
                        )
                    });
                    let mut d = base(kind, vec![]);
                    match kind {
                        Kind::File => {
                            d.content = Some(with_newline(&strip_ellipsis_edges(&seg.lines)))
                        }
                        Kind::Ini => d.settings = Some(files::ini_settings(&body)),
                        Kind::Manual => {
                            self.diags.warn(
                                source.clone(),
                                format!("part of {path} (with `...`) cannot be merged into the file: shown as a manual step"),
                            );
                            d.lines = vec![format!("{path} 파일에 다음 내용을 반영")];
                        }
                        _ => {
                            let (keep, co) = files::lines_of(&body);
                            d.keep = Some(keep);
                            d.comment_out = co;
                            d.kind = Kind::Lines;
                        }
                    }
                    if kind == Kind::Ini {
                        self.last_ini = Some(path.clone());
                    }
                    if kind != Kind::Manual {
                        d.path = Some(path);
                    }
                    self.emit(d, signals, ann.as_ref());
                }
            }
        }
        self.hint = None;
        if caption.is_none() {
            self.last_caption = None;
        }
        self.sql_session = opens_sql;
        self.last_para = None;
        self.prose_since_block = false;
        if !used_pending {
            if let Some(mut p) = pending {
                // a block of commands between the prose and its content (`vi file`)
                p.age += 1;
                if p.age <= 2 && self.editor.is_some() {
                    self.pending_file = Some(p);
                }
            }
        }
    }

    fn emit(&mut self, d: Draft, mut signals: Signals, ann: Option<&Annotation>) {
        if let Some(a) = ann {
            if let Some(n) = &a.nodes {
                signals.annotation = Some(Signal {
                    nodes: n.iter().map(|x| Canon::Node(x.clone())).collect(),
                    at: self.src(a.line),
                });
            }
            if let Some(p) = &a.path {
                if d.path.is_none() && matches!(d.kind, Kind::File | Kind::Ini | Kind::Lines) {
                    let mut d = d;
                    d.path = Some(p.clone());
                    return self.emit(d, signals, None);
                }
            }
        }
        if let Some(p) = &d.path {
            if p.contains('\n')
                || !p.starts_with('/') && !p.starts_with('~') && !p.starts_with("$HOME")
            {
                self.diags.error(
                    d.source.clone(),
                    format!("file path {p:?} is not an absolute path"),
                );
                return;
            }
        }
        let step = steps::build(d, self.found);
        if let Some(prev) = self.out.last_mut() {
            let mergeable = step.kind() == Kind::Lines
                && prev.step.kind() == Kind::Lines
                && prev.step.path() == step.path()
                && prev.step.section == step.section
                && prev.step.option == step.option
                && prev.step.source.file == step.source.file
                && prev.step.end_line + 1 == step.source.line
                && prev.step.original.starts_with('`')
                && step.original.starts_with('`')
                && !step.original.contains('\n')
                && prev.signals.scope.as_ref().map(|s| &s.nodes)
                    == signals.scope.as_ref().map(|s| &s.nodes)
                && prev.signals.annotation.as_ref().map(|s| &s.nodes)
                    == signals.annotation.as_ref().map(|s| &s.nodes);
            if mergeable {
                let p = &mut prev.step;
                p.original.push('\n');
                p.original.push_str(&step.original);
                p.end_line = step.end_line;
                if let (
                    StepAction::Lines {
                        lines: a,
                        comment_out: ca,
                        ..
                    },
                    StepAction::Lines {
                        lines: b,
                        comment_out: cb,
                        ..
                    },
                ) = (&mut p.action, step.action)
                {
                    for l in b {
                        if !a.contains(&l) {
                            a.push(l);
                        }
                    }
                    for l in cb {
                        if !ca.contains(&l) {
                            ca.push(l);
                        }
                    }
                }
                for v in step.variables {
                    if !p.variables.contains(&v) {
                        p.variables.push(v);
                    }
                }
                return;
            }
        }
        self.out.push(RawStep { step, signals });
    }
}

fn with_newline(s: &str) -> String {
    let mut s = s.trim_end_matches('\n').to_string();
    s.push('\n');
    s
}

fn strip_ellipsis_edges(lines: &[String]) -> String {
    let mut v: Vec<&String> = lines.iter().collect();
    while v.first().is_some_and(|l| files::is_ellipsis(l)) {
        v.remove(0);
    }
    while v.last().is_some_and(|l| files::is_ellipsis(l)) {
        v.pop();
    }
    v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
}

/// A caption after a block names its file (and node): `<figcaption>[파일 2] Controller Node -
/// /etc/network/interfaces</figcaption>` or "/etc/memcached.conf에 [파일 5]의 내용을 추가한다."
fn caption_after(rest: &[Block]) -> Option<(String, Intent, Vec<Canon>)> {
    let mut found: Option<(String, Intent, Vec<Canon>)> = None;
    for b in rest.iter().take(4) {
        match &b.kind {
            BlockKind::Html { text } if text.contains("caption") => {
                let plain = strip_tags(text);
                if let Some(p) = files::paths_in(&plain).into_iter().next() {
                    let nodes = nodes::mentions(&plain, &[]);
                    found = Some((p, Intent::Edit, nodes));
                }
            }
            BlockKind::Para { text, .. } => {
                let paths = files::paths_in(text);
                // the sentence after the caption says what to do with the file
                if let Some(f) = found.as_mut() {
                    if paths.contains(&f.0) {
                        f.1 = files::intent_of(text).unwrap_or(Intent::Edit);
                    } else if paths.len() == 1 && text.contains('[') {
                        // the instruction ("/etc/x에 [파일 15]의 내용을 추가") beats a caption
                        // copied from the figure before
                        f.0 = paths[0].clone();
                        f.1 = files::intent_of(text).unwrap_or(Intent::Edit);
                    }
                    return found;
                }
                // "…에 [파일 5]의 내용을 추가한다", "위와 같이": about the block above, not the next
                let about_above =
                    (text.contains('[') || text.contains("위")) && !text.contains("다음");
                if paths.len() == 1 && b.list_depth == 0 && about_above {
                    let it = files::intent_of(text).unwrap_or(Intent::Edit);
                    return Some((paths[0].clone(), it, vec![]));
                }
                return None;
            }
            BlockKind::Code { .. } | BlockKind::Heading { .. } => return found,
            _ => {}
        }
    }
    found
}

/// The words of a heading after its numbering, lowercase.
fn heading_words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == '/')
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .collect()
}

/// "Calico, Flannel, Cilium 3개의 Network Plugin 중에서 … 하나를 선택": the option's name and its
/// choices, in order.
fn offered_choices(text: &str) -> Option<(String, Vec<String>)> {
    static LIST: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    static NAME: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let list = LIST.get_or_init(|| {
        regex::Regex::new(r"(?-u:\b)([A-Za-z][A-Za-z0-9.-]*(?:(?:\s*[,/]\s*|\s+(?:또는|or)\s+)[A-Za-z][A-Za-z0-9.-]*)+)").expect("static regex")
    });
    let name_re = NAME.get_or_init(|| {
        regex::Regex::new(r"([A-Za-z][A-Za-z0-9 _-]*?)\s*(?:을|를|중|인)").expect("static regex")
    });
    if !(text.contains("선택") && (text.contains("중") || text.contains("하나"))) {
        return None;
    }
    let m = list.find(text)?;
    let values: Vec<String> = m
        .as_str()
        .split([',', '/'])
        .flat_map(|p| p.split("또는"))
        .map(|v| v.trim().trim_start_matches("or ").trim().to_lowercase())
        .filter(|v| !v.is_empty())
        .collect();
    if values.len() < 2 {
        return None;
    }
    let rest = &text[m.end()..];
    let name = name_re
        .captures_iter(rest)
        .map(|c| c[1].trim().to_lowercase().replace(' ', "-"))
        .find(|n| !n.is_empty() && !values.contains(n))
        .unwrap_or_else(|| "choice".to_string());
    Some((name, values))
}

/// `(10) 쿠버네티스 구성`, `2.1. Master Node`, `3-1. …`: a numbered heading.
fn numbered_heading(text: &str) -> bool {
    let t = text.trim_start();
    let t = t.strip_prefix('(').unwrap_or(t);
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    digits > 0 && t[digits..].starts_with([')', '.', '-', ' '])
}

/// Does this chapter explain each block in the sentence after it (`chrony Package를 설치한다.`)?
fn explains_after(blocks: &[Block]) -> bool {
    let mut code = 0;
    let mut after = 0;
    for (i, b) in blocks.iter().enumerate() {
        if !matches!(b.kind, BlockKind::Code { .. }) || b.list_depth > 0 {
            continue;
        }
        code += 1;
        let next = blocks[i + 1..]
            .iter()
            .find(|x| !matches!(x.kind, BlockKind::Html { .. } | BlockKind::Image { .. }));
        if let Some(Block {
            kind: BlockKind::Para { text, .. },
            list_depth: 0,
            ..
        }) = next
        {
            let t = text.trim_end();
            if t.chars().count() <= 100 && (t.ends_with("다.") || t.ends_with('다')) {
                after += 1;
            }
        }
    }
    code >= 3 && after * 10 >= code * 6
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_offered_in_prose() {
        let t = "Cluster 구축을 위한 옵션은 이용할 Network Plugin에 따라 달라진다. 따라서 Cluster 구축전 Calico, Flannel, Cilium 3개의 Network Plugin인 중에서 이용할 Network Plugin을 하나를 선택해야 한다.";
        assert_eq!(
            offered_choices(t),
            Some((
                "network-plugin".to_string(),
                vec!["calico".into(), "flannel".into(), "cilium".into()]
            ))
        );
        assert_eq!(
            heading_words("4.1.1. Calico 기반 구축"),
            vec!["calico", "기반", "구축"]
        );
        assert!(numbered_heading("(10) 쿠버네티스 구성"));
        assert!(numbered_heading("2.1. Master Node"));
        assert!(!numbered_heading("컴포넌트 초기화"));
    }
}
