//! `runbooks/<node>.sh` (contract: `shared/contracts/runbook-cli.md`).

use crate::build::OutFile;
use crate::model::Plan;

pub fn render_all(plan: &Plan) -> Vec<OutFile> {
    plan.nodes
        .iter()
        .map(|n| OutFile {
            path: format!("runbooks/{n}.sh").into(),
            bytes: render(plan, n).into_bytes(),
            executable: true,
        })
        .collect()
}

pub fn render(plan: &Plan, node: &str) -> String {
    let _ = plan;
    format!("#!/usr/bin/env bash\n# runbook for {node}: not yet rendered\nexit 1\n")
}
