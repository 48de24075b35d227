//! Extract stage: steps, nodes, variables and networks from the parsed chapters.
//!
//! [`discover`] finds the nodes and declared variables over the whole guide first; [`walk`] then
//! reads each chapter block by block with the heading path, node scope and file context in mind;
//! [`resolve`] settles each step's nodes from its signals; [`steps`] builds the model's steps.

pub mod annotate;
pub mod block;
pub mod discover;
pub mod files;
pub mod network;
pub mod nodes;
pub mod once;
pub mod prompt;
pub mod prose;
pub mod resolve;
pub mod roles;
pub mod rules;
pub mod shell;
pub mod steps;
pub mod vars;
pub mod walk;

use crate::load::Guide;
use crate::parse::Doc;
use runbook_core::diag::Diagnostics;
use runbook_core::model::{Network, Step, Variable};

/// What extraction finds; the plan stage adds ids, phases and anchors.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    pub title: String,
    pub nodes: Vec<String>,
    pub steps: Vec<Step>,
    pub variables: Vec<Variable>,
    pub networks: Vec<Network>,
    pub diagnostics: Diagnostics,
}

/// Without a selection in the config, an option's first alternative in guide order runs.
fn settle_options(raw: &mut [Vec<steps::RawStep>], found: &discover::Found) {
    let mut first: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for r in raw.iter_mut().flatten() {
        let Some(o) = r.step.option.as_mut() else {
            continue;
        };
        if o.name == "skip" || walk::options::NOT_INSTALLED.contains(&o.name.as_str()) {
            continue;
        }
        let chosen = match found.options.get(&o.name) {
            Some(v) => v.clone(),
            None => first
                .entry(o.name.clone())
                .or_insert_with(|| o.value.split(',').next().unwrap_or("").to_string())
                .clone(),
        };
        o.selected = o.value.split(',').any(|v| v == chosen);
    }
}

pub fn extract(guide: &Guide, docs: &[Doc]) -> Extracted {
    let mut diags = Diagnostics::default();
    let laps = runbook_core::timings::Laps::new("extract");
    let found = discover::discover(guide, docs, &mut diags);
    laps.lap("discover");
    // chapters are walked in parallel; each keeps its own notion of an option's first value,
    // settled for the whole guide afterwards
    use rayon::prelude::*;
    // (the steps stay in their chapter's list: resolve reads them in guide order, and one list
    // for the whole guide would only be a copy)
    let (mut raw, walked_diags): (Vec<Vec<steps::RawStep>>, Vec<Diagnostics>) = docs
        .par_iter()
        .map(|doc| {
            let mut raw = Vec::new();
            let mut d = Diagnostics::default();
            let mut first = std::collections::HashMap::new();
            walk::walk(doc, &found, &mut first, &mut raw, &mut d);
            (raw, d)
        })
        .unzip();
    for d in walked_diags {
        diags.extend(d);
    }
    settle_options(&mut raw, &found);
    laps.lap("walk");
    // resolving is one pass in guide order; the networks the prose declares are read meanwhile
    let (steps, declared) = rayon::join(
        || resolve::resolve(raw, &found, &mut diags),
        || network::declared(guide, docs),
    );
    laps.lap("resolve");
    let variables = discover::variables(guide, &found, &steps);
    for (name, line) in &found.undeclared_options {
        diags.note(
            line.clone(),
            format!("no option {name:?} selected in runbook.toml: only its first alternative runs"),
        );
    }
    Extracted {
        title: found.title.clone(),
        nodes: found.nodes.clone(),
        steps,
        variables,
        networks: declared,
        diagnostics: diags,
    }
}
