//! `plan.json` (contract: `shared/contracts/plan-json.md`).

use crate::model::Plan;

pub fn render(plan: &Plan) -> String {
    let mut s = serde_json::to_string_pretty(plan).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
