//! The guide's machines: the roles (or hosts) it installs, read from every place authors name
//! them, whatever they call them. Nothing here is a fixed list of roles: a name becomes a node
//! because the guide uses it where machines are named.
//!
//! Discovery rules, each an [`Evidence`] source (strong: the guide names a machine there; weak:
//! a passing mention):
//!
//! | rule | reads |
//! |---|---|
//! | `heading-names-node` | a heading naming nodes (`### Controller Node`, `Worker Node 설정`, `설치 및 구성(Compute Node)`) |
//! | `heading-with-address` | a heading giving a machine's address (`### 마스터 설정 (192.168.1.100)`, `Sentinel 설정(192.168.1.102)`) |
//! | `heading-names-host` | a heading naming a host in parentheses (`### Master (m1)`) |
//! | `scope-line` | a line saying where to run (`**Controller 노드에서 진행**`, `master에서만 실행`) |
//! | `bold-tag` | a bold tag opening a list item (`**(Master)**`, `**(Workers)**`) |
//! | `host-key` | a bullet whose key speaks of the host (`실행 호스트 : Master`) |
//! | `label-line` | a label line before a block naming the instance (`zookeeper-1 /tmp/zookeeper/myid 파일생성 :`) |
//! | `prompt-host` | prompts (`root@controller#`, `(Compute)#`, `[root@nasa-master ~]#`) |
//! | `caption` | a figure caption naming a node |
//! | `host-table` | a table giving each host its role (`\| nasa-node1 \| Worker 노드 \|`, `\| m1 \| NameNode \|`) |
//! | `testbed-line` | a list of hosts with their roles (`m1 (master)`) |
//! | `hosts-lines` | `/etc/hosts` lines the guide writes (`1.2.3.1 master`) |
//! | `hosts-numbered` | when nothing else names machines: the numbered peers of `/etc/hosts` lines (`10.0.0.3 node1.example node1`) |
//! | `mention` (weak) | `X 노드` in passing prose |

use super::nodes::{self, Canon};
use super::prompt::{self, Prompt};
use super::shell;
use crate::parse::{Block, BlockKind, Doc};
use runbook_core::net::hosts_entry;
use std::collections::HashMap;

/// The guide's nodes, and the other names it gives them (hosts, roles hosted together).
#[derive(Debug, Default)]
pub struct Roles {
    pub nodes: Vec<String>,
    pub aliases: HashMap<String, String>,
}

/// A name the guide gives a machine, at a block of a chapter.
#[derive(Debug, Clone, PartialEq)]
struct Evidence {
    name: String,
    weight: Weight,
}

/// How firmly a piece of evidence names a machine.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Weight {
    /// A heading, a scope line, a tag, a label, a table: the guide names a machine there.
    Strong,
    /// A prompt's host: a machine, though a one-off prompt may come from another setup.
    Prompt,
    /// A passing mention (`마스터 노드의 로그`), or a host the guide's `/etc/hosts` lines list.
    Weak,
}

/// The evidence for one name.
#[derive(Debug)]
struct Tally {
    name: String,
    first: usize,
    strong: usize,
    prompts: usize,
    weak: usize,
}

/// A host the guide names together with its role (`m1 (master)`, a host table's row).
#[derive(Debug, Clone, PartialEq)]
struct HostRole {
    host: String,
    role: String,
}

/// What one chapter says about machines.
#[derive(Debug, Default)]
struct Found {
    /// (block index, evidence)
    evidence: Vec<(usize, Evidence)>,
    host_roles: Vec<HostRole>,
    /// Host names of `/etc/hosts` lines, in order.
    hosts: Vec<String>,
    /// The short names of `/etc/hosts` lines that number their machine (`node1`, `host-02`).
    numbered: Vec<String>,
    /// Hosts a heading or a label addresses on their own (`### Master (m1)`, `zookeeper-1 … :`).
    addressed: Vec<String>,
}

impl Found {
    fn add(&mut self, i: usize, name: &str, strong: bool) {
        let weight = if strong { Weight::Strong } else { Weight::Weak };
        self.push(i, name, weight);
    }

    fn push(&mut self, i: usize, name: &str, weight: Weight) {
        self.evidence.push((
            i,
            Evidence {
                name: name.to_string(),
                weight,
            },
        ));
    }
}

