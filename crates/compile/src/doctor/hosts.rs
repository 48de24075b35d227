//! `undefined-host` (RB006): a host name the guide uses that nothing defines — a URL to
//! `controler:5000` while `/etc/hosts` lists `controller`, `ssh node3` in a guide whose host
//! table stops at `node2`. The service fails to resolve the name.
//!
//! Defined names: the `/etc/hosts` lines any step writes (a file step or a command), lines of
//! the guide's text that give an address and names (a host table's row, a hosts listing), and
//! the nodes, aliases and hosts of runbook.toml. A guide that defines no name at all relies on
//! DNS and is not judged. Names with a dot are left to DNS too.

use super::{scan, Ctx, Finding};
use crate::parse::BlockKind;
use runbook_core::model::{Kind, Source, Step};
use runbook_core::net::{hosts_entry, is_ipv4};
use std::collections::BTreeSet;

/// Names that are never a machine of the guide.
const NOT_HOSTS: &[&str] = &[
    "localhost",
    "ip6-localhost",
    "ip6-loopback",
    "broadcasthost",
    "http",
    "https",
    "tcp",
    "udp",
    "unix",
    "file",
];

/// Commands whose `name:tag` arguments are packages, module streams or images, not hosts.
const IMAGES_AND_PACKAGES: &[&str] = &[
    "yum", "dnf", "apt", "apt-get", "pip", "pip3", "snap", "docker", "podman", "ctr", "crictl",
    "nerdctl",
];

/// The node a host name stands for: a node's name, a runbook.toml name of it, or the node's
/// name with a number (`compute1`) or a prefix (`k8s-master`).
pub(crate) fn node_of_host(ctx: &Ctx, host: &str) -> Option<String> {
    let h = host.to_ascii_lowercase();
    if let Some(n) = ctx.plan.nodes.iter().find(|n| **n == h) {
        return Some(n.clone());
    }
    for n in &ctx.guide.config.nodes {
        let names = std::iter::once(&n.name)
            .chain(n.hostname.iter())
            .chain(n.aliases.iter())
            .chain(n.hosts.iter().map(|x| &x.name));
        if names.into_iter().any(|x| x.eq_ignore_ascii_case(&h)) {
            return Some(n.name.to_ascii_lowercase());
        }
    }
    ctx.plan
        .nodes
        .iter()
        .find(|n| {
            let numbered = h.strip_prefix(n.as_str()).is_some_and(|r| {
                !r.is_empty()
                    && r.trim_start_matches('-')
                        .bytes()
                        .all(|b| b.is_ascii_digit())
            });
            let prefixed = h.strip_suffix(n.as_str()).is_some_and(|r| r.ends_with('-'));
            numbered || prefixed
        })
        .cloned()
}

/// Tools that run commands on every machine of an inventory.
const FLEET_TOOLS: &[&str] = &[
    "ansible",
    "ansible-playbook",
    "kolla-ansible",
    "ceph-deploy",
    "pdsh",
    "pssh",
    "parallel-ssh",
    "clush",
    "salt",
    "knife",
];

/// The nodes a step's commands may change from afar: every node for a fleet tool, the named
/// host's node for `ssh HOST CMD` (every node when the host is not one of them).
pub(crate) fn reach(ctx: &Ctx, cmds: &[super::commands::Simple]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in cmds {
        if FLEET_TOOLS.contains(&c.name.as_str()) {
            return ctx.plan.nodes.clone();
        }
        if c.name == "ssh" {
            let p = c.positionals(&["-p", "-i", "-o", "-l", "-F", "-J"]);
            if let (Some(h), true) = (p.first(), p.len() > 1) {
                let h = h.rsplit('@').next().unwrap_or(h);
                match node_of_host(ctx, h) {
                    Some(n) => out.push(n),
                    None => return ctx.plan.nodes.clone(),
                }
            }
        }
    }
    out
}

