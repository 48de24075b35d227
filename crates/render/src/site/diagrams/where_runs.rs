//! What runs where: a column per node with the packages it installs and the services it
//! enables and starts.

use super::{fit, svg_open, text};
use crate::site::Ctx;
use runbook_core::html::escape;
use runbook_core::links::encode_path;
use std::fmt::Write as _;

/// The diagram of packages and services per node.
pub fn where_runs(ctx: &Ctx) -> String {
    let plan = ctx.plan;
    const NONE: &[String] = &[];
    let data = |n: &str| {
        plan.software
            .iter()
            .find(|x| x.node == n)
            .map_or((NONE, NONE), |x| (&x.packages[..], &x.services[..]))
    };
    const MAX: usize = 40;
    let col = 230.0;
    let line = 18.0;
    let rows = |v: &[String]| v.len().min(MAX) + usize::from(v.len() > MAX);
    let max_rows = plan
        .nodes
        .iter()
        .map(|n| {
            let (p, s) = data(n);
            rows(p).max(1) + rows(s).max(1)
        })
        .max()
        .unwrap_or(1);
    let w = (col * plan.nodes.len().max(1) as f32 + 20.0).max(480.0);
    let h = 56.0 + 2.0 * 30.0 + line * max_rows as f32 + 12.0;
    let mut s = svg_open(
        "dg-where",
        "노드별 설치 패키지와 서비스",
        w.ceil() as u32,
        h.ceil() as u32,
    );
    for (j, n) in plan.nodes.iter().enumerate() {
        let c = ctx.color(n);
        let x = 10.0 + col * j as f32;
        let _ = writeln!(
            s,
            "<rect x=\"{x:.0}\" y=\"8\" width=\"{:.0}\" height=\"{:.0}\" rx=\"8\" class=\"box s{c}\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\"/><rect x=\"{x:.0}\" y=\"8\" width=\"{:.0}\" height=\"34\" rx=\"8\" class=\"f{c}\"/>",
            col - 12.0,
            h - 16.0,
            col - 12.0
        );
        let _ = writeln!(
            s,
            "<a href=\"node-{}.html\"><text x=\"{:.0}\" y=\"31\" font-weight=\"700\" font-size=\"15\" fill=\"#fff\" class=\"on-color\">{}</text></a>",
            encode_path(n),
            x + 12.0,
            escape(&fit(n, 15.0, col - 36.0))
        );
        let (pk, sv) = data(n);
        let mut y = 66.0;
        for (label, items) in [("패키지", pk), ("서비스", sv)] {
            text(
                &mut s,
                x + 12.0,
                y,
                "muted-t",
                " font-size=\"12\" font-weight=\"700\"",
                &format!("{label} {}개", items.len()),
            );
            y += line + 2.0;
            if items.is_empty() {
                text(&mut s, x + 16.0, y, "muted-t", " font-size=\"12\"", "없음");
                y += line;
            }
            for it in items.iter().take(MAX) {
                text(
                    &mut s,
                    x + 16.0,
                    y,
                    "fg mono",
                    " font-size=\"12.5\"",
                    &fit(it, 12.5, col - 40.0),
                );
                y += line;
            }
            if items.len() > MAX {
                text(
                    &mut s,
                    x + 16.0,
                    y,
                    "muted-t",
                    " font-size=\"12\"",
                    &format!("… 외 {}개", items.len() - MAX),
                );
                y += line;
            }
            y += 10.0;
        }
    }
    if plan.nodes.is_empty() {
        text(&mut s, 20.0, 40.0, "muted-t", "", "노드를 찾지 못했습니다.");
    }
    s.push_str("</svg>");
    s
}
