//! Whole-guide facts found before the walk: the title, the nodes (config, or inferred from
//! headings, prose and prompts), declared variables (the passwords table, the config).

use super::nodes::Canon;
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
    /// The nodes named after `stem` and a number (`zookeeper-1`, `zookeeper2` for `zookeeper`).
    pub fn instances_of(&self, stem: &str) -> Vec<String> {
        self.nodes
            .iter()
            .filter(|n| {
                n.strip_prefix(stem).is_some_and(|rest| {
                    let rest = rest.trim_start_matches(['-', '_']);
                    !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit())
                })
            })
            .cloned()
            .collect()
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
        let r = super::roles::infer(docs);
        f.nodes = r.nodes;
        f.aliases = r.aliases;
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
