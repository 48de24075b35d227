//! Plan stage: stable step ids, cross-node phases, variables, anchors.
//!
//! Phase rule: walking the selected steps in guide order, a phase is a maximal run of consecutive
//! steps that run on the same set of nodes. The guide's order is the dependency order the author
//! tested, so every step waits for every earlier step on another node, and consecutive steps on
//! the same nodes run together.

use crate::extract::Extracted;
use crate::load::Guide;
use runbook_core::hash::{fnv64, fnv64_more};
use runbook_core::model::{Host, OptionChoice, Plan, Variable, PLAN_VERSION};
use std::collections::{BTreeMap, HashMap};

pub fn plan(guide: &Guide, ex: Extracted) -> Plan {
    let Extracted {
        title,
        nodes,
        mut steps,
        variables,
        networks,
        ..
    } = ex;
    // ids: hash of the heading path and the step's own text; repeats get -2, -3.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let pages: HashMap<&str, &str> = guide
        .chapters
        .iter()
        .map(|c| (c.rel.as_str(), c.page.as_str()))
        .collect();
    use rayon::prelude::*;
    let bases: Vec<String> = steps
        .par_iter()
        .map(|s| {
            let mut h = fnv64_more(
                fnv64(s.section.join("\u{1f}").as_bytes()),
                "\u{1e}".as_bytes(),
            );
            h = fnv64_more(h, s.original.as_bytes());
            h = fnv64_more(h, "\u{1e}".as_bytes());
            h = fnv64_more(h, s.path().unwrap_or("").as_bytes());
            format!("{:08x}", h >> 32)
        })
        .collect();
    for (s, base) in steps.iter_mut().zip(bases) {
        let n = seen.entry(base.clone()).or_insert(0);
        *n += 1;
        s.id = if *n == 1 { base } else { format!("{base}-{n}") };
        let page = pages
            .get(s.source.file.as_str())
            .copied()
            .unwrap_or("index.html");
        s.anchor = format!("{page}#step-{}", s.id);
    }
    steps.par_iter_mut().for_each(crate::runtext::fill);
    // phases
    let mut phase = 0u32;
    let mut current: Option<Vec<String>> = None;
    for s in steps.iter_mut() {
        if !s.selected() {
            s.phase = phase.max(1);
            continue;
        }
        if current.as_ref() != Some(&s.nodes) {
            phase += 1;
            current = Some(s.nodes.clone());
        }
        s.phase = phase;
    }
    let phases = phase.max(1);
    for s in steps.iter_mut() {
        s.phase = s.phase.max(1);
    }
    // hosts: from config, else one host per node named after it
    let mut hosts = Vec::new();
    for n in &nodes {
        let cfg = guide.config.nodes.iter().find(|c| &c.name == n);
        match cfg {
            Some(c) if !c.hosts.is_empty() => {
                for h in &c.hosts {
                    hosts.push(Host {
                        node: n.clone(),
                        name: h.name.clone(),
                        address: h.address.clone(),
                        vars: h.vars.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                    });
                }
            }
            _ => hosts.push(Host {
                node: n.clone(),
                name: cfg
                    .and_then(|c| c.hostname.clone())
                    .unwrap_or_else(|| n.clone()),
                address: cfg.and_then(|c| c.address.clone()),
                vars: Vec::new(),
            }),
        }
    }
    let options = guide
        .config
        .options
        .iter()
        .map(|(k, v)| OptionChoice {
            name: k.clone(),
            value: v.clone(),
        })
        .collect();
    Plan {
        version: PLAN_VERSION,
        title,
        nodes,
        variables: used_variables(&steps, variables),
        phases,
        steps,
        hosts,
        networks,
        options,
        software: Vec::new(),
    }
}

/// Keep the variables some step uses, in order of first use; others from the config after them.
fn used_variables(steps: &[runbook_core::model::Step], vars: Vec<Variable>) -> Vec<Variable> {
    let mut by_name: BTreeMap<String, Variable> =
        vars.into_iter().map(|v| (v.name.clone(), v)).collect();
    let mut out = Vec::new();
    for s in steps {
        for v in &s.variables {
            if let Some(var) = by_name.remove(v) {
                out.push(var);
            }
        }
    }
    out
}
