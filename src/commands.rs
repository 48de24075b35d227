//! What the read-only commands print: `list` (and `list --explain`), `rules`, `check`.

use anyhow::{bail, Result};
use runbook_core::model::{Plan, Reason, Step};
use runbook_core::source::{Compiled, Guide};
use std::fmt::Write as _;

/// `runbook list`: the steps as a table, those of `node` only when given.
pub fn list(plan: &Plan, node: Option<&str>) -> Result<String> {
    if let Some(n) = node {
        if !plan.nodes.iter().any(|x| x == n) {
            bail!("no node named {n:?}; nodes: {}", plan.nodes.join(", "));
        }
    }
    let mut out = format!(
        "{:<12} {:>5}  {:<20} {:<8} {:<50} SOURCE\n",
        "ID", "PHASE", "NODES", "KIND", "TITLE"
    );
    for s in &plan.steps {
        if node.is_some_and(|n| !s.nodes.iter().any(|x| x == n)) {
            continue;
        }
        let title: String = s.title.chars().take(48).collect();
        let sel = if s.selected() { "" } else { " (not selected)" };
        let _ = writeln!(
            out,
            "{:<12} {:>5}  {:<20} {:<8} {:<50} {}{}",
            s.id,
            s.phase,
            s.nodes.join(","),
            s.kind().as_str(),
            title,
            s.source,
            sel
        );
    }
    Ok(out)
}

/// `runbook list --explain ID`: what the compiler decided about one step, the rule behind each
/// decision and the guide's words it read.
pub fn explain(c: &Compiled, id: &str) -> Result<String> {
    let Some(s) = c.plan.steps.iter().find(|s| s.id == id) else {
        bail!("no step with id {id:?} (`runbook list` shows the ids)");
    };
    let mut out = String::new();
    let _ = writeln!(out, "step {}: {}", s.id, s.title);
    let _ = writeln!(
        out,
        "  source   {}-{}  (section: {})",
        s.source,
        s.end_line,
        s.section.join(" › ")
    );
    let _ = writeln!(out, "  kind     {}", s.kind().as_str());
    let _ = writeln!(out, "  nodes    {}", s.nodes.join(", "));
    if let Some(p) = s.path() {
        let _ = writeln!(out, "  file     {p}");
    }
    let _ = writeln!(out, "  phase    {}{}", s.phase, selected_note(s));
    if s.why.is_empty() {
        out.push_str("  (no rule recorded)\n");
    }
    for r in &s.why {
        push_reason(&mut out, &c.guide, r);
    }
    Ok(out)
}

fn selected_note(s: &Step) -> String {
    match &s.option {
        Some(o) if !o.selected => format!(" (alternative {}={}: not selected)", o.name, o.value),
        Some(o) => format!(" (alternative {}={})", o.name, o.value),
        None => String::new(),
    }
}

fn push_reason(out: &mut String, guide: &Guide, r: &Reason) {
    let reads = runbook_compile::extract::rules::catalog()
        .find(|x| x.name == r.rule)
        .map_or("", |x| x.reads);
    let _ = writeln!(out, "  {:<8} ← {}  at {}", r.about, r.rule, r.at);
    if let Some(text) = line_of(guide, &r.at.file, r.at.line) {
        let _ = writeln!(out, "             │ {text}");
    }
    if !reads.is_empty() {
        let _ = writeln!(out, "             rule: {reads}");
    }
}

/// One line of a chapter, trimmed and cut to 100 characters.
fn line_of(guide: &Guide, file: &str, line: usize) -> Option<String> {
    let ch = guide.chapters.iter().find(|c| c.rel == file)?;
    let text = ch.text.lines().nth(line.checked_sub(1)?)?.trim();
    (!text.is_empty()).then(|| text.chars().take(100).collect())
}

/// `runbook rules`: every rule of extraction, by decision, in the order tried.
pub fn rules() -> String {
    let mut out = String::new();
    let mut about = "";
    for r in runbook_compile::extract::rules::catalog() {
        let a = r.about.as_str();
        if a != about {
            let _ = writeln!(out, "{}{a}:", if about.is_empty() { "" } else { "\n" });
            about = a;
        }
        let _ = writeln!(out, "  {:<24} {}", r.name, r.reads);
    }
    out
}
