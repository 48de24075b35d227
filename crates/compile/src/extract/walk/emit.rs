//! A draft becomes a raw step: the annotation's signals and path are put in, a relative or
//! variable path is made absolute (or the edit becomes a manual step when it cannot be), the
//! kind's rule is recorded, the session follows the step, and one-line prose edits of one file
//! in a row become one step.

use super::super::annotate::Annotation;
use super::super::nodes::Canon;
use super::super::rules::{self, Rule};
use super::super::steps::{self, Draft, RawStep, Signal, Signals};
use super::context::Resolved;
use super::Walker;
use runbook_core::model::{Action, Kind};

/// The kind rule of a step whose kind no block rule recorded.
fn kind_rule(d: &Draft, annotated: bool) -> &'static Rule {
    if annotated {
        return &rules::ANNOTATION_KIND;
    }
    match d.kind {
        Kind::Verify => &rules::READ_ONLY_CHECK,
        Kind::Manual => &rules::NOT_UNATTENDED,
        Kind::Sql => &rules::SQL_SESSION,
        _ => &rules::COMMAND,
    }
}

/// Files a shell reads when it starts: the variables written there are the session's.
fn is_rc_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(
        name,
        ".bashrc" | ".bash_profile" | ".profile" | "profile" | "environment" | ".zshrc"
    ) || path.starts_with("/etc/profile.d/")
}

/// An edit that cannot be made unattended: a manual step telling the operator what to change.
fn to_manual(d: &mut Draft, path: &str) {
    d.lines = vec![format!("{path} 파일에 다음 내용을 반영")];
    d.kind = Kind::Manual;
    d.path = None;
    d.content = None;
    d.settings = None;
    d.keep = None;
    d.comment_out.clear();
    d.why.retain(|r| r.about != "kind");
    d.why.insert(0, rules::NOT_UNATTENDED.at(&d.source));
}

impl Walker<'_> {
    pub(super) fn emit(&mut self, mut d: Draft, mut signals: Signals, ann: Option<&Annotation>) {
        if let Some(a) = ann {
            if let Some(n) = &a.nodes {
                signals.annotation = Some(Signal::new(
                    n.iter().map(|x| Canon::Node(x.clone())).collect(),
                    self.src(a.line),
                ));
            }
            if let Some(p) = &a.path {
                if d.path.is_none() && matches!(d.kind, Kind::File | Kind::Ini | Kind::Lines) {
                    d.path = Some(p.clone());
                }
            }
        }
        if !d.why.iter().any(|r| r.about == "kind") {
            let annotated = ann.is_some_and(|a| a.kind.is_some());
            d.why.insert(0, kind_rule(&d, annotated).at(&d.source));
        }
        if !self.absolute_path(&mut d) {
            return;
        }
        match d.kind {
            Kind::Command => self.session.follow(&d.lines),
            Kind::Lines | Kind::File if d.path.as_deref().is_some_and(is_rc_file) => {
                let body = d.content.clone().unwrap_or_default();
                let lines: Vec<String> = match &d.keep {
                    Some(k) => k.clone(),
                    None => body.lines().map(str::to_string).collect(),
                };
                self.session.follow_rc(&lines);
            }
            _ => {}
        }
        let step = steps::build(d, self.found);
        if self.merge(&step, &signals) {
            return;
        }
        self.out.push(RawStep { step, signals });
    }

    /// Make the draft's path absolute, noting how; a path that cannot be resolved turns the
    /// edit into a manual step, with a warning. Returns false when the draft is dropped.
    fn absolute_path(&mut self, d: &mut Draft) -> bool {
        let Some(p) = d.path.clone() else {
            if matches!(d.kind, Kind::File | Kind::Ini | Kind::Lines) {
                // an edit whose file nothing names (an annotation giving the kind only)
                self.diags.warn(
                    d.source.clone(),
                    "an edit names no file: shown as a manual step; annotate it with <!-- runbook: path=/... -->",
                );
                to_manual(d, "(파일 경로를 정하세요)");
            }
            return true;
        };
        let at = d.source.clone();
        match self.session.resolve(&p) {
            Resolved::Absolute(p) => d.path = Some(p),
            Resolved::Expanded(abs) => {
                self.diags
                    .note(at.clone(), format!("file path {p:?} read as {abs}"));
                d.why.push(rules::RELATIVE_PATH.at(&at));
                d.path = Some(abs);
            }
            Resolved::FromCwd(abs) => {
                self.diags.note(
                    at.clone(),
                    format!("relative file path {p:?} read against the directory of the guide's last `cd`: {abs}"),
                );
                d.why.push(rules::RELATIVE_PATH.at(&at));
                d.path = Some(abs);
            }
            Resolved::FromHome(abs) => {
                self.diags.warn(
                    at.clone(),
                    format!("relative file path {p:?} with no `cd` before it: read against the home directory, {abs}"),
                );
                d.why.push(rules::RELATIVE_PATH.at(&at));
                d.path = Some(abs);
            }
            Resolved::Unknown => {
                self.diags.warn(
                    at,
                    format!("file path {p:?} cannot be made absolute: shown as a manual step; annotate it with <!-- runbook: path=/... -->"),
                );
                to_manual(d, &p.replace(['\n', '\r'], " "));
            }
        }
        true
    }

    /// One-line prose edits of one file, one right after the other, are one step.
    fn merge(&mut self, step: &runbook_core::model::Step, signals: &Signals) -> bool {
        let Some(prev) = self.out.last_mut() else {
            return false;
        };
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
        if !mergeable {
            return false;
        }
        let p = &mut prev.step;
        p.original.push('\n');
        p.original.push_str(&step.original);
        p.end_line = step.end_line;
        if let (
            Action::Lines {
                lines: a,
                comment_out: ca,
                ..
            },
            Action::Lines {
                lines: b,
                comment_out: cb,
                ..
            },
        ) = (&mut p.action, &step.action)
        {
            for l in b {
                if !a.contains(l) {
                    a.push(l.clone());
                }
            }
            for l in cb {
                if !ca.contains(l) {
                    ca.push(l.clone());
                }
            }
        }
        for v in &step.variables {
            if !p.variables.contains(v) {
                p.variables.push(v.clone());
            }
        }
        true
    }
}
