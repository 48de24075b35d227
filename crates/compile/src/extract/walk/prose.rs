//! Paragraphs and list items: where the commands that follow run (scope lines, tags, host keys,
//! label lines, sentences before a block), the file the prose names, the titles of what
//! follows, and steps told in the prose itself.

use super::super::files::{self, Intent};
use super::super::nodes::{self, Canon};
use super::super::prose::{self, Action};
use super::super::roles;
use super::super::rules::{self, Rule};
use super::super::shell::{self, Effect};
use super::super::steps::{self, Draft, Signal, Signals};
use super::scope::{Opened, Scope};
use super::{PendingFile, Walker};
use crate::parse::{Block, BlockKind};
use runbook_core::model::Kind;

/// Does this chapter explain each block in the sentence after it (`chrony Package를 설치한다.`)?
pub fn explains_after(blocks: &[Block]) -> bool {
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
            if is_after_sentence(text) {
                after += 1;
            }
        }
    }
    code >= 3 && after * 10 >= code * 6
}

/// A short sentence in the plain declarative ending (`…한다.`): how some authors explain the block
/// above.
pub fn is_after_sentence(text: &str) -> bool {
    let t = text.trim_end();
    t.chars().count() <= 100 && (t.ends_with("다.") || t.ends_with('다'))
}

/// Only the specific nodes of a list that also says "every node" (`Controller와 Compute 모든
/// 노드에서`), else the list as it is.
fn specific(m: Vec<Canon>) -> Vec<Canon> {
    let named: Vec<Canon> = m
        .iter()
        .filter(|c| matches!(c, Canon::Node(_)))
        .cloned()
        .collect();
    if named.is_empty() {
        m
    } else {
        named
    }
}

