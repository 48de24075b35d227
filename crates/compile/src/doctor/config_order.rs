//! `config-before-package` (RB004): a configuration file under /etc edited on a node before
//! the step that installs its package there (the package then overwrites the file, or the edit
//! finds no file), or on a node that never installs it — `/etc/nova/nova.conf` edited before
//! `yum install openstack-nova-compute`.
//!
//! Which package a folder under /etc belongs to is learnt from the plan: the packages the guide
//! installs whose names match (`/etc/neutron/` ← `openstack-neutron-linuxbridge`), else the
//! install step right before the folder's first edit. A folder no step installs (`/etc/hosts`,
//! `/etc/sysctl.d/`) is the system's own; a node that never installs the package but uses the
//! software (starts its services, runs its commands) has it from outside the guide.

use super::commands::Simple;
use super::software::{owns, provides};
use super::supply::{join, place, started, Supply};
use super::{Ctx, Finding};
use runbook_core::model::{Kind, Step};
use std::collections::HashMap;

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

pub(crate) fn check<'p>(ctx: &Ctx<'p>, out: &mut Vec<Finding<'p>>) {
    let started: Vec<Vec<(String, String)>> = ctx.cmds.iter().map(|c| started(c)).collect();
    configs(ctx, &started, out);
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
fn learned(ctx: &Ctx, first_edit: usize) -> Vec<String> {
    let s = ctx.steps[first_edit];
    (first_edit.saturating_sub(3)..first_edit)
        .rev()
        .find(|&j| {
            !ctx.inst[j].packages.is_empty()
                && ctx.steps[j].section == s.section
                && s.nodes.iter().all(|n| ctx.on(j, n))
        })
        .map(|j| ctx.inst[j].packages.clone())
        .unwrap_or_default()
}

fn configs<'p>(ctx: &Ctx<'p>, started: &[Vec<(String, String)>], out: &mut Vec<Finding<'p>>) {
    // the configuration folders each step edits, and the first edit of each
    let edits: Vec<Vec<(String, String)>> = ctx
        .steps
        .iter()
        .zip(&ctx.cmds)
        .map(|(s, c)| {
            edited(s, c)
                .into_iter()
                .filter_map(|p| config_name(&p).map(|n| (n, p)))
                .collect()
        })
        .collect();
    let mut first_edit: Vec<(&str, usize)> = Vec::new();
    for (i, names) in edits.iter().enumerate() {
        for (name, _) in names {
            if !first_edit.iter().any(|(n, _)| n == name) {
                first_edit.push((name, i));
            }
        }
    }
    for (name, first) in first_edit {
        let by_name = |j: usize| ctx.inst[j].packages.iter().any(|p| owns(name, p));
        let owners = if (0..ctx.steps.len()).any(by_name) {
            Vec::new()
        } else {
            learned(ctx, first)
        };
        let installs =
            |j: usize| by_name(j) || ctx.inst[j].packages.iter().any(|p| owners.contains(p));
        let Some(supply) = Supply::of(ctx, name, installs) else {
            continue;
        };
        let mut present: HashMap<&str, bool> = HashMap::new();
        for (i, names) in edits.iter().enumerate() {
            let Some((_, path)) = names.iter().find(|(n, _)| n == name) else {
                continue;
            };
            let missing: Vec<&String> = ctx.steps[i]
                .nodes
                .iter()
                .filter(|n| !supply.has(ctx, i, n))
                .filter(|n| {
                    supply.later(ctx, i, n)
                        || !*present
                            .entry(n.as_str())
                            .or_insert_with(|| shows(ctx, started, n, name))
                })
                .collect();
            if let Some(node) = missing.first() {
                let j = supply.shown(ctx, i, node);
                out.push(config_finding(ctx, (i, j), path, name, &missing));
            }
        }
    }
}

/// Whether `node` shows `name`'s software at some point without the guide installing it
/// there (a service of the family started, a command of the family run: `nova-manage`): it
/// came from outside the guide, such as an earlier part of a series.
fn shows(ctx: &Ctx, started: &[Vec<(String, String)>], node: &str, name: &str) -> bool {
    (0..ctx.steps.len()).filter(|&j| ctx.on(j, node)).any(|j| {
        started[j]
            .iter()
            .any(|(_, svc)| owns(name, svc) || provides(svc, name))
            || ctx.cmds[j].iter().any(|c| owns(name, &c.name))
    })
}

/// The finding for an edit at step `i` of `path` (folder `name`) on the `missing` nodes, with
/// the install at step `j`.
fn config_finding<'p>(
    ctx: &Ctx<'p>,
    (i, j): (usize, usize),
    path: &str,
    name: &str,
    missing: &[&String],
) -> Finding<'p> {
    let inst = &ctx.inst[j];
    let pkgs: Vec<&str> = inst
        .packages
        .iter()
        .filter(|p| owns(name, p))
        .map(String::as_str)
        .collect();
    let pkg = if pkgs.is_empty() {
        inst.packages.join(" ")
    } else {
        pkgs.join(" ")
    };
    let how = if ctx.steps[i].kind() == Kind::File {
        "written"
    } else {
        "edited"
    };
    Finding::new(
        "RB004",
        ctx.steps[i],
        format!(
            "{path} is {how} on {} before its package is installed there ({pkg}: {})",
            join(missing),
            place(ctx, i, j, missing[0])
        ),
    )
    .with(ctx.steps[j])
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
