//! The network topology: a horizontal bus per network, a box per node below them, a wire from
//! each node to each network it is attached to, and the node's hosts and addresses in its box.

use super::{fit, svg_open, text, Figure};
use crate::site::Ctx;
use runbook_core::links::encode_path;
use runbook_core::model::Plan;
use std::fmt::Write as _;

/// A network as the diagram draws it.
struct Net<'p> {
    name: String,
    cidr: &'p str,
    gateway: Option<&'p str>,
    attachments: Vec<Attachment<'p>>,
}

/// A node's place on a network.
struct Attachment<'p> {
    node: &'p str,
    interface: Option<&'p str>,
    address: Option<&'p str>,
}

impl Attachment<'_> {
    /// The line a node's box shows for it.
    fn label(&self, net: &Net) -> String {
        match (self.interface, self.address) {
            (Some(i), Some(ad)) => format!("{i} {ad}"),
            (None, Some(ad)) => ad.to_string(),
            (Some(i), None) => i.to_string(),
            (None, None) => net.name.clone(),
        }
    }
}

/// The plan's networks, the unnamed ones named in order.
fn networks(plan: &Plan) -> Vec<Net<'_>> {
    let mut k = 0;
    plan.networks
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
                .map(|a| Attachment {
                    node: a.node.as_str(),
                    interface: a.interface.as_deref(),
                    address: a.address.as_deref(),
                })
                .collect(),
        })
        .collect()
}

/// Where everything goes.
struct Geometry {
    /// Width of a node's column.
    col: f32,
    /// Width of the networks' labels, left of the first column.
    label_w: f32,
    w: f32,
    h: f32,
    top: f32,
    /// Distance between two buses.
    bus_gap: f32,
    /// Top and height of the nodes' boxes.
    box_y: f32,
    box_h: f32,
}

impl Geometry {
    fn new(plan: &Plan, nets: &[Net]) -> Geometry {
        let nodes = &plan.nodes;
        let col = 196.0;
        let label_w = 200.0;
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
                .filter(|net| net.attachments.iter().any(|a| a.node == n))
                .count();
            hosts + att
        };
        let box_h = 44.0 + 17.0 * nodes.iter().map(|n| rows_of(n)).max().unwrap_or(0) as f32;
        Geometry {
            col,
            label_w,
            w: (label_w + col * nodes.len().max(1) as f32 + 20.0).max(560.0),
            h: box_y + box_h + 16.0,
            top,
            bus_gap,
            box_y,
            box_h,
        }
    }

    /// The height of network `i`'s bus.
    fn bus_y(&self, i: usize) -> f32 {
        self.top + self.bus_gap * i as f32 + 14.0
    }

    /// The centre of node `j`'s column.
    fn cx(&self, j: usize) -> f32 {
        self.label_w + self.col * (j as f32 + 0.5)
    }
}

/// The network topology diagram and its caption.
pub fn network(ctx: &Ctx) -> Figure {
    let plan = ctx.plan;
    let nets = networks(plan);
    let g = Geometry::new(plan, &nets);
    let mut s = svg_open(
        "dg-network",
        "네트워크 구성도",
        g.w.ceil() as u32,
        g.h.ceil() as u32,
    );
    for (i, net) in nets.iter().enumerate() {
        bus(&mut s, &g, i, net);
    }
    for (j, n) in plan.nodes.iter().enumerate() {
        node_box(&mut s, ctx, &g, &nets, j, n);
    }
    if plan.nodes.is_empty() {
        text(
            &mut s,
            20.0,
            g.box_y + 28.0,
            "muted-t",
            "",
            "노드를 찾지 못했습니다.",
        );
    }
    s.push_str("</svg>");
    let caption = if nets.is_empty() {
        "가이드와 설정에서 네트워크 정보를 찾지 못했습니다. 노드만 표시합니다."
    } else if plan.networks.iter().all(|n| n.inferred) {
        "가이드의 /etc/hosts, ifcfg 파일, my_ip 설정 등에서 찾은 주소로 추정한 네트워크입니다."
    } else {
        "설정의 네트워크와 가이드에서 찾은 노드 주소입니다."
    };
    Figure {
        svg: s,
        caption: caption.to_string(),
    }
}

