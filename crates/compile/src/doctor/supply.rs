//! Where the software of a service or a configuration folder comes to each node, learnt from
//! the plan: the steps that install it — a package whose name matches (`chronyd` ← `chrony`,
//! `/etc/neutron/` ← `openstack-neutron-linuxbridge`), a unit file written — and those that
//! fetch it another way (a command naming it: `curl https://get.docker.com | sh`). Shared by
//! `service-not-installed` and `config-before-package`.

use super::commands::Simple;
use super::software::{mentions, provides, Installed};
use super::Ctx;
use runbook_core::shell::unit_name;

/// The installed name of `inst` that the service `name` belongs to.
pub(crate) fn provider<'a>(inst: &'a Installed, name: &str) -> Option<&'a str> {
    if inst.is_empty() {
        return None;
    }
    let unit = unit_name(name);
    inst.units
        .iter()
        .find(|u| u.eq_ignore_ascii_case(unit))
        .or_else(|| inst.packages.iter().find(|p| provides(name, p)))
        .map(String::as_str)
}

/// Where the software of a service or a folder comes to the nodes, in guide order: the steps
/// that install it (a package, a unit file) and those that fetch it another way.
pub(crate) struct Supply {
    installs: Vec<usize>,
    fetches: Vec<usize>,
}

impl Supply {
    /// The supply of `name`, installed by the steps `installs` says; none when no step does.
    pub fn of(ctx: &Ctx, name: &str, installs: impl Fn(usize) -> bool) -> Option<Supply> {
        let n = ctx.steps.len();
        let ins: Vec<usize> = (0..n).filter(|&j| installs(j)).collect();
        if ins.is_empty() {
            return None;
        }
        let fetches = (0..n)
            .filter(|&j| mentions(&ctx.fetch_text[j], name))
            .collect();
        Some(Supply {
            installs: ins,
            fetches,
        })
    }

    /// Whether `node` has the software by step `i` (an install up to `i`, a fetch before it,
    /// or a fleet tool that reached the node).
    pub fn has(&self, ctx: &Ctx, i: usize, node: &str) -> bool {
        ctx.reached(i, node)
            || self
                .installs
                .iter()
                .take_while(|&&j| j <= i)
                .any(|&j| ctx.on(j, node))
            || self
                .fetches
                .iter()
                .take_while(|&&j| j < i)
                .any(|&j| ctx.on(j, node))
    }

    /// Whether `node` installs it after step `i`.
    pub fn later(&self, ctx: &Ctx, i: usize, node: &str) -> bool {
        self.installs.iter().any(|&j| j > i && ctx.on(j, node))
    }

    /// The install to show beside a finding at step `i`: the next one on `node`, else the
    /// first anywhere.
    pub fn shown(&self, ctx: &Ctx, i: usize, node: &str) -> usize {
        self.installs
            .iter()
            .copied()
            .find(|&j| j > i && ctx.on(j, node))
            .unwrap_or(self.installs[0])
    }
}

/// Where an install at step `j` is, seen from step `i` on `node`.
pub(crate) fn place(ctx: &Ctx, i: usize, j: usize, node: &str) -> String {
    if j > i && ctx.on(j, node) {
        format!("only later, at {}", ctx.steps[j].source)
    } else {
        format!(
            "on {} at {}",
            ctx.steps[j].nodes.join(", "),
            ctx.steps[j].source
        )
    }
}

/// Services a step's commands enable, start or restart.
pub(crate) fn started(cmds: &[Simple]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for c in cmds {
        match c.name.as_str() {
            "systemctl" => {
                let pos = c.positionals(&["-H", "--host", "-M"]);
                let Some((verb, units)) = pos.split_first() else {
                    continue;
                };
                if !matches!(
                    *verb,
                    "enable" | "start" | "restart" | "reload" | "try-restart" | "reload-or-restart"
                ) {
                    continue;
                }
                for u in units {
                    let u = unit_name(u);
                    if !u.is_empty() && !u.contains(['$', '.', '*']) {
                        out.push((verb.to_string(), u.to_string()));
                    }
                }
            }
            "service" => {
                if let (Some(u), Some(v)) = (c.args.first(), c.args.get(1)) {
                    if matches!(v.as_str(), "start" | "restart" | "reload") && !u.contains('$') {
                        out.push((v.clone(), u.clone()));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

pub(crate) fn join(nodes: &[&String]) -> String {
    nodes
        .iter()
        .map(|n| n.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