/// The names the guide defines, and the first step that writes `/etc/hosts` (or the first
/// other place).
fn defined(ctx: &Ctx) -> (BTreeSet<String>, Option<usize>, Option<Source>) {
    let mut names = BTreeSet::new();
    let mut step = None;
    for (i, s) in ctx.steps.iter().enumerate() {
        let mut text = String::new();
        if s.path() == Some("/etc/hosts") {
            text.push_str(s.action.content().unwrap_or(""));
            text.push('\n');
            text.push_str(&s.action.lines().join("\n"));
        }
        for c in &ctx.cmds[i] {
            if c.written().any(|w| w == "/etc/hosts") {
                text.push('\n');
                text.push_str(&c.body);
                text.push('\n');
                text.push_str(&c.args.join(" "));
            }
        }
        let before = names.len();
        add_entries(&text, &mut names);
        if names.len() > before && step.is_none() {
            step = Some(i);
        }
    }
    let mut place = None;
    for d in ctx.docs {
        for b in &d.blocks {
            let before = names.len();
            match &b.kind {
                BlockKind::Table { rows } => rows.iter().for_each(|r| add_row(r, &mut names)),
                BlockKind::Para { text, .. } => text.lines().for_each(|l| add_line(l, &mut names)),
                BlockKind::Code { content, .. } => add_entries(content, &mut names),
                _ => continue,
            }
            if names.len() > before && place.is_none() {
                place = Some(Source {
                    file: d.file.clone(),
                    line: b.line,
                });
            }
        }
    }
    for n in &ctx.guide.config.nodes {
        names.insert(n.name.to_ascii_lowercase());
        names.extend(n.hostname.iter().map(|h| h.to_ascii_lowercase()));
        names.extend(n.aliases.iter().map(|h| h.to_ascii_lowercase()));
        names.extend(n.hosts.iter().map(|h| h.name.to_ascii_lowercase()));
    }
    (names, step, place)
}

/// A word that is an IPv4 address (with a prefix, a port or punctuation around it).
fn is_address(w: &str) -> bool {
    let w = w.trim_matches(|c: char| !c.is_ascii_digit() && c != '.');
    let w = w.split(['/', ':']).next().unwrap_or(w);
    is_ipv4(w)
}

fn add_entries(text: &str, names: &mut BTreeSet<String>) {
    let entries = text
        .lines()
        .filter(|l| {
            l.trim_start()
                .as_bytes()
                .first()
                .is_some_and(u8::is_ascii_digit)
        })
        .filter_map(hosts_entry);
    for e in entries {
        names.extend(e.names.iter().map(|n| n.to_ascii_lowercase()));
    }
}

/// A line of the guide's prose that names a machine with its address: a hosts line
/// (`10.0.0.11 controller`), or a name then its address (`- controller : 10.0.0.11`,
/// `controller (10.0.0.11)`). (In code, only hosts lines: `local_ip = 10.0.0.31` is a
/// setting.)
fn add_line(line: &str, names: &mut BTreeSet<String>) {
    let t =
        line.trim_start_matches(|c: char| c == '-' || c == '*' || c == '>' || c.is_whitespace());
    if let Some(e) = hosts_entry(t) {
        names.extend(e.names.iter().map(|n| n.to_ascii_lowercase()));
        return;
    }
    let t = t.replace("**", "").replace('`', "");
    let words: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || matches!(c, ':' | '(' | ')' | ',' | '|'))
        .filter(|w| !w.is_empty())
        .collect();
    if let [name, addr, ..] = words.as_slice() {
        if is_ipv4(addr) && name.as_bytes()[0].is_ascii_alphabetic() && !name.contains(['_', '=']) {
            names.insert(name.to_ascii_lowercase());
        }
    }
}

/// A table row with an address: its cells that are one name each.
fn add_row(row: &[String], names: &mut BTreeSet<String>) {
    if !row.iter().any(|c| c.split_whitespace().any(is_address)) {
        return;
    }
    for c in row {
        let c = c.trim().trim_matches('`').trim_matches('*');
        if !c.contains(char::is_whitespace)
            && c.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
            && c.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
        {
            names.insert(c.to_ascii_lowercase());
        }
    }
}

