//! A page per node (`node.hbs`): the node's steps as rows, grouped by phase, then the steps of
//! alternatives the configuration did not select.
//!
//! A step's row is the same on every node's page: it is made once, in parallel over the steps,
//! with its text already escaped, and each page borrows the rows of its node. The template lays
//! the rows out (`{{#each steps}}`); its row blocks usually run as compiled programs
//! ([`crate::site::rows`]), else the rows go to the template engine as data.

use super::{object, Pages};
use crate::site::layout::PageInfo;
use crate::site::rows::{RowProgram, StepRow};
use anyhow::{Context, Result};
use rayon::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;

/// Every step's row, and what each compiled row block of the template writes for it.
struct Rows {
    rows: Vec<StepRow>,
    /// `written[i][k]`: program `k`'s output for step `i` (empty when step `i` is in no list
    /// the program runs over).
    written: Vec<Vec<String>>,
}

/// A node's rows (as indices into [`Rows`]): each phase's, and those of unselected
/// alternatives.
struct NodeRows {
    phases: BTreeMap<u32, Vec<usize>>,
    unselected: Vec<usize>,
}

impl Pages<'_> {
    pub fn node_pages(&self) -> Result<()> {
        let plan = self.ctx.plan;
        let programs = self.theme.node_rows.as_deref().unwrap_or_default();
        let (rows, written) = plan
            .steps
            .par_iter()
            .map(|s| {
                let row = StepRow::new(self.ctx, s);
                let list = if s.selected() { "steps" } else { "unselected" };
                let written = programs
                    .iter()
                    .map(|p| {
                        if p.list == list {
                            p.row(&row)
                        } else {
                            String::new()
                        }
                    })
                    .collect();
                (row, written)
            })
            .unzip();
        let rows = Rows { rows, written };
        plan.nodes
            .par_iter()
            .try_for_each(|nd| self.node_page(nd, &rows))
    }

    /// The page of node `nd`.
    fn node_page(&self, nd: &str, rows: &Rows) -> Result<()> {
        let mut mine = NodeRows {
            phases: BTreeMap::new(),
            unselected: Vec::new(),
        };
        for (i, s) in self.ctx.plan.steps.iter().enumerate() {
            if !s.nodes.iter().any(|n| n == nd) {
                continue;
            }
            if s.selected() {
                mine.phases.entry(s.phase).or_default().push(i);
            } else {
                mine.unselected.push(i);
            }
        }
        let count: usize = mine.phases.values().map(Vec::len).sum();
        let (phases, mut data) = match &self.theme.node_rows {
            Some(programs) => with_programs(&mine, programs, rows),
            None => with_rows(&mine, rows),
        };
        data.extend([
            ("name".to_string(), nd.into()),
            ("color".to_string(), self.ctx.color(nd).into()),
            ("step_count".to_string(), count.into()),
            ("hosts".to_string(), self.hosts(nd).into()),
            ("phases".to_string(), phases.into()),
        ]);
        let body = self
            .theme
            .render("node", Value::Object(data))
            .with_context(|| format!("theme template node.hbs (node {nd})"))?;
        let file = format!("node-{nd}.html");
        let title = format!("{nd} 노드");
        let page = self
            .layout
            .page(PageInfo::plain("node", &file, &title), &body)?;
        (self.emit)(&crate::site::file(file, page.into_bytes()))
    }
}

type Fields = serde_json::Map<String, Value>;

/// The phases and the rest of the context for the compiled row blocks: each list stands as
/// whether it has rows, and beside it each block's output.
fn with_programs(mine: &NodeRows, programs: &[RowProgram], rows: &Rows) -> (Vec<Value>, Fields) {
    let written = |k: usize, list: &[usize]| {
        let parts = list.iter().map(|&i| rows.written[i][k].as_str());
        let mut out = String::with_capacity(parts.clone().map(str::len).sum());
        out.extend(parts);
        Value::String(out)
    };
    let phases = mine
        .phases
        .iter()
        .map(|(phase, list)| {
            let mut f = Fields::new();
            f.insert("phase".into(), (*phase).into());
            f.insert("count".into(), list.len().into());
            f.insert("steps".into(), (!list.is_empty()).into());
            for (k, p) in programs
                .iter()
                .enumerate()
                .filter(|(_, p)| p.list == "steps")
            {
                f.insert(p.key.clone(), written(k, list));
            }
            Value::Object(f)
        })
        .collect();
    let mut data = Fields::new();
    data.insert("unselected".into(), (!mine.unselected.is_empty()).into());
    for (k, p) in programs
        .iter()
        .enumerate()
        .filter(|(_, p)| p.list == "unselected")
    {
        data.insert(p.key.clone(), written(k, &mine.unselected));
    }
    (phases, data)
}

/// The phases and the rest of the context with the rows as data.
fn with_rows(mine: &NodeRows, rows: &Rows) -> (Vec<Value>, Fields) {
    let list = |list: &[usize]| -> Value {
        Value::Array(
            list.iter()
                .map(|&i| serde_json::to_value(&rows.rows[i]).unwrap_or_default())
                .collect(),
        )
    };
    let phases = mine
        .phases
        .iter()
        .map(|(phase, l)| {
            object([
                ("phase", (*phase).into()),
                ("count", l.len().into()),
                ("steps", list(l)),
            ])
        })
        .collect();
    let mut data = Fields::new();
    data.insert("unselected".into(), list(&mine.unselected));
    (phases, data)
}
