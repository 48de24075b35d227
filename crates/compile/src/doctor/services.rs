//! `service-not-installed` (RB003): a service enabled, started or restarted on a node that
//! never installed it — `systemctl enable chronyd` on the compute node where only the
//! controller ran `yum install chrony` — or before the step that installs it there. The
//! runbook stops at "Unit not found".
//!
//! A service no step of the guide installs (`sshd`, `firewalld`) is the system's own and never
//! reported; nor is a node a fleet tool (`ansible-playbook`, `kolla-ansible`) reached before.

use super::supply::{join, place, provider, started, Supply};
use super::{Ctx, Finding};
use std::collections::HashMap;

pub(crate) fn check<'p>(ctx: &Ctx<'p>, out: &mut Vec<Finding<'p>>) {
    let started: Vec<Vec<(String, String)>> = ctx.cmds.iter().map(|c| started(c)).collect();
    services(ctx, &started, out);
}

fn services<'p>(ctx: &Ctx<'p>, started: &[Vec<(String, String)>], out: &mut Vec<Finding<'p>>) {
    let mut supplies: HashMap<&str, Option<Supply>> = HashMap::new();
    for (i, svcs) in started.iter().enumerate() {
        let mut seen: Vec<&str> = Vec::new();
        for (verb, svc) in svcs {
            if seen.contains(&svc.as_str()) {
                continue;
            }
            seen.push(svc);
            let supply = supplies
                .entry(svc)
                .or_insert_with(|| Supply::of(ctx, svc, |j| provider(&ctx.inst[j], svc).is_some()));
            let Some(supply) = supply.as_ref() else {
                continue;
            };
            let missing: Vec<&String> = ctx.steps[i]
                .nodes
                .iter()
                .filter(|n| !supply.has(ctx, i, n))
                .collect();
            let Some(node) = missing.first() else {
                continue;
            };
            let j = supply.shown(ctx, i, node);
            let pkg = provider(&ctx.inst[j], svc).unwrap_or("");
            let f = Finding::new(
                "RB003",
                ctx.steps[i],
                format!(
                    "service {svc} is {}ed on {}, but no step before installs it there ({pkg} is installed {})",
                    verb.trim_end_matches('e'),
                    join(&missing),
                    place(ctx, i, j, node)
                ),
            );
            out.push(f.with(ctx.steps[j]));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::doctor::tests::{found, plan, step};

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
}
