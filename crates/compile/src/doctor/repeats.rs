//! `repeated-step` (RB009): the same step twice in a row on a node — a block pasted twice, a
//! command repeated by the next list item. Harmless to a runbook that skips what is done, but
//! a sign that something else was meant (another file, another node).
//!
//! Loading an environment again (`. admin-openrc`, `export …`, `cd …`) at the start of a new
//! section is a courtesy to a reader who starts there, not a repeat; nor is a sentence naming
//! the command (`` `mysql_secure_installation` 스크립트를 실행하여 … ``) right before the block that
//! shows it.

use super::commands::Simple;
use super::{Ctx, Finding};
use crate::parse::BlockKind;
use runbook_core::model::Step;

/// Whether two steps do the same: the same file, the same text but for spacing.
fn same(a: &runbook_core::model::Step, b: &runbook_core::model::Step) -> bool {
    a.path() == b.path() && a.run.split_whitespace().eq(b.run.split_whitespace())
}

/// Whether a step only sets up the shell's environment.
fn environment_only(cmds: &[Simple]) -> bool {
    !cmds.is_empty()
        && cmds
            .iter()
            .all(|c| matches!(c.name.as_str(), "." | "source" | "export" | "cd" | ""))
}

/// Whether the guide's text at a step's first line is prose (a sentence or a list item), not a
/// code block.
fn in_prose(ctx: &Ctx, s: &Step) -> bool {
    let Some(doc) = ctx.docs.iter().find(|d| d.file == s.source.file) else {
        return false;
    };
    let k = doc.blocks.partition_point(|b| b.line <= s.source.line);
    k > 0 && matches!(doc.blocks[k - 1].kind, BlockKind::Para { .. })
}

pub(crate) fn check<'p>(ctx: &Ctx<'p>, out: &mut Vec<Finding<'p>>) {
    for i in 1..ctx.steps.len() {
        let (a, b) = (ctx.steps[i - 1], ctx.steps[i]);
        if a.kind() != b.kind() || !b.nodes.iter().any(|n| a.nodes.contains(n)) {
            continue;
        }
        if !same(a, b) || b.run.trim().is_empty() {
            continue;
        }
        if a.section != b.section && environment_only(&ctx.cmds[i]) {
            continue;
        }
        if in_prose(ctx, a) && !in_prose(ctx, b) {
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
