//! The networks a guide declares: from the config, else from its prose and headings
//! (`management network(10.0.0.1/24)`). Where the nodes sit on them is found on the final plan
//! ([`crate::facts`]).

use crate::load::Guide;
use crate::parse::{BlockKind, Doc};
use regex::Regex;
use runbook_core::model::Network;
use runbook_core::net::{network_of, parse_ipv4};
use std::net::Ipv4Addr;
use std::sync::OnceLock;

fn net_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)([A-Za-z가-힣-]+)\s*(?:network|네트워크)\s*[:(]?\s*(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})/(\d{1,2})").expect("static regex")
    })
}

/// `10.0.0.1` with `24` bits → `10.0.0.0/24`.
fn normalise(ip: &str, bits: &str) -> String {
    let b: u8 = bits.parse().unwrap_or(24).min(32);
    network_of(parse_ipv4(ip).unwrap_or(Ipv4Addr::UNSPECIFIED), b)
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
            inferred: false,
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
                    inferred: false,
                });
            }
        }
    }
    nets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr() {
        assert_eq!(normalise("10.0.0.1", "24"), "10.0.0.0/24");
    }
}
