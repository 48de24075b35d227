//! The node scope in force: which nodes the guide says the section's commands run on.
//!
//! A scope opens at a heading that names nodes, at a scope line under a heading, at a tag
//! opening a list item or at an annotation; it lasts until the next heading of the same or a
//! higher level (a line's scope until the next scope line at its level, an item's until the
//! item ends). A heading that only titles a group of sibling sections (`(10) … - master에서만
//! 실행` before unnumbered sections) keeps its scope over them until the next numbered one.

use super::super::nodes::Canon;
use super::super::rules::Rule;
use super::super::steps::Signal;
use runbook_core::model::Source;

/// How a scope was opened, which decides when it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// By a heading (or an annotation before it): ends at the next heading of its level.
    Heading,
    /// By a heading with no body before sibling headings: lasts over them.
    Group,
    /// By a line of prose under a heading: replaced by the next such line at its level.
    Line,
    /// By a tag opening a list item: lasts while the list goes deeper than the item.
    Item(usize),
}

#[derive(Debug, Clone)]
pub struct Scope {
    pub level: u8,
    pub nodes: Vec<Canon>,
    pub at: Source,
    pub rule: &'static Rule,
    pub opened: Opened,
}

#[derive(Debug, Default)]
pub struct ScopeStack {
    scopes: Vec<Scope>,
}

impl ScopeStack {
    /// A heading of `level`: scopes of its level and deeper end, but a group's scope lasts over
    /// unnumbered siblings.
    pub fn on_heading(&mut self, level: u8, numbered: bool) {
        self.scopes.retain(|s| {
            s.level < level && !matches!(s.opened, Opened::Item(_))
                || s.opened == Opened::Group && s.level == level && !numbered
        });
    }

    /// A paragraph at list depth `depth` (`item_start` when it opens a list item): the scopes of
    /// items it is no longer inside end.
    pub fn on_depth(&mut self, depth: usize, item_start: bool) {
        self.scopes.retain(
            |s| !matches!(s.opened, Opened::Item(d) if depth < d || depth == d && item_start),
        );
    }

    pub fn push(&mut self, scope: Scope) {
        match scope.opened {
            Opened::Group | Opened::Heading => self
                .scopes
                .retain(|s| !(s.opened == Opened::Group && s.level == scope.level)),
            Opened::Line => self
                .scopes
                .retain(|s| !(s.opened == Opened::Line && s.level == scope.level)),
            Opened::Item(d) => self
                .scopes
                .retain(|s| !matches!(s.opened, Opened::Item(e) if e >= d)),
        }
        self.scopes.push(scope);
    }

    /// A scope an annotation opens at a heading, kept beside any group's.
    pub fn push_annotated(&mut self, scope: Scope) {
        self.scopes.push(scope);
    }

    /// The innermost scope, as a node signal.
    pub fn current(&self) -> Option<Signal> {
        self.scopes.last().map(|s| Signal {
            nodes: s.nodes.clone(),
            at: s.at.clone(),
            rule: Some(s.rule),
        })
    }
}
