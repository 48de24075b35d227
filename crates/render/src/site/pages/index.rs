//! The index page (`index.hbs`): the guide's figures, a card per node, the three diagrams, the
//! steps that belong to no chapter, and the chapters.

use super::Pages;
use crate::site::layout::{chapter_link, pager, PageInfo};
use crate::site::{diagrams, steps};
use anyhow::{Context, Result};
use runbook_core::links::encode_path;
use runbook_core::model::Kind;
use serde_json::{json, Value};
use std::collections::HashMap;

/// How many selected steps a node runs, and how many of them are manual.
#[derive(Default, Clone, Copy)]
struct NodeCount {
    steps: usize,
    manual: usize,
}

impl Pages<'_> {
    pub fn index_page(&self) -> Result<()> {
        let plan = self.ctx.plan;
        let chapters: Vec<Value> = self
            .ctx
            .guide
            .chapters
            .iter()
            .enumerate()
            .map(|(i, ch)| {
                json!({
                    "page": encode_path(&ch.page),
                    "title": self.titles[i],
                    "steps": self.steps.by_chapter[i].len(),
                })
            })
            .collect();
        let orphans: String = self
            .steps
            .orphans
            .iter()
            .map(|s| steps::step_box(self.ctx, s))
            .collect();
        let body = self
            .theme
            .render(
                "index",
                json!({
                    "title": self.layout.site_title,
                    "chapter_count": chapters.len(),
                    "node_count": plan.nodes.len(),
                    "step_count": plan.steps.len(),
                    "phase_count": plan.phases,
                    "nodes": self.node_cards(),
                    "chapters": chapters,
                    "diagrams": self.diagrams(),
                    "orphans": orphans,
                }),
            )
            .context("theme template index.hbs")?;
        let first = self.ctx.guide.chapters.first();
        let info = PageInfo {
            pager: match first {
                Some(ch) => pager(None, Some(chapter_link(&ch.page, self.titles[0]))),
                None => Value::Null,
            },
            ..PageInfo::plain("index", "index.html", "")
        };
        let page = self.layout.page(info, &body)?;
        (self.emit)(&crate::site::file("index.html".into(), page.into_bytes()))
    }

    /// A card per node: `[{name, color, steps, manual, hosts}]`.
    fn node_cards(&self) -> Vec<Value> {
        let plan = self.ctx.plan;
        let mut counts: HashMap<&str, NodeCount> = HashMap::new();
        for s in plan.steps.iter().filter(|s| s.selected()) {
            for nd in &s.nodes {
                let c = counts.entry(nd.as_str()).or_default();
                c.steps += 1;
                if s.kind() == Kind::Manual {
                    c.manual += 1;
                }
            }
        }
        plan.nodes
            .iter()
            .map(|nd| {
                let c = counts.get(nd.as_str()).copied().unwrap_or_default();
                json!({
                    "name": nd,
                    "color": self.ctx.color(nd),
                    "steps": c.steps,
                    "manual": c.manual,
                    "hosts": self.hosts(nd),
                })
            })
            .collect()
    }

    /// The three diagrams, which read the whole plan each: drawn side by side.
    fn diagrams(&self) -> Value {
        let ctx = self.ctx;
        let (network, (where_runs, swimlane)) = rayon::join(
            || diagrams::network(ctx),
            || rayon::join(|| diagrams::where_runs(ctx), || diagrams::swimlane(ctx)),
        );
        json!({
            "network": network.svg,
            "network_caption": network.caption,
            "where": where_runs,
            "swimlane": swimlane,
        })
    }
}
