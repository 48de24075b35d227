//! `service-not-installed` (RB003) and `config-before-package` (RB004): the author set a node
//! up with what only another node installed, or in the wrong order — `systemctl enable
//! chronyd` on the compute node where only the controller ran `yum install chrony`, or
//! `/etc/nova/nova.conf` edited before `openstack-nova-compute` is installed (the package then
//! overwrites the file, or the edit finds no file).
//!
//! Which package a service or a folder under /etc belongs to is learnt from the plan: the
//! packages the guide installs whose names match (`chronyd` ← `chrony`, `/etc/neutron/` ←
//! `openstack-neutron-linuxbridge`), else the install step right before the first edit of the
//! folder. A service or folder no step of the guide installs (`sshd`, `/etc/hosts`) is the
//! system's own and never reported; a node that fetched the software another way (a command
//! naming it: `curl https://get.docker.com | sh`) has it.

use super::commands::Simple;
use super::software::{installed, mentions, owns, provides, Installed};
use super::{Ctx, Finding};
use runbook_core::model::{Kind, Step};
use runbook_core::shell::unit_name;

/// Folders and files under /etc that belong to the system, whatever a package is called.
const SYSTEM: &[&str] = &[
    "hosts",
    "hostname",
    "resolv",
    "fstab",
    "selinux",
    "sysctl",
    "sysctl.d",
    "modules-load.d",
    "modprobe.d",
    "security",
    "ssh",
    "sudoers",
    "sudoers.d",
    "environment",
    "profile",
    "profile.d",
    "bashrc",
    "yum.repos.d",
    "yum",
    "dnf",
    "apt",
    "systemd",
    "netplan",
    "network",
    "network-scripts",
    "networkmanager",
    "crontab",
    "cron.d",
    "rc.local",
    "motd",
    "locale",
    "grub",
];

/// The install facts of every selected step.
fn installs(ctx: &Ctx) -> Vec<Installed> {
    ctx.steps
        .iter()
        .zip(&ctx.cmds)
        .map(|(s, c)| installed(s, c))
        .collect()
}

/// The installed name of `inst` that `name` belongs to.
fn provider<'a>(inst: &'a Installed, name: &str) -> Option<&'a str> {
    let unit = unit_name(name).to_ascii_lowercase();
    inst.units
        .iter()
        .find(|u| **u == unit)
        .or_else(|| inst.packages.iter().find(|p| provides(name, p)))
        .map(String::as_str)
}

/// Whether a step's commands (other than starting services) name `name`.
fn fetches(cmds: &[Simple], name: &str) -> bool {
    cmds.iter()
        .filter(|c| !matches!(c.name.as_str(), "systemctl" | "service" | "journalctl"))
        .any(|c| {
            mentions(&c.name, name)
                || c.args.iter().any(|a| mentions(a, name))
                || mentions(&c.body, name)
        })
}

/// Whether `name` comes to `node` by step `i`: the node's install steps, or a command
/// that fetches it.
fn has_before(ctx: &Ctx, i: usize, node: &str, is: &dyn Fn(usize) -> bool) -> bool {
    (0..=i).any(|j| ctx.on(j, node) && is(j))
}

/// The place to show beside a finding: the next install on `node`, else the first anywhere.
fn provider_step(ctx: &Ctx, i: usize, node: &str, providers: &[usize]) -> Option<usize> {
    providers
        .iter()
        .copied()
        .find(|&j| j > i && ctx.on(j, node))
        .or_else(|| providers.first().copied())
}

/// Services a step's commands enable, start or restart.
fn started(cmds: &[Simple]) -> Vec<(String, String)> {
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

pub(crate) fn services<'p>(ctx: &Ctx<'p>, out: &mut Vec<Finding<'p>>) {
    let inst = installs(ctx);
    for i in 0..ctx.steps.len() {
        let mut seen: Vec<String> = Vec::new();
        for (verb, svc) in started(&ctx.cmds[i]) {
            if seen.contains(&svc) {
                continue;
            }
            seen.push(svc.clone());
            let providers: Vec<usize> = (0..inst.len())
                .filter(|&j| provider(&inst[j], &svc).is_some())
                .collect();
            if providers.is_empty() {
                continue;
            }
            let is = |j: usize| {
                provider(&inst[j], &svc).is_some() || (j < i && fetches(&ctx.cmds[j], &svc))
            };
            let missing: Vec<&String> = ctx.steps[i]
                .nodes
                .iter()
                .filter(|n| !has_before(ctx, i, n, &is) && !ctx.reached(i, n))
                .collect();
            let Some(node) = missing.first() else {
                continue;
            };
            let Some(j) = provider_step(ctx, i, node, &providers) else {
                continue;
            };
            let pkg = provider(&inst[j], &svc).unwrap_or("");
            let where_ = if j > i && ctx.on(j, node) {
                format!("only later, at {}", ctx.steps[j].source)
            } else {
                format!(
                    "on {} at {}",
                    ctx.steps[j].nodes.join(", "),
                    ctx.steps[j].source
                )
            };
            let f = Finding::new(
                "RB003",
                ctx.steps[i],
                format!(
                    "service {svc} is {}ed on {}, but no step before installs it there ({pkg} is installed {where_})",
                    verb.trim_end_matches('e'),
                    join(&missing)
                ),
            );
            out.push(f.with(ctx.steps[j]));
        }
    }
}