impl Walker<'_> {
    pub(super) fn para(
        &mut self,
        b: &Block,
        text: &str,
        codes: &[String],
        strong: bool,
        rest: &[Block],
    ) {
        self.age_pending(b);
        // a sentence about where to run applies to the next block only
        self.prose.hint = None;
        self.prose.copies_to = copy_targets(text, &self.found.nodes);
        self.scopes.on_depth(b.list_depth, b.item_start);
        self.options.on_depth(b.list_depth, b.item_start);
        // an item tagged optional (`**(Optional)**`, `(선택)`) and what it holds; the first item
        // under a heading tags the whole section
        let first_item = b.list_depth > 0 && !self.prose.seen_item;
        self.prose.seen_item |= b.list_depth > 0;
        if let Some(t) = roles::leading_tag(text).filter(|_| b.item_start && b.list_depth > 0) {
            let at = self.src(b.line);
            let depth = (!first_item).then_some(b.list_depth);
            self.options
                .not_part_of_install(&format!("({t})"), self.level, depth, at, self.found);
        }
        if self.prose_scope(b, text, codes, strong, rest) {
            return;
        }
        // in a guide that explains each block after it, the sentence right after a block is about
        // that block (its file was already taken from the caption): it names no file for the next
        let about_block_before =
            self.prose.explains_after && !self.prose.since_block && b.list_depth == 0;
        if let Some(c) = super::options::offered_choices(text) {
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
            self.options.offer(c);
        }
        self.prose.since_block = true;
        self.prose.last_para = Some(steps::title_of(text));
        if !about_block_before && !self.label_names_file(b, text, rest) {
            self.names_file(b, text, codes);
        }
        if b.list_depth > 0 || text.chars().count() <= 120 {
            let d = b.list_depth;
            let titles = &mut self.prose.titles;
            titles.truncate(d + 1);
            while titles.len() <= d {
                titles.push(None);
            }
            titles[d] = Some(steps::title_of(text));
        }
        self.prose_steps(b, text, codes);
    }

    /// A file named for editing stays pending through its own sub-items, then expires.
    fn age_pending(&mut self, b: &Block) {
        if let Some(p) = self.files.pending.as_mut().filter(|p| !p.sticky) {
            if b.list_depth <= p.depth {
                p.age += 1;
            }
            if p.age > 2 {
                self.files.pending = None;
            }
        }
        if self
            .files
            .item
            .as_ref()
            .is_some_and(|(_, d)| b.list_depth <= *d)
        {
            self.files.item = None;
        }
    }

    /// Where the following commands run, as the prose says it: a scope line (which is then all
    /// the paragraph does), a tag opening a list item, a host key, a label line naming the
    /// instance of the next block, or a sentence before the next block.
    fn prose_scope(
        &mut self,
        b: &Block,
        text: &str,
        codes: &[String],
        strong: bool,
        rest: &[Block],
    ) -> bool {
        let at = self.src(b.line);
        let tag: Vec<Canon> = roles::bold_tag(text)
            .into_iter()
            .filter_map(|n| self.found.node(&n).map(Canon::Node))
            .collect();
        if b.item_start && !tag.is_empty() {
            self.open_scope(tag, &rules::BOLD_TAG, Opened::Item(b.list_depth), b);
        }
        if let Some(n) = host_key_scope(text, &self.found.nodes) {
            if !self.found.expand(&n).is_empty() {
                self.open_scope(n, &rules::HOST_KEY, Opened::Line, b);
                return true;
            }
        }
        let instances: Vec<String> = match roles::label_line(text, b, rest.first()) {
            Some(n) => self.found.node(&n).into_iter().collect(),
            None => roles::label_group(text, b, rest.first())
                .map(|stem| self.found.instances_of(&stem))
                .unwrap_or_default(),
        };
        if !instances.is_empty() {
            let nodes = instances.into_iter().map(Canon::Node).collect();
            let mut s = Signal::new(nodes, at.clone());
            s.rule = Some(&rules::LABEL_LINE);
            self.prose.label = Some(s);
        }
        let m = nodes::where_run(text, &self.found.nodes);
        if m.is_empty() || self.found.expand(&m).is_empty() {
            // a sentence right before a block about one node (`마스터 노드의 … 조정합니다`)
            let before_code = matches!(rest.first().map(|n| &n.kind), Some(BlockKind::Code { .. }));
            if let Some(t) = nodes::topic(text, &self.found.nodes).filter(|_| before_code) {
                if !self.found.expand(std::slice::from_ref(&t)).is_empty() {
                    self.prose.hint = Some(Signal::new(vec![t], at));
                }
            }
            return false;
        }
        let sc = specific(m);
        if nodes::short_scope_line(text, strong) && codes.iter().all(|c| !c.starts_with('/')) {
            self.open_scope(sc, &rules::SCOPE_LINE, Opened::Line, b);
            return true;
        }
        self.prose.hint = Some(Signal::new(sc, at));
        false
    }

    fn open_scope(&mut self, nodes: Vec<Canon>, rule: &'static Rule, opened: Opened, b: &Block) {
        self.scopes.push(Scope {
            level: self.level,
            nodes,
            at: self.src(b.line),
            rule,
            opened,
        });
    }

    /// A file named for editing (`` `/etc/chrony.conf` 수정 ``, `파일 생성 및 편집`): the content
    /// of the next block goes there.
    fn names_file(&mut self, b: &Block, text: &str, codes: &[String]) {
        let paths: Vec<String> = files::paths_in(text);
        let Some(p) = paths.first() else { return };
        let Some(intent) = files::intent_of(text) else {
            return;
        };
        let does_it_itself = codes
            .iter()
            .any(|c| shell::is_command(c) && c.contains(' '));
        let caption_named = self.files.last_caption.as_deref() == Some(p.as_str());
        if does_it_itself || caption_named {
            return;
        }
        let leading = codes
            .first()
            .filter(|c| c.starts_with('/') && text.starts_with(&format!("`{c}`")))
            .cloned();
        if leading.is_none()
            && paths.len() != 1
            && codes.iter().filter(|c| c.starts_with('/')).count() != 1
        {
            return;
        }
        let p = leading
            .or_else(|| codes.iter().find(|c| c.starts_with('/')).cloned())
            .unwrap_or_else(|| p.clone());
        self.files.pending = Some(PendingFile {
            path: p.clone(),
            intent,
            at: self.src(b.line),
            rule: &rules::PROSE_BEFORE,
            sticky: false,
            age: 0,
            depth: b.list_depth,
        });
        self.files.item = Some((p, b.list_depth));
    }

    /// A label line right before a block, or a path given as a key, names the block's file.
    fn label_names_file(&mut self, b: &Block, text: &str, rest: &[Block]) -> bool {
        // (a list item naming a file is read by the prose rules)
        let before_code = b.list_depth == 0
            && matches!(rest.first().map(|n| &n.kind), Some(BlockKind::Code { .. }));
        let instance_first = roles::label_line(text, b, rest.first()).is_some()
            || roles::label_group(text, b, rest.first()).is_some();
        let (path, create, rule) = match super::naming::path_key(text) {
            Some(p) => (p, false, &rules::PATH_KEY),
            None => match super::naming::label_file(text, instance_first).filter(|_| before_code) {
                Some((p, create)) => (p, create, &rules::LABEL_NAMES_FILE),
                None => return false,
            },
        };
        self.files.pending = Some(PendingFile {
            path,
            intent: if create { Intent::Create } else { Intent::Edit },
            at: self.src(b.line),
            rule,
            sticky: false,
            age: 0,
            depth: b.list_depth,
        });
        true
    }

    /// Steps told in the prose itself: inline commands in list items, prose edits of a file.
    fn prose_steps(&mut self, b: &Block, text: &str, codes: &[String]) {
        let ctx = self
            .files
            .item
            .as_ref()
            .filter(|(_, d)| b.list_depth > *d || self.files.pending.is_some())
            .map(|(p, _)| p.clone());
        let actions = prose::read(text, codes, ctx.as_deref(), b.list_depth > 0);
        if actions.is_empty() {
            return;
        }
        let ann = self.annotation.take();
        if ann.as_ref().is_some_and(|a| a.skip) {
            return;
        }
        let title = steps::title_of(text);
        for a in actions {
            match a {
                Action::Command(cmd) => {
                    let kind = match shell::effect(&cmd) {
                        Effect::Verify => Kind::Verify,
                        Effect::Manual => Kind::Manual,
                        Effect::Editor => continue,
                        Effect::Change => Kind::Command,
                    };
                    let mut d = self.draft(kind, b.line, b.end_line, title.clone(), cmd.clone());
                    if kind == Kind::Command {
                        d.why.push(rules::INLINE_COMMAND.at(&d.source));
                    }
                    d.lines = vec![cmd];
                    self.emit(d, self.prose_signals(), ann.as_ref());
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
                    let mut d =
                        self.draft(Kind::Lines, b.line, b.end_line, title.clone(), original);
                    d.path = Some(path);
                    d.keep = Some(keep);
                    d.comment_out = comment_out;
                    d.why.push(rules::PROSE_EDIT.at(&d.source));
                    self.emit(d, self.prose_signals(), ann.as_ref());
                    // the file has been edited as told: a block that follows is not its content
                    if let Some(p) = self
                        .files
                        .pending
                        .as_mut()
                        .filter(|p| p.depth < b.list_depth)
                    {
                        p.age = 0;
                    }
                }
            }
        }
    }

    /// A draft of a step at lines `line..=end_line` of the chapter, in the current section.
    pub(super) fn draft(
        &self,
        kind: Kind,
        line: usize,
        end_line: usize,
        title: String,
        original: String,
    ) -> Draft {
        Draft {
            kind,
            source: self.src(line),
            end_line,
            section: self.section(),
            title,
            original,
            lines: Vec::new(),
            path: None,
            content: None,
            settings: None,
            keep: None,
            comment_out: Vec::new(),
            option: self.option(),
            why: self.options.skip_reason().into_iter().collect(),
        }
    }

    pub(super) fn prose_signals(&self) -> Signals {
        Signals {
            scope: self.scopes.current(),
            hint: self.prose.hint.clone(),
            ..Signals::default()
        }
    }

    /// `> \# apt update <br>` blockquotes of commands, read as a block.
    pub(super) fn quote_commands(&mut self, b: &Block, text: &str) -> bool {
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let strip = |l: &str| -> String {
            let l = l.trim_start_matches('\\');
            l.strip_prefix("# ")
                .or_else(|| l.strip_prefix("$ "))
                .unwrap_or(l)
                .to_string()
        };
        let cmds = lines
            .iter()
            .filter(|l| {
                let l = l.trim_start_matches('\\');
                let l = l
                    .strip_prefix("# ")
                    .or_else(|| l.strip_prefix("$ "))
                    .or_else(|| l.strip_prefix('#'))
                    .unwrap_or(l);
                shell::is_command(l)
            })
            .count();
        let first_cmd = lines.first().is_some_and(|l| shell::is_command(&strip(l)));
        let sql_prompts = lines
            .iter()
            .filter(|l| {
                let t = l.trim_start().to_ascii_lowercase();
                t.starts_with("mysql>") || t.starts_with("mariadb [") || t.starts_with("->")
            })
            .count();
        let cmds = cmds + sql_prompts;
        let heredoc = lines.iter().any(|l| l.contains("<<"));
        if self.files.editor.is_some() && !first_cmd {
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
}

/// The nodes a sentence says the next block copies to (`second, slave node에 배포`, `워커 노드로
/// 복사`).
fn copy_targets(text: &str, known: &[String]) -> Vec<Canon> {
    let copies = ["배포", "복사", "전송", "copy", "distribute"]
        .iter()
        .any(|w| text.contains(w));
    if !copies {
        return Vec::new();
    }
    nodes::mentions(text, known)
        .into_iter()
        .filter(|c| matches!(c, Canon::Node(_)))
        .collect()
}

/// A host key's scope (`실행 호스트 : Master`, `타겟: 모든 노드`): the nodes its value names.
fn host_key_scope(text: &str, known: &[String]) -> Option<Vec<Canon>> {
    let (key, value) = text.split_once(':')?;
    if !roles::is_host_key(key) {
        return None;
    }
    let mut m = nodes::mentions(value, known);
    if m.is_empty() {
        m = value
            .split([',', '/', '&'])
            .filter_map(|w| nodes::canon_label(w.trim(), known))
            .collect();
    }
    (!m.is_empty()).then(|| specific(m))
}
