//! Settle each step's nodes from its signals. The explicit and specific signal wins: an
//! annotation, then a switch inside the block or its caption, then the prompt when it narrows the
//! section's scope. When a prompt contradicts the section, the guide's own facts decide (where
//! the packages, services and files it touches were set up), and `check` warns.

use super::discover::Found;
use super::nodes::Canon;
use super::shell::unit_name;
use super::steps::RawStep;
use runbook_core::diag::Diagnostics;
use runbook_core::model::{Kind, Step};
use std::collections::{BTreeSet, HashMap, HashSet};

/// What each node was given so far: packages installed, services enabled, files edited.
#[derive(Default)]
struct Facts {
    /// (a hash map: every word of an unsignalled step is looked up; owners come out sorted)
    owner: HashMap<String, BTreeSet<String>>,
}

impl Facts {
    /// What a step sets up: its file, and the packages and services it installs or enables
    /// (depends on the step alone: found for all steps in parallel).
    fn things_of(s: &Step) -> Vec<String> {
        let mut things = Vec::new();
        if let Some(p) = s.path() {
            things.push(p.to_string());
        }
        if matches!(s.kind(), Kind::Command) {
            for line in s.run.lines() {
                if !line.contains("install") && !line.contains("enable") {
                    continue;
                }
                let words: Vec<&str> = line.split_whitespace().collect();
                if let Some(i) = words.iter().position(|w| *w == "install" || *w == "enable") {
                    for w in &words[i + 1..] {
                        if !w.starts_with('-') {
                            things.push(unit_name(w).to_string());
                        }
                    }
                }
            }
        }
        // a file is also known by its name (`. admin-openrc` sources `/root/admin-openrc`)
        let names: Vec<String> = things
            .iter()
            .filter(|t| t.starts_with('/'))
            .filter_map(|t| t.rsplit('/').next().map(str::to_string))
            .filter(|n| n.len() > 3)
            .collect();
        things.extend(names);
        things
    }

    /// Record that the step's nodes were given `things` (from [`Facts::things_of`]).
    fn learn(&mut self, things: &[String], s: &Step) {
        for t in things {
            let e = match self.owner.get_mut(t) {
                Some(e) => e,
                None => self.owner.entry(t.clone()).or_default(),
            };
            for n in &s.nodes {
                if !e.contains(n) {
                    e.insert(n.clone());
                }
            }
        }
    }

    /// The words of a step's command and file that name something some step sets up (only these
    /// can have an owner), each once: found for all steps in parallel, before any is resolved.
    fn touched<'k>(s: &Step, known: &HashSet<&'k str>) -> Vec<&'k str> {
        let mut words: Vec<&'k str> = Vec::new();
        let path = s.path().unwrap_or("");
        for text in [s.run.as_str(), path] {
            for w in text.split(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == ';') {
                let w = unit_name(w);
                if let Some(&k) = known.get(w) {
                    if !words.contains(&k) {
                        words.push(k);
                    }
                }
            }
        }
        words
    }

    /// The nodes owning everything the step touches that some node owns (None if nothing is owned).
    fn owners(&self, touched: &[&str]) -> Option<Vec<String>> {
        let mut set: BTreeSet<&String> = BTreeSet::new();
        let mut any = false;
        for w in touched {
            if let Some(o) = self.owner.get(*w) {
                any = true;
                set.extend(o.iter());
            }
        }
        any.then(|| set.into_iter().cloned().collect())
    }

    /// Votes for each candidate node set: things the step touches that belong only to it.
    fn votes(&self, touched: &[&str], set: &[String]) -> usize {
        touched
            .iter()
            .filter(|w| {
                self.owner.get(**w).is_some_and(|owners| {
                    !owners.is_empty() && owners.iter().all(|o| set.contains(o))
                })
            })
            .count()
    }
}

/// A step's facts that do not depend on the steps before it.
struct Pre<'k> {
    touched: Vec<&'k str>,
    scope: Option<Vec<String>>,
    /// the section's scope says every node
    scope_all: bool,
    prompt: Vec<String>,
    /// a prompt says every node
    prompt_all: bool,
    local: Option<Vec<String>>,
    hint: Option<Vec<String>>,
}

impl Pre<'_> {
    /// Whether the step's nodes may be settled by what earlier steps set up (a prompt against
    /// the section, or no signal at all): the order of tests in [`resolve`].
    fn asks_the_facts(&self, sig: &super::steps::Signals) -> bool {
        let scope_some = self.scope.as_ref().is_some_and(|s| !s.is_empty());
        if sig.annotation.is_some() || self.local.is_some() || self.prompt_all {
            return false;
        }
        if !self.prompt.is_empty() {
            return scope_some && !self.scope_all;
        }
        self.hint.is_none() && !scope_some && !self.scope_all
    }
}

