//! Diagrams as inline SVG, made at build time (no JavaScript): the network topology, what runs
//! where (packages and services per node), and a swimlane of phases across nodes. Colours come
//! from CSS variables (classes), so light and dark mode both read well; presentation attributes
//! using `currentColor` are the fallback without the stylesheet.

use super::Ctx;
use regex::Regex;
use runbook_core::html::escape;
use runbook_core::links::encode_path;
use runbook_core::model::{Kind, Plan, Step};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::Ipv4Addr;
use std::sync::OnceLock;

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

#[derive(Debug, Clone)]
struct Attach {
    node: String,
    iface: Option<String>,
    addr: Ipv4Addr,
    prefix: Option<u8>,
}

#[derive(Debug, Clone)]
struct Net {
    name: String,
    cidr: String,
    base: Option<(Ipv4Addr, u8)>,
    gateway: Option<String>,
    attachments: Vec<(String, Option<String>, Option<String>)>,
}

fn parse_cidr(c: &str) -> Option<(Ipv4Addr, u8)> {
    let (a, p) = c.split_once('/')?;
    let a: Ipv4Addr = a.trim().parse().ok()?;
    let p: u8 = p.trim().parse().ok()?;
    (p <= 32).then_some((a, p))
}

fn in_net(addr: Ipv4Addr, base: (Ipv4Addr, u8)) -> bool {
    let (b, p) = base;
    if p == 0 {
        return true;
    }
    let mask = u32::MAX << (32 - p as u32);
    (u32::from(addr) & mask) == (u32::from(b) & mask)
}

fn mask_prefix(m: &str) -> Option<u8> {
    let a: Ipv4Addr = m.trim().parse().ok()?;
    let v = u32::from(a);
    (v.leading_ones() + v.trailing_zeros() == 32).then_some(v.leading_ones() as u8)
}

fn re(cell: &'static OnceLock<Regex>, src: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(src).expect("static regex"))
}

/// The value of a variable for a node (per-node value, else its default).
fn var_value<'p>(plan: &'p Plan, node: &str, name: &str) -> Option<&'p str> {
    let var = plan.variables.iter().find(|x| x.name == name)?;
    var.per_node
        .iter()
        .find(|nv| nv.node == node)
        .map(|nv| nv.value.as_str())
        .or(var.value.as_deref())
}

