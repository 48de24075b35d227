//! Which file a block of content belongs to, and what kind of edit it is.
//!
//! The file rules, tried in order: the annotation's path, a path named inside the block (its
//! first comment line, an editor command), a caption after the block, the path the prose before
//! named, an editor opened in the block before, and the last ini file of the section for more
//! `[section]` settings. The kind then follows from what the prose said (create or edit), the
//! path and the content's shape ([`steps::content_kind`]).

use super::super::files::{self, Intent};
use super::super::nodes::{self, Canon};
use super::super::rules::{self, Rule};
use super::super::steps::{self, Draft, Signal, Signals};
use super::code::BlockRead;
use super::Walker;
use crate::parse::{Block, BlockKind};
use runbook_core::model::{Kind, Source};

/// A caption right after a block: the file it names, what the sentence after it says to do
/// with it, the nodes it names, and where it is.
#[derive(Debug, Clone)]
pub struct Caption {
    pub path: String,
    pub intent: Intent,
    pub nodes: Vec<Canon>,
    pub line: usize,
}

/// A caption after a block names its file (and node): `<figcaption>[파일 2] Controller Node -
/// /etc/network/interfaces</figcaption>` or "/etc/memcached.conf에 [파일 5]의 내용을 추가한다."
pub fn caption_after(rest: &[Block]) -> Option<Caption> {
    let mut found: Option<Caption> = None;
    for b in rest.iter().take(4) {
        match &b.kind {
            BlockKind::Html { text } if text.contains("caption") => {
                let plain = strip_tags(text);
                if let Some(p) = files::paths_in(&plain).into_iter().next() {
                    found = Some(Caption {
                        path: p,
                        intent: Intent::Edit,
                        nodes: nodes::mentions(&plain, &[]),
                        line: b.line,
                    });
                }
            }
            BlockKind::Para { text, .. } => {
                let paths = files::paths_in(text);
                // the sentence after the caption says what to do with the file
                if let Some(f) = found.as_mut() {
                    if paths.contains(&f.path) {
                        f.intent = files::intent_of(text).unwrap_or(Intent::Edit);
                    } else if paths.len() == 1 && text.contains('[') {
                        // the instruction ("/etc/x에 [파일 15]의 내용을 추가") beats a caption
                        // copied from the figure before
                        f.path = paths[0].clone();
                        f.intent = files::intent_of(text).unwrap_or(Intent::Edit);
                    }
                    return found;
                }
                // "…에 [파일 5]의 내용을 추가한다", "위와 같이": about the block above, not the next
                let about_above =
                    (text.contains('[') || text.contains("위")) && !text.contains("다음");
                if paths.len() == 1 && b.list_depth == 0 && about_above {
                    return Some(Caption {
                        path: paths[0].clone(),
                        intent: files::intent_of(text).unwrap_or(Intent::Edit),
                        nodes: Vec::new(),
                        line: b.line,
                    });
                }
                return None;
            }
            BlockKind::Code { .. } | BlockKind::Heading { .. } => return found,
            _ => {}
        }
    }
    found
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

pub fn with_newline(s: &str) -> String {
    let mut s = s.trim_end_matches('\n').to_string();
    s.push('\n');
    s
}

fn strip_ellipsis_edges(lines: &[String]) -> String {
    let mut v: &[String] = lines;
    while v.first().is_some_and(|l| files::is_ellipsis(l)) {
        v = &v[1..];
    }
    while v.last().is_some_and(|l| files::is_ellipsis(l)) {
        v = &v[..v.len() - 1];
    }
    v.join("\n")
}

/// The file a content segment belongs to, whether it is created or edited, and the rule and
/// place that said so.
struct Target {
    path: String,
    intent: Intent,
    rule: &'static Rule,
    at: Source,
}

impl Walker<'_> {
    /// The file rules, in order (see the module's documentation).
    fn target(
        &mut self,
        r: &mut BlockRead,
        in_block: Option<(String, Option<&'static Rule>)>,
        body: &str,
        signals: &mut Signals,
        here: &Source,
    ) -> Option<Target> {
        let t = |path: String, intent, rule, at: &Source| Target {
            path,
            intent,
            rule,
            at: at.clone(),
        };
        if let Some(p) = r.ann.as_ref().and_then(|a| a.path.clone()) {
            let at = self.src(r.ann.as_ref().map_or(here.line, |a| a.line));
            return Some(t(p, Intent::Edit, &rules::ANNOTATION_PATH, &at));
        }
        if let Some((p, rule)) = in_block {
            // named inside the block: the words before it decide, else it is an edit
            let intent = match &r.pending {
                Some(pf) if pf.path == p => pf.intent,
                _ => Intent::Edit,
            };
            return Some(t(p, intent, rule.unwrap_or(&rules::PATH_IN_BLOCK), here));
        }
        if let Some(c) = r.caption.clone() {
            // a caption right after the block names its file and node: it beats the prose
            // before, which may speak of the block before
            self.files.last_caption = Some(c.path.clone());
            let at = self.src(c.line);
            if !c.nodes.is_empty() {
                signals.local = Some(Signal::new(c.nodes, at.clone()));
            }
            return Some(t(c.path, c.intent, &rules::CAPTION_AFTER, &at));
        }
        if let Some(p) = r.pending.as_ref().filter(|_| !r.used_pending) {
            r.used_pending = true;
            return Some(t(p.path.clone(), p.intent, p.rule, &p.at));
        }
        if let Some(p) = r.editor.clone() {
            return Some(t(p, Intent::Edit, &rules::EDITOR_BEFORE, here));
        }
        // more `[section]` settings in the same section go on in the same file
        let p = self
            .files
            .last_ini
            .clone()
            .filter(|_| files::looks_ini(body))?;
        Some(t(p, Intent::Edit, &rules::SAME_INI_FILE, here))
    }

    /// A segment of file content: the step that edits its file.
    pub(super) fn content(
        &mut self,
        r: &mut BlockRead,
        mut d: Draft,
        in_block: Option<(String, Option<&'static Rule>)>,
        lines: Vec<String>,
        mut signals: Signals,
    ) {
        let body = lines.join("\n");
        let here = d.source.clone();
        let Some(target) = self.target(r, in_block, &body, &mut signals, &here) else {
            if r.ann.as_ref().is_some_and(|a| a.kind.is_some()) {
                // annotated as an edit, with no file: the operator decides
                d.kind = Kind::Lines;
                self.emit(d, signals, r.ann.as_ref());
                return;
            }
            if files::looks_ini(&body)
                || body.lines().filter(|l| l.contains('=')).count() >= 2
                    && !r.info.contains("console")
            {
                self.diags.warn(
                    here,
                    "block looks like file content but no file is named before or after it; annotate it with <!-- runbook: kind=... path=... -->",
                );
            }
            return;
        };
        let create = target.intent == Intent::Create;
        let kind = r.ann.as_ref().and_then(|a| a.kind).unwrap_or_else(|| {
            let info = if create { r.info_word() } else { "" };
            steps::content_kind(&target.path, info, &body, create)
        });
        d.kind = kind;
        d.why.push(target.rule.at(&target.at));
        d.why.push(content_rule(kind, create).at(&here));
        match kind {
            Kind::File => d.content = Some(with_newline(&strip_ellipsis_edges(&lines))),
            Kind::Ini => d.settings = Some(files::ini_settings(&body)),
            Kind::Manual => {
                self.diags.warn(
                    here,
                    format!("part of {} (with `...`) cannot be merged into the file: shown as a manual step", target.path),
                );
                d.lines = vec![format!("{} 파일에 다음 내용을 반영", target.path)];
            }
            _ => {
                let (keep, co) = files::lines_of(&body);
                d.keep = Some(keep);
                d.comment_out = co;
                d.kind = Kind::Lines;
            }
        }
        if kind == Kind::Ini {
            self.files.last_ini = Some(target.path.clone());
        }
        if kind != Kind::Manual {
            d.path = Some(target.path);
        }
        self.emit(d, signals, r.ann.as_ref());
    }
}

/// The kind rule that read content of this kind.
fn content_rule(kind: Kind, create: bool) -> &'static Rule {
    match kind {
        Kind::File if create => &rules::CREATED_FILE,
        Kind::File => &rules::WHOLE_FILE,
        Kind::Ini => &rules::INI_SETTINGS,
        Kind::Manual => &rules::PARTIAL_STRUCTURED,
        _ => &rules::LINES_EDIT,
    }
}