/// Settle the nodes of the steps, given per chapter in guide order.
pub fn resolve(raw: Vec<Vec<RawStep>>, found: &Found, diags: &mut Diagnostics) -> Vec<Step> {
    let mut facts = Facts::default();
    let mut out: Vec<Step> = Vec::with_capacity(raw.iter().map(Vec::len).sum());
    // the last selected step (its index in `out`), and whether its nodes came from a signal of
    // its own
    let mut last: Option<(usize, bool)> = None;
    let things: Vec<Vec<String>> = {
        use rayon::prelude::*;
        raw.par_iter()
            .flat_map_iter(|ch| {
                ch.iter().map(|r| {
                    if r.step.selected() {
                        Facts::things_of(&r.step)
                    } else {
                        Vec::new()
                    }
                })
            })
            .collect()
    };
    let known: HashSet<&str> = things.iter().flatten().map(String::as_str).collect();
    // what depends on the step alone, for all steps in parallel: the words that may have an
    // owner, and the signals' nodes
    let pre: Vec<Pre> = {
        use rayon::prelude::*;
        raw.par_iter()
            .flat_map_iter(|ch| {
                ch.iter().map(|r| {
                    let sig = &r.signals;
                    let mut pre = Pre {
                        touched: Vec::new(),
                        scope: sig.scope.as_ref().map(|(c, _)| found.expand(c)),
                        scope_all: sig
                            .scope
                            .as_ref()
                            .is_some_and(|(c, _)| c.contains(&Canon::All)),
                        prompt: found.expand(&sig.prompt),
                        prompt_all: sig.prompt.contains(&Canon::All),
                        local: sig
                            .local
                            .as_ref()
                            .map(|l| found.expand(l))
                            .filter(|l| !l.is_empty()),
                        hint: sig
                            .hint
                            .as_ref()
                            .map(|h| found.expand(h))
                            .filter(|h| !h.is_empty()),
                    };
                    if pre.asks_the_facts(sig) {
                        pre.touched = Facts::touched(&r.step, &known);
                    }
                    pre
                })
            })
            .collect()
    };
    let raw_steps = raw.into_iter().flatten();
    for ((r, things), pre) in raw_steps.zip(&things).zip(pre) {
        let last_step = last.map(|(i, signal)| (&out[i], signal));
        let mut step = r.step;
        let sig = r.signals;
        let touched = &pre.touched;
        let (scope, scope_all) = (pre.scope, pre.scope_all);
        let (prompt, prompt_all) = (pre.prompt, pre.prompt_all);
        let had_signal = sig.annotation.is_some()
            || sig.local.is_some()
            || !sig.prompt.is_empty()
            || sig.hint.is_some()
            || sig
                .scope
                .as_ref()
                .is_some_and(|(c, _)| !c.contains(&Canon::All));
        let nodes: Vec<String> = if let Some(a) = &sig.annotation {
            found
                .nodes
                .iter()
                .filter(|n| a.contains(n))
                .cloned()
                .collect()
        } else if let Some(l) = pre.local {
            l
        } else if prompt_all {
            found.nodes.clone()
        } else if !prompt.is_empty() {
            match &scope {
                Some(s) if !s.is_empty() && !scope_all && !prompt.iter().all(|p| s.contains(p)) => {
                    // the prompt contradicts the section: the guide's facts decide
                    let vp = facts.votes(touched, &prompt);
                    let vs = facts.votes(touched, s);
                    let (src, _) = sig
                        .scope
                        .as_ref()
                        .map(|(_, src)| (src.clone(), ()))
                        .unwrap_or((step.source.clone(), ()));
                    // a check changes nothing: it runs where its prompt shows it was run
                    if vp > vs || step.kind() == Kind::Verify && vp == vs {
                        diags.warn(
                            step.source.clone(),
                            format!(
                                "prompt says {} but the section ({}) says {}; what the step touches was set up on {}: running it there",
                                prompt.join(","),
                                src,
                                s.join(","),
                                prompt.join(",")
                            ),
                        );
                        prompt.clone()
                    } else {
                        diags.warn(
                            step.source.clone(),
                            format!(
                                "prompt says {} but the section ({}) says {}: running it on {}",
                                prompt.join(","),
                                src,
                                s.join(","),
                                s.join(",")
                            ),
                        );
                        s.clone()
                    }
                }
                _ => prompt,
            }
        } else if let Some(h) = pre.hint {
            h
        } else if let Some(s) = scope.filter(|s| !s.is_empty() && !scope_all) {
            s
        } else if scope_all {
            found.nodes.clone()
        } else if let Some(o) = facts
            .owners(touched)
            .filter(|o| !o.is_empty() && o.len() < found.nodes.len())
        {
            // no signal: where what it touches was set up (`. admin-openrc` where the file is)
            o
        } else if let (Kind::Verify, Some((p, _))) = (
            step.kind(),
            last_step.filter(|(p, _)| p.section.first() == step.section.first()),
        ) {
            // a check with no signal checks what was just done, where it was done
            p.nodes.clone()
        } else if let Some((p, _)) = last_step.filter(|(p, signal)| {
            p.section == step.section && *signal && p.nodes.len() < found.nodes.len()
        }) {
            // a section that runs on one machine goes on there until something says otherwise
            p.nodes.clone()
        } else {
            found.nodes.clone()
        };
        step.nodes = if nodes.is_empty() {
            found.nodes.clone()
        } else {
            nodes
        };
        if step.nodes.is_empty() {
            step.nodes = vec!["localhost".to_string()];
        }
        if step.selected() {
            facts.learn(things, &step);
            last = Some((out.len(), had_signal));
        }
        out.push(step);
    }
    out
}
