//! Settle each step's nodes from its signals. The explicit and specific signal wins: an
//! annotation, then a switch inside the block or its caption, then the prompt when it narrows the
//! section's scope. When a prompt contradicts the section, the guide's own facts decide (where
//! the packages, services and files it touches were set up), and `check` warns.

use super::discover::Found;
use super::nodes::{self, Canon};
use super::once;
use super::rules::{self, Rule};
use super::shell::unit_name;
use super::steps::{RawStep, Signal, Signals};
use runbook_core::diag::Diagnostics;
use runbook_core::model::{Kind, Source, Step};
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
                // a relative path names its file by the last part (`config/x.properties`)
                let last = w.rsplit('/').next().filter(|l| l.len() > 3 && *l != w);
                for w in std::iter::once(w).chain(last) {
                    if let Some(&k) = known.get(w) {
                        if !words.contains(&k) {
                            words.push(k);
                        }
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

/// A step's signals, expanded to the guide's nodes, and the words it touches (what depends on
/// the step alone: found for all steps in parallel).
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
    /// no signal of its own: no annotation, switch, prompt, sentence or section scope
    bare: bool,
}

impl<'k> Pre<'k> {
    fn new(r: &RawStep, found: &Found, known: &HashSet<&'k str>) -> Pre<'k> {
        let sig = &r.signals;
        let expand = |s: &Option<Signal>| {
            s.as_ref()
                .map(|s| found.expand(&s.nodes))
                .filter(|n| !n.is_empty())
        };
        let mut pre = Pre {
            touched: Vec::new(),
            scope: sig.scope.as_ref().map(|s| found.expand(&s.nodes)),
            scope_all: sig
                .scope
                .as_ref()
                .is_some_and(|s| s.nodes.contains(&Canon::All)),
            prompt: found.expand(&sig.prompt),
            prompt_all: sig.prompt.contains(&Canon::All),
            local: expand(&sig.local),
            hint: expand(&sig.hint),
            bare: false,
        };
        pre.bare = sig.annotation.is_none()
            && pre.local.is_none()
            && sig.prompt.is_empty()
            && pre.hint.is_none()
            && !pre.scope_all
            && pre.scope.as_ref().is_none_or(|s| s.is_empty());
        if pre.asks_the_facts(sig) {
            pre.touched = Facts::touched(&r.step, known);
        }
        pre
    }

    /// Whether the step's nodes may be settled by what earlier steps set up (a prompt against
    /// the section, or no signal at all): the order of the rules in [`decide`].
    fn asks_the_facts(&self, sig: &Signals) -> bool {
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

/// What a node rule sees of one step.
struct Input<'a, 'k> {
    step: &'a Step,
    sig: &'a Signals,
    pre: &'a Pre<'k>,
    found: &'a Found,
    facts: &'a Facts,
    /// The last selected step before, and whether its nodes came from a signal of its own.
    last: Option<(&'a Step, bool)>,
    /// Sections (by their top heading) that copy their work to other nodes: the copying nodes
    /// and the copy step's place.
    copiers: &'a HashMap<Vec<String>, (Vec<String>, Source)>,
    /// How many headings name the step's part of the guide (see [`part_len`]).
    part_len: usize,
    /// Sections holding a step with no signal that founds the cluster, and that step's place.
    founding: &'a HashMap<Vec<String>, Source>,
    /// Where the cluster was founded, once a step founding it ran on one machine.
    founder: Option<&'a (Vec<String>, Source)>,
}

/// A node rule's answer: the nodes, and where the guide said so.
struct Decision {
    nodes: Vec<String>,
    rule: &'static Rule,
    at: Source,
    /// A warning about the decision (a prompt against its section).
    warning: Option<String>,
}

impl Decision {
    fn new(nodes: Vec<String>, rule: &'static Rule, at: &Source) -> Decision {
        Decision {
            nodes,
            rule,
            at: at.clone(),
            warning: None,
        }
    }
}

type NodeRule = fn(&Input) -> Option<Decision>;

/// The node rules, most explicit first: the first that answers decides.
const DECIDE: &[NodeRule] = &[
    by_annotation,
    by_in_block_switch,
    by_prompt,
    by_sentence_before,
    by_section_scope,
    by_distribution,
    by_founding_section,
    by_cluster_client,
    by_joining_section,
    by_set_up_there,
    by_check_follows,
    by_section_continues,
];

fn by_annotation(i: &Input) -> Option<Decision> {
    let a = i.sig.annotation.as_ref()?;
    let named: Vec<&str> = a
        .nodes
        .iter()
        .filter_map(|c| match c {
            Canon::Node(n) => Some(n.as_str()),
            Canon::All => None,
        })
        .collect();
    let nodes = i
        .found
        .nodes
        .iter()
        .filter(|n| named.contains(&n.as_str()))
        .cloned()
        .collect();
    Some(Decision::new(
        nodes,
        a.rule.unwrap_or(&rules::ANNOTATION_NODES),
        &a.at,
    ))
}

fn by_in_block_switch(i: &Input) -> Option<Decision> {
    let l = i.pre.local.clone()?;
    let s = i.sig.local.as_ref()?;
    Some(Decision::new(
        l,
        s.rule.unwrap_or(&rules::IN_BLOCK_SWITCH),
        &s.at,
    ))
}

fn by_prompt(i: &Input) -> Option<Decision> {
    let (pre, step) = (i.pre, i.step);
    if pre.prompt_all {
        return Some(Decision::new(
            i.found.nodes.clone(),
            &rules::PROMPT_ALL,
            &step.source,
        ));
    }
    if pre.prompt.is_empty() {
        return None;
    }
    let prompt = &pre.prompt;
    let s = match &pre.scope {
        Some(s) if !s.is_empty() && !pre.scope_all && !prompt.iter().all(|p| s.contains(p)) => s,
        _ => return Some(Decision::new(prompt.clone(), &rules::PROMPT, &step.source)),
    };
    // the prompt contradicts the section: the guide's facts decide
    let vp = i.facts.votes(&pre.touched, prompt);
    let vs = i.facts.votes(&pre.touched, s);
    let src = i
        .sig
        .scope
        .as_ref()
        .map(|x| x.at.clone())
        .unwrap_or_else(|| step.source.clone());
    // a check changes nothing: it runs where its prompt shows it was run
    let d = if vp > vs || step.kind() == Kind::Verify && vp == vs {
        let mut d = Decision::new(prompt.clone(), &rules::PROMPT_OVER_SECTION, &step.source);
        d.warning = Some(format!(
            "prompt says {} but the section ({}) says {}; what the step touches was set up on {}: running it there",
            prompt.join(","),
            src,
            s.join(","),
            prompt.join(",")
        ));
        d
    } else {
        let mut d = Decision::new(s.clone(), &rules::SECTION_OVER_PROMPT, &src);
        d.warning = Some(format!(
            "prompt says {} but the section ({}) says {}: running it on {}",
            prompt.join(","),
            src,
            s.join(","),
            s.join(",")
        ));
        d
    };
    Some(d)
}

fn by_sentence_before(i: &Input) -> Option<Decision> {
    let h = i.pre.hint.clone()?;
    let s = i.sig.hint.as_ref()?;
    Some(Decision::new(
        h,
        s.rule.unwrap_or(&rules::SENTENCE_BEFORE),
        &s.at,
    ))
}

fn by_section_scope(i: &Input) -> Option<Decision> {
    let sig = i.sig.scope.as_ref()?;
    let rule = |default| sig.rule.unwrap_or(default);
    if i.pre.scope_all {
        return Some(Decision::new(
            i.found.nodes.clone(),
            rule(&rules::SECTION_ALL),
            &sig.at,
        ));
    }
    let s = i.pre.scope.clone().filter(|s| !s.is_empty())?;
    Some(Decision::new(s, rule(&rules::SECTION_SCOPE), &sig.at))
}

fn by_distribution(i: &Input) -> Option<Decision> {
    let (nodes, at) = i.copiers.get(part(&i.step.section, i.part_len))?;
    Some(Decision::new(nodes.clone(), &rules::DISTRIBUTED_FROM, at))
}

/// The nodes a command copies to (`scp … second:/path`, `rsync -a … slave1:`, `ssh-copy-id
/// root@node2`), when they are the guide's nodes.
fn copy_targets(run: &str, found: &Found) -> Vec<String> {
    let mut out = Vec::new();
    for line in run.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some(cmd) = words
            .iter()
            .position(|w| matches!(*w, "scp" | "rsync" | "ssh-copy-id"))
        else {
            continue;
        };
        // the last word is the destination (`host:path`; `user@host` for a key)
        let Some(last) = words[cmd + 1..].last() else {
            continue;
        };
        let host = match last.split_once(':') {
            Some((host, _)) => host,
            None if words[cmd] == "ssh-copy-id" => last,
            None => continue,
        };
        let host = host.rsplit('@').next().unwrap_or(host).to_ascii_lowercase();
        let node = found
            .node(&host)
            .or_else(|| match nodes::canon_label(&host, &found.nodes) {
                Some(Canon::Node(n)) => found.node(&n),
                _ => None,
            });
        if let Some(n) = node {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out
}

/// How many headings of a step's section name its part of the guide: one, unless the chapter
/// sits under one title heading (`# Ceph 설치`, then `## 호스트 추가`): then two.
fn part_len(chapter: &[RawStep]) -> usize {
    let top = chapter.first().and_then(|r| r.step.section.first());
    let titled = chapter.iter().all(|r| r.step.section.first() == top)
        && chapter.iter().any(|r| r.step.section.len() >= 2);
    if titled {
        2
    } else {
        1
    }
}

/// The part of the guide a step belongs to (see [`part_len`]).
fn part(section: &[String], len: usize) -> &[String] {
    &section[..len.min(section.len())]
}

/// The parts of the guide whose steps copy to other nodes, and the nodes left to copy from:
/// every node the part's copies do not reach.
fn copiers(raw: &[Vec<RawStep>], found: &Found) -> HashMap<Vec<String>, (Vec<String>, Source)> {
    let mut reached: Vec<(Vec<String>, Vec<String>, Source)> = Vec::new();
    for chapter in raw {
        let len = part_len(chapter);
        for r in chapter.iter().filter(|r| r.step.selected()) {
            // a key copied by hand (`ssh-copy-id`, a manual step) is copied from the machine too
            if r.step.section.is_empty() || !matches!(r.step.kind(), Kind::Command | Kind::Manual) {
                continue;
            }
            let mut targets = copy_targets(&r.step.original, found);
            if targets.is_empty() {
                continue;
            }
            // the sentence before may name more targets than the commands show
            targets.extend(found.expand(&r.signals.copies_to));
            let key = part(&r.step.section, len).to_vec();
            match reached.iter_mut().find(|(k, _, _)| *k == key) {
                Some((_, t, _)) => t.extend(targets),
                None => reached.push((key, targets, r.step.source.clone())),
            }
        }
    }
    let mut out = HashMap::new();
    for (key, targets, at) in reached {
        let left: Vec<String> = found
            .nodes
            .iter()
            .filter(|n| !targets.contains(n))
            .cloned()
            .collect();
        if !left.is_empty() && left.len() < found.nodes.len() {
            out.insert(key, (left, at));
        }
    }
    out
}

/// The sections where a step with no signal founds the cluster (`hosted-engine --deploy`,
/// `cephadm bootstrap`), in guides of several machines: below the guide's title only.
fn founding_sections(
    raw: &[Vec<RawStep>],
    pre: &[Pre],
    nodes: usize,
) -> HashMap<Vec<String>, Source> {
    let mut out = HashMap::new();
    if nodes < 2 {
        return out;
    }
    for (r, p) in raw.iter().flatten().zip(pre) {
        let s = &r.step;
        if p.bare
            && s.selected()
            && s.section.len() >= 2
            && matches!(s.kind(), Kind::Command)
            && once::founds_cluster(&s.run)
        {
            out.entry(s.section.clone())
                .or_insert_with(|| s.source.clone());
        }
    }
    out
}

fn by_founding_section(i: &Input) -> Option<Decision> {
    if !i.pre.bare {
        return None;
    }
    let at = i.founding.get(&i.step.section)?;
    let first = i.found.nodes.first()?;
    Some(Decision::new(
        vec![first.clone()],
        &rules::FOUNDS_THE_CLUSTER,
        at,
    ))
}

fn by_joining_section(i: &Input) -> Option<Decision> {
    let (founder, _) = i.founder?;
    if !i.pre.bare
        || !i
            .step
            .section
            .iter()
            .skip(1)
            .any(|h| once::adds_machines(h))
    {
        return None;
    }
    let rest: Vec<String> = i
        .found
        .nodes
        .iter()
        .filter(|n| !founder.contains(n))
        .cloned()
        .collect();
    if rest.is_empty() {
        return None;
    }
    Some(Decision::new(rest, &rules::ADDS_MACHINES, &i.step.source))
}

fn by_cluster_client(i: &Input) -> Option<Decision> {
    let (founder, at) = i.founder?;
    if !i.pre.bare || !once::drives_cluster(&i.step.run) {
        return None;
    }
    Some(Decision::new(founder.clone(), &rules::CLUSTER_CLIENT, at))
}

fn by_set_up_there(i: &Input) -> Option<Decision> {
    let o = i
        .facts
        .owners(&i.pre.touched)
        .filter(|o| !o.is_empty() && o.len() < i.found.nodes.len())?;
    Some(Decision::new(o, &rules::SET_UP_THERE, &i.step.source))
}

fn by_check_follows(i: &Input) -> Option<Decision> {
    if i.step.kind() != Kind::Verify {
        return None;
    }
    let (p, _) = i
        .last
        .filter(|(p, _)| p.section.first() == i.step.section.first())?;
    Some(Decision::new(
        p.nodes.clone(),
        &rules::CHECK_FOLLOWS,
        &p.source,
    ))
}

fn by_section_continues(i: &Input) -> Option<Decision> {
    let (p, _) = i.last.filter(|(p, signal)| {
        p.section == i.step.section && *signal && p.nodes.len() < i.found.nodes.len()
    })?;
    Some(Decision::new(
        p.nodes.clone(),
        &rules::SECTION_CONTINUES,
        &p.source,
    ))
}

/// The first node rule that answers, else every node.
fn decide(i: &Input) -> Decision {
    DECIDE
        .iter()
        .find_map(|rule| rule(i))
        .unwrap_or_else(|| Decision::new(i.found.nodes.clone(), &rules::EVERY_NODE, &i.step.source))
}

/// Settle the nodes of the steps, given per chapter in guide order.
pub fn resolve(raw: Vec<Vec<RawStep>>, found: &Found, diags: &mut Diagnostics) -> Vec<Step> {
    use rayon::prelude::*;
    let mut facts = Facts::default();
    let mut out: Vec<Step> = Vec::with_capacity(raw.iter().map(Vec::len).sum());
    // the last selected step (its index in `out`), and whether its nodes came from a signal of
    // its own
    let mut last: Option<(usize, bool)> = None;
    let things: Vec<Vec<String>> = raw
        .par_iter()
        .flat_map_iter(|ch| {
            ch.iter().map(|r| {
                if r.step.selected() {
                    Facts::things_of(&r.step)
                } else {
                    Vec::new()
                }
            })
        })
        .collect();
    let known: HashSet<&str> = things.iter().flatten().map(String::as_str).collect();
    let pre: Vec<Pre> = raw
        .par_iter()
        .flat_map_iter(|ch| ch.iter().map(|r| Pre::new(r, found, &known)))
        .collect();
    let copiers = copiers(&raw, found);
    let part_lens: Vec<usize> = raw
        .iter()
        .flat_map(|ch| std::iter::repeat_n(part_len(ch), ch.len()))
        .collect();
    let founding = founding_sections(&raw, &pre, found.nodes.len());
    let mut founder: Option<(Vec<String>, Source)> = None;
    for (((r, things), pre), part_len) in raw
        .into_iter()
        .flatten()
        .zip(&things)
        .zip(pre)
        .zip(part_lens)
    {
        let mut step = r.step;
        let sig = r.signals;
        let had_signal = sig.annotation.is_some()
            || sig.local.is_some()
            || !sig.prompt.is_empty()
            || sig.hint.is_some()
            || sig
                .scope
                .as_ref()
                .is_some_and(|s| !s.nodes.contains(&Canon::All));
        let d = decide(&Input {
            step: &step,
            sig: &sig,
            pre: &pre,
            found,
            facts: &facts,
            last: last.map(|(i, signal)| (&out[i], signal)),
            copiers: &copiers,
            part_len,
            founding: &founding,
            founder: founder.as_ref(),
        });
        if let Some(w) = d.warning {
            diags.warn(step.source.clone(), w);
        }
        step.nodes = if d.nodes.is_empty() {
            found.nodes.clone()
        } else {
            d.nodes
        };
        if step.nodes.is_empty() {
            step.nodes = vec!["localhost".to_string()];
        }
        step.why.push(d.rule.at(&d.at));
        if step.selected() {
            if founder.is_none()
                && step.nodes.len() == 1
                && found.nodes.len() > 1
                && matches!(step.kind(), Kind::Command)
                && once::founds_cluster(&step.run)
            {
                founder = Some((step.nodes.clone(), step.source.clone()));
            }
            facts.learn(things, &step);
            last = Some((out.len(), had_signal));
        }
        out.push(step);
    }
    out
}
