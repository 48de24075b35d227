//! Headings: the section path, the node scope a heading opens, and the alternative it starts.

use super::super::nodes::{self, Canon};
use super::super::roles;
use super::super::rules::{self, Rule};
use super::scope::{Opened, Scope};
use super::Walker;
use crate::extract::discover::Found;

/// The nodes a heading names, and the rule that read them, tried in order: where it says to
/// run, the nodes it mentions, a heading that is a node's name, an address given to a machine,
/// a host in parentheses.
pub fn heading_scope(text: &str, found: &Found) -> Option<(Vec<Canon>, &'static Rule)> {
    let known = &found.nodes;
    let mut m = nodes::where_run(text, known);
    if m.is_empty() {
        m = nodes::mentions(text, known);
    }
    if m.is_empty() {
        m = nodes::canon_label(text, known)
            .filter(|c| matches!(c, Canon::Node(n) if found.node(n).is_some()))
            .into_iter()
            .collect();
    }
    let specific: Vec<Canon> = m
        .iter()
        .filter(|c| matches!(c, Canon::Node(_)))
        .cloned()
        .collect();
    let scope = if specific.is_empty() { m } else { specific };
    if !scope.is_empty() {
        return Some((scope, &rules::HEADING_NAMES_NODE));
    }
    if let Some(n) = roles::addressed(text).filter(|n| found.node(n).is_some()) {
        return Some((vec![Canon::Node(n)], &rules::HEADING_WITH_ADDRESS));
    }
    let (role, host) = roles::role_and_host(text)?;
    let n = [host, role].into_iter().find(|n| found.node(n).is_some())?;
    Some((vec![Canon::Node(n)], &rules::HEADING_NAMES_HOST))
}

impl Walker<'_> {
    pub(super) fn heading(&mut self, level: u8, text: &str, line: usize, group: bool) {
        while self.sections.last().is_some_and(|(l, _)| *l >= level) {
            self.sections.pop();
        }
        self.sections.push((level, text.to_string()));
        self.level = level;
        self.scopes
            .on_heading(level, super::options::numbered_heading(text));
        self.options.on_heading(level);
        self.files = super::FileContext {
            last_caption: self.files.last_caption.take(),
            ..super::FileContext::default()
        };
        self.prose = super::ProseContext {
            explains_after: self.prose.explains_after,
            ..super::ProseContext::default()
        };
        self.open_heading_scope(level, text, line, group);
        if let Some(path) = super::naming::heading_file(text) {
            self.files.pending = Some(super::PendingFile {
                path,
                intent: crate::extract::files::Intent::Edit,
                at: self.src(line),
                rule: &rules::HEADING_NAMES_FILE,
                sticky: true,
                age: 0,
                depth: 0,
            });
        }
        self.options.heading_alternative(level, text, self.found);
        let at = self.src(line);
        self.options
            .not_part_of_install(text, level, None, at, self.found);
        if let Some(a) = self.annotation.take() {
            if let Some(n) = &a.nodes {
                self.scopes.push_annotated(Scope {
                    level,
                    nodes: n.iter().map(|x| Canon::Node(x.clone())).collect(),
                    at: self.src(a.line),
                    rule: &rules::ANNOTATION_NODES,
                    opened: Opened::Heading,
                });
            }
            if a.skip {
                self.options.skip_section(level);
            }
        }
    }

    /// The scope a heading opens (a group's, over the sections after it, when it has no body).
    fn open_heading_scope(&mut self, level: u8, text: &str, line: usize, group: bool) {
        let Some((nodes, rule)) = heading_scope(text, self.found) else {
            return;
        };
        if self.found.expand(&nodes).is_empty() {
            return;
        }
        // `Worker 노드 조인 명령어 확인` under a master's section: the node is what the work is
        // about (joining it), done where the section runs
        if let Some(parent) = self.scopes.current() {
            if parent.nodes != nodes && nodes::names_object(text) {
                return;
            }
        }
        let (rule, opened) = if group {
            (&rules::GROUP_HEADING, Opened::Group)
        } else {
            (rule, Opened::Heading)
        };
        self.scopes.push(Scope {
            level,
            nodes,
            at: self.src(line),
            rule,
            opened,
        });
    }
}
