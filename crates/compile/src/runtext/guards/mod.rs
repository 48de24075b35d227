//! Guards for commands that fail or double when run twice, by what each command does.
//!
//! A command step's text is read as a shell would ([`super::shell`]): logical command by logical
//! command, and inside each, simple command by simple command of its `&&`/`||`/`;`/`|` list, with
//! environment assignments, `sudo [-u USER]` and `env` seen as a prefix of the command word
//! ([`cmd::Cmd`]). Each simple command is offered to the rules of [`RULES`] in order; the first
//! rule that reads it decides:
//!
//! - [`Guard::Idempotent`]: the command repeats safely as written (it is listed so that the table
//!   says so, and the re-run tests prove it);
//! - [`Guard::Unless`]: `QUERY || CMD`, the query succeeding when the work is already done;
//! - [`Guard::Replace`]: the same work written so that it repeats safely (`mkdir -p`,
//!   `helm upgrade --install`, `ovs-vsctl --may-exist`, a runtime helper such as `rb_append`);
//! - [`Guard::UnlessPipeline`]: a query guarding the whole pipeline the command starts;
//! - [`Guard::Flag`]: nothing can be written safely; `runbook check` says why ([`notes`]).
//!
//! A simple command after `||` is a fallback and stays as it is (this also makes the rewrite
//! idempotent). Compound commands (`if`, `for`, `(`…`)`, functions) pass through unchanged, as
//! does anything the splitter cannot read. Everything no rule reads relies on the runbook's
//! state file (a step that succeeded is not run again).

pub mod cmd;
mod rules;

use super::shell::{self, Tok};
use cmd::Cmd;

/// What a rule makes of a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Guard {
    Idempotent,
    Unless(String),
    Replace(String),
    UnlessPipeline(String),
    Flag(String),
}

/// One entry of the guard table.
pub struct Rule {
    pub name: &'static str,
    /// The kind of command the rule reads.
    pub reads: &'static str,
    /// What its guard checks, or how the rewrite repeats safely.
    pub checks: &'static str,
    pub apply: fn(&Cmd) -> Option<Guard>,
}

pub use rules::RULES;

/// Guard every logical command of a command step's text.
pub fn guard(text: &str) -> String {
    rewrite(text, &mut Vec::new())
}

/// The rules that read the simple commands of `text`, in order (a rule once per command).
pub fn rules_applied(text: &str) -> Vec<&'static str> {
    let mut seen = Vec::new();
    rewrite(text, &mut seen);
    seen.into_iter().map(|(r, _)| r).collect()
}

/// What `runbook check` should say about `text`: commands that cannot be made to repeat safely.
pub fn notes(text: &str) -> Vec<String> {
    let mut seen = Vec::new();
    rewrite(text, &mut seen);
    seen.into_iter()
        .filter_map(|(r, g)| match g {
            Guard::Flag(m) => Some(format!("{r}: {m}")),
            _ => None,
        })
        .collect()
}

fn rewrite(text: &str, seen: &mut Vec<(&'static str, Guard)>) -> String {
    let mut units = shell::split(text);
    for u in units.iter_mut() {
        if !u.parsed {
            continue;
        }
        if let Some(h) = guard_head(&u.head, seen) {
            u.head = h;
        }
    }
    shell::join(&units)
}

/// The first rule that reads `c`.
fn decide(c: &Cmd) -> Option<(&'static str, Guard)> {
    if c.name().is_empty() {
        return None;
    }
    RULES.iter().find_map(|r| (r.apply)(c).map(|g| (r.name, g)))
}

/// A replacement of the byte range `[start, end)` of a head.
struct Edit {
    start: usize,
    end: usize,
    text: String,
}

fn guard_head(head: &str, seen: &mut Vec<(&'static str, Guard)>) -> Option<String> {
    let toks = shell::tokens(head)?;
    if toks.iter().any(|t| t.kind == Tok::Paren) {
        return None;
    }
    let cmds = cmd::simple_commands(head, &toks);
    if cmds.iter().any(|c| c.is_compound()) {
        return None;
    }
    let mut edits: Vec<Edit> = Vec::new();
    for c in &cmds {
        if matches!(c.prev, "||" | "|&") || edits.last().is_some_and(|e| e.end > c.start) {
            continue;
        }
        let Some((rule, g)) = decide(c) else {
            continue;
        };
        let edit = match &g {
            Guard::Unless(q) => Some((c.start, c.end, c.unless(q))),
            Guard::Replace(t) => Some((c.start, c.end, t.clone())),
            Guard::UnlessPipeline(q) => {
                let chained = !matches!(c.prev, "" | ";" | "\n") || {
                    let last = cmds.iter().rfind(|x| x.pipe_start == c.pipe_start);
                    last.is_some_and(|l| !matches!(l.next, "" | ";" | "\n"))
                };
                let text = &head[c.pipe_start..c.pipe_end];
                Some((c.pipe_start, c.pipe_end, cmd::unless(q, text, chained)))
            }
            Guard::Idempotent | Guard::Flag(_) => None,
        };
        seen.push((rule, g));
        if let Some((start, end, text)) = edit {
            edits.push(Edit { start, end, text });
        }
    }
    if edits.is_empty() {
        return None;
    }
    let mut out = head.to_string();
    for e in edits.into_iter().rev() {
        out.replace_range(e.start..e.end, &e.text);
    }
    Some(out)
}

#[cfg(test)]
mod tests;
