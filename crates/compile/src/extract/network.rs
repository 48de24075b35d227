//! Networks and attachments: from the config, else inferred from the guide (`management
//! network(10.0.0.1/24)`, `/etc/hosts` lines, `IPADDR=` lines).

use crate::load::Guide;
use crate::parse::{BlockKind, Doc};
use regex::Regex;
use runbook_core::model::{Attachment, Kind, Network, Step};
use std::sync::OnceLock;

fn net_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)([A-Za-z가-힣-]+)\s*(?:network|네트워크)\s*[:(]?\s*(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})/(\d{1,2})").expect("static regex")
    })
}

fn host_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"^\s*(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})\s+([A-Za-z0-9_.-]+)")
            .expect("static regex")
    })
}

fn parse_ip(s: &str) -> Option<u32> {
    let p: Vec<u32> = s
        .split('.')
        .map(|x| x.parse::<u32>().ok().filter(|v| *v < 256))
        .collect::<Option<Vec<_>>>()?;
    (p.len() == 4).then(|| (p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3])
}

/// Does `ip` lie in `cidr`?
pub fn in_cidr(ip: &str, cidr: &str) -> bool {
    let Some((net, bits)) = cidr.split_once('/') else {
        return false;
    };
    let (Some(n), Some(i), Ok(b)) = (parse_ip(net), parse_ip(ip), bits.parse::<u32>()) else {
        return false;
    };
    if b > 32 {
        return false;
    }
    let mask = if b == 0 { 0 } else { u32::MAX << (32 - b) };
    n & mask == i & mask
}

fn normalise(ip: &str, bits: &str) -> String {
    let b: u32 = bits.parse().unwrap_or(24).min(32);
    let n = parse_ip(ip).unwrap_or(0);
    let mask = if b == 0 { 0 } else { u32::MAX << (32 - b) };
    let m = n & mask;
    format!(
        "{}.{}.{}.{}/{}",
        m >> 24,
        (m >> 16) & 255,
        (m >> 8) & 255,
        m & 255,
        b
    )
}

/// The networks of the config, else those the guide's prose and headings declare
/// (`management network(10.0.0.0/24)`), in guide order; without attachments yet.
pub fn declared(guide: &Guide, docs: &[Doc]) -> Vec<Network> {
    let mut nets: Vec<Network> = guide
        .config
        .networks
        .iter()
        .map(|n| Network {
            name: n.name.clone(),
            cidr: n.cidr.clone(),
            gateway: n.gateway.clone(),
            attachments: vec![],
        })
        .collect();
    if nets.is_empty() {
        use rayon::prelude::*;
        // (name, cidr, gateway) of every declaration, chapters read in parallel
        let found: Vec<Vec<(String, String, Option<String>)>> = docs
            .par_iter()
            .map(|d| {
                let mut found = Vec::new();
                for b in &d.blocks {
                    if let BlockKind::Para { text, .. } | BlockKind::Heading { text, .. } = &b.kind
                    {
                        // every declaration has a prefix length after a slash
                        if !text.contains('/') {
                            continue;
                        }
                        for c in net_re().captures_iter(text) {
                            let gw = (c[2].ends_with(".1")).then(|| c[2].to_string());
                            found.push((c[1].to_lowercase(), normalise(&c[2], &c[3]), gw));
                        }
                    }
                }
                found
            })
            .collect();
        for (name, cidr, gateway) in found.into_iter().flatten() {
            if !nets.iter().any(|n| n.cidr == cidr) {
                nets.push(Network {
                    name,
                    cidr,
                    gateway,
                    attachments: vec![],
                });
            }
        }
    }
    nets
}

/// Attach the nodes to the networks: their addresses from the config, then from `/etc/hosts`
/// lines the steps write.
pub fn attach(
    mut nets: Vec<Network>,
    guide: &Guide,
    nodes: &[String],
    steps: &[Step],
) -> Vec<Network> {
    // addresses of nodes: config, then /etc/hosts lines
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
        for l in s.action.lines() {
            if let Some(c) = host_re().captures(l) {
                let host = c[2].to_lowercase();
                let node = nodes.iter().find(|n| {
                    **n == host
                        || super::nodes::canon_label(&host, nodes)
                            == Some(super::nodes::Canon::Node((*n).clone()))
                });
                if let Some(n) = node {
                    if !addrs.iter().any(|(nn, a)| nn == n && a == &c[1]) {
                        addrs.push((n.clone(), c[1].to_string()));
                    }
                }
            }
        }
    }
    // interfaces: ifcfg paths
    let iface = steps
        .iter()
        .filter_map(|s| s.path())
        .find_map(|p| p.rsplit_once("ifcfg-").map(|(_, i)| i.to_string()));
    for net in nets.iter_mut() {
        for (node, addr) in &addrs {
            if in_cidr(addr, &net.cidr)
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
        // nodes not addressed on a network still attach when the guide names no addresses there
    }
    nets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr() {
        assert!(in_cidr("10.0.0.11", "10.0.0.0/24"));
        assert!(!in_cidr("10.0.1.11", "10.0.0.0/24"));
        assert_eq!(normalise("10.0.0.1", "24"), "10.0.0.0/24");
    }
}
