//! Diagrams as inline SVG, made at build time (no JavaScript): the network topology, what runs
//! where (packages and services per node), and a swimlane of phases across nodes. Colours come
//! from CSS variables (classes), so light and dark mode both read well; presentation attributes
//! using `currentColor` are the fallback without the stylesheet.

use super::Ctx;
use runbook_core::html::escape;
use runbook_core::links::encode_path;
use runbook_core::model::{Plan, Step};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Approximate rendered width of `s` at `px` font size (Hangul and other wide glyphs ≈ 1em).
fn text_width(s: &str, px: f32) -> f32 {
    s.chars()
        .map(|c| {
            if c.is_ascii() {
                if c.is_ascii_uppercase() || c == 'm' || c == 'w' {
                    0.68
                } else {
                    0.56
                }
            } else {
                1.0
            }
        })
        .sum::<f32>()
        * px
}

/// `s` cut with `…` to fit `max` pixels.
fn fit(s: &str, px: f32, max: f32) -> String {
    if text_width(s, px) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = text_width("…", px);
    for c in s.chars() {
        let cw = text_width(c.encode_utf8(&mut [0; 4]), px);
        if w + cw > max {
            break;
        }
        w += cw;
        out.push(c);
    }
    out.push('…');
    out
}

fn svg_open(class: &str, title: &str, w: u32, h: u32) -> String {
    format!(
        "<svg class=\"dg {class}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"{class}-title\" font-size=\"14\" fill=\"currentColor\"><title id=\"{class}-title\">{}</title>\n",
        escape(title)
    )
}

fn text(out: &mut String, x: f32, y: f32, class: &str, extra: &str, s: &str) {
    let _ = writeln!(
        out,
        "<text x=\"{x:.0}\" y=\"{y:.0}\" class=\"{class}\"{extra}>{}</text>",
        escape(s)
    );
}

// ---------------------------------------------------------------- network topology

/// A network as the diagram draws it.
struct Net<'p> {
    name: String,
    cidr: &'p str,
    gateway: Option<&'p str>,
    /// (node, interface, address)
    attachments: Vec<(&'p str, Option<&'p str>, Option<&'p str>)>,
}

/// The plan's networks, the inferred ones named in order, and whether every one is inferred.
fn networks(plan: &Plan) -> (Vec<Net<'_>>, bool) {
    let mut k = 0;
    let nets = plan
        .networks
        .iter()
        .map(|n| Net {
            name: if n.name.is_empty() {
                k += 1;
                format!("네트워크 {k}")
            } else {
                n.name.clone()
            },
            cidr: &n.cidr,
            gateway: n.gateway.as_deref(),
            attachments: n
                .attachments
                .iter()
                .map(|a| {
                    (
                        a.node.as_str(),
                        a.interface.as_deref(),
                        a.address.as_deref(),
                    )
                })
                .collect(),
        })
        .collect();
    (nets, plan.networks.iter().all(|n| n.inferred))
}

