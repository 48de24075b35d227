//! What the plan sets up, gathered once for every renderer: the networks and each node's place
//! on them, and the packages and services of each node.
//!
//! Runs on the final plan (after the fleet's per-host values), so what it reports is what the
//! runbooks do.

use crate::extract::nodes::{canon_label, Canon};
use crate::load::Guide;
use regex::Regex;
use runbook_core::model::{Attachment, Kind, Network, Plan, Software, Step};
use runbook_core::net::{contains, hosts_entry, network_of, parse_cidr, prefix_of_mask};
use runbook_core::shell::unit_name;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::sync::OnceLock;

/// Fill the plan's networks (attachments, and networks the addresses imply) and software.
pub fn fill(plan: &mut Plan, guide: &Guide) {
    let declared = std::mem::take(&mut plan.networks);
    let attached = attach(declared, guide, &plan.nodes, &plan.steps);
    plan.networks = topology(plan, attached);
    plan.software = software(plan);
}

// ---------------------------------------------------------------- networks

/// An address of a node, and where the guide gave it.
struct Address {
    node: String,
    iface: Option<String>,
    addr: Ipv4Addr,
    prefix: Option<u8>,
}

/// Attach the nodes to the declared networks: their addresses from the config, then from the
/// `/etc/hosts` lines the steps write.
fn attach(mut nets: Vec<Network>, guide: &Guide, nodes: &[String], steps: &[Step]) -> Vec<Network> {
    let mut addrs: Vec<(String, String)> = Vec::new();
    for n in &guide.config.nodes {
        if let Some(a) = &n.address {
            addrs.push((n.name.to_ascii_lowercase(), a.clone()));
        }
        for h in &n.hosts {
            if let Some(a) = &h.address {
                addrs.push((n.name.to_ascii_lowercase(), a.clone()));
            }
        }
    }
    for s in steps
        .iter()
        .filter(|s| s.kind() == Kind::Lines && s.path() == Some("/etc/hosts"))
    {
        for e in s.action.lines().iter().filter_map(|l| hosts_entry(l)) {
            let host = e.names[0].to_lowercase();
            let node = nodes.iter().find(|n| {
                **n == host || canon_label(&host, nodes) == Some(Canon::Node((*n).clone()))
            });
            if let Some(n) = node {
                let a = e.address.to_string();
                if !addrs.iter().any(|(nn, x)| nn == n && *x == a) {
                    addrs.push((n.clone(), a));
                }
            }
        }
    }
    // the interface the guide configures, if it names one
    let iface = steps
        .iter()
        .filter_map(|s| s.path())
        .find_map(|p| p.rsplit_once("ifcfg-").map(|(_, i)| i.to_string()));
    for net in nets.iter_mut() {
        for (node, addr) in &addrs {
            if runbook_core::net::in_cidr(addr, &net.cidr)
                && !net
                    .attachments
                    .iter()
                    .any(|a| &a.node == node && a.address.as_deref() == Some(addr))
            {
                net.attachments.push(Attachment {
                    node: node.clone(),
                    interface: iface.clone(),
                    address: Some(addr.clone()),
                });
            }
        }
    }
    nets
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

fn re(cell: &'static OnceLock<Regex>, src: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(src).expect("static regex"))
}

/// The text of what a step writes, and its guide text.
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

/// Addresses of nodes found in the steps: `/etc/hosts` lines, ifcfg files, interfaces files,
/// `my_ip` / `local_ip` settings.
fn addresses_from_steps(plan: &Plan) -> Vec<Address> {
    static IFCFG: OnceLock<Regex> = OnceLock::new();
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
            for e in body.lines().filter_map(hosts_entry) {
                if e.address.is_loopback() || e.address.is_unspecified() {
                    continue;
                }
                if let Some(node) = node_of_name(plan, e.names[0]) {
                    out.push(Address {
                        node,
                        iface: None,
                        addr: e.address,
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
                    _ => prefix = prefix_of_mask(&c[2]),
                }
            }
            if let Some(addr) = addr {
                for n in &s.nodes {
                    out.push(Address {
                        node: n.clone(),
                        iface: iface.clone(),
                        addr,
                        prefix,
                    });
                }
            }
        }
        for st in s.action.settings() {
            if st.key == "my_ip" || st.key == "local_ip" {
                for n in &s.nodes {
                    if let Ok(addr) = resolve_value(plan, n, &st.value).parse::<Ipv4Addr>() {
                        out.push(Address {
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
    out
}

/// The final networks: the declared ones with their attachments' values resolved for each
/// node, then every address a node has put on the network holding it, or on a network of its
/// own (`/24` unless the guide gives the prefix), marked inferred.
fn topology(plan: &Plan, declared: Vec<Network>) -> Vec<Network> {
    let mut nets: Vec<Network> = declared
        .into_iter()
        .map(|mut n| {
            for a in n.attachments.iter_mut() {
                let r = |v: &Option<String>| v.as_deref().map(|x| resolve_value(plan, &a.node, x));
                a.interface = r(&a.interface);
                a.address = r(&a.address);
            }
            n
        })
        .collect();
    let mut found: Vec<Address> = Vec::new();
    for h in &plan.hosts {
        if let Some(a) = h
            .address
            .as_deref()
            .and_then(|a| a.parse::<Ipv4Addr>().ok())
        {
            found.push(Address {
                node: h.node.clone(),
                iface: None,
                addr: a,
                prefix: None,
            });
        }
    }
    found.extend(addresses_from_steps(plan));
    for a in found {
        let at = nets
            .iter()
            .position(|n| parse_cidr(&n.cidr).is_some_and(|b| contains(b, a.addr)));
        let i = match at {
            Some(i) => i,
            None => {
                nets.push(Network {
                    name: String::new(),
                    cidr: network_of(a.addr, a.prefix.unwrap_or(24)),
                    gateway: None,
                    attachments: Vec::new(),
                    inferred: true,
                });
                nets.len() - 1
            }
        };
        let addr = a.addr.to_string();
        let net = &mut nets[i];
        match net.attachments.iter_mut().find(|x| x.node == a.node) {
            Some(x) => {
                if x.interface.is_none() {
                    x.interface = a.iface.clone();
                }
                if x.address.is_none() {
                    x.address = Some(addr);
                }
            }
            None => net.attachments.push(Attachment {
                node: a.node.clone(),
                interface: a.iface.clone(),
                address: Some(addr),
            }),
        }
    }
    nets
}

// ---------------------------------------------------------------- software

/// Packages installed and services enabled, started or restarted per node, in guide order.
fn software(plan: &Plan) -> Vec<Software> {
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
    let mut out: BTreeMap<&str, Software> = plan
        .nodes
        .iter()
        .map(|n| {
            (
                n.as_str(),
                Software {
                    node: n.clone(),
                    ..Software::default()
                },
            )
        })
        .collect();
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
                let w = unit_name(w);
                if !w.is_empty() {
                    sv.push(w.to_string());
                }
            }
        }
        for n in &s.nodes {
            let Some(e) = out.get_mut(n.as_str()) else {
                continue;
            };
            for p in &pk {
                if !e.packages.contains(p) {
                    e.packages.push(p.clone());
                }
            }
            for v in &sv {
                if !e.services.contains(v) {
                    e.services.push(v.clone());
                }
            }
        }
    }
    plan.nodes
        .iter()
        .filter_map(|n| out.remove(n.as_str()))
        .collect()
}