/// Network `i`'s bus and its label (name, CIDR, gateway).
fn bus(s: &mut String, g: &Geometry, i: usize, net: &Net) {
    let y = g.bus_y(i);
    let _ = writeln!(
        s,
        "<line x1=\"{:.0}\" y1=\"{y:.0}\" x2=\"{:.0}\" y2=\"{y:.0}\" class=\"bus\" stroke=\"currentColor\" stroke-width=\"4\" stroke-linecap=\"round\"/>",
        g.label_w - 10.0,
        g.w - 16.0
    );
    text(
        s,
        12.0,
        y - 2.0,
        "fg",
        " font-weight=\"700\"",
        &fit(&net.name, 14.0, g.label_w - 24.0),
    );
    let sub = match &net.gateway {
        Some(gw) => format!("{} · gw {gw}", net.cidr),
        None => net.cidr.to_string(),
    };
    text(
        s,
        12.0,
        y + 16.0,
        "muted-t mono",
        " font-size=\"11\"",
        &fit(&sub, 11.0, g.label_w - 16.0),
    );
}

/// Node `n`'s wires to its networks, its box, and the hosts and addresses in it.
fn node_box(s: &mut String, ctx: &Ctx, g: &Geometry, nets: &[Net], j: usize, n: &str) {
    let c = ctx.color(n);
    let x = g.cx(j);
    let bx = x - 86.0;
    let box_y = g.box_y;
    // wires first, under the box
    let attached = nets
        .iter()
        .enumerate()
        .filter(|(_, net)| net.attachments.iter().any(|a| a.node == n));
    for (k, (i, _)) in attached.enumerate() {
        let y = g.bus_y(i);
        let wx = x - 50.0 + 16.0 * k as f32;
        let _ = writeln!(
            s,
            "<line x1=\"{wx:.0}\" y1=\"{y:.0}\" x2=\"{wx:.0}\" y2=\"{box_y:.0}\" class=\"wire s{c}\" stroke=\"currentColor\" stroke-width=\"2\"/><circle cx=\"{wx:.0}\" cy=\"{y:.0}\" r=\"5\" class=\"f{c}\"/>"
        );
    }
    let _ = writeln!(
        s,
        "<a href=\"node-{}.html\"><rect x=\"{bx:.0}\" y=\"{box_y:.0}\" width=\"172\" height=\"{:.0}\" rx=\"8\" class=\"box s{c}\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"/>",
        encode_path(n),
        g.box_h
    );
    let _ = writeln!(
        s,
        "<rect x=\"{bx:.0}\" y=\"{box_y:.0}\" width=\"172\" height=\"6\" rx=\"3\" class=\"f{c}\"/>"
    );
    text(
        s,
        bx + 12.0,
        box_y + 28.0,
        "fg",
        " font-weight=\"700\" font-size=\"15\"",
        &fit(n, 15.0, 150.0),
    );
    s.push_str("</a>\n");
    let mut y = box_y + 48.0;
    let hosts = ctx.plan.hosts.iter().filter(|h| h.node == n && h.name != n);
    for hst in hosts.take(4) {
        let label = fit(&hst.name, 12.0, 150.0);
        text(s, bx + 12.0, y, "muted-t", " font-size=\"12\"", &label);
        y += 17.0;
    }
    for net in nets {
        if let Some(a) = net.attachments.iter().find(|a| a.node == n) {
            let label = fit(&a.label(net), 12.0, 150.0);
            text(s, bx + 12.0, y, "fg mono", " font-size=\"12\"", &label);
            y += 17.0;
        }
    }
}