/// Infer the nodes, in order of first appearance.
pub fn infer(docs: &[Doc]) -> Roles {
    use rayon::prelude::*;
    let per_doc: Vec<Found> = docs.par_iter().map(chapter).collect();
    let mut seen: Vec<Tally> = Vec::new();
    let mut pos = 0usize;
    for (d, f) in docs.iter().zip(&per_doc) {
        for (i, e) in &f.evidence {
            let t = match seen.iter_mut().position(|x| x.name == e.name) {
                Some(k) => &mut seen[k],
                None => {
                    seen.push(Tally {
                        name: e.name.clone(),
                        first: pos + i,
                        strong: 0,
                        prompts: 0,
                        weak: 0,
                    });
                    seen.last_mut().expect("just pushed")
                }
            };
            match e.weight {
                Weight::Strong => t.strong += 1,
                Weight::Prompt => t.prompts += 1,
                Weight::Weak => t.weak += 1,
            }
        }
        pos += d.blocks.len();
    }
    seen.sort_by_key(|e| e.first);
    let mut roles = Roles {
        nodes: select(&seen),
        aliases: HashMap::new(),
    };
    let strength = |n: &str| {
        seen.iter()
            .find(|e| e.name == n)
            .map_or(0, |e| e.strong + e.prompts)
    };
    hosted_together(docs, &mut roles, &strength);
    let host_roles: Vec<&HostRole> = per_doc.iter().flat_map(|f| &f.host_roles).collect();
    let addressed: Vec<&String> = per_doc.iter().flat_map(|f| &f.addressed).collect();
    hosts_with_roles(&host_roles, &addressed, &mut roles);
    let aliases = roles.aliases.clone();
    roles.nodes.retain(|n| !aliases.contains_key(n));
    // `hosts-numbered`: when nothing names the machines firmly, peers the guide numbers in its
    // `/etc/hosts` lines (`10.0.0.3 node1.example node1`) are the machines
    let firm = seen.iter().any(|t| t.strong + t.prompts > 0) || !host_roles.is_empty();
    let mut numbered: Vec<String> = Vec::new();
    for n in per_doc.iter().flat_map(|f| &f.numbered) {
        if !numbered.contains(n) {
            numbered.push(n.clone());
        }
    }
    if !firm && numbered.len() >= 2 {
        roles.nodes = numbered;
        roles.aliases.clear();
    } else if roles.nodes.is_empty() {
        let hosts: Vec<&String> = per_doc.iter().flat_map(|f| &f.hosts).collect();
        roles.nodes.push(one_machine(docs, &hosts));
    }
    roles
}

/// A machine's name that numbers it among its peers: letters, then digits, with at most a
/// separator between (`node1`, `host-02`, `server_3`, `vm1`).
fn is_numbered_machine(name: &str) -> bool {
    let stem = name.trim_end_matches(|c: char| c.is_ascii_digit());
    let stem = stem.trim_end_matches(['-', '_']);
    stem.len() < name.len()
        && name.len() - stem.len() <= 4
        && stem.len() >= 2
        && stem.chars().all(|c| c.is_ascii_lowercase())
        && name.ends_with(|c: char| c.is_ascii_digit())
}

/// The names that are nodes: named firmly (a heading, a scope line, a tag, a label, a table, or
/// prompts more than once); a role word mentioned again and again in passing (`마스터 노드`); a
/// one-off prompt's host when nothing names the machines more firmly; passing mentions when
/// nothing else names machines at all.
fn select(seen: &[Tally]) -> Vec<String> {
    let firm = |t: &Tally| t.strong > 0 || t.prompts >= 2;
    let any_firm = seen.iter().any(firm);
    let any_strong = seen.iter().any(|t| t.strong + t.prompts > 0);
    seen.iter()
        .filter(|t| {
            firm(t)
                || t.prompts == 1 && (!any_firm || nodes::role(&t.name).is_some())
                || t.weak >= 3 && nodes::role(&t.name).is_some() && !is_topic(&t.name)
                || t.weak >= 2 && !any_strong
        })
        .map(|t| t.name.clone())
        .collect()
}