/// Names the guide's configuration gives things other than machines: a whole value of a
/// setting whose key is no host (`<value>job-cluster</value>` for an HDFS nameservice,
/// `cluster.name: es-cluster`), used in URLs as a logical name.
fn logical_names(ctx: &Ctx, names: &mut BTreeSet<String>) {
    let word = |v: &str| {
        v.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
            && v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    for text in &ctx.written {
        for line in text.lines() {
            if let Some(v) = line
                .split_once("<value>")
                .and_then(|(_, r)| r.split_once("</value>"))
                .map(|(v, _)| v.trim())
            {
                if word(v) {
                    names.insert(v.to_ascii_lowercase());
                }
                continue;
            }
            let Some((k, v)) = scan::key_value(line) else {
                continue;
            };
            let k = k.to_ascii_lowercase();
            let hostish = [
                "host", "server", "address", "url", "uri", "endpoint", "name",
            ];
            if word(v) && (!hostish.iter().any(|h| k.contains(h)) || k.contains("cluster")) {
                names.insert(v.to_ascii_lowercase());
            }
        }
    }
}

/// Host names a step uses: URL hosts, `host:port`, `ssh`/`scp`/`ping` targets, `-h HOST`,
/// `server HOST` in an NTP configuration, `*host = NAME` settings, `ServerName NAME`.
fn used(written: &str, cmds: &[super::commands::Simple]) -> Vec<String> {
    let mut out: Vec<&str> = Vec::new();
    names_in(written, true, &mut out);
    let mut hosts: Vec<String> = Vec::new();
    for c in cmds
        .iter()
        .filter(|c| !IMAGES_AND_PACKAGES.contains(&c.name.as_str()))
    {
        let mut words: Vec<&str> = Vec::new();
        for a in c.assigns.iter().chain(&c.args).filter(|a| a.contains(':')) {
            names_in(a, false, &mut words);
        }
        hosts.extend(words.into_iter().map(str::to_string));
        command_hosts(c, &mut hosts);
    }
    hosts.extend(out.into_iter().map(str::to_string));
    hosts.retain(|h| candidate(h));
    hosts.sort();
    hosts.dedup();
    hosts
}

/// The host names of a text: URL hosts, `host:port` with a port from 80, and with `keys` the
/// value of a host key on its own line (`server controller iburst`, `ServerName controller`,
/// `OPENSTACK_HOST = "controller"`).
fn names_in<'t>(text: &'t str, keys: bool, out: &mut Vec<&'t str>) {
    for u in scan::urls(text) {
        out.extend(u.hosts());
    }
    out.extend(
        scan::host_ports(text)
            .into_iter()
            .filter(|(_, p)| *p >= 80)
            .map(|(h, _)| h),
    );
    if keys {
        for (k, v) in text.lines().filter_map(scan::key_value) {
            let kb = k.as_bytes();
            let host_key = kb.len() >= 4 && kb[kb.len() - 4..].eq_ignore_ascii_case(b"host");
            let named = ["servername", "server", "pool"]
                .iter()
                .any(|n| k.eq_ignore_ascii_case(n));
            if host_key || named {
                out.push(v);
            }
        }
    }
}

/// The hosts a command connects to by name.
fn command_hosts(c: &super::commands::Simple, out: &mut Vec<String>) {
    let strip = |h: &str| h.rsplit('@').next().unwrap_or(h).to_string();
    match c.name.as_str() {
        "ping" => {
            if let Some(h) = c.positionals(&["-c", "-i", "-W", "-w", "-s", "-I"]).last() {
                out.push(strip(h));
            }
        }
        "ssh" | "ssh-copy-id" => {
            let p = c.positionals(&["-p", "-i", "-o", "-l", "-F", "-J", "-P"]);
            if let Some(h) = p.first() {
                out.push(strip(h));
            }
        }
        "scp" | "rsync" => {
            for p in c.positionals(&["-P", "-i", "-o", "-e"]) {
                if let Some((h, _)) = p.split_once(':') {
                    if !h.contains('/') {
                        out.push(strip(h));
                    }
                }
            }
        }
        "mysql" | "redis-cli" | "psql" | "nc" | "telnet" => {
            if let Some(h) = c.opt(&["-h", "--host"]) {
                out.push(h.to_string());
            } else if matches!(c.name.as_str(), "nc" | "telnet") {
                if let Some(h) = c.positionals(&["-w"]).first() {
                    out.push(h.to_string());
                }
            }
        }
        _ => {}
    }
}

