//! `phase-order` (RB007): a step that needs another node's work comes before that work. The
//! runbooks run phase by phase in guide order, so a worker told to `kubeadm join` before the
//! master's `kubeadm init`, or to `scp master:/root/join.sh .` before the master writes it,
//! waits for nothing and fails.
//!
//! What one node needs of another is read from the commands: a file fetched from a named host
//! (`scp`/`rsync HOST:PATH`, `ssh HOST cat PATH`) needs the step that writes it there; a
//! cluster join (`kubeadm join`, `docker swarm join`, `microk8s join`, a k3s agent) needs the
//! cluster's init on another node.

use super::commands::Simple;
use super::files::{effects, Made};
use super::hosts::node_of_host;
use super::paths::{norm, same};
use super::{Ctx, Finding};
use runbook_core::model::Kind;

/// A file on another host that a command fetches.
fn fetched(ctx: &Ctx, c: &Simple) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut push = |host: &str, path: &str| {
        let host = host.rsplit('@').next().unwrap_or(host);
        if let (Some(n), Some(p)) = (node_of_host(ctx, host), norm(path)) {
            out.push((n, p));
        }
    };
    match c.name.as_str() {
        "scp" | "rsync" => {
            let pos = c.positionals(&["-P", "-i", "-o", "-e"]);
            if let Some((_, srcs)) = pos.split_last() {
                for s in srcs {
                    if let Some((h, p)) = s.split_once(':').filter(|(h, _)| !h.contains('/')) {
                        push(h, p);
                    }
                }
            }
        }
        "ssh" => {
            let pos = c.positionals(&["-p", "-i", "-o", "-l", "-F", "-J"]);
            if let Some((h, rest)) = pos.split_first() {
                let words: Vec<&str> = rest.iter().flat_map(|r| r.split_whitespace()).collect();
                if words.first() == Some(&"cat") {
                    words[1..].iter().for_each(|p| push(h, p));
                }
            }
        }
        _ => {}
    }
    out
}

/// The cluster command `k` of `cmds` joins or initialises: (`kubeadm`, true) for
/// `kubeadm join`.
fn cluster(cmds: &[Simple], k: usize) -> Option<(String, bool)> {
    let c = &cmds[k];
    let name = c.name.as_str();
    if !matches!(
        name,
        "kubeadm" | "microk8s" | "docker" | "rke2" | "k3s" | "sh" | "bash"
    ) {
        return None;
    }
    let pos = c.positionals(&[]);
    let verb_at = |v: &str| pos.iter().position(|a| *a == v);
    match name {
        "kubeadm" | "microk8s" | "docker" | "rke2" => {
            let (k, join) = match (verb_at("join"), verb_at("init").or(verb_at("add-node"))) {
                (Some(k), _) => (k, true),
                (None, Some(k)) => (k, false),
                _ => return None,
            };
            let mut key = name.to_string();
            for a in &pos[..k] {
                key.push(' ');
                key.push_str(a);
            }
            Some((key, join))
        }
        "k3s" => match pos.first() {
            Some(&"agent") => Some(("k3s".into(), true)),
            Some(&"server") => Some(("k3s".into(), false)),
            _ => None,
        },
        // curl -sfL https://get.k3s.io | K3S_URL=… sh -
        "sh" | "bash"
            if c.piped && k > 0 && cmds[k - 1].args.iter().any(|a| a.contains("get.k3s.io")) =>
        {
            let agent = c
                .assigns
                .iter()
                .any(|a| a.starts_with("K3S_URL=") || a.contains("agent"));
            Some(("k3s-install".into(), agent))
        }
        _ => None,
    }
}

pub(crate) fn check<'p>(ctx: &Ctx<'p>, out: &mut Vec<Finding<'p>>) {
    // what each step creates, read only when a step fetches from another node
    let made: std::cell::OnceCell<Vec<Vec<Made>>> = std::cell::OnceCell::new();
    let made = || {
        made.get_or_init(|| {
            ctx.steps
                .iter()
                .zip(&ctx.cmds)
                .map(|(s, c)| {
                    let path = matches!(s.kind(), Kind::File | Kind::Ini | Kind::Lines)
                        .then(|| s.path())
                        .flatten();
                    effects(ctx, path, c)
                        .0
                        .into_iter()
                        .map(|(_, m)| m)
                        .collect()
                })
                .collect()
        })
    };
    let makes = |j: usize, node: &str, path: &str| {
        made()[j].iter().any(|m| {
            same(&m.path, path)
                && if m.nodes.is_empty() {
                    ctx.on(j, node)
                } else {
                    m.nodes.iter().any(|n| n == node)
                }
        })
    };
    for (i, cmds) in ctx.cmds.iter().enumerate() {
        for (k, c) in cmds.iter().enumerate() {
            for (node, path) in fetched(ctx, c) {
                if ctx.on(i, &node) || (0..i).any(|j| makes(j, &node, &path)) {
                    continue;
                }
                if let Some(j) = (i + 1..ctx.steps.len()).find(|&j| makes(j, &node, &path)) {
                    let f = Finding::new(
                        "RB007",
                        ctx.steps[i],
                        format!(
                            "fetches {path} from {node} in phase {}, but {node} writes it only in phase {}",
                            ctx.steps[i].phase, ctx.steps[j].phase
                        ),
                    );
                    out.push(f.with(ctx.steps[j]));
                }
            }
            joins(ctx, i, k, out);
        }
    }
}

/// A join scheduled before the cluster's init on another node.
fn joins<'p>(ctx: &Ctx<'p>, i: usize, k: usize, out: &mut Vec<Finding<'p>>) {
    let Some((key, true)) = cluster(&ctx.cmds[i], k) else {
        return;
    };
    let init = |j: usize| {
        (0..ctx.cmds[j].len())
            .any(|d| cluster(&ctx.cmds[j], d).is_some_and(|(x, join)| x == key && !join))
    };
    let inits: Vec<usize> = (0..ctx.steps.len())
        .filter(|&j| init(j) && !ctx.steps[i].nodes.iter().all(|n| ctx.on(j, n)))
        .collect();
    let (Some(&first), false) = (inits.first(), inits.iter().any(|&j| j < i)) else {
        return;
    };
    let f = Finding::new(
        "RB007",
        ctx.steps[i],
        format!(
            "joins the {key} cluster in phase {}, but {} initialises it only in phase {}",
            ctx.steps[i].phase,
            ctx.steps[first].nodes.join(", "),
            ctx.steps[first].phase
        ),
    );
    out.push(f.with(ctx.steps[first]));
}

#[cfg(test)]
mod tests {
    use crate::doctor::tests::{found, plan, step};

    #[test]
    fn a_join_before_the_init() {
        let a = step("a", &["worker"], "kubeadm join master:6443 --token abc");
        let b = step(
            "b",
            &["master"],
            "kubeadm init --pod-network-cidr=10.244.0.0/16",
        );
        let c = step("c", &["worker"], "kubeadm join master:6443 --token abc");
        assert_eq!(
            found(&plan(vec![a, b, c])),
            [("RB007".to_string(), 1, vec![11])]
        );
    }

    #[test]
    fn a_file_fetched_before_it_is_written() {
        let a = step("a", &["worker"], "scp master:/root/join.sh /root/");
        let b = step(
            "b",
            &["master"],
            "kubeadm token create --print-join-command > /root/join.sh",
        );
        let c = step("c", &["worker"], "scp master:/root/join.sh /root/");
        let got = found(&plan(vec![a, b, c]));
        assert_eq!(got, [("RB007".to_string(), 1, vec![11])]);
    }
}