/// Role words that also name what a machine serves (`데이터베이스 서버`, `네트워크 노드` in a
/// guide about networks): mentions alone do not make them machines.
fn is_topic(role: &str) -> bool {
    matches!(
        role,
        "network"
            | "storage"
            | "database"
            | "gateway"
            | "object"
            | "block"
            | "registry"
            | "monitoring"
    )
}

/// The evidence of one chapter.
fn chapter(d: &Doc) -> Found {
    let mut f = Found::default();
    for (i, b) in d.blocks.iter().enumerate() {
        match &b.kind {
            BlockKind::Heading { text, level } => heading(&mut f, i, text, *level),
            BlockKind::Para {
                text, strong: bold, ..
            } => para(&mut f, i, b, text, *bold, d.blocks.get(i + 1)),
            BlockKind::Code { content, .. } => code(&mut f, i, content),
            BlockKind::Html { text } if text.contains("figcaption") => {
                for n in named(nodes::mentions(text, &[])) {
                    f.add(i, &n, true);
                }
            }
            BlockKind::Table { rows } => table(&mut f, rows),
            _ => {}
        }
    }
    f
}

/// Canonical node names of mentions (not "every node").
fn named(cs: Vec<Canon>) -> impl Iterator<Item = String> {
    cs.into_iter().filter_map(|c| match c {
        Canon::Node(n) => Some(n),
        Canon::All => None,
    })
}

/// `heading-names-node`, `heading-with-address`, `heading-names-host`.
fn heading(f: &mut Found, i: usize, text: &str, level: u8) {
    for n in named(nodes::mentions(text, &[])) {
        f.add(i, &n, true);
    }
    // (the guide's title speaks of the product, not of a machine)
    if level > 1 {
        for n in before_node_word(text) {
            // a host-like name (`Node01 Node`) names a machine; a plain word (`oVirt node`) may
            // only qualify one
            let host_like = n.chars().any(|c| c.is_ascii_digit());
            f.add(i, &n, host_like);
        }
    }
    if let Some(n) = addressed(text) {
        f.add(i, &n, true);
    }
    if let Some((role, host)) = role_and_host(text) {
        f.add(i, &host, true);
        f.addressed.push(host.clone());
        f.host_roles.push(HostRole { host, role });
    }
}

