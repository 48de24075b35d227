//! The execution order (`order.hbs`): for each phase, the node runs in it, each with its hosts,
//! how many steps it runs and the first of them.

use super::Pages;
use crate::site::layout::PageInfo;
use anyhow::{Context, Result};
use runbook_core::model::Step;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The selected steps by phase, then by node (its index in the plan's nodes).
type ByPhase<'p> = BTreeMap<u32, BTreeMap<usize, Vec<&'p Step>>>;

impl Pages<'_> {
    pub fn order_page(&self) -> Result<()> {
        let plan = self.ctx.plan;
        let phases: Vec<Value> = self
            .by_phase()
            .iter()
            .map(|(p, by_node)| json!({"phase": p, "runs": self.runs(by_node)}))
            .collect();
        let nodes: Vec<Value> = plan
            .nodes
            .iter()
            .map(|nd| json!({"name": nd, "color": self.ctx.color(nd)}))
            .collect();
        let body = self
            .theme
            .render("order", json!({"phases": phases, "nodes": nodes}))
            .context("theme template order.hbs")?;
        let page = self
            .layout
            .page(PageInfo::plain("order", "order.html", "실행 순서"), &body)?;
        (self.emit)(&crate::site::file("order.html".into(), page.into_bytes()))
    }

    fn by_phase(&self) -> ByPhase<'_> {
        let plan = self.ctx.plan;
        let mut order = ByPhase::new();
        for s in plan.steps.iter().filter(|s| s.selected()) {
            for nd in &s.nodes {
                let j = self.ctx.node_index.get(nd.as_str()).copied();
                order
                    .entry(s.phase)
                    .or_default()
                    .entry(j.unwrap_or(usize::MAX))
                    .or_default()
                    .push(s);
            }
        }
        order
    }

    /// A phase's runs: `[{node, color, hosts, count, first, more}]`.
    fn runs(&self, by_node: &BTreeMap<usize, Vec<&Step>>) -> Vec<Value> {
        let nodes = &self.ctx.plan.nodes;
        by_node
            .iter()
            .filter(|(j, _)| **j < nodes.len())
            .map(|(j, st)| {
                let nd = &nodes[*j];
                json!({
                    "node": nd,
                    "color": self.ctx.color(nd),
                    "hosts": self.hosts(nd),
                    "count": st.len(),
                    "first": st[0].title,
                    "more": st.len() - 1,
                })
            })
            .collect()
    }
}