/// Whether a word may be a machine's name: letters, digits and `-`, no dot, not an address or
/// an upper-case placeholder.
fn candidate(h: &str) -> bool {
    let l = h.to_ascii_lowercase();
    h.len() >= 2
        && h.as_bytes()[0].is_ascii_alphabetic()
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && h.bytes().any(|b| b.is_ascii_lowercase())
        && !h.contains('_')
        && !NOT_HOSTS.contains(&l.as_str())
}

pub(crate) fn check<'p>(ctx: &Ctx<'p>, out: &mut Vec<Finding<'p>>) {
    let (mut names, step, place) = defined(ctx);
    if names.is_empty() {
        return;
    }
    let mut unknown: Vec<(&Step, String)> = Vec::new();
    for (i, s) in ctx.steps.iter().enumerate() {
        if s.kind() == Kind::Manual {
            continue;
        }
        for h in used(&ctx.written[i], &ctx.cmds[i]) {
            if !names.contains(&h.to_ascii_lowercase()) && !s.variables.contains(&h) {
                unknown.push((s, h));
            }
        }
    }
    if !unknown.is_empty() {
        logical_names(ctx, &mut names);
    }
    for (s, h) in unknown {
        {
            if names.contains(&h.to_ascii_lowercase()) {
                continue;
            }
            let mut f = Finding::new(
                "RB006",
                s,
                format!("host name {h:?} is used here, but no /etc/hosts step, host table or runbook.toml defines it"),
            );
            match (step, &place) {
                (Some(j), _) => f = f.with(ctx.steps[j]),
                (None, Some(p)) => f.places.push(p.clone()),
                _ => {}
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::commands::simple;
    use crate::doctor::tests::{found, ini, plan, step};

    #[test]
    fn names_used_in_urls_commands_and_settings() {
        let s = ini(
            "a",
            &["c"],
            "/etc/nova/nova.conf",
            &[
                (
                    "DEFAULT",
                    "transport_url",
                    "rabbit://openstack:${RABBIT_PASS}@controller:5672/",
                ),
                ("cache", "memcache_servers", "controller:11211"),
                ("vnc", "server_listen", "0.0.0.0"),
            ],
        );
        assert_eq!(used(&crate::doctor::written(&s), &[]), ["controller"]);
        let c = step(
            "b",
            &["c"],
            "ssh root@compute1 hostname; ping -c 4 docs.openstack.org",
        );
        assert_eq!(used("", &simple(&c.run)), ["compute1"]);
        // keys and values in any script
        assert!(used("그림호스트 = 값\n![[그림 x\n", &[]).is_empty());
        let c = step(
            "b",
            &["c"],
            "docker pull nginx:1.14 && docker run ubuntu:20.04",
        );
        assert!(used("", &simple(&c.run)).is_empty());
    }

    #[test]
    fn a_name_no_hosts_line_defines() {
        let hosts = step(
            "h",
            &["controller", "compute"],
            "cat <<EOF >> /etc/hosts\n10.0.0.11 controller\n10.0.0.31 compute1\nEOF\n",
        );
        let good = step("g", &["compute"], "ping -c 4 controller");
        let bad = step("b", &["controller"], "ssh compute2 hostname");
        assert_eq!(
            found(&plan(vec![hosts, good, bad])),
            [("RB006".to_string(), 21, vec![1])]
        );
    }
}