/// `Node01 Node`, `Sentinel 서버`, `Ingest node`: an ASCII word right before a word for a machine
/// names one, unless it only qualifies (`각`, `모든`, `Kubernetes`, `VM`).
fn before_node_word(text: &str) -> Vec<String> {
    const MACHINE: &[&str] = &["node", "nodes", "노드", "server", "서버", "host", "호스트"];
    const QUALIFIERS: &[&str] = &[
        "all",
        "each",
        "every",
        "other",
        "new",
        "single",
        "multi",
        "one",
        "two",
        "three",
        "physical",
        "virtual",
        "vm",
        "k8s",
        "kubernetes",
        "openstack",
        "linux",
        "ubuntu",
        "centos",
        "rocky",
        "debian",
        "ha",
        "my",
        "the",
        "this",
        "target",
        "cluster",
        "local",
        "remote",
        "dns",
        "ntp",
        "web",
        "api",
        "db",
        "ssh",
        "nfs",
        "proxy",
        "add",
    ];
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || "()[],:".contains(c))
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = Vec::new();
    for pair in words.windows(2) {
        let w = pair[1].to_lowercase();
        // the machine word, or a Korean one with its particle (`노드에서`, `서버들`)
        let machine = MACHINE
            .iter()
            .any(|m| w == *m || !m.is_ascii() && w.starts_with(m));
        if !machine || !pair[0].is_ascii() {
            continue;
        }
        let q = pair[0].to_ascii_lowercase();
        if QUALIFIERS.contains(&q.as_str()) || nodes::role(&q).is_some() {
            continue;
        }
        if let Some(n) = machine_name(pair[0]) {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out
}

/// `마스터 설정 (192.168.1.100)`, `Sentinel 설정(192.168.1.102)`: the machine a heading gives an
/// address to (the words before the address, without what is done to it).
pub fn addressed(text: &str) -> Option<String> {
    let open = text.find('(')?;
    let inside = text[open + 1..].split(')').next()?.trim();
    runbook_core::net::parse_ipv4(inside)?;
    let before = strip_heading_marks(&text[..open]);
    let name = before
        .split_whitespace()
        .find(|w| !is_activity_word(w))?
        .trim_matches(|c: char| !c.is_alphanumeric());
    machine_name(name)
}

/// `Master (m1)`, `Master2 (m2)`: a role word and the host in parentheses.
pub fn role_and_host(text: &str) -> Option<(String, String)> {
    let open = text.find('(')?;
    let host = text[open + 1..].split(')').next()?.trim();
    if !is_host_token(host) {
        return None;
    }
    let before = strip_heading_marks(&text[..open]);
    let mut words = before.split_whitespace();
    let w = words.next()?;
    if words.next().is_some() {
        return None;
    }
    let role = nodes::role(w)?;
    Some((role.to_string(), host.to_ascii_lowercase()))
}

/// Heading text without numbering, emoji and marks (`### 🔹 Master` → `Master`).
fn strip_heading_marks(t: &str) -> &str {
    t.trim_start_matches(|c: char| {
        c.is_ascii_digit() || c.is_whitespace() || ".-)#".contains(c) || !c.is_alphanumeric()
    })
    .trim()
}

/// Words of what is done, not of the machine (`설정`, `구성`, `설치`, `setup`).
fn is_activity_word(w: &str) -> bool {
    let w = w.to_lowercase();
    [
        "설정",
        "구성",
        "설치",
        "세팅",
        "셋팅",
        "준비",
        "setup",
        "config",
        "install",
        "configuration",
    ]
    .iter()
    .any(|a| w == *a)
}

/// A host name token: ASCII letters, digits, `-`, `_`, `.`, with a letter first and at least one
/// digit or separator (`m1`, `nasa-node1`, `zookeeper-1`), at most 40 characters.
fn is_host_token(t: &str) -> bool {
    t.len() <= 40
        && t.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && t.chars()
            .any(|c| c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

/// A word the guide uses for a machine, as a node name: a role word (Korean ones translated),
/// or an ASCII word as it is.
fn machine_name(w: &str) -> Option<String> {
    if let Some(r) = nodes::role(w) {
        return Some(r.to_string());
    }
    let l = w.to_ascii_lowercase();
    (l.len() >= 2
        && l.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && l.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    .then_some(l)
}

/// `scope-line`, `bold-tag`, `host-key`, `label-line`, `testbed-line`, `mention`.
fn para(f: &mut Found, i: usize, b: &Block, text: &str, bold: bool, next: Option<&Block>) {
    let strong = nodes::is_scope_line(text, bold);
    for n in named(nodes::mentions(text, &[])) {
        f.add(i, &n, strong);
    }
    if b.in_quote {
        for line in text.lines() {
            prompt_names(line, &mut |n, w| f.push(i, n, w));
        }
    }
    for n in bold_tag(text) {
        f.add(i, &n, true);
    }
    for n in host_key(text) {
        f.add(i, &n, true);
    }
    if let Some(n) = label_line(text, b, next) {
        f.add(i, &n, true);
        f.addressed.push(n);
    }
    for line in text.lines() {
        if let Some(hr) = testbed_line(line) {
            f.add(i, &hr.role, true);
            f.host_roles.push(hr);
        }
    }
}

/// The text of a tag opening a list item (`**(Optional/Master)**` → `Optional/Master`).
pub fn leading_tag(text: &str) -> Option<&str> {
    let t = text.trim_start().trim_start_matches("**");
    let rest = t.strip_prefix('(')?;
    let end = rest.find(')')?;
    (end <= 40).then(|| &rest[..end])
}

/// `**(Master)**`, `**(Workers)**`, `**(Optional/Master)**` opening a list item: the roles named
/// (an optional part names no machine).
pub fn bold_tag(text: &str) -> Vec<String> {
    let Some(tag) = leading_tag(text) else {
        return Vec::new();
    };
    tag.split(['/', ',', '&'])
        .filter_map(|w| tag_word(w.trim()))
        .collect()
}

/// A tag word as a node name: `Workers` → `worker`; `Optional`, `선택` and the like name none.
fn tag_word(w: &str) -> Option<String> {
    let l = w.to_lowercase();
    if [
        "optional", "선택", "option", "all", "모두", "공통", "common",
    ]
    .contains(&l.as_str())
    {
        return None;
    }
    if let Some(r) = nodes::role(&l) {
        return Some(r.to_string());
    }
    let singular = l.strip_suffix('s').unwrap_or(&l);
    nodes::role(singular).map(str::to_string)
}

/// `실행 호스트 : Master`, `타겟: 모든 노드`: a key that speaks of the host, and the roles its
/// value names.
pub fn host_key(text: &str) -> Vec<String> {
    let Some((key, value)) = text.split_once(':') else {
        return Vec::new();
    };
    if !is_host_key(key) {
        return Vec::new();
    }
    value
        .split([',', '/', '&'])
        .flat_map(|w| w.split_whitespace().next())
        .filter_map(|w| nodes::role(w.trim_matches(|c: char| !c.is_alphanumeric())))
        .map(str::to_string)
        .collect()
}

/// A key about where the work is done: `실행 호스트`, `대상 노드`, `타겟`, `target`.
pub fn is_host_key(key: &str) -> bool {
    let k = key.trim().to_lowercase();
    let place = ["호스트", "노드", "서버", "host", "node", "server"]
        .iter()
        .any(|w| k.contains(w));
    let doing = ["실행", "대상", "작업", "적용", "run"]
        .iter()
        .any(|w| k.contains(w));
    key.chars().count() <= 16
        && (place && doing || ["타겟", "target", "대상"].contains(&k.as_str()))
}

/// `zookeeper-1 /tmp/zookeeper/myid 파일생성 :`, `kafka-0 config/server.properties`: a line of
/// its own before a block, opening with the instance it is for.
pub fn label_line(text: &str, b: &Block, next: Option<&Block>) -> Option<String> {
    if b.list_depth > 0 || text.contains('\n') || text.chars().count() > 80 {
        return None;
    }
    if !matches!(next.map(|n| &n.kind), Some(BlockKind::Code { .. })) {
        return None;
    }
    let mut words = text.split_whitespace();
    let first = words.next()?.trim_end_matches(':');
    let second = words.next()?;
    // the label names a file too: its second word is a path
    if !(second.contains('/') || second.contains('.')) || !is_host_token(first) {
        return None;
    }
    Some(first.to_ascii_lowercase())
}

/// `zookeeper-공통 config/zookeeper.properties :`, `kafka-common …`: a label line for every
/// instance named after the stem (`zookeeper-1`, `zookeeper-2`, …): the stem.
pub fn label_group(text: &str, b: &Block, next: Option<&Block>) -> Option<String> {
    if b.list_depth > 0 || text.contains('\n') || text.chars().count() > 80 {
        return None;
    }
    if !matches!(next.map(|n| &n.kind), Some(BlockKind::Code { .. })) {
        return None;
    }
    let first = text.split_whitespace().next()?.trim_end_matches(':');
    let stem = ["-공통", "공통", "-common", "-all", "-모두"]
        .iter()
        .find_map(|g| first.strip_suffix(g))?
        .trim_end_matches('-');
    (stem.len() >= 2
        && stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    .then(|| stem.to_ascii_lowercase())
}

/// `m1 (master)`: a host with its role.
fn testbed_line(line: &str) -> Option<HostRole> {
    let t = line.trim().trim_start_matches(['*', '-', '+']).trim();
    let (host, rest) = t.split_once('(')?;
    let host = host.trim();
    let role = rest.strip_suffix(')')?.trim();
    if !is_host_token(host) || role.contains(char::is_whitespace) {
        return None;
    }
    let role = nodes::role(role)?;
    Some(HostRole {
        host: host.to_ascii_lowercase(),
        role: role.to_string(),
    })
}

/// `prompt-host`, and the host names of `hosts-lines`.
fn code(f: &mut Found, i: usize, content: &str) {
    for line in content.lines() {
        prompt_names(line, &mut |n, w| f.push(i, n, w));
        if let Some(e) = hosts_entry(line) {
            if !e.address.is_loopback() {
                let n = e.names[0].to_ascii_lowercase();
                // a host named with a role word is a passing mention of that role
                if let Some(Canon::Node(r)) = nodes::canon_label(e.names[e.names.len() - 1], &[]) {
                    f.add(i, &r, false);
                }
                if !f.hosts.contains(&n) {
                    f.hosts.push(n);
                }
                let short = e.names[e.names.len() - 1].to_ascii_lowercase();
                if is_numbered_machine(&short) && !f.numbered.contains(&short) {
                    f.numbered.push(short);
                }
            }
        }
    }
}

fn prompt_names(line: &str, add: &mut dyn FnMut(&str, Weight)) {
    if let Some(p) = prompt::strip(line, &|_| false, &shell::is_command) {
        if let Prompt::Shell { label: Some(l), .. } = p.prompt {
            for n in named(nodes::canon_prompt(&l, &[])) {
                add(&n, Weight::Prompt);
            }
        }
    }
}

/// `host-table`: a row naming a host (a host-like word) and, in another cell, its role.
fn table(f: &mut Found, rows: &[Vec<String>]) {
    for row in rows {
        let cell = |c: &String| c.trim().trim_matches(['`', '*']).trim().to_string();
        let Some(host) = row.iter().map(cell).find(|c| is_host_token(c)) else {
            continue;
        };
        let host = host.to_ascii_lowercase();
        let role = row
            .iter()
            .map(cell)
            .filter(|c| c.to_ascii_lowercase() != host)
            .find_map(|c| named(nodes::mentions(&c, &[])).next());
        if let Some(r) = role {
            if nodes::canon_label(&host, &[]) != Some(Canon::Node(r.clone())) {
                f.host_roles.push(HostRole { host, role: r });
            }
        }
    }
}

/// "Node 01 : Controller Node, Network Node" — roles hosted together run on one machine, named
/// after the role with the most signals (unless the guide hosts the role elsewhere too).
fn hosted_together(docs: &[Doc], roles: &mut Roles, strength: &dyn Fn(&str) -> usize) {
    let lines: Vec<&str> = docs
        .iter()
        .flat_map(|d| d.blocks.iter())
        .filter_map(|b| match &b.kind {
            BlockKind::Para { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .flat_map(str::lines)
        .collect();
    for (k, line) in lines.iter().enumerate() {
        let Some(hosted) = hosted_roles(line, &roles.nodes) else {
            continue;
        };
        let main = hosted
            .iter()
            .max_by_key(|r| strength(r))
            .cloned()
            .unwrap_or_default();
        for r in &hosted {
            if *r == main || roles.aliases.contains_key(r) {
                continue;
            }
            let elsewhere = lines.iter().enumerate().any(|(j, l2)| {
                j != k
                    && *l2 != *line
                    && hosted_roles(l2, &roles.nodes).is_some_and(|rs| rs.contains(r))
            });
            if !elsewhere {
                roles.aliases.insert(r.clone(), main.clone());
            }
        }
    }
}

/// `Node 01 : Controller Node, Network Node, Ceph Node (MON, OSD)` → the roles one machine hosts.
fn hosted_roles(line: &str, known: &[String]) -> Option<Vec<String>> {
    let (_, rhs) = line.split_once(':')?;
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut cur = String::new();
    for c in rhs.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        if depth == 0 && c != ')' {
            cur.push(c);
        }
    }
    parts.push(cur);
    let mut roles = Vec::new();
    for p in parts {
        let p = p.trim();
        let word = p
            .strip_suffix("Node")
            .or_else(|| p.strip_suffix("node"))
            .or_else(|| p.strip_suffix("노드"))?;
        let word = word.trim();
        if word.contains(char::is_whitespace) || word.is_empty() {
            return None;
        }
        match nodes::canon_label(word, known) {
            Some(Canon::Node(n)) => roles.push(n),
            _ => return None,
        }
    }
    (roles.len() >= 2).then_some(roles)
}

/// Hosts named with their roles: each host stands for its role (hosts sharing a role are that
/// role's fleet), unless the guide addresses hosts sharing a role one by one (`### Master (m1)`,
/// `### Master2 (m2)`): then the hosts are the machines, every one of them.
fn hosts_with_roles(pairs: &[&HostRole], addressed: &[&String], roles: &mut Roles) {
    let apart = pairs.iter().any(|hr| {
        addressed.contains(&&hr.host)
            && pairs
                .iter()
                .any(|o| o.role == hr.role && o.host != hr.host && addressed.contains(&&o.host))
    });
    for hr in pairs.iter().filter(|hr| hr.host != hr.role) {
        if apart {
            if !roles.nodes.contains(&hr.host) {
                roles.nodes.push(hr.host.clone());
            }
            roles.aliases.remove(&hr.host);
            continue;
        }
        if !roles.nodes.contains(&hr.role) {
            roles.nodes.push(hr.role.clone());
        }
        roles.aliases.insert(hr.host.clone(), hr.role.clone());
    }
    if apart {
        // the role words name none of the machines
        roles
            .nodes
            .retain(|n| !pairs.iter().any(|hr| hr.role == *n && hr.host != *n));
    }
}

/// A one-machine guide: the name its `/etc/hosts` lines give the machine (a role word when the
/// name holds one), else the first role a heading names, else `server`.
fn one_machine(docs: &[Doc], hosts: &[&String]) -> String {
    if let Some(h) = hosts.first() {
        let n = match nodes::canon_label(h, &[]) {
            Some(Canon::Node(r)) => r,
            _ => (*h).clone(),
        };
        if n.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return n;
        }
    }
    docs.iter()
        .flat_map(|d| d.blocks.iter())
        .find_map(|b| match &b.kind {
            // topic words (`네트워크 설정`) name no machine
            BlockKind::Heading { text, .. } => {
                text.split_whitespace().filter_map(nodes::role).find(|r| {
                    !matches!(
                        *r,
                        "network" | "storage" | "gateway" | "database" | "object" | "block"
                    )
                })
            }
            _ => None,
        })
        .unwrap_or("server")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_with_an_address_name_their_machine() {
        // two guides' ways: a Korean role word, an English one
        assert_eq!(
            addressed("마스터 설정 (192.168.1.100)").as_deref(),
            Some("master")
        );
        assert_eq!(
            addressed("Sentinel 설정(192.168.1.102)").as_deref(),
            Some("sentinel")
        );
        assert_eq!(
            addressed("슬레이브 설정 (192.168.1.101)").as_deref(),
            Some("slave")
        );
        assert_eq!(addressed("네트워크 설정 (10.0.0.0/24)"), None);
        assert_eq!(addressed("설치 (옵션)"), None);
    }

    #[test]
    fn words_before_a_machine_word() {
        assert_eq!(before_node_word("3.1. Node01 Node"), ["node01"]);
        assert_eq!(before_node_word("Ingest 노드 추가"), ["ingest"]);
        assert!(before_node_word("각 노드 설정").is_empty());
        assert!(before_node_word("Kubernetes Node 준비").is_empty());
        // role words are read by the mentions
        assert!(before_node_word("Controller Node").is_empty());
    }

    #[test]
    fn headings_naming_a_host_with_its_role() {
        assert_eq!(
            role_and_host("🔹 Master (m1)"),
            Some(("master".into(), "m1".into()))
        );
        assert_eq!(
            role_and_host("Master2 (m2)"),
            Some(("master".into(), "m2".into()))
        );
        assert_eq!(role_and_host("설치 및 구성 (Compute Node)"), None);
    }

    #[test]
    fn bold_tags_name_roles() {
        assert_eq!(bold_tag("**(Master)** 마스터 노드로 사용할"), ["master"]);
        assert_eq!(bold_tag("**(Workers)** 워커 노드에서"), ["worker"]);
        assert_eq!(bold_tag("**(Optional/Master)** 기본적으로"), ["master"]);
        assert!(bold_tag("**(Optional)** 고정 IP").is_empty());
        assert!(bold_tag("(참고) 설명").is_empty());
    }

    #[test]
    fn host_keys_name_roles() {
        assert_eq!(host_key("실행 호스트 : Master"), ["master"]);
        assert_eq!(host_key("대상 노드: master, worker"), ["master", "worker"]);
        assert!(host_key("파일 경로 : /etc/hosts").is_empty());
    }

    #[test]
    fn testbed_lines_pair_hosts_and_roles() {
        assert_eq!(
            testbed_line("* m1 (master)"),
            Some(HostRole {
                host: "m1".into(),
                role: "master".into()
            })
        );
        assert_eq!(testbed_line("- 설치 (선택)"), None);
    }
}