/// The network topology diagram and its caption.
pub fn network(ctx: &Ctx) -> (String, String) {
    let plan = ctx.plan;
    let (nets, derived) = networks(plan);
    let nodes = &plan.nodes;
    let col = 196.0;
    let label_w = 200.0;
    let w = (label_w + col * nodes.len().max(1) as f32 + 20.0).max(560.0);
    let bus_gap = 58.0;
    let top = 30.0;
    let box_y = top + bus_gap * nets.len() as f32 + 26.0;
    let rows_of = |n: &str| {
        let hosts = plan
            .hosts
            .iter()
            .filter(|h| h.node == n && h.name != n)
            .count()
            .min(4);
        let att = nets
            .iter()
            .filter(|net| net.attachments.iter().any(|a| a.0 == n))
            .count();
        hosts + att
    };
    let box_h = 44.0 + 17.0 * nodes.iter().map(|n| rows_of(n)).max().unwrap_or(0) as f32;
    let h = box_y + box_h + 16.0;
    let mut s = svg_open(
        "dg-network",
        "네트워크 구성도",
        w.ceil() as u32,
        h.ceil() as u32,
    );
    let cx = |j: usize| label_w + col * (j as f32 + 0.5);
    for (i, net) in nets.iter().enumerate() {
        let y = top + bus_gap * i as f32 + 14.0;
        let _ = writeln!(
            s,
            "<line x1=\"{:.0}\" y1=\"{y:.0}\" x2=\"{:.0}\" y2=\"{y:.0}\" class=\"bus\" stroke=\"currentColor\" stroke-width=\"4\" stroke-linecap=\"round\"/>",
            label_w - 10.0,
            w - 16.0
        );
        text(
            &mut s,
            12.0,
            y - 2.0,
            "fg",
            " font-weight=\"700\"",
            &fit(&net.name, 14.0, label_w - 24.0),
        );
        let sub = match &net.gateway {
            Some(g) => format!("{} · gw {g}", net.cidr),
            None => net.cidr.to_string(),
        };
        text(
            &mut s,
            12.0,
            y + 16.0,
            "muted-t mono",
            " font-size=\"11\"",
            &fit(&sub, 11.0, label_w - 16.0),
        );
    }
    for (j, n) in nodes.iter().enumerate() {
        let c = ctx.color(n);
        let x = cx(j);
        let bx = x - 86.0;
        // wires first, under the box
        let mut k = 0;
        for (i, net) in nets.iter().enumerate() {
            if net.attachments.iter().any(|a| a.0 == *n) {
                let y = top + bus_gap * i as f32 + 14.0;
                let wx = x - 50.0 + 16.0 * k as f32;
                k += 1;
                let _ = writeln!(
                    s,
                    "<line x1=\"{wx:.0}\" y1=\"{y:.0}\" x2=\"{wx:.0}\" y2=\"{box_y:.0}\" class=\"wire s{c}\" stroke=\"currentColor\" stroke-width=\"2\"/><circle cx=\"{wx:.0}\" cy=\"{y:.0}\" r=\"5\" class=\"f{c}\"/>"
                );
            }
        }
        let _ = writeln!(
            s,
            "<a href=\"node-{}.html\"><rect x=\"{bx:.0}\" y=\"{box_y:.0}\" width=\"172\" height=\"{box_h:.0}\" rx=\"8\" class=\"box s{c}\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"/>",
            encode_path(n)
        );
        let _ = writeln!(
            s,
            "<rect x=\"{bx:.0}\" y=\"{box_y:.0}\" width=\"172\" height=\"6\" rx=\"3\" class=\"f{c}\"/>"
        );
        text(
            &mut s,
            bx + 12.0,
            box_y + 28.0,
            "fg",
            " font-weight=\"700\" font-size=\"15\"",
            &fit(n, 15.0, 150.0),
        );
        s.push_str("</a>\n");
        let mut y = box_y + 48.0;
        for hst in plan
            .hosts
            .iter()
            .filter(|h| h.node == *n && h.name != *n)
            .take(4)
        {
            let label = hst.name.clone();
            text(
                &mut s,
                bx + 12.0,
                y,
                "muted-t",
                " font-size=\"12\"",
                &fit(&label, 12.0, 150.0),
            );
            y += 17.0;
        }
        for net in &nets {
            if let Some(a) = net.attachments.iter().find(|a| a.0 == *n) {
                let label = match (a.1, a.2) {
                    (Some(i), Some(ad)) => format!("{i} {ad}"),
                    (None, Some(ad)) => ad.to_string(),
                    (Some(i), None) => i.to_string(),
                    (None, None) => net.name.clone(),
                };
                text(
                    &mut s,
                    bx + 12.0,
                    y,
                    "fg mono",
                    " font-size=\"12\"",
                    &fit(&label, 12.0, 150.0),
                );
                y += 17.0;
            }
        }
    }
    if nodes.is_empty() {
        text(
            &mut s,
            20.0,
            box_y + 28.0,
            "muted-t",
            "",
            "노드를 찾지 못했습니다.",
        );
    }
    s.push_str("</svg>");
    let caption = if nets.is_empty() {
        "가이드와 설정에서 네트워크 정보를 찾지 못했습니다. 노드만 표시합니다.".to_string()
    } else if derived {
        "가이드의 /etc/hosts, ifcfg 파일, my_ip 설정 등에서 찾은 주소로 추정한 네트워크입니다."
            .to_string()
    } else {
        "설정의 네트워크와 가이드에서 찾은 노드 주소입니다.".to_string()
    };
    (s, caption)
}

// ---------------------------------------------------------------- what runs where

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

// ---------------------------------------------------------------- swimlane

