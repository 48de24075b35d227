//! The swimlane: a lane per node, a column per phase (or per run of phases when there are
//! many), and in each cell a box for the steps the node runs in that phase, linking to them.

use super::{fit, svg_open, text};
use crate::site::Ctx;
use runbook_core::html::escape;
use runbook_core::links::encode_path;
use runbook_core::model::Step;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// At most this many columns: past it a column stands for several consecutive phases.
const MAX_COLUMNS: usize = 100;

/// Where everything goes.
struct Grid {
    /// The last phase of a selected step.
    max_phase: usize,
    /// Phases per column.
    per: usize,
    /// Columns.
    columns: usize,
    /// Width of a column.
    cw: f32,
    /// Width of the nodes' labels, left of the first column.
    label_w: f32,
    /// Height of the phase labels above the lanes.
    head: f32,
    /// Height of a lane.
    lane: f32,
    w: f32,
    h: f32,
}

impl Grid {
    fn new(max_phase: usize, nodes: usize) -> Grid {
        let per = max_phase.div_ceil(MAX_COLUMNS).max(1);
        let columns = max_phase.div_ceil(per);
        let cw: f32 = if columns <= 8 {
            150.0
        } else if columns <= 24 {
            104.0
        } else {
            56.0
        };
        let label_w = 130.0;
        let head = 34.0;
        let lane = 62.0;
        Grid {
            max_phase,
            per,
            columns,
            cw,
            label_w,
            head,
            lane,
            w: label_w + cw * columns as f32 + 12.0,
            h: head + lane * nodes.max(1) as f32 + 8.0,
        }
    }

    /// The column of phase `p`.
    fn column(&self, p: u32) -> usize {
        (p.max(1) as usize - 1) / self.per
    }
}

/// The steps of each cell: (node index, column) → steps, in plan order.
type Cells<'p> = BTreeMap<(usize, usize), Vec<&'p Step>>;

/// The swimlane of phases across nodes.
pub fn swimlane(ctx: &Ctx) -> String {
    let plan = ctx.plan;
    let selected = || plan.steps.iter().filter(|s| s.selected());
    let max_phase = selected().map(|s| s.phase).max().unwrap_or(1).max(1) as usize;
    let g = Grid::new(max_phase, plan.nodes.len());
    let mut cells: Cells = BTreeMap::new();
    for s in selected() {
        for n in &s.nodes {
            if let Some(j) = ctx.node_index.get(n.as_str()) {
                cells.entry((*j, g.column(s.phase))).or_default().push(s);
            }
        }
    }
    let mut s = svg_open(
        "dg-swimlane",
        "노드별 실행 단계 흐름",
        g.w.ceil() as u32,
        g.h.ceil() as u32,
    );
    lanes(&mut s, ctx, &g);
    columns(&mut s, &g);
    for (&(j, col), steps) in &cells {
        cell(&mut s, ctx, &g, j, col, steps);
    }
    if cells.is_empty() {
        text(
            &mut s,
            g.label_w + 10.0,
            g.head + 30.0,
            "muted-t",
            "",
            "실행할 단계가 없습니다.",
        );
    }
    s.push_str("</svg>");
    s
}

/// A lane per node, with the node's colour and name.
fn lanes(s: &mut String, ctx: &Ctx, g: &Grid) {
    for (j, n) in ctx.plan.nodes.iter().enumerate() {
        let y = g.head + g.lane * j as f32;
        let c = ctx.color(n);
        let _ = writeln!(
            s,
            "<rect x=\"0\" y=\"{:.0}\" width=\"{:.0}\" height=\"{:.0}\" class=\"lane\" fill=\"none\"/><rect x=\"0\" y=\"{:.0}\" width=\"5\" height=\"{:.0}\" class=\"f{c}\"/>",
            y + 2.0,
            g.w,
            g.lane - 4.0,
            y + 2.0,
            g.lane - 4.0
        );
        let _ = writeln!(
            s,
            "<a href=\"node-{}.html\"><text x=\"14\" y=\"{:.0}\" class=\"fg\" font-weight=\"700\">{}</text></a>",
            encode_path(n),
            y + g.lane / 2.0 + 5.0,
            escape(&fit(n, 14.0, g.label_w - 20.0))
        );
    }
}

