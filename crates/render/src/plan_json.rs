//! `plan.json` (contract: `shared/contracts/plan-json.md`).
//!
//! The document is serde_json's pretty form of [`Plan`]. The steps are nearly all of it, and
//! each serializes on its own: they are written in parallel, each at its depth in the document,
//! and spliced into the rest. The bytes are the same as `serde_json::to_string_pretty(plan)`
//! (a test holds them to it).

use rayon::prelude::*;
use runbook_core::model::{Plan, Step};
use runbook_core::output::{Emit, OutFile};
use runbook_core::source::Compiled;
use serde_json::ser::{Formatter, PrettyFormatter};
use std::path::PathBuf;

/// Steps serialized per task: enough to outweigh a task's cost, few enough to spread.
const STEPS_PER_TASK: usize = 256;

/// Where the steps' array sits in the pretty form of a plan without steps. A key at this indent
/// is a field of the plan itself (JSON strings hold no raw newline), so the match is unique.
const EMPTY_STEPS: &str = "\n  \"steps\": []";

/// `plan.json`.
pub struct PlanJson;

impl crate::Renderer for PlanJson {
    fn name(&self) -> &'static str {
        "plan.json"
    }
    fn render(&self, c: &Compiled, emit: &Emit) -> anyhow::Result<()> {
        emit(&OutFile {
            path: PathBuf::from("plan.json"),
            bytes: render(&c.plan),
            executable: false,
        })
    }
}

/// The document's bytes (UTF-8).
pub fn render(plan: &Plan) -> Vec<u8> {
    render_chunked(plan, STEPS_PER_TASK)
}

fn render_chunked(plan: &Plan, per_task: usize) -> Vec<u8> {
    if plan.steps.is_empty() {
        return whole(plan).into_bytes();
    }
    let head = Plan {
        version: plan.version,
        title: plan.title.clone(),
        nodes: plan.nodes.clone(),
        variables: plan.variables.clone(),
        phases: plan.phases,
        steps: Vec::new(),
        hosts: plan.hosts.clone(),
        networks: plan.networks.clone(),
        options: plan.options.clone(),
        software: plan.software.clone(),
    };
    let head = whole(&head);
    let Some(at) = head.find(EMPTY_STEPS) else {
        return whole(plan).into_bytes();
    };
    let pieces: Vec<Option<Vec<u8>>> = plan
        .steps
        .par_chunks(per_task.max(1))
        .map(steps_json)
        .collect();
    let Some(pieces) = pieces.into_iter().collect::<Option<Vec<_>>>() else {
        return whole(plan).into_bytes();
    };
    let size = head.len() + pieces.iter().map(Vec::len).sum::<usize>() + 16;
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(&head.as_bytes()[..at]);
    out.extend_from_slice(b"\n  \"steps\": [");
    for (i, p) in pieces.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(p);
    }
    out.extend_from_slice(b"\n  ]");
    out.extend_from_slice(&head.as_bytes()[at + EMPTY_STEPS.len()..]);
    out
}

/// The plain pretty form, with the final newline.
fn whole(plan: &Plan) -> String {
    let mut s = serde_json::to_string_pretty(plan).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// Steps as elements of the plan's `steps` array: each on a new line at depth 2, separated by
/// commas (the caller puts a comma between chunks).
fn steps_json(steps: &[Step]) -> Option<Vec<u8>> {
    let mut buf = Vec::with_capacity(steps.len() * 1024);
    for (i, s) in steps.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        buf.extend_from_slice(b"\n    ");
        let mut ser = serde_json::Serializer::with_formatter(&mut buf, at_depth_two().ok()?);
        serde::Serialize::serialize(s, &mut ser).ok()?;
    }
    Some(buf)
}

/// serde_json's pretty formatter as it stands inside the plan's `steps` array: two levels in
/// (it opens the two levels on a writer that drops the brackets).
fn at_depth_two() -> std::io::Result<PrettyFormatter<'static>> {
    let mut f = PrettyFormatter::with_indent(b"  ");
    let mut sink = std::io::sink();
    f.begin_array(&mut sink)?;
    f.begin_array(&mut sink)?;
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_bytes_as_serde_json_pretty() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        for guide in ["guide", "tests/fixtures/hostile"] {
            let c = runbook_compile::compile(&root.join(guide)).expect("compiles");
            assert!(c.plan.steps.len() > 10, "{guide}");
            let plain = |p: &Plan| whole(p).into_bytes();
            assert_eq!(render(&c.plan), plain(&c.plan), "{guide}");
            // several chunks, and a chunk of one step
            assert_eq!(render_chunked(&c.plan, 7), plain(&c.plan), "{guide}");
            assert_eq!(render_chunked(&c.plan, 1), plain(&c.plan), "{guide}");
            let mut empty = c.plan.clone();
            empty.steps.clear();
            assert_eq!(render(&empty), plain(&empty));
            let mut one = c.plan.clone();
            one.steps.truncate(1);
            assert_eq!(render(&one), plain(&one));
        }
    }
}