pub fn swimlane(ctx: &Ctx) -> String {
    let plan = ctx.plan;
    let max_phase = plan
        .steps
        .iter()
        .filter(|s| s.selected())
        .map(|s| s.phase)
        .max()
        .unwrap_or(1)
        .max(1) as usize;
    // many phases: a column stands for `per` consecutive phases
    const MAX_COLUMNS: usize = 100;
    let per = max_phase.div_ceil(MAX_COLUMNS).max(1);
    let phases = max_phase.div_ceil(per);
    let col_of = |p: u32| (p.max(1) as usize - 1) / per;
    // (node, column) → steps
    let mut cells: BTreeMap<(usize, usize), Vec<&Step>> = BTreeMap::new();
    for s in plan.steps.iter().filter(|s| s.selected()) {
        for n in &s.nodes {
            if let Some(j) = ctx.node_index.get(n.as_str()) {
                cells.entry((*j, col_of(s.phase))).or_default().push(s);
            }
        }
    }
    let cw: f32 = if phases <= 8 {
        150.0
    } else if phases <= 24 {
        104.0
    } else {
        56.0
    };
    let label_w = 130.0;
    let head = 34.0;
    let lane = 62.0;
    let w = label_w + cw * phases as f32 + 12.0;
    let h = head + lane * plan.nodes.len().max(1) as f32 + 8.0;
    let mut s = svg_open(
        "dg-swimlane",
        "노드별 실행 단계 흐름",
        w.ceil() as u32,
        h.ceil() as u32,
    );
    for (j, n) in plan.nodes.iter().enumerate() {
        let y = head + lane * j as f32;
        let c = ctx.color(n);
        let _ = writeln!(
            s,
            "<rect x=\"0\" y=\"{:.0}\" width=\"{w:.0}\" height=\"{:.0}\" class=\"lane\" fill=\"none\"/><rect x=\"0\" y=\"{:.0}\" width=\"5\" height=\"{:.0}\" class=\"f{c}\"/>",
            y + 2.0,
            lane - 4.0,
            y + 2.0,
            lane - 4.0
        );
        let _ = writeln!(
            s,
            "<a href=\"node-{}.html\"><text x=\"14\" y=\"{:.0}\" class=\"fg\" font-weight=\"700\">{}</text></a>",
            encode_path(n),
            y + lane / 2.0 + 5.0,
            escape(&fit(n, 14.0, label_w - 20.0))
        );
    }
    let step_every = if phases > 60 { 5 } else { 1 };
    for p in 1..=phases {
        let x = label_w + cw * (p - 1) as f32;
        let _ = writeln!(
            s,
            "<line x1=\"{x:.0}\" y1=\"{:.0}\" x2=\"{x:.0}\" y2=\"{:.0}\" class=\"grid\" stroke=\"currentColor\" stroke-opacity=\"0.25\" stroke-dasharray=\"3 4\"/>",
            head - 8.0,
            h - 4.0
        );
        if p == 1 || p % step_every == 0 {
            let first = (p - 1) * per + 1;
            let label = if per > 1 {
                format!("{first}–{}", (p * per).min(max_phase))
            } else if cw >= 100.0 {
                format!("단계 {p}")
            } else {
                p.to_string()
            };
            let _ = writeln!(
                s,
                "<a href=\"order.html#phase-{first}\"><text x=\"{:.0}\" y=\"20\" text-anchor=\"middle\" class=\"muted-t\" font-size=\"12\">{}</text></a>",
                x + cw / 2.0,
                escape(&label)
            );
        }
    }
    for ((j, col), steps) in &cells {
        let n = &plan.nodes[*j];
        let c = ctx.color(n);
        let p = steps[0].phase;
        let x = label_w + cw * *col as f32 + 4.0;
        let y = head + lane * *j as f32 + 8.0;
        let bw = cw - 8.0;
        let bh = lane - 16.0;
        let tip: Vec<&str> = steps.iter().take(6).map(|s| s.title.as_str()).collect();
        let mut tip = tip.join("\n");
        if steps.len() > 6 {
            tip.push_str(&format!("\n… 외 {}개", steps.len() - 6));
        }
        let _ = writeln!(
            s,
            "<a href=\"node-{}.html#phase-{p}\"><title>{}</title><rect x=\"{x:.0}\" y=\"{y:.0}\" width=\"{bw:.0}\" height=\"{bh:.0}\" rx=\"6\" class=\"box s{c}\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"/>",
            encode_path(n),
            escape(&if per > 1 {
                format!(
                    "{n} · 실행 단계 {p}–{}\n{tip}",
                    steps.last().map(|s| s.phase).unwrap_or(p)
                )
            } else {
                format!("{n} · 실행 단계 {p}\n{tip}")
            })
        );
        if cw >= 100.0 {
            text(
                &mut s,
                x + 8.0,
                y + 18.0,
                "fg",
                " font-size=\"12\" font-weight=\"700\"",
                &format!("{}개 단계", steps.len()),
            );
            text(
                &mut s,
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
    if cells.is_empty() {
        text(
            &mut s,
            label_w + 10.0,
            head + 30.0,
            "muted-t",
            "",
            "실행할 단계가 없습니다.",
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_fit() {
        assert_eq!(fit("가나다라마바사", 10.0, 40.0), "가나다…");
    }
}