/// A grid line per column, and its label (every fifth when there are many).
fn columns(s: &mut String, g: &Grid) {
    let label_every = if g.columns > 60 { 5 } else { 1 };
    for p in 1..=g.columns {
        let x = g.label_w + g.cw * (p - 1) as f32;
        let _ = writeln!(
            s,
            "<line x1=\"{x:.0}\" y1=\"{:.0}\" x2=\"{x:.0}\" y2=\"{:.0}\" class=\"grid\" stroke=\"currentColor\" stroke-opacity=\"0.25\" stroke-dasharray=\"3 4\"/>",
            g.head - 8.0,
            g.h - 4.0
        );
        if p == 1 || p % label_every == 0 {
            let first = (p - 1) * g.per + 1;
            let label = if g.per > 1 {
                format!("{first}–{}", (p * g.per).min(g.max_phase))
            } else if g.cw >= 100.0 {
                format!("단계 {p}")
            } else {
                p.to_string()
            };
            let _ = writeln!(
                s,
                "<a href=\"order.html#phase-{first}\"><text x=\"{:.0}\" y=\"20\" text-anchor=\"middle\" class=\"muted-t\" font-size=\"12\">{}</text></a>",
                x + g.cw / 2.0,
                escape(&label)
            );
        }
    }
}

/// The box of node `j`'s steps in column `col`: how many, and the first one's title when the
/// column is wide enough; its tooltip lists the first six.
fn cell(s: &mut String, ctx: &Ctx, g: &Grid, j: usize, col: usize, steps: &[&Step]) {
    let n = &ctx.plan.nodes[j];
    let c = ctx.color(n);
    let p = steps[0].phase;
    let x = g.label_w + g.cw * col as f32 + 4.0;
    let y = g.head + g.lane * j as f32 + 8.0;
    let bw = g.cw - 8.0;
    let bh = g.lane - 16.0;
    let _ = writeln!(
        s,
        "<a href=\"node-{}.html#phase-{p}\"><title>{}</title><rect x=\"{x:.0}\" y=\"{y:.0}\" width=\"{bw:.0}\" height=\"{bh:.0}\" rx=\"6\" class=\"box s{c}\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"/>",
        encode_path(n),
        escape(&tooltip(g, n, steps))
    );
    if g.cw >= 100.0 {
        text(
            s,
            x + 8.0,
            y + 18.0,
            "fg",
            " font-size=\"12\" font-weight=\"700\"",
            &format!("{}개 단계", steps.len()),
        );
        text(
            s,
            x + 8.0,
            y + 36.0,
            "muted-t",
            " font-size=\"11.5\"",
            &fit(&steps[0].title, 11.5, bw - 14.0),
        );
    } else {
        let _ = writeln!(
            s,
            "<text x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"middle\" class=\"fg\" font-size=\"12\" font-weight=\"700\">{}</text>",
            x + bw / 2.0,
            y + bh / 2.0 + 4.0,
            steps.len()
        );
    }
    s.push_str("</a>\n");
}

/// A cell's tooltip: the node, the phase(s) and the first six titles.
fn tooltip(g: &Grid, n: &str, steps: &[&Step]) -> String {
    let p = steps[0].phase;
    let mut tip = steps
        .iter()
        .take(6)
        .map(|s| s.title.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    if steps.len() > 6 {
        tip.push_str(&format!("\n… 외 {}개", steps.len() - 6));
    }
    if g.per > 1 {
        let last = steps.last().map(|s| s.phase).unwrap_or(p);
        format!("{n} · 실행 단계 {p}–{last}\n{tip}")
    } else {
        format!("{n} · 실행 단계 {p}\n{tip}")
    }
}
