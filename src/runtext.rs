//! The `run` text of each step: the exact bash the node's runbook executes.

use crate::model::Step;

/// Fill `step.run` from its kind and content.
pub fn fill(step: &mut Step) {
    if step.run.is_empty() {
        step.run = step.original.clone();
    }
}
