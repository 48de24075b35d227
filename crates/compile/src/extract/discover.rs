//! Whole-guide facts found before the walk: the title, the nodes (config, or inferred from
//! headings, prose and prompts), declared variables (the passwords table, the config).

use super::nodes::{self, Canon};
use super::prompt::{self, Prompt};
use super::shell;
use crate::load::Guide;
use crate::parse::{BlockKind, Doc};
use runbook_core::diag::Diagnostics;
use runbook_core::model::{NodeValue, Source, Step, Variable};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Default)]
pub struct Found {
    pub title: String,
    pub nodes: Vec<String>,
    /// Roles the text says are hosted on another node (`network` → `controller`).
    pub aliases: HashMap<String, String>,
    /// Declared variables: name → (description, secret).
    pub declared: BTreeMap<String, (String, bool)>,
    /// Selected alternatives: option name → value (config, else the first seen).
    pub options: BTreeMap<String, String>,
    pub undeclared_options: Vec<(String, Source)>,
}

impl Found {
    pub fn is_declared(&self, name: &str) -> bool {
        self.declared.contains_key(name)
    }
    /// The node a canonical name stands for (after aliases), if it is one of the guide's nodes.
    pub fn node(&self, n: &str) -> Option<String> {
        let n = self.aliases.get(n).map(String::as_str).unwrap_or(n);
        self.nodes.iter().find(|k| *k == n).cloned()
    }
    /// Nodes named by canonical signals (`All` → every node).
    pub fn expand(&self, cs: &[Canon]) -> Vec<String> {
        let mut out = Vec::new();
        for c in cs {
            match c {
                Canon::All => return self.nodes.clone(),
                Canon::Node(n) => {
                    if let Some(k) = self.node(n) {
                        if !out.contains(&k) {
                            out.push(k);
                        }
                    }
                }
            }
        }
        // keep the guide's node order
        self.nodes
            .iter()
            .filter(|n| out.contains(n))
            .cloned()
            .collect()
    }
}

