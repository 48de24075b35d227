//! `ansible/`: inventory and playbook for fleets.

use crate::build::OutFile;
use crate::model::Plan;

pub fn render(plan: &Plan) -> Vec<OutFile> {
    let _ = plan;
    Vec::new()
}