/// Replace `${VAR}` (or a bare `VAR` that is a whole value) by the node's value.
fn resolve_value(plan: &Plan, node: &str, v: &str) -> String {
    let v = v.trim();
    if let Some(x) = var_value(plan, node, v) {
        return x.to_string();
    }
    let mut out = String::with_capacity(v.len());
    let mut rest = v;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find('}') {
            Some(j) => {
                let name = &after[..j];
                match var_value(plan, node, name) {
                    Some(x) => out.push_str(x),
                    None => out.push_str(&rest[i..i + 3 + j]),
                }
                rest = &after[j + 1..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The node a host name from `/etc/hosts` stands for.
fn node_of_name(plan: &Plan, name: &str) -> Option<String> {
    let lname = name.to_ascii_lowercase();
    if let Some(n) = plan.nodes.iter().find(|n| **n == lname) {
        return Some(n.clone());
    }
    if let Some(h) = plan
        .hosts
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
    {
        return Some(h.node.clone());
    }
    plan.nodes
        .iter()
        .find(|n| {
            lname.strip_prefix(n.as_str()).is_some_and(|rest| {
                !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == '-')
            })
        })
        .cloned()
}

/// Addresses of nodes found in the steps: `/etc/hosts` lines, ifcfg files, interfaces files,
/// `my_ip` / `local_ip` settings.
fn addresses_from_steps(plan: &Plan) -> Vec<Attach> {
    static HOSTS: OnceLock<Regex> = OnceLock::new();
    static IFCFG: OnceLock<Regex> = OnceLock::new();
    let hosts_re = re(
        &HOSTS,
        r"(?m)^\s*(\d{1,3}(?:\.\d{1,3}){3})\s+([A-Za-z0-9][A-Za-z0-9._-]*)",
    );
    let kv_re = re(
        &IFCFG,
        r#"(?m)^\s*(IPADDR|PREFIX|NETMASK|address|netmask)\s*[= ]\s*"?([0-9./]+)"?"#,
    );
    let mut out = Vec::new();
    for s in plan.steps.iter().filter(|s| s.selected()) {
        let body = step_text(s);
        let path = s.path().unwrap_or("");
        if path == "/etc/hosts" || s.run.contains("/etc/hosts") || s.original.contains("/etc/hosts")
        {
            for c in hosts_re.captures_iter(&body) {
                let Ok(addr) = c[1].parse::<Ipv4Addr>() else {
                    continue;
                };
                if addr.is_loopback() || addr.is_unspecified() {
                    continue;
                }
                if let Some(node) = node_of_name(plan, &c[2]) {
                    out.push(Attach {
                        node,
                        iface: None,
                        addr,
                        prefix: None,
                    });
                }
            }
        }
        let iface = path
            .rsplit('/')
            .next()
            .and_then(|f| f.strip_prefix("ifcfg-"))
            .map(str::to_string);
        if iface.is_some() || path == "/etc/network/interfaces" {
            let mut addr = None;
            let mut prefix = None;
            for c in kv_re.captures_iter(&body) {
                match &c[1] {
                    "IPADDR" | "address" => {
                        let v = &c[2];
                        let (a, p) = v
                            .split_once('/')
                            .map(|(a, p)| (a, p.parse().ok()))
                            .unwrap_or((v, None));
                        addr = a.parse::<Ipv4Addr>().ok();
                        prefix = prefix.or(p);
                    }
                    "PREFIX" => prefix = c[2].parse().ok(),
                    _ => prefix = mask_prefix(&c[2]),
                }
            }
            if let Some(addr) = addr {
                for n in &s.nodes {
                    out.push(Attach {
                        node: n.clone(),
                        iface: iface.clone(),
                        addr,
                        prefix,
                    });
                }
            }
        }
        {
            for st in s.action.settings() {
                if st.key == "my_ip" || st.key == "local_ip" {
                    for n in &s.nodes {
                        if let Ok(addr) = resolve_value(plan, n, &st.value).parse::<Ipv4Addr>() {
                            out.push(Attach {
                                node: n.clone(),
                                iface: None,
                                addr,
                                prefix: None,
                            });
                        }
                    }
                }
            }
        }
    }
    out
}

fn step_text(s: &Step) -> String {
    let mut t = String::new();
    if let Some(c) = s.action.content() {
        t.push_str(c);
        t.push('\n');
    }
    for l in s.action.lines() {
        t.push_str(l);
        t.push('\n');
    }
    t.push_str(&s.original);
    t
}

fn networks(plan: &Plan) -> (Vec<Net>, bool) {
    let mut nets: Vec<Net> = plan
        .networks
        .iter()
        .map(|n| Net {
            name: n.name.clone(),
            cidr: n.cidr.clone(),
            base: parse_cidr(&n.cidr),
            gateway: n.gateway.clone(),
            attachments: n
                .attachments
                .iter()
                .map(|a| {
                    let r =
                        |v: &Option<String>| v.as_deref().map(|x| resolve_value(plan, &a.node, x));
                    (a.node.clone(), r(&a.interface), r(&a.address))
                })
                .collect(),
        })
        .collect();
    let derived = nets.is_empty();
    let mut found: Vec<Attach> = Vec::new();
    for h in &plan.hosts {
        if let Some(a) = h
            .address
            .as_deref()
            .and_then(|a| a.parse::<Ipv4Addr>().ok())
        {
            found.push(Attach {
                node: h.node.clone(),
                iface: None,
                addr: a,
                prefix: None,
            });
        }
    }
    found.extend(addresses_from_steps(plan));
    for a in found {
        let i = match nets
            .iter()
            .position(|n| n.base.is_some_and(|b| in_net(a.addr, b)))
        {
            Some(i) => i,
            None => {
                let p = a.prefix.unwrap_or(24).min(32);
                let mask = if p == 0 {
                    0
                } else {
                    u32::MAX << (32 - p as u32)
                };
                let base = Ipv4Addr::from(u32::from(a.addr) & mask);
                nets.push(Net {
                    name: String::new(),
                    cidr: format!("{base}/{p}"),
                    base: Some((base, p)),
                    gateway: None,
                    attachments: Vec::new(),
                });
                nets.len() - 1
            }
        };
        let net = &mut nets[i];
        let addr = a.addr.to_string();
        match net.attachments.iter_mut().find(|(n, _, _)| *n == a.node) {
            Some(at) => {
                if at.1.is_none() {
                    at.1 = a.iface.clone();
                }
                if at.2.is_none() {
                    at.2 = Some(addr);
                }
            }
            None => net
                .attachments
                .push((a.node.clone(), a.iface.clone(), Some(addr))),
        }
    }
    let mut k = 0;
    for n in nets.iter_mut() {
        if n.name.is_empty() {
            k += 1;
            n.name = format!("네트워크 {k}");
        }
    }
    (nets, derived)
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
            None => net.cidr.clone(),
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
                let label = match (&a.1, &a.2) {
                    (Some(i), Some(ad)) => format!("{i} {ad}"),
                    (None, Some(ad)) => ad.clone(),
                    (Some(i), None) => i.clone(),
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

/// Packages installed and services enabled/started per node, in guide order.
pub fn packages_and_services(plan: &Plan) -> BTreeMap<String, (Vec<String>, Vec<String>)> {
    static INSTALL: OnceLock<Regex> = OnceLock::new();
    static SYSTEMCTL: OnceLock<Regex> = OnceLock::new();
    let install = re(
        &INSTALL,
        r"(?m)\b(?:yum|dnf|apt-get|apt|zypper)\s+(?:-\S+\s+)*install\s+([^;&|><\n#]+)",
    );
    let sysctl = re(
        &SYSTEMCTL,
        r"(?m)\bsystemctl\s+(?:--\S+\s+)*(?:enable|start|restart)\s+([^;&|><\n#]+)",
    );
    let mut out: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for n in &plan.nodes {
        out.insert(n.clone(), (Vec::new(), Vec::new()));
    }
    for s in plan
        .steps
        .iter()
        .filter(|s| s.selected() && s.kind() == Kind::Command)
    {
        let body = if s.run.is_empty() {
            &s.original
        } else {
            &s.run
        };
        let body = body.replace("\\\n", " ");
        let mut pk = Vec::new();
        for c in install.captures_iter(&body) {
            for w in c[1].split_whitespace() {
                let w = w.trim_matches(|c| c == '"' || c == '\'' || c == '\\');
                if w.is_empty() || w.starts_with('-') || w.starts_with('$') {
                    continue;
                }
                pk.push(w.to_string());
            }
        }
        let mut sv = Vec::new();
        for c in sysctl.captures_iter(&body) {
            for w in c[1].split_whitespace() {
                if w.starts_with('-') || w.starts_with('$') || w == "\\" {
                    continue;
                }
                let w = runbook_core::shell::unit_name(w);
                if !w.is_empty() {
                    sv.push(w.to_string());
                }
            }
        }
        for n in &s.nodes {
            let e = out.entry(n.clone()).or_default();
            for p in &pk {
                if !e.0.contains(p) {
                    e.0.push(p.clone());
                }
            }
            for v in &sv {
                if !e.1.contains(v) {
                    e.1.push(v.clone());
                }
            }
        }
    }
    out
}

pub fn where_runs(ctx: &Ctx) -> String {
    let plan = ctx.plan;
    let data = packages_and_services(plan);
    const MAX: usize = 40;
    let col = 230.0;
    let line = 18.0;
    let rows = |v: &Vec<String>| v.len().min(MAX) + usize::from(v.len() > MAX);
    let max_rows = plan
        .nodes
        .iter()
        .map(|n| {
            let (p, s) = &data[n];
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
        let (pk, sv) = &data[n];
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
    fn cidr_and_mask() {
        let b = parse_cidr("10.0.0.0/24").unwrap();
        assert!(in_net("10.0.0.11".parse().unwrap(), b));
        assert!(!in_net("10.0.1.11".parse().unwrap(), b));
        assert_eq!(mask_prefix("255.255.255.0"), Some(24));
        assert_eq!(mask_prefix("255.0.255.0"), None);
        assert_eq!(fit("가나다라마바사", 10.0, 40.0), "가나다…");
    }
}