fn join(nodes: &[&String]) -> String {
    nodes
        .iter()
        .map(|n| n.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The name a configuration path goes by: its folder under /etc (`/etc/nova/nova.conf` →
/// `nova`), the file of /etc/sysconfig or /etc/default, or a file of /etc without its
/// extension (`/etc/chrony.conf` → `chrony`). None for the system's own.
pub fn config_name(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/etc/")?;
    let parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
    let name = match parts.as_slice() {
        ["sysconfig" | "default", f, ..] => f.to_string(),
        [dir, _, ..] => dir.to_string(),
        [file] => {
            let (stem, ext) = file.rsplit_once('.').unwrap_or((file, ""));
            if matches!(
                ext,
                "conf" | "cnf" | "cfg" | "ini" | "yaml" | "yml" | "json"
            ) {
                stem.to_string()
            } else {
                file.to_string()
            }
        }
        [] => return None,
    };
    let lower = name.to_ascii_lowercase();
    (!name.contains('$') && !SYSTEM.contains(&lower.as_str())).then_some(lower)
}

/// The files under /etc a step edits (its own path, `sed -i`, `crudini --set`, `>>`).
fn edited(s: &Step, cmds: &[Simple]) -> Vec<String> {
    let mut out: Vec<String> = s.path().map(str::to_string).into_iter().collect();
    for c in cmds {
        match c.name.as_str() {
            "sed" if c.args.iter().any(|a| a.starts_with("-i")) => {
                if let Some(f) = c.positionals(&["-e", "-f"]).last() {
                    out.push(f.to_string());
                }
            }
            "crudini" | "openstack-config" => {
                if let Some(f) = c.opt(&["--set"]) {
                    out.push(f.to_string());
                }
            }
            _ => {}
        }
        for (op, t) in &c.redirs {
            if op.ends_with(">>") {
                out.push(t.clone());
            }
        }
    }
    out.retain(|p| p.starts_with("/etc/"));
    out
}

/// The packages installed right before the first edit of a folder: the install step just
/// before it on the same node and in the same section, with at most one step between.
fn learned(ctx: &Ctx, inst: &[Installed], first_edit: usize) -> Vec<String> {
    let s = ctx.steps[first_edit];
    (first_edit.saturating_sub(3)..first_edit)
        .rev()
        .find(|&j| {
            !inst[j].packages.is_empty()
                && ctx.steps[j].section == s.section
                && s.nodes.iter().all(|n| ctx.on(j, n))
        })
        .map(|j| inst[j].packages.clone())
        .unwrap_or_default()
}

pub(crate) fn configs<'p>(ctx: &Ctx<'p>, out: &mut Vec<Finding<'p>>) {
    let inst = installs(ctx);
    let edits: Vec<Vec<String>> = ctx
        .steps
        .iter()
        .zip(&ctx.cmds)
        .map(|(s, c)| edited(s, c))
        .collect();
    let mut first_edit: Vec<(String, usize)> = Vec::new();
    for (i, paths) in edits.iter().enumerate() {
        for name in paths.iter().filter_map(|p| config_name(p)) {
            if !first_edit.iter().any(|(n, _)| *n == name) {
                first_edit.push((name, i));
            }
        }
    }
    for (name, first) in &first_edit {
        let by_name = |j: usize| inst[j].packages.iter().any(|p| owns(name, p));
        let mut owners: Vec<String> = Vec::new();
        if !(0..inst.len()).any(by_name) {
            owners = learned(ctx, &inst, *first);
        }
        let provides = |j: usize| by_name(j) || inst[j].packages.iter().any(|p| owners.contains(p));
        let providers: Vec<usize> = (0..inst.len()).filter(|&j| provides(j)).collect();
        if providers.is_empty() {
            continue;
        }
        for (i, paths) in edits.iter().enumerate() {
            let Some(path) = paths.iter().find(|p| config_name(p).as_ref() == Some(name)) else {
                continue;
            };
            let is = |j: usize| provides(j) || (j < i && fetches(&ctx.cmds[j], name));
            report_config(ctx, (i, path, name), &providers, &is, &inst, out);
        }
    }
}

/// Whether `node` shows `name`'s software at some point without the guide installing it
/// there (a service of the family started, a command of the family run: `nova-manage`): it
/// came from outside the guide, such as an earlier part of a series.
fn present(ctx: &Ctx, node: &str, name: &str) -> bool {
    (0..ctx.steps.len()).filter(|&j| ctx.on(j, node)).any(|j| {
        started(&ctx.cmds[j]).iter().any(|(_, svc)| owns(name, svc))
            || ctx.cmds[j].iter().any(|c| owns(name, &c.name))
    })
}

/// One finding for an edit at step `i` of `path` on the nodes that lack `name`'s package:
/// those that install it only later, and those that never do and show no sign of having it.
fn report_config<'p>(
    ctx: &Ctx<'p>,
    (i, path, name): (usize, &str, &str),
    providers: &[usize],
    is: &dyn Fn(usize) -> bool,
    inst: &[Installed],
    out: &mut Vec<Finding<'p>>,
) {
    let missing: Vec<&String> = ctx.steps[i]
        .nodes
        .iter()
        .filter(|n| !has_before(ctx, i, n, is) && !ctx.reached(i, n))
        .filter(|n| providers.iter().any(|&j| j > i && ctx.on(j, n)) || !present(ctx, n, name))
        .collect();
    let Some(node) = missing.first() else {
        return;
    };
    let Some(j) = provider_step(ctx, i, node, providers) else {
        return;
    };
    let pkgs: Vec<&str> = inst[j]
        .packages
        .iter()
        .filter(|p| owns(name, p))
        .map(String::as_str)
        .collect();
    let pkg = if pkgs.is_empty() {
        inst[j].packages.join(" ")
    } else {
        pkgs.join(" ")
    };
    let where_ = if j > i && ctx.on(j, node) {
        format!("only later, at {}", ctx.steps[j].source)
    } else {
        format!(
            "on {} at {}",
            ctx.steps[j].nodes.join(", "),
            ctx.steps[j].source
        )
    };
    let how = if ctx.steps[i].kind() == Kind::File {
        "written"
    } else {
        "edited"
    };
    let f = Finding::new(
        "RB004",
        ctx.steps[i],
        format!(
            "{path} is {how} on {} before its package is installed there ({pkg}: {where_})",
            join(&missing)
        ),
    );
    out.push(f.with(ctx.steps[j]));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::tests::{found, ini, plan, step};

    #[test]
    fn config_names() {
        assert_eq!(config_name("/etc/nova/nova.conf").as_deref(), Some("nova"));
        assert_eq!(config_name("/etc/chrony.conf").as_deref(), Some("chrony"));
        assert_eq!(
            config_name("/etc/sysconfig/memcached").as_deref(),
            Some("memcached")
        );
        assert_eq!(config_name("/etc/hosts"), None);
        assert_eq!(config_name("/etc/selinux/config"), None);
        assert_eq!(config_name("/root/x"), None);
    }

    #[test]
    fn a_service_started_where_its_package_never_came() {
        let a = step("a", &["controller"], "yum install -y chrony");
        let b = step("b", &["controller"], "systemctl enable --now chronyd");
        let c = step("c", &["compute"], "systemctl enable --now chronyd");
        let d = step("d", &["compute"], "systemctl restart sshd");
        assert_eq!(
            found(&plan(vec![a, b, c, d])),
            [("RB003".to_string(), 21, vec![1])]
        );
    }

    #[test]
    fn a_config_edited_before_its_package() {
        let a = ini(
            "a",
            &["compute"],
            "/etc/nova/nova.conf",
            &[("libvirt", "virt_type", "qemu")],
        );
        let b = step("b", &["compute"], "yum install -y openstack-nova-compute");
        let c = ini(
            "c",
            &["compute"],
            "/etc/nova/nova.conf",
            &[("DEFAULT", "x", "1")],
        );
        assert_eq!(
            found(&plan(vec![a, b, c])),
            [("RB004".to_string(), 1, vec![11])]
        );
    }
}
