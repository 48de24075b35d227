//! `repeated-step` (RB009): the same step twice in a row on a node — a block pasted twice, a
//! command repeated by the next list item. Harmless to a runbook that skips what is done, but
//! a sign that something else was meant (another file, another node).
//!
//! Loading an environment again (`. admin-openrc`, `export …`, `cd …`) at the start of a new
//! section is a courtesy to a reader who starts there, not a repeat.

use super::commands::Simple;
use super::{Ctx, Finding};

/// The text a step does, spaces made single.
fn shape(s: &runbook_core::model::Step) -> String {
    let mut t = s.run.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(p) = s.path() {
        t.push_str(p);
    }
    t
}

/// Whether a step only sets up the shell's environment.
fn environment_only(cmds: &[Simple]) -> bool {
    !cmds.is_empty()
        && cmds
            .iter()
            .all(|c| matches!(c.name.as_str(), "." | "source" | "export" | "cd" | ""))
}

pub(crate) fn check<'p>(ctx: &Ctx<'p>, out: &mut Vec<Finding<'p>>) {
    for i in 1..ctx.steps.len() {
        let (a, b) = (ctx.steps[i - 1], ctx.steps[i]);
        if a.kind() != b.kind() || !b.nodes.iter().any(|n| a.nodes.contains(n)) {
            continue;
        }
        if shape(a) != shape(b) || b.run.trim().is_empty() {
            continue;
        }
        if a.section != b.section && environment_only(&ctx.cmds[i]) {
            continue;
        }
        let f = Finding::new(
            "RB009",
            b,
            format!(
                "the same step as the one right before it, on {}",
                b.nodes
                    .iter()
                    .filter(|n| a.nodes.contains(n))
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        out.push(f.with(a));
    }
}

#[cfg(test)]
mod tests {
    use crate::doctor::tests::{found, plan, step};

    #[test]
    fn a_step_pasted_twice() {
        let a = step("a", &["c"], "yum install -y chrony");
        let b = step("b", &["c"], "yum  install -y chrony\n");
        let c = step("c", &["d"], "yum install -y chrony");
        assert_eq!(
            found(&plan(vec![a, b, c])),
            [("RB009".to_string(), 11, vec![1])]
        );
    }

    #[test]
    fn an_environment_loaded_again_in_a_new_section() {
        let mut a = step("a", &["c"], ". /root/admin-openrc");
        a.section = vec!["A".into()];
        let mut b = a.clone();
        b.id = "b".into();
        b.section = vec!["B".into()];
        assert!(found(&plan(vec![a, b])).is_empty());
    }
}