pub fn discover(guide: &Guide, docs: &[Doc], diags: &mut Diagnostics) -> Found {
    let mut f = Found {
        title: guide.config.title.clone().unwrap_or_default(),
        ..Found::default()
    };
    if f.title.is_empty() {
        f.title = docs
            .iter()
            .flat_map(|d| d.blocks.iter())
            .find_map(|b| match &b.kind {
                BlockKind::Heading { level: 1, text } => Some(text.clone()),
                _ => None,
            })
            .or_else(|| {
                docs.iter()
                    .flat_map(|d| d.blocks.iter())
                    .find_map(|b| match &b.kind {
                        BlockKind::Heading { text, .. } => Some(text.clone()),
                        _ => None,
                    })
            })
            .unwrap_or_else(|| "설치 안내서".to_string());
    }
    // nodes
    if !guide.config.nodes.is_empty() {
        for n in &guide.config.nodes {
            if !valid_node_name(&n.name) {
                diags.error(
                    Source {
                        file: "runbook.toml".into(),
                        line: 1,
                    },
                    format!("node name {:?}: use letters, digits, - and _ only", n.name),
                );
            }
        }
        f.nodes = guide
            .config
            .nodes
            .iter()
            .filter(|n| valid_node_name(&n.name))
            .map(|n| n.name.to_ascii_lowercase())
            .collect();
        for n in &guide.config.nodes {
            for a in &n.aliases {
                f.aliases
                    .insert(a.to_ascii_lowercase(), n.name.to_ascii_lowercase());
            }
        }
    }
    if f.nodes.is_empty() {
        infer_nodes(docs, &mut f);
    }
    // declared variables: tables whose first column holds UPPER_SNAKE names
    for d in docs {
        let mut heading = String::new();
        for b in &d.blocks {
            match &b.kind {
                BlockKind::Heading { text, .. } => heading = text.clone(),
                BlockKind::Table { rows } => {
                    let secret_table =
                        ["보안", "암호", "비밀번호", "패스워드", "password", "secret"]
                            .iter()
                            .any(|w| heading.to_lowercase().contains(w));
                    for row in rows.iter().skip(1) {
                        let name = row
                            .first()
                            .map(|s| s.trim().trim_matches('`'))
                            .unwrap_or("");
                        let is_name = name.len() >= 3
                            && name
                                .chars()
                                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                            && name.chars().next().is_some_and(|c| c.is_ascii_uppercase());
                        if is_name {
                            let desc = row.get(1).cloned().unwrap_or_default();
                            let secret = super::vars::is_secret(name) || secret_table;
                            f.declared.insert(name.to_string(), (desc, secret));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    for (name, v) in &guide.config.variables {
        let e = f
            .declared
            .entry(name.clone())
            .or_insert((String::new(), super::vars::is_secret(name)));
        if let Some(d) = &v.description {
            e.0 = d.clone();
        }
        if let Some(s) = v.secret {
            e.1 = s;
        }
    }
    for vars in guide.config.nodes_vars.values() {
        for name in vars.keys() {
            f.declared
                .entry(name.clone())
                .or_insert((String::new(), false));
        }
    }
    f.options = guide.config.options.clone();
    let _ = diags;
    f
}

/// A node name is used in file names and page names: plain ASCII words only.
pub fn valid_node_name(n: &str) -> bool {
    !n.is_empty()
        && n.len() <= 64
        && n.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Infer nodes from prompts, headings, scope lines and "X 노드" mentions, in order of first
/// appearance; a name only mentioned once in passing prose is not a node.
fn infer_nodes(docs: &[Doc], f: &mut Found) {
    // (name, first position, strong signals, weak mentions)
    let mut seen: Vec<(String, usize, usize, usize)> = Vec::new();
    let mut pos = 0usize;
    let add =
        |name: &str, strong: bool, pos: usize, seen: &mut Vec<(String, usize, usize, usize)>| {
            if let Some(e) = seen.iter_mut().find(|e| e.0 == name) {
                if strong {
                    e.2 += 1;
                } else {
                    e.3 += 1;
                }
            } else {
                seen.push((
                    name.to_string(),
                    pos,
                    usize::from(strong),
                    usize::from(!strong),
                ));
            }
        };
    // signals of each chapter, found in parallel: (block index, name, strong)
    use rayon::prelude::*;
    let per_doc: Vec<Vec<(usize, String, bool)>> = docs.par_iter().map(doc_signals).collect();
    for (d, sigs) in docs.iter().zip(per_doc) {
        for (i, name, strong) in sigs {
            add(&name, strong, pos + i, &mut seen);
        }
        pos += d.blocks.len();
    }
    seen.sort_by_key(|e| e.1);
    let any_strong = seen.iter().any(|e| e.2 > 0);
    f.nodes = seen
        .iter()
        // a name only mentioned in passing prose is a node when nothing names nodes more firmly
        .filter(|(_, _, strong, weak)| *strong > 0 || *weak >= 2 && !any_strong)
        .map(|e| e.0.clone())
        .collect();
    // "Node 01 : Controller Node, Network Node" — roles hosted together run on one machine
    for d in docs {
        for b in &d.blocks {
            if let BlockKind::Para { text, .. } = &b.kind {
                for line in text.lines() {
                    let Some(roles) = hosted_roles(line, &f.nodes) else {
                        continue;
                    };
                    // the role with the most signals names the machine
                    let main = roles
                        .iter()
                        .max_by_key(|r| seen.iter().find(|e| &e.0 == *r).map(|e| e.2).unwrap_or(0))
                        .cloned()
                        .unwrap_or_default();
                    for r in &roles {
                        if r == &main || f.aliases.contains_key(r) {
                            continue;
                        }
                        // a role hosted on several machines stays a node of its own
                        let elsewhere = docs.iter().flat_map(|d| d.blocks.iter()).any(|b2| {
                            matches!(&b2.kind, BlockKind::Para { text: t2, .. } if t2.lines().any(|l2| {
                                l2 != line && hosted_roles(l2, &f.nodes).is_some_and(|rs| rs.contains(r))
                            }))
                        });
                        if !elsewhere {
                            f.aliases.insert(r.clone(), main.clone());
                        }
                    }
                }
            }
        }
    }
    // tables that give each host its role (`| nasa-node1 | Worker 노드 |`)
    for d in docs {
        for b in &d.blocks {
            let BlockKind::Table { rows } = &b.kind else {
                continue;
            };
            for row in rows {
                let host = row.iter().map(|c| c.trim()).find(|c| {
                    !c.is_empty()
                        && c.chars()
                            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
                        && c.chars().next().is_some_and(|ch| ch.is_ascii_alphabetic())
                        && c.chars().any(|ch| ch == '-' || ch.is_ascii_digit())
                });
                let Some(host) = host else { continue };
                let host = host.to_ascii_lowercase();
                let role = row
                    .iter()
                    .filter(|c| c.trim().to_ascii_lowercase() != host)
                    .find_map(|c| {
                        nodes::mentions(c, &f.nodes)
                            .into_iter()
                            .find_map(|m| match m {
                                Canon::Node(n) => Some(n),
                                Canon::All => None,
                            })
                    });
                if let Some(r) = role {
                    if r != host && nodes::canon_label(&host, &[]) != Some(Canon::Node(r.clone())) {
                        f.aliases.insert(host, r);
                    }
                }
            }
        }
    }
    let aliases = f.aliases.clone();
    f.nodes.retain(|n| !aliases.contains_key(n));
    if f.nodes.is_empty() {
        // a one-machine guide: the name its /etc/hosts lines give the machine
        let mut names: Vec<String> = Vec::new();
        for d in docs {
            for b in &d.blocks {
                if let BlockKind::Code { content, .. } = &b.kind {
                    for l in content.lines() {
                        let mut w = l.split_whitespace();
                        let (Some(ip), Some(name)) = (w.next(), w.next()) else {
                            continue;
                        };
                        let is_ip = ip.split('.').count() == 4
                            && ip.split('.').all(|p| p.parse::<u8>().is_ok());
                        if is_ip && !ip.starts_with("127.") {
                            let n = name.to_ascii_lowercase();
                            if !names.contains(&n) {
                                names.push(n);
                            }
                        }
                    }
                }
            }
        }
        // (an all-in-one lists the machine itself first)
        if !names.is_empty() {
            let n = match nodes::canon_label(&names[0], &[]) {
                Some(Canon::Node(r)) => r,
                _ => names[0].clone(),
            };
            if n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                f.nodes.push(n);
                return;
            }
        }
        // else name the node after the first role a heading names
        let from_heading = docs
            .iter()
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
            });
        f.nodes.push(from_heading.unwrap_or("server").to_string());
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

/// Node signals in one chapter: (block index, canonical name, strong).
fn doc_signals(d: &Doc) -> Vec<(usize, String, bool)> {
    let empty: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for (i, b) in d.blocks.iter().enumerate() {
        let mut add = |n: &str, strong: bool| out.push((i, n.to_string(), strong));
        match &b.kind {
            BlockKind::Heading { text, .. } => {
                for c in nodes::mentions(text, &empty) {
                    if let Canon::Node(n) = c {
                        add(&n, true);
                    }
                }
            }
            BlockKind::Para {
                text, strong: bold, ..
            } => {
                let strong = nodes::is_scope_line(text, *bold);
                for c in nodes::mentions(text, &empty) {
                    if let Canon::Node(n) = c {
                        add(&n, strong);
                    }
                }
                if b.in_quote {
                    for line in text.lines() {
                        prompt_nodes(line, &mut |n| add(n, true));
                    }
                }
            }
            BlockKind::Code { content, .. } => {
                for line in content.lines() {
                    prompt_nodes(line, &mut |n| add(n, true));
                }
            }
            BlockKind::Html { text } if text.contains("figcaption") => {
                for c in nodes::mentions(text, &empty) {
                    if let Canon::Node(n) = c {
                        add(&n, true);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn prompt_nodes(line: &str, add: &mut dyn FnMut(&str)) {
    if let Some(p) = prompt::strip(line, &|_| false, &shell::is_command) {
        if let Prompt::Shell { label: Some(l), .. } = p.prompt {
            for c in nodes::canon_prompt(&l, &[]) {
                if let Canon::Node(n) = c {
                    add(&n);
                }
            }
        }
    }
}

/// The plan's variables: every name a step uses, with descriptions and config values.
pub fn variables(guide: &Guide, f: &Found, steps: &[Step]) -> Vec<Variable> {
    let mut names: Vec<String> = Vec::new();
    for s in steps {
        for v in &s.variables {
            if !names.contains(v) {
                names.push(v.clone());
            }
        }
    }
    names
        .into_iter()
        .map(|name| {
            let (desc, secret) = f
                .declared
                .get(&name)
                .cloned()
                .unwrap_or_else(|| (String::new(), super::vars::is_secret(&name)));
            let cfg = guide.config.variables.get(&name);
            let value = if secret {
                None
            } else {
                cfg.and_then(|c| c.value.clone())
            };
            let per_node = guide
                .config
                .nodes_vars
                .iter()
                .filter_map(|(node, vars)| {
                    vars.get(&name).map(|v| NodeValue {
                        node: node.to_ascii_lowercase(),
                        value: v.clone(),
                    })
                })
                .collect();
            let description = if desc.is_empty() {
                if secret {
                    format!("{name} 비밀 값")
                } else {
                    format!("{name} 값")
                }
            } else {
                desc
            };
            Variable {
                name,
                secret,
                description,
                value,
                per_node,
            }
        })
        .collect()
}
